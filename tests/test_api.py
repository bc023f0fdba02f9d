"""The package-level API the design promises: mediaprov.ingest(path) and mediaprov.evidence(rows)."""

from __future__ import annotations

import pandas as pd

import mediaprov


def test_ingest_is_callable_like_the_command(tmp_path):
    (tmp_path / "a.txt").write_text("A Headline\n\nThe body of the article, at some length.\n")
    result = mediaprov.ingest(tmp_path, out=tmp_path / "out")
    assert result.summary.ingested == 1
    assert result.articles.title.tolist() == ["A Headline"]


def test_evidence_shows_the_passage_in_context():
    articles = pd.DataFrame({"article_id": ["a"], "text": ["The minister said “no” on Monday."]})
    rows = pd.DataFrame({"article_id": ["a"], "start": [18], "end": [22]})
    shown = mediaprov.evidence(rows, articles, context=10)
    assert "[[“no”]]" in shown
