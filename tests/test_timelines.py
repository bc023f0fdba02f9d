"""Tests of mediaprov.timelines and its figure builders, on small hand-built fictional tables."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mediaprov import evaluate, paths, plots, timelines
from mediaprov.io import read_table, write_table
from mediaprov.schema import ARTICLES, STORIES


def utc(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), utc=True, format="ISO8601"))


def make_articles(rows: list[tuple[str, str | None, str | None, float | None]]) -> pd.DataFrame:
    """Rows of (article_id, outlet_id, published, date_confidence)."""
    ids, outlets, dates, confidence = zip(*rows, strict=True)
    return pd.DataFrame({"article_id": list(ids), "outlet_id": list(outlets),
                         "published": utc(*dates), "date_confidence": list(confidence)})


@pytest.fixture()
def articles() -> pd.DataFrame:
    return make_articles([
        ("a1", "harbour-times", "2024-03-04 09:00", 0.9),   # Monday, week 1
        ("a2", "harbour-times", "2024-03-06 18:00", 0.9),   # week 1
        ("a3", "harbour-times", "2024-03-20 10:00", 0.9),   # week 3
        ("a4", "harbour-times", None, None),                 # missing date
        ("b1", "vna", "2024-03-05 12:00", 0.9),              # week 1
        ("b2", "vna", "2024-03-12 12:00", 0.2),              # low confidence
        ("b3", "vna", "2024-03-13 12:00", 0.8),              # week 2
        ("c1", "puv-news", "2024-03-11 08:00", 1.0),         # week 2
        ("d1", None, "2024-03-11 08:00", 1.0),               # unknown outlet
    ])


@pytest.fixture()
def registry() -> pd.DataFrame:
    return pd.DataFrame({"outlet_id": ["harbour-times", "vna", "puv-news"],
                         "camp": ["international", "government-aligned", pd.NA]})


def test_period_start_day_week_month() -> None:
    stamps = utc("2024-03-10 23:30", "2024-03-11 00:10")  # Sunday night, Monday morning
    assert timelines.period_start(stamps, freq="day").dt.day.tolist() == [10, 11]
    assert timelines.period_start(stamps, freq="week").dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-04", "2024-03-11"]
    assert timelines.period_start(stamps, freq="month").dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-01", "2024-03-01"]
    with pytest.raises(ValueError, match="freq"):
        timelines.period_start(stamps, freq="fortnight")


def test_volumes_by_outlet_counts_filled_weeks(articles: pd.DataFrame) -> None:
    table = timelines.volumes(articles, freq="week")
    harbour = table.loc[table.group == "harbour-times"]
    assert harbour.period.dt.strftime("%m-%d").tolist() == ["03-04", "03-11", "03-18"]
    assert harbour.articles.tolist() == [2, 0, 1]
    vna = table.loc[table.group == "vna"]
    assert vna.articles.tolist() == [1, 1, 0]  # the low-confidence b2 is not counted
    assert table.articles.sum() == 7  # 9 articles, 2 untrusted dates; unknown outlet kept
    assert "(unknown outlet)" in set(table.group)


def test_attention_shares_sum_to_one_per_outlet(articles: pd.DataFrame) -> None:
    for freq in ("day", "week", "month"):
        table = timelines.volumes(articles, freq=freq)
        sums = table.groupby("group")["share"].sum()
        assert np.allclose(sums.to_numpy(), 1.0), freq
    week = timelines.volumes(articles, freq="week")
    first = week.loc[(week.group == "harbour-times")].share.tolist()
    assert first == pytest.approx([2 / 3, 0.0, 1 / 3])


def test_volumes_by_camp_and_all(articles: pd.DataFrame, registry: pd.DataFrame) -> None:
    camps = timelines.volumes(articles, freq="month", by="camp", outlets=registry)
    counts = dict(zip(camps.group, camps.articles, strict=True))
    assert counts == {"international": 3, "government-aligned": 2, "(no camp)": 2}
    everything = timelines.volumes(articles, freq="month", by="all")
    assert everything.articles.tolist() == [7]


def test_undated_counted_apart_never_imputed(articles: pd.DataFrame) -> None:
    table = timelines.undated_articles(articles).set_index("group")
    assert table.loc["harbour-times", ["total", "dated", "missing_date", "low_confidence"]
                     ].tolist() == [4, 3, 1, 0]
    assert table.loc["vna", ["missing_date", "low_confidence", "undated"]].tolist() == [0, 1, 1]
    assert table["dated"].sum() == timelines.volumes(articles).articles.sum()
    assert (table["total"] == table["dated"] + table["undated"]).all()
    stricter = timelines.undated_articles(articles, min_confidence=0.85).set_index("group")
    assert stricter.loc["vna", "low_confidence"] == 2


def test_mention_timeline_attention(articles: pd.DataFrame) -> None:
    mentions = pd.DataFrame({
        "article_id": ["a1", "a1", "a2", "b1", "b2", "a3"],
        "entity_id": ["mayor-olsen", "mayor-olsen", "port-authority", "mayor-olsen",
                      "mayor-olsen", "mayor-olsen"],
    })
    table = timelines.mention_timeline(articles, mentions, freq="week")
    row = table.loc[(table.group == "harbour-times") & (table.entity_id == "mayor-olsen")
                    & (table.period == pd.Timestamp("2024-03-04", tz="UTC"))].iloc[0]
    assert (row.mentions, row.articles_mentioning, row.articles) == (2, 1, 2)
    assert row.attention == pytest.approx(0.5)
    vna = table.loc[(table.group == "vna") & (table.entity_id == "mayor-olsen")]
    assert vna.mentions.sum() == 1  # b2's mention has an untrusted date and is left out
    only = timelines.mention_timeline(articles, mentions, terms=["port-authority"])
    assert set(only.entity_id) == {"port-authority"}
    filled = timelines.mention_timeline(articles, mentions, terms=["mayor-olsen"], fill=True)
    harbour = filled.loc[filled.group == "harbour-times"]
    assert harbour.articles.tolist() == [2, 0, 1]
    assert harbour.mentions.tolist() == [2, 0, 1]
    assert harbour.attention.isna().tolist() == [False, True, False]


def test_mention_timeline_refuses_a_table_larger_than_max_rows(articles: pd.DataFrame) -> None:
    mentions = pd.DataFrame({"article_id": ["a1", "a2", "b1"],
                             "entity_id": ["mayor-olsen", "port-authority", "dock-union"]})
    full = timelines.mention_timeline(articles, mentions, fill=True)
    assert len(full) == len(timelines.mention_timeline(articles, mentions, fill=True, max_rows=len(full)))
    with pytest.raises(ValueError, match=rf"= {len(full)} rows .*pass terms="):
        timelines.mention_timeline(articles, mentions, fill=True, max_rows=len(full) - 1)
    one = timelines.mention_timeline(articles, mentions, fill=True, terms=["dock-union"],
                                     max_rows=len(full) - 1)  # what the message advises
    assert len(one) == len(full) // 3


def test_mention_timeline_ignores_unknown_articles_and_missing_values(articles: pd.DataFrame) -> None:
    mentions = pd.DataFrame({
        "article_id": ["a1", "a1", "ghost", None, "b2", "a1"],
        "entity_id": ["mayor-olsen", "mayor-olsen", "dock-union", "port-authority",
                      "harbour-guild", None],
    }).astype("string")
    table = timelines.mention_timeline(articles, mentions, freq="week")
    # every value named once in an article is listed, sorted, even with no dated mention
    assert sorted(set(table.entity_id)) == ["dock-union", "harbour-guild", "mayor-olsen"]
    counted = table.loc[table.mentions > 0]
    assert counted[["group", "entity_id", "mentions", "articles_mentioning"]].values.tolist() == [
        ["harbour-times", "mayor-olsen", 2, 1]]
    assert table.groupby("entity_id").articles.sum().nunique() == 1  # same grid for each value


def test_load_events_sorted_and_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("date,label,citation,event_id\n2024-05-02,Harbour strike,fictional,e2\n"
                    "2024-01-10,Port council vote,fictional,e1\n", encoding="utf-8")
    events = timelines.load_events(path)
    assert events.event_id.tolist() == ["e1", "e2"]
    assert str(events.date.dt.tz) == "UTC"
    path.write_text("date,label\n2024-01-10,ok\nsoon,bad\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3"):
        timelines.load_events(path)
    assert timelines.load_events(tmp_path / "absent.csv").empty


def planted_series(seed: int, *, spikes: dict[int, int], weeks: int = 80,
                   level: float = 6.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    counts = rng.poisson(level, size=weeks)
    for week, extra in spikes.items():
        counts[week] += extra
    return pd.DataFrame({"group": "harbour-times", "articles": counts,
                         "period": pd.date_range("2023-01-02", periods=weeks, freq="W-MON",
                                                 tz="UTC")})


def test_bursts_recover_planted_spikes() -> None:
    series = planted_series(7, spikes={20: 30, 21: 18, 55: 25})
    bursts = timelines.detect_bursts(series, freq="week")
    periods = series.period
    covered = [any((b.start <= periods[w]) & (periods[w] < b.end) for b in bursts.itertuples())
               for w in (20, 55)]
    assert covered == [True, True]
    assert len(bursts) == 2
    assert set(bursts.peak) == {periods[20], periods[55]}
    params = json.loads(bursts.parameters.iloc[0])
    assert params["model"] == "l2" and params["penalty"] == 1.5
    assert bursts.method.iloc[0].startswith("ruptures.KernelCPD(kernel='linear'")
    assert bursts.library.iloc[0].startswith("ruptures ")


def test_no_bursts_in_flat_noise() -> None:
    for seed in range(5):
        assert timelines.detect_bursts(planted_series(seed, spikes={})).empty, seed


def test_match_events_recall_within_a_week() -> None:
    series = planted_series(11, spikes={30: 28})
    bursts = timelines.detect_bursts(series)
    events = pd.DataFrame({
        "date": pd.to_datetime(["2023-07-29", "2024-03-01"], utc=True),  # week 30 / quiet
        "label": ["Harbour strike", "Nothing happened"], "event_id": ["e1", "e2"]})
    matches = timelines.match_events(bursts, events)
    assert matches.matched.tolist() == [True, False]
    assert matches.offset_days.iloc[0] == pytest.approx(2.0)  # burst week starts Mon 31 July


def story_articles() -> tuple[pd.DataFrame, pd.DataFrame]:
    articles = make_articles([
        ("s1-a", "nafv-press", "2024-02-01 08:00", 1.0),
        ("s1-b", "freedom-herald", "2024-02-02 20:00", 1.0),
        ("s1-c", "exile-voice", "2024-02-04 08:00", 1.0),
        ("s1-d", "freedom-herald", "2024-02-05 08:00", 1.0),
        ("s2-a", "vna", "2024-02-10 08:00", 1.0),
        ("s2-b", "orlet-tribune", None, None),               # undated: order uncertain
        ("s2-c", "pathfinder-digest", "2024-02-11 08:00", 1.0),
        ("s3-a", "global-wire", "2024-02-20 08:00", 1.0),
        ("s3-b", "harbour-times", "2024-02-20 08:00", 1.0),  # exact tie
        ("s3-c", "daily-meridian", "2024-02-22 08:00", 1.0),
        ("s4-a", "northsea-post", "2024-02-25 08:00", 0.1),  # low confidence, alone
    ])
    stories = pd.DataFrame({"article_id": articles.article_id,
                            "story_id": articles.article_id.str[:2]})
    extra = pd.DataFrame({"article_id": ["merged-dup"], "story_id": ["s1"]})
    stories = pd.concat([stories, extra], ignore_index=True)
    return articles, stories.assign(joined_by="reuse")


def test_first_mover_and_lags() -> None:
    articles, stories = story_articles()
    timing = timelines.story_timing(articles, stories)
    s1 = timing.loc[timing.story_id == "s1"].set_index("outlet_id")
    assert s1.lag_days.to_dict() == {"nafv-press": 0.0, "freedom-herald": 1.0,
                                     "exile-voice": 3.0}  # calendar days by default
    exact = timelines.story_timing(articles, stories, resolution=None)
    assert exact.loc[exact.outlet_id == "freedom-herald", "lag_days"].tolist() == [1.5]
    assert s1.loc["freedom-herald", "articles"] == 2
    assert s1.is_first.tolist() == [True, False, False]
    assert (s1.not_in_articles == 1).all()
    movers = timelines.first_movers(timing).set_index("story_id")
    assert movers.loc["s1", "first_outlet"] == "nafv-press"
    assert movers.loc["s1", "order"] == "decided"
    assert movers.loc["s1", ["outlets", "articles"]].tolist() == [3, 4]


def test_missing_dates_and_ties_make_order_uncertain() -> None:
    articles, stories = story_articles()
    timing = timelines.story_timing(articles, stories)
    movers = timelines.first_movers(timing).set_index("story_id")
    s2 = movers.loc["s2"]
    assert s2.order == "uncertain" and pd.isna(s2.first_outlet)
    assert "orlet-tribune" in s2.reason
    assert s2.candidates == "orlet-tribune|vna"  # pathfinder is certainly later than vna
    assert timing.loc[timing.story_id == "s2", "lag_days"].isna().all()
    s3 = movers.loc["s3"]
    assert s3.order == "uncertain" and "tie between global-wire, harbour-times" in s3.reason
    assert s3.candidates == "global-wire|harbour-times"
    assert movers.loc["s4", "order"] == "undated"
    # A one-minute gap is a tie when the tie window is an hour.
    shifted = articles.copy()
    shifted.loc[shifted.article_id == "s1-b", "published"] = pd.Timestamp(
        "2024-02-01 08:01", tz="UTC")
    exact = timelines.first_movers(timelines.story_timing(
        shifted, stories, resolution=None)).set_index("story_id")
    assert exact.loc["s1", "order"] == "decided"
    windowed = timelines.first_movers(timelines.story_timing(
        shifted, stories, tie_window=pd.Timedelta(hours=1), resolution=None)).set_index("story_id")
    assert windowed.loc["s1", "order"] == "uncertain"


def test_a_bare_date_does_not_beat_a_time_the_same_day() -> None:
    articles = make_articles([("v1", "vna", "2024-04-02 16:30", 0.9),
                              ("v2", "orlet-tribune", "2024-04-02 00:00", 0.95),  # a bare date
                              ("v3", "family-watch", "2024-04-09", 0.95)])
    stories = pd.DataFrame({"article_id": ["v1", "v2", "v3"], "story_id": ["s"] * 3})
    movers = timelines.first_movers(timelines.story_timing(articles, stories))
    assert movers.loc[0, "order"] == "uncertain"
    assert movers.loc[0, "candidates"] == "orlet-tribune|vna"
    naive = timelines.first_movers(timelines.story_timing(articles, stories, resolution=None))
    assert naive.loc[0, "first_outlet"] == "orlet-tribune"  # what comparing times would claim


def test_follow_pairs_both_directions() -> None:
    articles, stories = story_articles()
    pairs = timelines.follow_pairs(timelines.story_timing(articles, stories))
    indexed = pairs.set_index(["leader", "follower"])
    forward = indexed.loc[("nafv-press", "exile-voice")]
    assert (forward.stories, forward.follows, forward.median_lag_days) == (1, 1, 3.0)
    backward = indexed.loc[("exile-voice", "nafv-press")]
    assert (backward.stories, backward.follows) == (1, 0)
    tie = indexed.loc[("global-wire", "harbour-times")]
    assert (tie.ties, tie.follows) == (1, 0)
    unknown = indexed.loc[("vna", "orlet-tribune")]
    assert (unknown.uncertain, unknown.follows) == (1, 0)
    known = indexed.loc[("vna", "pathfinder-digest")]  # both dated: their order is known
    assert (known.follows, known.median_lag_days) == (1, 1.0)
    assert len(pairs) == 2 * 3 + 2 * 3 + 2 * 3  # three outlets per multi-outlet story


def full_articles(rows: pd.DataFrame) -> pd.DataFrame:
    """Fill the ARTICLES columns a test does not care about."""
    table = ARTICLES.empty().reindex(range(len(rows)))
    for column in rows.columns:
        table[column] = rows[column].to_numpy()
    table["text"] = "Fictional body."
    table["raw_path"] = "fictional/" + table["article_id"].astype(str) + ".txt"
    table["raw_sha256"] = "0" * 64
    return table


def test_run_timelines_writes_tables(tmp_path: Path, registry: pd.DataFrame) -> None:
    articles, stories = story_articles()
    write_table(full_articles(articles), tmp_path / "articles.parquet", ARTICLES)
    write_table(stories, tmp_path / "stories.parquet", STORIES)
    outlets_path = tmp_path / "outlets.csv"
    registry.to_csv(outlets_path, index=False)
    events_path = tmp_path / "events.csv"
    events_path.write_text("date,label,citation,event_id\n2024-02-01,Press release,fictional,e1\n",
                           encoding="utf-8")
    written = timelines.run_timelines(tmp_path, outlets_path=outlets_path,
                                      events_path=events_path)
    assert {"volumes_outlet", "undated_outlet", "bursts", "first_movers",
            "follow_pairs"} <= set(written)
    undated = read_table(written["undated_outlet"])
    assert undated.undated.sum() == 2
    movers = read_table(written["first_movers"]).set_index("story_id")
    assert movers.loc["s1", "first_outlet"] == "nafv-press"
    before = {name: path.read_bytes() for name, path in written.items()}
    again = timelines.run_timelines(tmp_path, outlets_path=outlets_path, events_path=events_path)
    assert again == written
    assert {name: path.read_bytes() for name, path in again.items()} == before  # byte-identical
    with pytest.raises(FileNotFoundError, match="mediaprov ingest"):
        timelines.run_timelines(tmp_path / "empty")


def png_bytes(figure: object) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})  # type: ignore[attr-defined]
    return buffer.getvalue()


def test_timeline_figures_are_deterministic(articles: pd.DataFrame) -> None:
    table = timelines.volumes(articles, freq="day")
    events = pd.DataFrame({"date": utc("2024-03-11"), "label": ["Port council vote"]})
    undated = timelines.undated_articles(articles)
    bursts = pd.DataFrame({"start": utc("2024-03-04"), "end": utc("2024-03-06")})
    build = lambda: plots.timeline_figure(table, events=events, undated=undated,  # noqa: E731
                                          bursts=bursts, title="Volume", max_groups=2)
    figure = build()
    assert png_bytes(figure) == png_bytes(build())
    assert tuple(figure.get_size_inches()) == plots.STATIC_SIZE
    texts = " ".join(t.get_text() for t in figure.texts)
    assert "2 of 9 articles without a trusted date" in texts
    assert "Showing the 2 largest of 4 groups" in texts
    shares = plots.timeline_figure(table, value="share", max_groups=2)
    legend = [t.get_text() for t in shares.axes[0].get_legend().get_texts()]
    assert legend == ["harbour-times", "vna"]  # ranked by articles: shares all sum to 1
    interactive = plots.timeline_figure_plotly(table, events=events, undated=undated)
    assert len(interactive.data) == 8  # four lines, each with its interval band
    assert sum(t.fill == "toself" for t in interactive.data) == 4
    assert any("Port council vote" == a.text for a in interactive.layout.annotations)


def test_lag_figures() -> None:
    articles, stories = story_articles()
    timing = timelines.story_timing(articles, stories)
    figure = plots.lag_figure(timing, title="Who leads")
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "nafv-press" in labels and "orlet-tribune" not in labels  # s2 has no known lags
    assert "northsea-post" not in labels  # alone in its story: it cannot lead or follow
    note = " ".join(t.get_text() for t in figure.texts)
    assert "Left out: 3 outlet-story rows" in note  # the three outlets of s2
    assert png_bytes(figure) == png_bytes(plots.lag_figure(timing, title="Who leads"))
    assert len(plots.lag_figure_plotly(timing).data) == 1


def test_unknown_outlet_first_is_not_named() -> None:
    articles = make_articles([("u1", None, "2024-04-01", 1.0), ("u2", "vna", "2024-04-03", 1.0)])
    stories = pd.DataFrame({"article_id": ["u1", "u2"], "story_id": ["s", "s"]})
    movers = timelines.first_movers(timelines.story_timing(articles, stories))
    assert movers.loc[0, "order"] == "unknown-outlet"
    assert pd.isna(movers.loc[0, "first_outlet"])


DEMO_TRUTH = Path(__file__).resolve().parents[1] / "data" / "raw" / "demo" / "truth"


@pytest.fixture(scope="module")
def demo_truth() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The demo corpus' truth: ingested documents (observed dates), events, reuse pairs."""
    if not (DEMO_TRUTH / "documents.jsonl").exists():
        pytest.skip("the demo corpus is absent: run `mediaprov demo` to write data/raw/demo")
    documents = pd.read_json(DEMO_TRUTH / "documents.jsonl", lines=True, dtype=False)
    ingested = documents.loc[documents.expected_status == "ingested"]
    articles = pd.DataFrame({"article_id": ingested.article_key.astype(str),
                             "outlet_id": ingested.outlet,
                             "published": pd.to_datetime(ingested.published, utc=True)})
    events = pd.read_csv(DEMO_TRUTH / "events.csv", dtype=str)
    events["date"] = pd.to_datetime(events["date"], utc=True)
    reuse = pd.read_csv(DEMO_TRUTH / "reuse.csv", dtype={"source_key": str, "copy_key": str})
    return articles.reset_index(drop=True), events, reuse


def test_reference_events_match_demo_truth(demo_truth: tuple) -> None:
    _, truth_events, _ = demo_truth
    reference = timelines.load_events()
    assert sorted(reference.event_id) == sorted(truth_events.event_id)
    merged = reference.merge(truth_events, on="event_id", suffixes=("", "_truth"))
    assert (merged.date == merged.date_truth).all() and (merged.label == merged.label_truth).all()


@pytest.mark.parametrize("freq", ["day", "week"])
def test_bursts_recover_planted_demo_events(demo_truth: tuple, freq: str) -> None:
    articles, events, _ = demo_truth  # dates as the inputs state them: a third are missing
    bursts = timelines.detect_bursts(timelines.volumes(articles, freq=freq, by="all"), freq=freq)
    matches = timelines.match_events(bursts, events, tolerance=pd.Timedelta(days=7))
    assert matches.matched.mean() >= 0.9
    spurious = [b for b in bursts.itertuples() if not (
        (events.date >= b.start - pd.Timedelta(days=7)) & (events.date < b.end)).any()]
    assert len(spurious) <= 0.1 * len(bursts)


def test_first_mover_of_planted_republication_chains(demo_truth: tuple) -> None:
    from mediaprov.stories import build_stories

    articles, _, reuse = demo_truth
    pairs = reuse.rename(columns={"source_key": "article_a", "copy_key": "article_b"})
    stories = build_stories(articles, reuse=pairs[["article_a", "article_b"]])
    movers = timelines.first_movers(timelines.story_timing(articles, stories))
    story_of = dict(zip(stories.article_id, stories.story_id, strict=True))
    truth = pd.DataFrame({"story_id": reuse.source_key.map(story_of),
                          "source_outlet": reuse.source_outlet}).drop_duplicates()
    assert truth.story_id.is_unique  # one planted source per chain
    judged = movers.merge(truth, on="story_id")
    assert len(judged) == reuse.source_key.nunique()
    certain = judged.loc[judged.order_evidence == "date"]
    assert len(certain) >= 20
    assert (certain.first_outlet == certain.source_outlet).mean() >= 0.95


# --- first movers from provenance evidence ---------------------------------------------------

def evidence_story() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Story r1: an undated press release, a dated crediting copy, an undated uncredited copy."""
    articles = make_articles([
        ("r1-p", "nafv-press", None, None),
        ("r1-f", "freedom-herald", "2024-05-02", 0.9),
        ("r1-e", "exile-voice", None, None),
        ("r2-a", "harbour-times", None, None),       # two news sites, one undated, no credit
        ("r2-b", "daily-meridian", "2024-05-03", 0.9),
    ])
    articles["credited_source"] = [None, "nafv-press", None, None, None]
    stories = pd.DataFrame({"article_id": articles.article_id,
                            "story_id": articles.article_id.str[:2]})
    return articles, stories


def precedence_table(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """Rows of (story_id, before, after, evidence)."""
    return pd.DataFrame(rows, columns=["story_id", "before", "after", "evidence"])


def test_first_mover_named_by_the_weakest_evidence_it_needs() -> None:
    from mediaprov.stories import precedence

    articles, stories = evidence_story()
    reuse = pd.DataFrame({"article_a": ["r1-p", "r1-p", "r2-a"],
                          "article_b": ["r1-f", "r1-e", "r2-b"]})
    registry = pd.DataFrame({"outlet_id": ["nafv-press", "freedom-herald", "exile-voice",
                                           "harbour-times", "daily-meridian"],
                             "kind": ["press-office", "news", "news", "news", "news"]})
    timing = timelines.story_timing(articles, stories)
    by_dates = timelines.first_movers(timing).set_index("story_id")
    assert by_dates.loc["r1", "order_evidence"] == "uncertain"  # dates alone cannot tell
    order = precedence(articles, stories, reuse=reuse, outlets=registry)
    movers = timelines.first_movers(timing, precedence=order).set_index("story_id")
    r1 = movers.loc["r1"]
    assert (r1.first_outlet, r1.order, r1.order_evidence) == ("nafv-press", "decided",
                                                              "source-kind")
    assert r1.candidates == "nafv-press"
    # without the uncredited copy, the credit alone decides
    fewer = stories.loc[stories.article_id != "r1-e"]
    credit_only = timelines.first_movers(
        timelines.story_timing(articles, fewer),
        precedence=precedence(articles, fewer, reuse=reuse, outlets=registry))
    assert credit_only.set_index("story_id").loc["r1", "order_evidence"] == "credit"
    r2 = movers.loc["r2"]  # same kind, no credit, one date missing: say so, do not guess
    assert (r2.order, r2.order_evidence) == ("uncertain", "uncertain") and pd.isna(r2.first_outlet)
    assert r2.candidates == "daily-meridian|harbour-times"
    assert "missing or low-confidence date from harbour-times" in r2.reason


@pytest.mark.parametrize("dtype", ["object", "string", "category"])
def test_a_pair_without_evidence_counts_as_no_evidence(dtype: str) -> None:
    """A precedence row whose evidence is missing (NA, as a ``string`` column reads it) is skipped."""
    day = pd.Timestamp("2024-03-01", tz="UTC")
    timing = pd.DataFrame({
        "story_id": ["s", "s"], "outlet_id": ["x", "y"], "articles": [1, 1], "undated": [0, 1],
        "known": [True, False], "first_published": [day, pd.NaT],
        "is_first": pd.array([pd.NA, pd.NA], dtype="boolean"), "article_ids": ["a", "b"]})
    credit = pd.DataFrame({"story_id": ["s"], "before": ["a"], "after": ["b"], "evidence": ["credit"]})
    missing = pd.DataFrame({"story_id": ["s"], "before": ["b"], "after": ["a"], "evidence": [None]})
    both = pd.concat([credit, missing], ignore_index=True).astype({"evidence": dtype})
    assert both["evidence"].isna().sum() == 1
    movers = timelines.first_movers(timing, precedence=both)
    pd.testing.assert_frame_equal(movers, timelines.first_movers(timing, precedence=credit))
    assert movers.loc[0, ["first_outlet", "order_evidence"]].tolist() == ["x", "credit"]


def test_dated_stories_agree_with_and_without_evidence() -> None:
    from mediaprov.stories import precedence

    articles, stories = story_articles()
    timing = timelines.story_timing(articles, stories)
    plain = timelines.first_movers(timing).set_index("story_id")
    ordered = timelines.first_movers(timing, precedence=precedence(articles, stories))
    ordered = ordered.set_index("story_id")
    assert plain.loc["s1", ["first_outlet", "order_evidence"]].tolist() == ["nafv-press", "date"]
    assert ordered.loc["s1", ["first_outlet", "order_evidence"]].tolist() == ["nafv-press", "date"]
    for story in ("s2", "s3"):  # an undated article; a tie: no other evidence here
        assert ordered.loc[story, "order_evidence"] == "uncertain"
        assert ordered.loc[story, "candidates"] == plain.loc[story, "candidates"]
    assert ordered.loc["s4", "order"] == "undated"
    with pytest.raises(ValueError, match="article_ids"):
        timelines.first_movers(timing.drop(columns="article_ids"),
                               precedence=precedence(articles, stories))


def test_conflicting_evidence_keeps_the_order_uncertain() -> None:
    articles = make_articles([("a", "vna", None, None), ("b", "orlet-tribune", "2024-06-01", 1.0),
                              ("c", "pathfinder-digest", "2024-06-02", 1.0)])
    stories = pd.DataFrame({"article_id": ["a", "b", "c"], "story_id": "s"})
    timing = timelines.story_timing(articles, stories)
    circle = precedence_table([("s", "b", "c", "date"), ("s", "a", "b", "credit"),
                               ("s", "c", "a", "credit")])
    movers = timelines.first_movers(timing, precedence=circle)
    assert movers.loc[0, "order_evidence"] == "uncertain"
    assert "conflicting evidence once credit is used" in movers.loc[0, "reason"]
    consistent = timelines.first_movers(timing, precedence=circle.iloc[:2])
    assert consistent.loc[0, ["first_outlet", "order_evidence"]].tolist() == ["vna", "credit"]
    unknown = articles.assign(outlet_id=[None, "orlet-tribune", "pathfinder-digest"])
    movers = timelines.first_movers(timelines.story_timing(unknown, stories),
                                    precedence=circle.iloc[:2])
    assert movers.loc[0, ["order", "order_evidence"]].tolist() == ["unknown-outlet",
                                                                   "uncertain"]


def test_chain_scores_count_named_and_correct() -> None:
    movers = pd.DataFrame({"story_id": ["s1", "s2", "s3"],
                           "first_outlet": ["vna", "orlet-tribune", None],
                           "order": ["decided", "decided", "uncertain"],
                           "order_evidence": ["credit", "date", "uncertain"]})
    stories = pd.DataFrame({"article_id": ["i1", "i2", "i3", "i4"],
                            "story_id": ["s1", "s2", "s3", "s3"]})
    articles = pd.DataFrame({"article_id": ["i1", "i2", "i3", "i4"], "raw_path": list("wxyz"),
                             "record": [0, 0, 0, 0]})
    documents = pd.DataFrame({"raw_path": list("wxyz") + ["lost"], "record": [0] * 5,
                              "article_key": ["k1", "k2", "k3", "k4", "k5"]})
    truth = pd.DataFrame({"source_key": ["k1", "k2", "k3", "k5"],
                          "copy_key": ["kc1", "kc2", "k4", "kc5"],
                          "source_outlet": ["vna", "vna", "nafv-press", "vna"]})
    chains = evaluate.chain_first_movers(movers, stories, articles, documents, truth)
    judged = chains.correct.astype(object).where(chains.correct.notna(), None).tolist()
    assert judged == [True, False, None, None]  # k3's story is undecided; k5 was never ingested
    assert pd.isna(chains.story_id.iloc[3]) and chains.order_evidence.iloc[3] == "uncertain"
    scores = evaluate.first_mover_scores(chains).set_index("measure")
    assert scores.loc["chains with a named first mover", ["hits", "n"]].tolist() == [2, 4]
    assert scores.loc["first mover correct, among named", "value"] == pytest.approx(0.5)
    assert scores.loc["correct when named by credit", "value"] == 1.0
    assert scores.loc["named by date", "hits"] == 1
    assert pd.isna(scores.loc["correct when named by containment", "value"])


def demo_documents() -> pd.DataFrame:
    if not (DEMO_TRUTH / "documents.jsonl").exists():
        pytest.skip("the demo corpus is absent: run `mediaprov demo` to write data/raw/demo")
    return pd.read_json(DEMO_TRUTH / "documents.jsonl", lines=True, dtype=False)


def test_evidence_names_first_movers_of_planted_chains_from_truth_inputs() -> None:
    """The method on the demo inputs as a reader sees them (observed dates, outlets, credits)."""
    from mediaprov.stories import build_stories, precedence

    documents = demo_documents()
    ingested = documents.loc[documents.expected_status == "ingested"].reset_index(drop=True)
    articles = pd.DataFrame({"article_id": ingested.article_key.astype(str),
                             "outlet_id": ingested.outlet,
                             "published": pd.to_datetime(ingested.published, utc=True),
                             "credited_source": ingested.credited_source,
                             "raw_path": ingested.raw_path, "record": ingested.record})
    truth = pd.read_csv(DEMO_TRUTH / "reuse.csv", dtype={"source_key": str, "copy_key": str})
    pairs = truth.rename(columns={"source_key": "article_a", "copy_key": "article_b"})
    stories = build_stories(articles, reuse=pairs[["article_a", "article_b"]])
    timing = timelines.story_timing(articles, stories)
    by_dates = evaluate.chain_first_movers(timelines.first_movers(timing), stories, articles,
                                            documents, truth)
    order = precedence(articles, stories, reuse=pairs[["article_a", "article_b"]])
    chains = evaluate.chain_first_movers(timelines.first_movers(timing, precedence=order),
                                          stories, articles, documents, truth)
    scores = evaluate.first_mover_scores(chains).set_index("measure")
    assert scores.loc["first mover correct, among named", "value"] >= 0.95
    coverage = scores.loc["chains with a named first mover", "value"]
    assert coverage >= 0.9  # 0.21 from dates alone
    assert coverage > 2 * by_dates.correct.notna().mean()
    # where dates decide, the evidence path names the same first movers
    dated = by_dates.loc[by_dates.order_evidence == "date", "source_key"]
    again = chains.set_index("source_key").loc[dated]
    assert (again.order_evidence == "date").all() and again.correct.all()


PROCESSED = paths.processed_dir("demo")  # the session's MEDIAPROV_DATA (see conftest.py)


def test_first_movers_of_planted_chains_on_the_processed_demo() -> None:
    """The whole pipeline (ingest, features, reuse, stories) against the truth."""
    from mediaprov import workflow
    from mediaprov.reuse.sources import COMMON_SOURCES
    from mediaprov.schema import REUSE
    from mediaprov.stories import precedence

    documents = demo_documents()
    assert workflow.build("demo", ["stories"]) == PROCESSED  # builds what is missing or outdated
    articles = read_table(PROCESSED / "articles.parquet", ARTICLES)
    stories = read_table(PROCESSED / "stories.parquet", STORIES)
    reuse = read_table(PROCESSED / "reuse.parquet", REUSE)
    common = read_table(PROCESSED / "reuse_common_sources.parquet", COMMON_SOURCES)
    truth = pd.read_csv(DEMO_TRUTH / "reuse.csv", dtype={"source_key": str, "copy_key": str})
    order = precedence(articles, stories, reuse=reuse, common=common)
    movers = timelines.first_movers(timelines.story_timing(articles, stories), precedence=order)
    chains = evaluate.chain_first_movers(movers, stories, articles, documents, truth)
    scores = evaluate.first_mover_scores(chains).set_index("measure")
    assert scores.loc["first mover correct, among named", "value"] >= 0.95
    assert scores.loc["chains with a named first mover", "value"] >= 0.9
    assert set(chains.order_evidence) <= {"date", "credit", "source-kind", "containment",
                                          "uncertain"}


def test_run_timelines_uses_reuse_evidence_when_present(tmp_path: Path) -> None:
    from mediaprov.schema import REUSE

    articles, stories = evidence_story()
    write_table(full_articles(articles), tmp_path / "articles.parquet", ARTICLES)
    write_table(stories.assign(joined_by="reuse"), tmp_path / "stories.parquet", STORIES)
    outlets_path = tmp_path / "outlets.csv"
    pd.DataFrame({"outlet_id": ["nafv-press", "freedom-herald", "exile-voice"],
                  "kind": ["press-office", "news", "news"],
                  "camp": ["opposition-aligned"] * 3}).to_csv(outlets_path, index=False)
    events_path = tmp_path / "absent-events.csv"
    without = timelines.run_timelines(tmp_path, outlets_path=outlets_path,
                                      events_path=events_path)
    assert "precedence" not in without
    movers = read_table(without["first_movers"]).set_index("story_id")
    assert movers.loc["r1", "order_evidence"] == "uncertain"
    reuse = REUSE.empty().reindex(range(2))
    reuse["article_a"], reuse["article_b"] = ["r1-p", "r1-p"], ["r1-f", "r1-e"]
    reuse["passages"] = [[], []]
    reuse["directed"] = False
    write_table(reuse, tmp_path / "reuse.parquet", REUSE)
    written = timelines.run_timelines(tmp_path, outlets_path=outlets_path,
                                      events_path=events_path)
    order = read_table(written["precedence"])
    assert set(order.evidence) == {"credit", "source-kind"}
    movers = read_table(written["first_movers"]).set_index("story_id")
    assert movers.loc["r1", ["first_outlet", "order_evidence"]].tolist() == ["nafv-press",
                                                                            "source-kind"]


def test_first_mover_figure_counts_evidence_and_the_unnamed() -> None:
    movers = pd.DataFrame({
        "outlets": [2, 2, 3, 2, 1],
        "first_outlet": ["vna", "vna", "nafv-press", None, "harbour-times"],
        "order_evidence": ["date", "source-kind", "credit", "uncertain", "date"],
    })
    figure = plots.first_mover_figure(movers, title="First movers")
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["nafv-press", "vna"]
    widths = sorted(p.get_width() for p in axes.patches if p.get_width() > 0)
    assert widths == [1, 1, 1]  # one story each: vna by date and by kind, nafv-press by credit
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend == ["date", "credit", "source-kind (assumption)"]
    note = " ".join(t.get_text() for t in figure.texts)
    assert "Stories carried by two outlets or more: 4" in note  # the one-outlet story is out
    assert "not named in 1 (25%" in note
    assert png_bytes(figure) == png_bytes(plots.first_mover_figure(movers, title="First movers"))
    twin = plots.first_mover_figure_plotly(movers)
    assert [t.name for t in twin.data] == ["date", "credit", "source-kind (assumption)"]


def test_one_outlet_stories_answered_at_once_as_story_by_story() -> None:
    """``first_movers`` answers one-outlet stories in one pass: the same rows as its per-story rule."""
    from mediaprov.timelines.first_movers import _NO_EDGES, _single_outlet_rows, _story_row

    day = pd.Timestamp("2024-03-01", tz="UTC")
    timing = pd.DataFrame({
        "story_id": ["s-decided", "s-unknown", "s-undated", "s-untrusted", "s-tie"],
        "outlet_id": ["o1", timelines.UNKNOWN_OUTLET, "o2", "o3", "o4"],
        "articles": [1, 2, 1, 3, 2], "undated": [0, 0, 1, 1, 0],
        "known": [True, True, False, False, True],
        "first_published": [day, day, pd.NaT, day, day],
        "is_first": pd.array([True, True, pd.NA, pd.NA, pd.NA], dtype="boolean"),
        "article_ids": ["a", "b|c", "d", "e|f|g", "h|i"],
    })
    at_once = _single_outlet_rows(timing)
    for i, (story, part) in enumerate(timing.groupby("story_id", sort=False)):
        for edges in (None, _NO_EDGES):
            one = _story_row(str(story), part, edges)
            assert {k: (None if pd.isna(v) else v) for k, v in one.items()} == \
                {k: (None if pd.isna(v) else v) for k, v in at_once.iloc[i].to_dict().items()}
    movers = timelines.first_movers(timing).set_index("story_id")
    assert movers.loc["s-decided", ["first_outlet", "order", "basis"]].tolist() == \
        ["o1", "decided", "evidence"]
    assert movers["order"].tolist() == ["decided", "uncertain", "undated", "unknown-outlet",
                                        "uncertain"]  # sorted by story id
    assert movers.loc["s-untrusted", "reason"] == "missing or low-confidence date from o3"


def test_stories_of_several_outlets_read_story_by_story_in_plain_lists() -> None:
    """``first_movers`` on stories of several outlets, listed out of order: each story's rule."""
    day = pd.Timestamp("2024-03-01", tz="UTC")
    timing = pd.DataFrame({
        "story_id": ["s2", "s2", "s1", "s1", "s0", "s0", "s3", "s3"],
        "outlet_id": ["o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8"],
        "articles": [1, 2, 1, 1, 1, 1, 3, 1], "undated": [0, 0, 1, 0, 1, 1, 0, 0],
        "known": [True, True, False, True, False, False, True, True],
        "first_published": [day, day + pd.Timedelta(days=2), pd.NaT, day + pd.Timedelta(days=1),
                            pd.NaT, pd.NaT, day, day],
        "is_first": pd.array([True, False, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA],
                             dtype="boolean"),
    })
    movers = timelines.first_movers(timing)
    assert movers["story_id"].tolist() == ["s0", "s1", "s2", "s3"]
    assert movers["outlets"].tolist() == [2, 2, 2, 2] and movers["articles"].tolist() == [2, 2, 3, 4]
    assert movers["order"].tolist() == ["undated", "uncertain", "decided", "uncertain"]
    assert movers["first_outlet"].fillna("-").tolist() == ["-", "-", "o1", "-"]
    assert movers["candidates"].tolist() == ["o5|o6", "o3|o4", "o1", "o7|o8"]
    assert movers["reason"].tolist() == [
        "no article of the story has a trusted date", "missing or low-confidence date from o3", "",
        "tie between o7, o8"]
    assert movers["first_published"].tolist()[1:] == [day + pd.Timedelta(days=1), day, day]
    assert pd.isna(movers["first_published"].iloc[0])


def test_each_outlets_article_ids_are_joined_sorted_as_groupby_joins_them() -> None:
    from mediaprov.timelines.first_movers import _joined_ids

    joined = pd.DataFrame({"story_id": ["b", "a", "b", "a", "b", "a"],
                           "outlet_id": ["x", "y", "x", "x", "z", "y"],
                           "article_id": ["k9", "k2", "k1", "k5", "k3", "k0"]}).astype("string")
    by_groupby = (joined.sort_values("article_id", kind="stable")
                  .groupby(["story_id", "outlet_id"])["article_id"].agg("|".join).tolist())
    assert _joined_ids(joined) == by_groupby == ["k5", "k0|k2", "k1|k9", "k3"]
    assert _joined_ids(joined.iloc[:0]) == []
