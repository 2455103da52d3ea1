"""Settings for the service and the CLI, from POLICYSCOPE_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_INDEX = Path("data/index")


class Settings(BaseSettings):
    """POLICYSCOPE_INDEX, POLICYSCOPE_MODEL, POLICYSCOPE_HOST, POLICYSCOPE_PORT, POLICYSCOPE_FEEDBACK."""

    model_config = SettingsConfigDict(env_prefix="POLICYSCOPE_")

    index: Path = DEFAULT_INDEX
    model: str | None = None  # None: the model named in the index's manifest
    host: str = "127.0.0.1"
    port: int = 8000
    feedback: Path | None = None  # None: beside the index folder (data/index -> data/index.feedback.sqlite)
