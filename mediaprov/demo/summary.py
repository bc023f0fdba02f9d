"""What one generation run wrote: its counts (:class:`DemoSummary`) and the datasheet of them.

Example:
    >>> summary = DemoSummary(articles=2, records=3)
    >>> summary.by_status["ingested"] += 2
    >>> "| ingested | 2 |" in datasheet(summary, seed=1, articles=2)
    True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from mediaprov.demo.readme import TEMPLATE
from mediaprov.demo.render import MEDIACLOUD_COLUMNS
from mediaprov.demo.world import ENTITIES, EVENTS

__all__ = ["DemoSummary", "datasheet"]


@dataclass
class DemoSummary:
    """Counts of what :func:`mediaprov.demo.generate` wrote.

    Attributes:
        articles: distinct underlying articles (each has exactly one ``ingested`` record).
        records: input records (files, CSV rows, JSONL lines) including duplicates and bad files.
        by_status, by_format, by_outlet, by_camp, by_style, planted: counts per category.
    """

    articles: int = 0
    records: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_format: Counter = field(default_factory=Counter)
    by_outlet: Counter = field(default_factory=Counter)
    by_camp: Counter = field(default_factory=Counter)
    by_style: Counter = field(default_factory=Counter)
    planted: Counter = field(default_factory=Counter)


def _table(counter: Counter, header: str) -> str:
    """A Markdown table of counts, sorted by key."""
    lines = [f"| {header} | count |", "| --- | ---: |"]
    lines += [f"| {k} | {counter[k]} |" for k in sorted(counter)]
    return "\n".join(lines)


def datasheet(summary: DemoSummary, *, seed: int, articles: int) -> str:
    """Return the corpus README (a datasheet) for the numbers of one run.

    Args:
        summary: the counts of the run.
        seed: the seed it ran with.
        articles: the number of articles it was asked for.

    Returns:
        The Markdown text of ``README.md`` (:data:`mediaprov.demo.readme.TEMPLATE`, filled).

    Example:
        >>> "SYNTHETIC" in datasheet(DemoSummary(), seed=1, articles=1)
        True
    """
    return TEMPLATE.format(
        seed=seed, articles=articles, unique=summary.articles, records=summary.records,
        status=_table(summary.by_status, "expected_status"),
        formats=_table(summary.by_format, "format"),
        outlets=_table(summary.by_outlet, "outlet (articles)"),
        camps=_table(summary.by_camp, "camp (articles)"),
        styles=_table(summary.by_style, "scrape style (text records)"),
        planted=_table(summary.planted, "planted structure"),
        events=len(EVENTS), entities=len(ENTITIES),
        mc_columns=", ".join(f"`{c}`" for c in MEDIACLOUD_COLUMNS),
    )
