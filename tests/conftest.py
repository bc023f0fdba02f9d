"""Shared fixtures: the real seeds and corpora in ../shared (skipped cleanly when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mediaprov.paths import shared_dir

from browser import browser, serve  # noqa: F401 - headless Chromium fixtures shared by the browser tests


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """``../shared/seeds``; tests using it skip when ``../shared`` is not beside the project."""
    shared = shared_dir()
    if shared is None or not (shared / "seeds" / "expected.json").exists():
        pytest.skip("../shared/seeds is absent: the real seed articles are not available here")
    return shared / "seeds"


@pytest.fixture(scope="session")
def seeds_expected(seeds_dir: Path) -> dict:
    """The careful reader's annotations of the five seeds (``expected.json``)."""
    return json.loads((seeds_dir / "expected.json").read_text(encoding="utf-8"))["documents"]


@pytest.fixture(scope="session")
def shared_corpus():
    """Return a function giving the path of a file under ``../shared/corpora`` (or skipping)."""
    def find(relative: str) -> Path:
        shared = shared_dir()
        if shared is None or not (shared / "corpora" / relative).exists():
            pytest.skip(f"../shared/corpora/{relative} is absent")
        return shared / "corpora" / relative
    return find


@pytest.fixture
def slow_record(monkeypatch):
    """Make parsing the record of one file (by its ``raw_path``) run forever: call it with the name."""
    import time

    from mediaprov.ingest import parsing

    real = parsing.parse_record

    def make_slow(raw_path: str) -> None:
        def slow(record, **kwargs):
            if record.raw_path == raw_path:
                while True:
                    time.sleep(0.01)
            return real(record, **kwargs)

        monkeypatch.setattr(parsing, "parse_record", slow)

    return make_slow
