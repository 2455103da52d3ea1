from pathlib import Path

import pytest

from ingest.corpus import ingest_folder, parse_file
from ingest.model import citation_holds
from ingest.text import parse_text

MACRO = """Strike removed reply

Hi there,

Thanks for your patience. We reviewed your appeal and removed the strike from your account.
Your LIVE access will come back within 24 hours.

Best,
The Support Team
"""


def _write(root: Path, name: str, data: str | bytes) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    _write(tmp_path, "good.md", "---\ntitle: Good\n---\n# Good\n\nA clause about refunds within 14 days.\n")
    _write(tmp_path, "macros/Strike removed", MACRO)  # extensionless support macro
    _write(tmp_path, "bad-front-matter.md", "---\naudience: everyone\n---\n# X\n\nText.\n")
    _write(tmp_path, "picture.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    _write(tmp_path, "blob", b"\x00\x01\x02binary\x00")
    _write(tmp_path, "broken.pdf", b"%PDF-1.4 this is not really a pdf")
    _write(tmp_path, "with-sidecar.txt", "Internal escalation path\n\nEscalate threats to the on-call lead within 1 hour.\n")
    _write(tmp_path, "with-sidecar.txt.meta.yaml", "audience: internal\nregion: EU\neffective: 2026-05-01\ntitle: Escalations\n")
    _write(tmp_path, ".hidden/notes.md", "# Hidden\n\nNot ingested.\n")
    return tmp_path


def test_every_file_is_reported_and_problems_do_not_stop_the_rest(mixed):
    corpus = ingest_folder(mixed)
    status = {f.doc_id: (f.status, f.reason) for f in corpus.files}
    assert set(status) == {"good.md", "macros/Strike removed", "bad-front-matter.md", "picture.png", "blob",
                           "broken.pdf", "with-sidecar.txt"}
    assert status["good.md"][0] == "ok" and status["macros/Strike removed"][0] == "ok"
    assert status["bad-front-matter.md"] == ("failed", "bad-front-matter.md: audience must be public or internal, not 'everyone'")
    assert status["picture.png"] == ("skipped", "unsupported file type .png")
    assert status["blob"][0] == "skipped" and "binary" in status["blob"][1]
    assert status["broken.pdf"][0] == "failed" and status["broken.pdf"][1]
    assert {c.doc_id for c in corpus.clauses} == {"good.md", "macros/Strike removed", "with-sidecar.txt"}


def test_sidecar_metadata_overrides_and_validates(mixed):
    doc = parse_file(mixed / "with-sidecar.txt", "with-sidecar.txt")
    assert doc.title == "Escalations"
    assert doc.meta == {"audience": "internal", "region": "EU", "effective": "2026-05-01", "format": "text"}


def test_support_macro_structure():
    doc = parse_text(MACRO, "m", "Strike removed reply")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Strike removed reply"),
        ("paragraph", "Hi there,"),
        ("paragraph", "Thanks for your patience. We reviewed your appeal and removed the strike from your account. "
                      "Your LIVE access will come back within 24 hours."),
        ("paragraph", "Best, The Support Team"),
    ]
    for b in doc.blocks:
        assert citation_holds(MACRO, b.text, b.char_start, b.char_end)


def test_plain_text_lists_become_items():
    text = "Before you appeal:\n- check the notification\n- gather evidence\n"
    doc = parse_text(text, "t", "t")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "Before you appeal:"), ("list_item", "check the notification"), ("list_item", "gather evidence")]


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a folder"):
        ingest_folder(tmp_path / "nope")
