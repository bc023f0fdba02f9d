"""Checks of the AllSides development set fixtures themselves (not of any method scored on them).

The gold files hold offsets and labels only; the texts are read from ``../shared``. Every test that
needs the corpus skips cleanly when it is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from devset import (
    DIFFICULTIES,
    FIXTURES,
    QUOTE_MARKS,
    corpus_path,
    load_events,
    load_quotes,
    locate,
    locate_span,
    speaker_matches,
)

MIN_QUOTES = 200
MIN_EVENTS = 30


@pytest.fixture(scope="session")
def gold_quotes() -> pd.DataFrame:
    quotes = load_quotes()
    if quotes is None:
        pytest.skip("../shared/corpora/allsides_iran is absent: the development set cannot be read")
    return quotes


@pytest.fixture(scope="session")
def gold_events() -> pd.DataFrame:
    events = load_events()
    if events is None:
        pytest.skip("../shared/corpora/allsides_iran is absent: the development set cannot be read")
    return events


@pytest.fixture(scope="session")
def allsides_articles(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The AllSides corpus ingested once per session into a temporary folder."""
    path = corpus_path()
    if path is None:
        pytest.skip("../shared/corpora/allsides_iran is absent")
    from mediaprov.ingest.pipeline import ingest

    out = tmp_path_factory.mktemp("allsides_ingest")
    result = ingest(path, out=out, columns="allsides")
    return pd.read_parquet(result.out_dir / "articles.parquet",
                           columns=["article_id", "raw_path", "record", "text"])


def test_fixture_files_exist() -> None:
    for name in ("quotes.csv", "events.csv", "README.md"):
        assert (FIXTURES / name).is_file(), name


def test_quotes_point_at_the_right_records(gold_quotes: pd.DataFrame) -> None:
    mismatched = gold_quotes[gold_quotes["ID"] != gold_quotes["corpus_id"]]
    assert mismatched.empty, mismatched[["ID", "line", "corpus_id"]].head().to_string()


def test_quote_spans_are_in_range_and_delimited_by_quotation_marks(gold_quotes: pd.DataFrame) -> None:
    assert (gold_quotes["start"] >= 0).all()
    assert (gold_quotes["end"] > gold_quotes["start"] + 1).all()
    lengths = gold_quotes["text"].str.len()
    assert (lengths == gold_quotes["end"] - gold_quotes["start"]).all(), "a span runs past its text"
    bad = gold_quotes[~gold_quotes["text"].str[0].isin(QUOTE_MARKS)
                      | ~gold_quotes["text"].str[-1].isin(QUOTE_MARKS)]
    assert bad.empty, bad[["ID", "line", "start", "end"]].to_string()


def test_quote_spans_are_unique_and_do_not_overlap(gold_quotes: pd.DataFrame) -> None:
    assert not gold_quotes.duplicated(["line", "start", "end"]).any()
    for line, group in gold_quotes.sort_values(["line", "start"]).groupby("line"):
        starts, ends = group["start"].tolist(), group["end"].tolist()
        assert all(next_start >= end for end, next_start in zip(ends, starts[1:], strict=False)), line


def test_quote_labels_are_well_formed(gold_quotes: pd.DataFrame) -> None:
    assert len(gold_quotes) >= MIN_QUOTES
    assert set(gold_quotes["difficulty"]) <= DIFFICULTIES
    assert set(gold_quotes["speaker_kind"]) <= {"person", "organisation", "unknown"}
    named = gold_quotes[gold_quotes["speaker"] != ""]
    assert (named["speaker_kind"] != "unknown").all()
    assert not gold_quotes["speaker_aliases"].str.contains(r"\|\||^\||\|$", regex=True).any()
    # every rating and many outlets are represented
    assert set(gold_quotes["bias"]) == {"left", "center", "right"}
    assert gold_quotes["outlet"].nunique() >= 15


def test_notes_copy_no_article_text(gold_quotes: pd.DataFrame, gold_events: pd.DataFrame) -> None:
    """Notes are the annotator's words: no run of six words from the article appears in one."""
    from devset import corpus_records

    records = corpus_records()
    assert records is not None
    for frame in (gold_quotes, gold_events):
        for line, note in zip(frame["line"], frame["note"], strict=True):
            words = re.findall(r"\w+", note.lower())
            body = " " + " ".join(re.findall(r"\w+", records[line]["content_original"].lower())) + " "
            for index in range(len(words) - 5):
                assert f" {' '.join(words[index:index + 6])} " not in body, (line, note)


def test_event_groups(gold_events: pd.DataFrame) -> None:
    mismatched = gold_events[(gold_events["ID"] != gold_events["corpus_id"])]
    assert mismatched.empty, mismatched.head().to_string()
    from devset import corpus_records

    records = corpus_records()
    assert records is not None
    assert all(records[line]["source"] == outlet
               for line, outlet in zip(gold_events["line"], gold_events["outlet"], strict=True))
    groups = gold_events.groupby("event")
    assert groups.ngroups >= MIN_EVENTS
    assert (groups["outlet"].nunique() >= 2).all()
    assert not gold_events.duplicated("line").any(), "an article belongs to one event at most"
    labels = gold_events["event"].drop_duplicates()
    assert labels.str.match(r"^\d{4}-\d{2}-\d{2} ").all(), "event labels start with an ISO date"


def test_locate_finds_the_gold_spans_in_ingested_text(gold_quotes: pd.DataFrame,
                                                      allsides_articles: pd.DataFrame) -> None:
    located = locate(gold_quotes, allsides_articles)
    found = located["article_id"].notna()
    assert found.mean() >= 0.95, f"only {found.mean():.1%} of gold quotes located"
    texts = allsides_articles.set_index("article_id")["text"]
    for (_, gold), (_, where) in zip(gold_quotes[found].iterrows(), located[found].iterrows(), strict=True):
        span = texts[where["article_id"]][int(where["start"]):int(where["end"])]
        assert " ".join(span.split()) == " ".join(gold["text"].split())


def test_locate_span_prefers_the_occurrence_nearest_the_original_offset() -> None:
    text = '"yes" said A. Later "yes" said B.'
    assert locate_span('"yes"', text, 20) == (20, 25)
    assert locate_span('"yes"', text, 0) == (0, 5)
    assert locate_span('"no"', text, 0) is None


def test_speaker_matches_names_aliases_and_surnames() -> None:
    row = {"speaker": "Mohammad Javad Zarif", "speaker_aliases": "Zarif|Javad Zarif|@JZarif",
           "speaker_kind": "person"}
    assert speaker_matches("Mohammad Javad Zarif", row)
    assert speaker_matches("mr zarif".replace("mr ", ""), row)
    assert speaker_matches("@jzarif", row)
    assert not speaker_matches("Rouhani", row)
    organisation = {"speaker": "Save the Children", "speaker_aliases": "the charity",
                    "speaker_kind": "organisation"}
    assert speaker_matches("the Charity", organisation)
    assert not speaker_matches("Children", organisation)
    assert not speaker_matches("Zarif", {"speaker": "", "speaker_aliases": "", "speaker_kind": "unknown"})


def test_fixture_folder_is_next_to_the_tests() -> None:
    assert FIXTURES.parent.parent == Path(__file__).resolve().parent


def test_event_scores_count_pairs_and_name_the_errors() -> None:
    from devset import event_scores

    gold = pd.DataFrame({"event": ["e1", "e1", "e1", "e2", "e2"], "article_id": list("abcde"),
                         "line": [10, 11, 12, 20, 21]})
    perfect = event_scores(gold, {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"})
    assert (perfect["ari"], perfect["precision"], perfect["recall"]) == (1.0, 1.0, 1.0)
    assert perfect["split"] == {} and perfect["merged"] == {}
    # c alone (missing from the prediction), d joined to e1's group
    scores = event_scores(gold, {"a": "x", "b": "x", "d": "x", "e": "y"})
    assert scores["recall"] == 1 / 4  # of (a,b) (a,c) (b,c) (d,e) only (a,b) kept
    assert scores["precision"] == 1 / 3  # of (a,b) (a,d) (b,d) only (a,b) right
    assert scores["split"] == {"e1": [10, 11, 12], "e2": [20, 21]}
    assert scores["merged"] == {"x": [10, 11, 20]}
