"""Tests of mediaprov.stories: union-find over near-duplicates, reuse pairs and shared quotes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mediaprov import stories
from mediaprov.io import read_table, write_table
from mediaprov.schema import ARTICLES, INGEST_LOG, QUOTES, REUSE, STORIES

PRESS_QUOTE = "The harbour will stay open to every fishing crew of Orlet this winter"


def test_union_find_merges_transitively_and_keeps_smallest_root() -> None:
    sets = stories.UnionFind()
    for a, b in [("e", "d"), ("d", "c"), ("x", "y")]:
        sets.union(a, b)
    assert sets.find("e") == sets.find("c") == "c"
    assert sets.find("y") == "x"
    assert sets.find("lonely") == "lonely"
    assert sets.items() == ["c", "d", "e", "lonely", "x", "y"]


def test_normalise_quote_ignores_typography() -> None:
    assert stories.normalise_quote("“The Harbour  will stay open,”") == \
        stories.normalise_quote('"the harbour will stay open')
    assert stories.normalise_quote("a") != stories.normalise_quote("b")


def test_normalise_quote_is_its_regex_definition_on_every_character() -> None:
    """The fast path (no NFKC on ASCII, split/join for spaces) gives what the regexes give."""
    import re
    import unicodedata

    def by_regex(text: str) -> str:
        text = unicodedata.normalize("NFKC", text).lower()
        return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text)).strip()

    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    texts = ["".join(every), " \x1c\u2028 A\u00a0b\u200bc\u3000ﬁ ", "", "  ", "Ⅻ  “Stay”, she said."]
    texts += ["x" + c + "y " + c for c in every[::97] if not c.isalnum()]
    assert [stories.normalise_quote(t) for t in texts] == [by_regex(t) for t in texts]


@pytest.fixture()
def tables() -> dict[str, pd.DataFrame]:
    articles = pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4", "a5", "a6", "a7"],
        "text": ["x"] * 6 + [f"Officials said: {PRESS_QUOTE}. Nothing else."],
    })
    ingest_log = pd.DataFrame({
        "article_id": ["a1", "dup-of-a1", "a2", "q9"],
        "status": ["ingested", "duplicate", "ingested", "quarantined"],
        "duplicate_of": [None, "a1", None, None],
    })
    reuse = pd.DataFrame({"article_a": ["a1", "a3", "a5"], "article_b": ["a2", "a4", "a6"],
                          "similarity": [0.8, 0.9, 0.05]})
    start = articles.text.iloc[6].index(PRESS_QUOTE)
    quotes = pd.DataFrame({
        "article_id": ["a2", "a3", "a7", "a5", "a6"],
        "text": [f"“{PRESS_QUOTE},”", PRESS_QUOTE.upper(), None, "lies", "lies"],
        "start": [0, 0, start, 0, 0], "end": [1, 1, start + len(PRESS_QUOTE), 4, 4],
        "kind": ["direct", "direct", "direct", "scare", "scare"],
    })
    return {"articles": articles, "ingest_log": ingest_log, "reuse": reuse, "quotes": quotes}


def test_links_by_kind(tables: dict[str, pd.DataFrame]) -> None:
    links = stories.story_links(**tables, min_similarity=0.3)
    found = {(a, b, k) for a, b, k in links[["article_a", "article_b", "kind"]].itertuples(
        index=False)}
    assert found == {
        ("a1", "dup-of-a1", "near-duplicate"),
        ("a1", "a2", "reuse"), ("a3", "a4", "reuse"),
        ("a2", "a3", "shared-quote"), ("a3", "a7", "shared-quote"),
    }  # a5-a6: reuse below the threshold and only a short scare quote in common


def test_stories_are_connected_components(tables: dict[str, pd.DataFrame]) -> None:
    table = stories.build_stories(tables["articles"], ingest_log=tables["ingest_log"],
                                  reuse=tables["reuse"], quotes=tables["quotes"],
                                  min_similarity=0.3)
    groups = table.groupby("story_id")["article_id"].apply(lambda s: sorted(s)).tolist()
    assert sorted(groups) == [["a1", "a2", "a3", "a4", "a7", "dup-of-a1"], ["a5"], ["a6"]]
    joined = dict(zip(table.article_id, table.joined_by, strict=True))
    assert joined["dup-of-a1"] == "near-duplicate"
    assert joined["a1"] == "near-duplicate+reuse"
    assert joined["a2"] == "reuse+shared-quote"
    assert joined["a7"] == "shared-quote"
    assert joined["a5"] == "singleton"
    assert list(table.columns) == list(STORIES.columns)


def test_lower_similarity_threshold_links_more(tables: dict[str, pd.DataFrame]) -> None:
    loose = stories.build_stories(tables["articles"], reuse=tables["reuse"], min_similarity=0.0)
    ids = dict(zip(loose.article_id, loose.story_id, strict=True))
    assert ids["a5"] == ids["a6"]
    assert ids["a1"] != ids["a3"]  # without the shared quote, a1-a2 and a3-a4 stay apart


def test_story_ids_do_not_depend_on_row_order(tables: dict[str, pd.DataFrame]) -> None:
    forward = stories.build_stories(tables["articles"], reuse=tables["reuse"])
    backward = stories.build_stories(tables["articles"].iloc[::-1],
                                     reuse=tables["reuse"].iloc[::-1])
    pd.testing.assert_frame_equal(forward, backward)
    assert forward.story_id.str.startswith("story-").all()


def test_missing_columns_are_reported() -> None:
    with pytest.raises(ValueError, match="table 'reuse' lacks columns"):
        stories.build_stories(pd.DataFrame({"article_id": ["a"]}),
                              reuse=pd.DataFrame({"left": ["a"], "right": ["b"]}))


def fill(schema: object, rows: pd.DataFrame) -> pd.DataFrame:
    table = schema.empty().reindex(range(len(rows)))  # type: ignore[attr-defined]
    for column in rows.columns:
        table[column] = rows[column].to_numpy()
    return table


def test_run_stories_reads_optional_tables(tmp_path: Path,
                                           tables: dict[str, pd.DataFrame]) -> None:
    articles = fill(ARTICLES, tables["articles"]).assign(
        raw_path=lambda t: t.article_id + ".txt", raw_sha256="0" * 64)
    write_table(articles, tmp_path / "articles.parquet", ARTICLES)
    log = fill(INGEST_LOG, tables["ingest_log"]).assign(raw_path="x.txt", raw_sha256="0" * 64)
    write_table(log, tmp_path / "ingest_log.parquet", INGEST_LOG)
    path = stories.run_stories(tmp_path)
    assert path == tmp_path / "stories.parquet"
    first = read_table(path, STORIES)
    assert set(first.loc[first.joined_by == "near-duplicate", "article_id"]) == {"a1", "dup-of-a1"}
    write_table(fill(REUSE, tables["reuse"]), tmp_path / "reuse.parquet", REUSE)
    write_table(fill(QUOTES, tables["quotes"]), tmp_path / "quotes.parquet", QUOTES)
    second = read_table(stories.run_stories(tmp_path, min_similarity=0.3), STORIES)
    assert second.story_id.nunique() == 3
    with pytest.raises(FileNotFoundError):
        stories.run_stories(tmp_path / "nowhere")


# --- precedence: which article of a story came first, and on what evidence ------------------

def order_articles(rows: list[tuple[str, str | None, str | None, str | None]]) -> pd.DataFrame:
    """Rows of (article_id, outlet_id, published, credited_source); all fictional."""
    ids, outlets, dates, credits = zip(*rows, strict=True)
    return pd.DataFrame({"article_id": list(ids), "outlet_id": list(outlets),
                         "published": pd.to_datetime(list(dates), utc=True),
                         "date_confidence": [None if d is None else 0.9 for d in dates],
                         "credited_source": list(credits)})


REGISTRY = pd.DataFrame({"outlet_id": ["nafv-press", "vna", "global-wire", "freedom-herald",
                                       "exile-voice", "harbour-times"],
                         "kind": ["press-office", "agency", "agency", "news", "news", "news"]})


def pairs_of(table: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(table[["before", "after", "evidence"]].itertuples(index=False, name=None))


def test_precedence_dates_first_then_credit_then_kind() -> None:
    articles = order_articles([
        ("p", "nafv-press", None, None),                       # press release, undated
        ("f", "freedom-herald", "2024-02-02", "nafv-press"),   # credits the press office
        ("e", "exile-voice", None, None),                      # uncredited, undated copy
        ("h", "harbour-times", "2024-02-01", None),            # dated, linked to f only
        ("x", "exile-voice", None, "nafv-press"),              # credits p but no reuse link
    ])
    story = pd.DataFrame({"article_id": list("pfehx"), "story_id": "s1"})
    reuse = pd.DataFrame({"article_a": ["p", "p", "f"], "article_b": ["f", "e", "h"]})
    table = stories.precedence(articles, story, reuse=reuse, outlets=REGISTRY)
    assert pairs_of(table) == {("h", "f", "date"), ("p", "f", "credit"),
                               ("p", "e", "source-kind")}
    # the credit of x decides nothing: x and p are not linked by text reuse
    assert set(table.outlet_before) == {"harbour-times", "nafv-press"}
    assert table.loc[table.evidence == "credit", "detail"].item() == "f credits nafv-press"
    assert list(table.columns) == list(stories.PRECEDENCE_COLUMNS)
    dates_only = stories.precedence(articles, story)
    assert pairs_of(dates_only) == {("h", "f", "date")}


def test_dates_are_never_overruled_by_weaker_evidence() -> None:
    articles = order_articles([
        ("v", "vna", "2024-03-05", None),
        ("o", "freedom-herald", "2024-03-04", "vna"),  # dated earlier, yet credits vna
    ])
    story = pd.DataFrame({"article_id": ["v", "o"], "story_id": "s"})
    reuse = pd.DataFrame({"article_a": ["v"], "article_b": ["o"]})
    table = stories.precedence(articles, story, reuse=reuse, outlets=REGISTRY)
    assert pairs_of(table) == {("o", "v", "date")}
    # the same day is a tie at day resolution: then the credit decides
    tie = articles.assign(published=pd.to_datetime(["2024-03-05 09:00", "2024-03-05 18:00"],
                                                   utc=True))
    assert pairs_of(stories.precedence(tie, story, reuse=reuse, outlets=REGISTRY)) == {
        ("v", "o", "credit")}
    assert pairs_of(stories.precedence(tie, story, reuse=reuse, outlets=REGISTRY,
                                       resolution=None)) == {("v", "o", "date")}


def test_kind_orders_only_different_ranks_and_credit_works_with_unknown_outlet() -> None:
    articles = order_articles([
        ("v", "vna", None, None),
        ("g", "global-wire", None, None),       # two agencies: same rank, no order
        ("u", None, None, "vna"),               # unknown outlet that credits vna
        ("w", None, None, None),                # unknown outlet, no credit: no kind either
    ])
    story = pd.DataFrame({"article_id": list("vguw"), "story_id": "s"})
    reuse = pd.DataFrame({"article_a": ["v", "v", "v"], "article_b": ["g", "u", "w"]})
    table = stories.precedence(articles, story, reuse=reuse, outlets=REGISTRY)
    assert pairs_of(table) == {("v", "u", "credit")}
    assert table.outlet_after.isna().all()


def passage(a0: int, a1: int, b0: int, b1: int) -> dict[str, int]:
    return {"a_start": a0, "a_end": a1, "b_start": b0, "b_end": b1}


def test_containment_names_the_common_source_of_two_excerpts() -> None:
    # c holds both excerpts: x took c[0:60], y took c[20:100]; they share c[20:60]
    articles = order_articles([("c", "harbour-times", None, None),
                               ("x", "freedom-herald", None, None),
                               ("y", "exile-voice", None, None)])
    story = pd.DataFrame({"article_id": list("cxy"), "story_id": "s"})
    reuse = pd.DataFrame({"article_a": ["c", "c", "x"], "article_b": ["x", "y", "y"],
                          "directed": [False] * 3,
                          "passages": [[passage(0, 60, 0, 60)], [passage(20, 100, 0, 80)],
                                       [passage(20, 60, 0, 40)]]})
    table = stories.precedence(articles, story, reuse=reuse, outlets=REGISTRY)
    assert pairs_of(table) == {("c", "x", "containment"), ("c", "y", "containment")}
    # a common-source table given by the caller is used as it is
    given = pd.DataFrame({"article_a": ["x"], "article_b": ["y"], "explained": [True],
                          "common_source": ["c"], "evidence": ["containment"]})
    plain = reuse.drop(columns=["passages", "directed"])
    assert pairs_of(stories.precedence(articles, story, reuse=plain, common=given,
                                       outlets=REGISTRY)) == pairs_of(table)
    undecided = given.assign(explained=False, common_source=None, evidence="undecided")
    assert stories.precedence(articles, story, reuse=plain, common=undecided,
                              outlets=REGISTRY).empty


def test_precedence_reports_missing_columns() -> None:
    with pytest.raises(ValueError, match="published"):
        stories.precedence(pd.DataFrame({"article_id": ["a"], "outlet_id": ["vna"]}),
                           pd.DataFrame({"article_id": ["a"], "story_id": ["s"]}))


def test_event_groups_extend_stories_and_lonely_copies_join_their_story() -> None:
    from mediaprov.story_events import add_event_groups

    body = "The Orlet summit on border rules ended with a joint statement by both delegations."
    articles = pd.DataFrame({
        "article_id": ["a", "b", "c", "d"],
        "text": [body, body + " Talks resume in May.", "A copy with other words entirely here.",
                 "Unrelated budget news from the harbour town council."],
        "published": pd.to_datetime(["2022-03-01", "2022-03-02", None, "2022-08-01"], utc=True),
    })
    mentions = pd.DataFrame({"article_id": ["a", "a", "b", "b"],
                             "entity_id": ["orlet-summit", "delegation", "orlet-summit", "delegation"]})
    stories = pd.DataFrame({"article_id": ["a", "b", "c", "d"], "story_id": ["s1", "s2", "s1", "s3"],
                            "joined_by": ["reuse", "singleton", "reuse", "singleton"]})
    table = add_event_groups(stories, articles, mentions, min_similarity=0.3).set_index("article_id")
    assert table.loc["a", "event_group"] == table.loc["b", "event_group"]
    assert table.loc["a", "event_joined_by"] == "time-window"
    assert table.loc["c", "event_group"] == table.loc["a", "event_group"]  # joined through its story
    assert table.loc["c", "event_joined_by"] == "story"
    assert table.loc["d", "event_joined_by"] == "alone" and table.loc["d", "event_group"] != table.loc["a", "event_group"]


def test_event_groups_match_the_planted_events_on_the_processed_demo() -> None:
    from sklearn.metrics import adjusted_rand_score

    from mediaprov import paths, workflow
    from mediaprov.evaluate import load_truth

    tables = workflow.load("demo", ["articles", "stories"])
    truth = load_truth(paths.raw_dir("demo"))
    keys = truth.raw_path + "#" + truth.record.astype(str)
    event_of = dict(zip(keys, truth.event_id, strict=True))
    articles = tables["articles"].merge(tables["stories"], on="article_id")
    if articles.event_group.isna().all():  # stories built before features existed
        workflow.build("demo", ["stories"], rebuild=True)
        articles = workflow.load("demo", ["articles"])["articles"].merge(
            workflow.load("demo", ["stories"])["stories"], on="article_id")
    events = [event if isinstance(event := event_of.get(f"{p}#{r}"), str) else f"none:{a}"
              for p, r, a in zip(articles.raw_path, articles.record, articles.article_id, strict=True)]
    assert adjusted_rand_score(events, articles.event_group.fillna(articles.article_id)) >= 0.8


def test_event_groups_from_term_counts_are_those_from_the_texts() -> None:
    """run_stories counts the table's texts slice by slice and never holds them: same groups."""
    from mediaprov import paths, workflow
    from mediaprov.narratives import articleterms
    from mediaprov.narratives.articleterms import TermCounts
    from mediaprov.story_events import add_event_groups

    tables = workflow.load("demo", ["articles", "mentions", "stories"])
    articles = tables["articles"]
    with_texts = add_event_groups(tables["stories"], articles, tables["mentions"])
    without_texts = articles.drop(columns=["text", "clean_text"])
    path = paths.processed_dir("demo") / "articles.parquet"
    whole = TermCounts(articleterms.article_frame(articles))  # the texts in memory, counted at once
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(articleterms, "_DOCUMENTS_PER_CHUNK", 97)  # many slices, edges anywhere
        counts = TermCounts.of_table(path)
    assert counts.text.shape[0] == len(articles)  # those without entities too
    for article_id in articles.article_id.sample(50, random_state=1):  # each row counted alike
        for part in ("text", "title"):
            ours, theirs = (getattr(c, part)[c.row[article_id]] for c in (counts, whole))
            assert ours.indices.tolist() == theirs.indices.tolist()
            assert ours.data.tolist() == theirs.data.tolist()
    from_counts = add_event_groups(tables["stories"], without_texts, tables["mentions"],
                                   counts=counts)
    pd.testing.assert_frame_equal(with_texts, from_counts)
    # both steps were compared: links in a time window and undated articles matched to a group
    assert {"time-window", "undated-match"} <= set(from_counts.event_joined_by)
    with pytest.raises(ValueError, match="TermCounts.of_table"):
        add_event_groups(tables["stories"], without_texts, tables["mentions"])


def _closure(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    after: dict[str, set[str]] = {}
    for a, b in pairs:
        after.setdefault(a, set()).add(b)
    found = set()
    for start in list(after):
        stack, seen = list(after[start]), set()
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(after.get(node, ()))
        found |= {(start, node) for node in seen}
    return found


@pytest.mark.parametrize("tie_window", [pd.Timedelta(0), pd.Timedelta(days=2)])
def test_precedence_of_big_stories_keeps_the_order_with_fewer_rows(tie_window) -> None:
    import numpy as np

    rng = np.random.default_rng(3)
    n = 60
    days = rng.integers(0, 12, n)
    articles = pd.DataFrame({
        "article_id": [f"a{i:02d}" for i in range(n)],
        "outlet_id": [f"o{i % 7}" for i in range(n)],
        "published": pd.to_datetime("2024-01-01", utc=True) + pd.to_timedelta(days, unit="D"),
        "date_confidence": 0.9, "credited_source": None})
    articles.loc[::9, "published"] = pd.NaT
    story = pd.DataFrame({"article_id": articles.article_id, "story_id": "big"})
    full = stories.precedence(articles, story, tie_window=tie_window)
    reduced = stories.precedence(articles, story, tie_window=tie_window, full_pairs_up_to=10)
    assert len(reduced) < len(full)
    assert set(reduced.itertuples(index=False)) <= set(full.itertuples(index=False))
    edges = set(zip(reduced.before, reduced.after, strict=True))
    assert _closure(edges) == set(zip(full.before, full.after, strict=True))


def test_run_stories_leaves_text_on_disk_when_clean_text_and_quotes_suffice(
        tmp_path: Path, tables: dict[str, pd.DataFrame], monkeypatch) -> None:
    import mediaprov.io as io_module
    import mediaprov.parquet as parquet_module

    from mediaprov.parquet import read_rows
    from mediaprov.schema import MENTIONS

    requested: list[str] = []
    article_reads: list[list[str] | None] = []

    coded_reads: dict[str, list[str]] = {}
    columns_read: dict[str, list[str] | None] = {}

    def recording_read_table(path, schema=None, *, columns=None, categorical=()):
        requested.extend(columns or [])
        if Path(path).name == "articles.parquet":
            article_reads.append(columns)
        coded_reads[Path(path).name] = list(categorical)
        columns_read[Path(path).name] = columns
        return read_table(path, schema, columns=columns, categorical=categorical)

    def recording_read_rows(path, start, stop, schema, *, columns=None):
        requested.extend(columns or [])
        if Path(path).name == "articles.parquet":
            article_reads.append(columns)
        return read_rows(path, start, stop, schema, columns=columns)

    monkeypatch.setattr(io_module, "read_table", recording_read_table)
    monkeypatch.setattr(stories, "read_table", recording_read_table)
    monkeypatch.setattr(parquet_module, "read_rows", recording_read_rows)  # the texts counted
    articles = fill(ARTICLES, tables["articles"]).assign(
        raw_path=lambda t: t.article_id + ".txt", raw_sha256="0" * 64,
        clean_text=lambda t: t.text, published=pd.Timestamp("2024-05-01", tz="UTC"))
    write_table(articles, tmp_path / "articles.parquet", ARTICLES)
    quotes = tables["quotes"].assign(text=lambda t: t.text.fillna(PRESS_QUOTE))
    write_table(fill(QUOTES, quotes), tmp_path / "quotes.parquet", QUOTES)
    mentions = pd.DataFrame({"article_id": ["a2", "a3", "a2", "a3"],
                             "entity_id": ["orlet", "orlet", "harbour", "harbour"],
                             "start": [0] * 4, "end": [1] * 4})
    write_table(fill(MENTIONS, mentions), tmp_path / "mentions.parquet", MENTIONS)
    table = read_table(stories.run_stories(tmp_path), STORIES)
    assert "clean_text" in requested and not any("text" in columns for columns in article_reads if columns)
    assert columns_read["quotes.parquet"] == ["article_id", "kind", "text", "start", "end"]  # what links use
    assert article_reads and None not in article_reads  # never every column of the articles
    assert coded_reads["mentions.parquet"] == ["article_id", "entity_id"]  # each id once in memory
    assert table.event_group.notna().all()
    by_article = table.set_index("article_id")
    assert by_article.story_id["a2"] == by_article.story_id["a3"] == by_article.story_id["a7"]
