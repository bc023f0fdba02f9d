"""The reference day of the date checks (``as_of``): explicit, recorded, reused (issue 14).

Every test fixes the day, either with ``as_of`` or by replacing the clock
(:func:`mediaprov.ingest.dates._today`), always in the past, so none depends on the day it runs.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from mediaprov import provenance, workflow
from mediaprov.cli import main
from mediaprov.ingest import dates
from mediaprov.ingest.pipeline import ingest

AS_OF = date(2020, 6, 1)
"""The reference day of these tests: year Y = 2020."""

_BODY = "<p>" + "The fictional harbour council of Port Almera met on Tuesday to talk. " * 4 + "</p>"
_PAGE = ('<html><head><meta property="article:published_time" content="{meta}"></head><body><article>'
         '<h1>Harbour reopens</h1><p class="byline">By Ana Lind, {byline}</p>' + _BODY
         + "</article></body></html>")


def _clock(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Make ``day`` today for every date check."""
    monkeypatch.setattr(dates, "_today", lambda: day)


def _corpus(folder: Path) -> Path:
    """A feed dated Y+1 (plausible) and Y+2 (not), and a page whose metadata is after ``AS_OF``."""
    folder.mkdir(parents=True)
    rows = [
        {"title": "Next year", "text": "The fictional council of Orlet met about the harbour plan.",
         "date": "2021-03-01"},
        {"title": "Too late", "text": "The fictional port of Almera reopened after the long storm.",
         "date": "2022-01-05"},
    ]
    (folder / "feed.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    (folder / "page.html").write_text(_PAGE.format(meta="2020-09-01", byline="May 30, 2020"),
                                      encoding="utf-8")
    return folder


def _dates(articles: pd.DataFrame) -> dict[str, tuple[object, str, object]]:
    """Title -> (published day, date source, date flag)."""
    return {row.title: (None if pd.isna(row.published) else row.published.date().isoformat(),
                        row.date_source, None if pd.isna(row.date_flag) else row.date_flag)
            for row in articles.itertuples()}


def test_reference_day_is_explicit_then_the_run_then_the_clock(monkeypatch) -> None:
    _clock(monkeypatch, date(2019, 1, 2))
    assert dates.reference_day() == date(2019, 1, 2)
    assert dates.reference_day(AS_OF) == AS_OF
    with dates.judging_as_of(AS_OF) as day:
        assert day == AS_OF and dates.reference_day() == AS_OF and dates.latest_year() == 2021
    assert dates.reference_day() == date(2019, 1, 2)
    with dates.judging_as_of(None) as day:  # no day given: today, fixed for the block
        assert day == date(2019, 1, 2)


def test_structured_date_after_the_year_after_as_of_is_implausible(monkeypatch) -> None:
    _clock(monkeypatch, date(2031, 1, 1))  # a later clock must not matter when as_of is given
    assert dates.parse_structured_date("2021-03-01", as_of=AS_OF)[1] is None
    assert dates.parse_structured_date("2022-01-05", as_of=AS_OF) == (
        None, "implausible year 2022: 2022-01-05")
    _clock(monkeypatch, AS_OF)
    assert dates.parse_structured_date("2022-01-05") == (None, "implausible year 2022: 2022-01-05")


def test_ingest_as_of_gives_the_tables_of_a_run_on_that_day(tmp_path, monkeypatch) -> None:
    source = _corpus(tmp_path / "asof-corpus")
    _clock(monkeypatch, AS_OF)
    on_the_day = ingest(source, out=tmp_path / "on-the-day")
    _clock(monkeypatch, date(2031, 7, 1))  # ten years later, the day given explicitly
    later = ingest(source, out=tmp_path / "later", as_of=AS_OF)
    pd.testing.assert_frame_equal(on_the_day.articles, later.articles)
    pd.testing.assert_frame_equal(on_the_day.log, later.log)
    assert _dates(later.articles) == {
        "Next year": ("2021-03-01", "structured", None),  # Y+1: plausible
        "Too late": (None, "none", "implausible year 2022: 2022-01-05"),  # after as_of: flagged
        # metadata dated after as_of is not taken; the byline's earlier date is
        "Harbour reopens": ("2020-05-30", "html-byline", None),
    }
    for folder in (tmp_path / "on-the-day", tmp_path / "later"):
        assert json.loads((folder / "ingest_manifest.json").read_text())["as_of"] == "2020-06-01"
    # without as_of, ten years later: the page's metadata date is taken, the feed date too
    now = _dates(ingest(source, out=tmp_path / "now").articles)
    assert now["Harbour reopens"] == ("2020-09-01", "html-meta", None)
    assert now["Too late"] == ("2022-01-05", "structured", None)


def test_default_as_of_is_the_run_day_and_recorded(tmp_path, monkeypatch) -> None:
    _clock(monkeypatch, date(2023, 2, 3))
    ingest(_corpus(tmp_path / "asof-corpus"), out=tmp_path / "out")
    assert json.loads((tmp_path / "out" / "ingest_manifest.json").read_text())["as_of"] == "2023-02-03"


@pytest.fixture()
def ingested(tmp_path, monkeypatch) -> tuple[str, Path]:
    """A corpus ingested by the CLI from outside data/raw with ``--as-of 2020-06-01``."""
    monkeypatch.setenv("MEDIAPROV_DATA", str(tmp_path / "data"))
    source = _corpus(tmp_path / "elsewhere" / "asof-corpus")
    _clock(monkeypatch, date(2024, 1, 1))
    assert main(["-q", "ingest", str(source), "--corpus", "asof-corpus", "--no-progress",
                 "--as-of", "2020-06-01"]) == 0
    return "asof-corpus", tmp_path / "data" / "processed" / "asof-corpus"


def test_provenance_records_as_of_and_a_rebuild_reuses_it(ingested, monkeypatch) -> None:
    corpus, folder = ingested
    assert provenance.read_records(folder)["ingest"]["parameters"]["as_of"] == "2020-06-01"
    before = pd.read_parquet(folder / "articles.parquet")
    _clock(monkeypatch, date(2031, 7, 1))  # a rebuild years later...
    assert workflow.stale_stages(corpus)["ingest"] is None  # ...a new day is no reason to rebuild
    workflow.build(corpus, ["articles"], rebuild=True)  # re-ingests the recorded source_path
    assert json.loads((folder / "ingest_manifest.json").read_text())["as_of"] == "2020-06-01"
    assert provenance.read_records(folder)["ingest"]["parameters"]["as_of"] == "2020-06-01"
    pd.testing.assert_frame_equal(pd.read_parquet(folder / "articles.parquet"), before)
    assert workflow.stale_stages(corpus)["ingest"] is None


def test_a_default_as_of_never_makes_ingest_stale(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MEDIAPROV_DATA", str(tmp_path))
    _corpus(tmp_path / "raw" / "asof-raw")
    _clock(monkeypatch, AS_OF)
    folder = workflow.build("asof-raw", ["articles"])
    before = pd.read_parquet(folder / "articles.parquet")
    assert provenance.read_records(folder)["ingest"]["parameters"]["as_of"] == "2020-06-01"
    _clock(monkeypatch, date(2031, 7, 1))
    assert workflow.stale_stages("asof-raw")["ingest"] is None
    workflow.build("asof-raw", ["articles"], rebuild=True)
    pd.testing.assert_frame_equal(pd.read_parquet(folder / "articles.parquet"), before)
    # another day given explicitly is a change of parameters, and is used
    assert workflow.stale_stages("asof-raw", parameters={"ingest": {"as_of": date(2031, 7, 1)}}
                                 )["ingest"] == "parameters changed"
    assert workflow.stale_stages("asof-raw", parameters={"ingest": {"as_of": AS_OF}})["ingest"] is None
    workflow.build("asof-raw", ["articles"], parameters={"ingest": {"as_of": "2031-07-01"}})
    assert json.loads((folder / "ingest_manifest.json").read_text())["as_of"] == "2031-07-01"
    assert "Too late" in set(pd.read_parquet(folder / "articles.parquet").dropna(subset=["published"]).title)


def test_a_changed_raw_input_is_judged_as_of_today(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MEDIAPROV_DATA", str(tmp_path))
    raw = _corpus(tmp_path / "raw" / "asof-raw")
    _clock(monkeypatch, AS_OF)
    folder = workflow.build("asof-raw", ["articles"])
    _clock(monkeypatch, date(2031, 7, 1))
    (raw / "new.txt").write_text("A new headline\n\nA new article about the harbour, filed later.\n",
                                 encoding="utf-8")
    assert workflow.stale_stages("asof-raw")["ingest"] == "input raw changed"
    assert workflow.recorded_as_of(folder, raw) is None and workflow.recorded_as_of(folder) == AS_OF
    workflow.build("asof-raw", ["articles"])
    assert json.loads((folder / "ingest_manifest.json").read_text())["as_of"] == "2031-07-01"


def test_cli_refuses_a_malformed_day(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", "somewhere", "--as-of", "2024-13-01"])
    assert exit_info.value.code == 2
    assert "write YYYY-MM-DD" in capsys.readouterr().err
