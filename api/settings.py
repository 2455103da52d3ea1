"""Settings for the service and the CLI, from POLICYSCOPE_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_INDEX = Path("data/index")


class Settings(BaseSettings):
    """POLICYSCOPE_INDEX, _MODEL, _HOST, _PORT, _FEEDBACK and _ARTICLES (all with the POLICYSCOPE_ prefix)."""

    model_config = SettingsConfigDict(env_prefix="POLICYSCOPE_")

    index: Path = DEFAULT_INDEX
    model: str | None = None  # None: the model named in the index's manifest
    host: str = "127.0.0.1"
    port: int = 8000
    feedback: Path | None = None  # None: beside the index folder (data/index -> data/index.feedback.sqlite)
    # doc_id prefix of the help-centre articles: what the writer tab checks, never evidence in a check ("" for none)
    articles: str = "help-centre/"
