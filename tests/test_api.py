"""The package-level API: mediaprov.ingest.ingest(path) and mediaprov.evidence(rows), plain functions."""

from __future__ import annotations

import types

import pandas as pd

import mediaprov
import mediaprov.ingest


def test_ingest_is_a_function_like_the_command(tmp_path):
    (tmp_path / "a.txt").write_text("A Headline\n\nThe body of the article, at some length.\n")
    result = mediaprov.ingest.ingest(tmp_path, out=tmp_path / "out")
    assert result.summary.ingested == 1
    assert result.articles.title.tolist() == ["A Headline"]


def test_evidence_shows_the_passage_in_context():
    articles = pd.DataFrame({"article_id": ["a"], "text": ["The minister said “no” on Monday."]})
    rows = pd.DataFrame({"article_id": ["a"], "start": [18], "end": [22]})
    shown = mediaprov.evidence(rows, articles, context=10)
    assert "[[“no”]]" in shown


def test_no_module_is_made_callable():
    """Issue 14: plain functions, not modules whose class is swapped to make them callable."""
    assert isinstance(mediaprov.evidence, types.FunctionType)
    assert isinstance(mediaprov.ingest.ingest, types.FunctionType)
    assert type(mediaprov.ingest) is types.ModuleType
    assert not callable(mediaprov.ingest)
