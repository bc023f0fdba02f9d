"""``mediaprov timelines DIR``: every table behind the timeline figures, in ``DIR/timelines/``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mediaprov import reference
from mediaprov.io import read_table, stage_writer, write_table
from mediaprov.schema import ARTICLES, MENTIONS, REUSE, STORIES
from mediaprov.timelines.bursts import detect_bursts, match_events
from mediaprov.timelines.first_movers import first_movers, follow_pairs, story_timing
from mediaprov.timelines.inputs import load_events, load_outlets
from mediaprov.timelines.volumes import mention_timeline, undated_articles, volumes

TEXT_COLUMNS: tuple[str, ...] = ("text", "clean_text", "chrome_lines", "source_fields")
"""Article columns no timeline reads: left on disk (most of a million-article table's memory)."""

# --------------------------------------------------------------------------------------------
# Command line entry point
# --------------------------------------------------------------------------------------------

@stage_writer("timelines", subfolder="timelines")
def run_timelines(dir: Path, *, freq: str = "week", min_confidence: float = 0.5,
                  outlets_path: Path | None = None, events_path: Path | None = None,
                  outlets: pd.DataFrame | None = None,
                  penalty: float = 1.5, min_rise: float = 2.0,
                  tie_window: pd.Timedelta = pd.Timedelta(0),
                  resolution: str | None = "day", top_entities: int | None = 200) -> dict[str, Path]:
    """Write the tables behind the timeline figures to ``dir/timelines/``.

    Reads ``dir/articles.parquet`` (required), and ``dir/mentions.parquet`` and
    ``dir/stories.parquet`` when present (run ``mediaprov stories DIR`` first for the first-mover
    tables). With ``dir/reuse.parquet`` (and ``reuse_common_sources.parquet`` when present)
    first movers are named from provenance evidence where dates cannot order a story
    (:func:`mediaprov.stories.precedence`).

    Args:
        dir: a processed corpus folder.
        freq: ``day``, ``week`` or ``month``.
        min_confidence: dates with a lower confidence are counted apart, never plotted.
        outlets_path: the outlet registry (default ``<reference>/outlets.csv``).
        events_path: the events overlay (default ``<reference>/events.csv``).
        outlets: an outlet table to use instead of the registry, e.g. with camps taken from the
            corpus's own ratings (:func:`mediaprov.reference.outlets_with_camps`).
        penalty: the burst detection penalty factor (higher: fewer change points), passed to
            :func:`detect_bursts`.
        min_rise: how far above the usual level a burst must be, in noise standard deviations,
            passed to :func:`detect_bursts`.
        tie_window: first times closer than this tie.
        resolution: the time resolution at which publication order is judged (see
            :func:`story_timing`).
        top_entities: the mention timelines cover the entities mentioned in the most articles
            (ties by id), this many; ``None`` for all. With names discovered in every article a
            real corpus has tens of thousands of entities, most mentioned once.

    Returns:
        Table name -> path written: ``volumes_outlet``, ``volumes_camp``, ``volumes_all``,
        ``undated_outlet``, ``undated_camp``, ``bursts``, ``events``, ``event_matches``, and when
        their inputs exist ``mentions_outlet``, ``mentions_camp``, ``story_timing``,
        ``precedence``, ``first_movers``, ``follow_pairs``.

    Raises:
        FileNotFoundError: ``dir/articles.parquet`` is missing (run ``mediaprov ingest``).

    Example:
        >>> run_timelines(Path("data/processed/demo"))  # doctest: +SKIP
        {'volumes_outlet': PosixPath('data/processed/demo/timelines/volumes_outlet.parquet'), ...}
    """
    dir = Path(dir)
    out = dir / "timelines"
    articles = read_table(dir / "articles.parquet", ARTICLES,
                          columns=[c for c in ARTICLES.columns if c not in TEXT_COLUMNS])
    corpus = reference.corpus_of(dir)
    outlets = outlets if outlets is not None else load_outlets(outlets_path, corpus=corpus)
    events = load_events(events_path, corpus=corpus)
    tables: dict[str, pd.DataFrame] = {}
    for by in ("outlet", "camp", "all"):
        tables[f"volumes_{by}"] = volumes(articles, freq=freq, by=by, outlets=outlets,
                                          min_confidence=min_confidence)
    for by in ("outlet", "camp"):
        tables[f"undated_{by}"] = undated_articles(articles, by=by, outlets=outlets,
                                                   min_confidence=min_confidence)
    bursts = pd.concat([detect_bursts(tables[f"volumes_{by}"], freq=freq, penalty=penalty,
                                      min_rise=min_rise).assign(series=f"volumes_{by}")
                        for by in ("all", "camp", "outlet")], ignore_index=True)
    tables["bursts"] = bursts
    tables["events"] = events
    tables["event_matches"] = match_events(
        bursts.loc[bursts["series"] == "volumes_all"], events)
    if (dir / "mentions.parquet").exists():
        mentions = read_table(dir / "mentions.parquet", MENTIONS, columns=["article_id", "entity_id"])
        terms = None
        if top_entities is not None:
            reach = mentions.groupby("entity_id").article_id.nunique().reset_index(name="n")
            reach = reach.sort_values(["n", "entity_id"], ascending=[False, True], kind="stable")
            terms = reach["entity_id"].head(top_entities).astype(str).tolist()
        for by in ("outlet", "camp"):
            tables[f"mentions_{by}"] = mention_timeline(articles, mentions, freq=freq, by=by,
                                                        outlets=outlets, terms=terms,
                                                        min_confidence=min_confidence)
    if (dir / "stories.parquet").exists():
        stories = read_table(dir / "stories.parquet", STORIES)
        timing = story_timing(articles, stories, min_confidence=min_confidence,
                              tie_window=tie_window, resolution=resolution)
        tables["story_timing"] = timing
        order = None
        if (dir / "reuse.parquet").exists():
            from mediaprov.reuse.sources import COMMON_SOURCES
            from mediaprov.stories import precedence

            reuse = read_table(dir / "reuse.parquet", REUSE)
            common_path = dir / "reuse_common_sources.parquet"
            common = read_table(common_path, COMMON_SOURCES) if common_path.exists() else None
            order = precedence(articles, stories, reuse=reuse, common=common, outlets=outlets,
                               min_confidence=min_confidence, tie_window=tie_window,
                               resolution=resolution)
            tables["precedence"] = order
        tables["first_movers"] = first_movers(timing, precedence=order)
        tables["follow_pairs"] = follow_pairs(timing, tie_window=tie_window)
    return {name: write_table(table, out / f"{name}.parquet")
            for name, table in sorted(tables.items())}
