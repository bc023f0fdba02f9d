"""Common sources: which reuse pairs are two copies of a third article (siblings), not a copy.

Two outlets that both republish one press release share its text without copying each other.
The ``reuse`` table still pairs them; a source -> copy analysis must not count that pair. This
module finds, for each pair ``(x, y)``, a *common source* ``c``: an article paired with both whose
passages with ``x`` and with ``y`` hold (in each of ``x`` and ``y``) at least ``min_share`` of the
characters ``x`` and ``y`` share. Such a pair is *explained* when ``c`` is identified as the
origin of both, by the first rule of this list that decides, for each leg ``(c, x)`` and ``(c, y)``:

1. ``date``: ``c`` is dated strictly earlier (a later or equal date never makes a source; a
   date without a time of day is compared by calendar day, :func:`published_before`);
2. ``credit``: the copy credits ``c``'s outlet (``credited_source``) and ``c`` does not credit
   the copy's outlet;
3. ``kind``: ``c``'s outlet is of a kind that issues items for others to republish and the
   copy's outlet is known and of a kind further down the chain of distribution. By default
   (:data:`SOURCE_KINDS`) a ``press-office`` issues releases that agencies and outlets carry,
   an ``agency`` issues wires that outlets carry, and every other kind comes last; the kinds are
   the ``kind`` column of ``data/reference/outlets.csv``. The rule reads the registry, never
   outlet ids, and treats every camp's press offices and agencies alike. Two outlets of the same
   rank (two agencies, two news sites) are not ordered by it;
4. ``containment``: when a leg is left undecided by 1-3, ``c`` must be the only article of the
   trio ``{c, x, y}`` whose passages with the other two contain what those two share with each
   other. A source from which two outlets took different excerpts holds both excerpts; neither
   copy holds the other's. Two whole copies of one text contain each other, and this rule then
   decides nothing.

A leg that a rule decides the other way (the copy is dated earlier, ``c`` credits the copy's
outlet, or the copy is the press office) rules ``c`` out. Pairs that look like siblings (a
common neighbour covers their shared text) but where no rule identifies the source are kept and
marked ``undecided``: from the text and metadata alone they could be siblings, a chain
``c -> x -> y``, or ``c`` itself a copy.

A chain ``c -> x -> y`` in which ``y`` takes ``x``'s own text is never explained: that text is not
in ``c``.

Example:
    >>> p = lambda a0, a1, b0, b1: {"a_start": a0, "a_end": a1, "b_start": b0, "b_end": b1}
    >>> reuse = pd.DataFrame({"article_a": ["c", "c", "x"], "article_b": ["x", "y", "y"],
    ...     "directed": [False] * 3,
    ...     "passages": [[p(0, 50, 10, 60)], [p(0, 50, 0, 50)], [p(10, 60, 0, 50)]]})
    >>> articles = pd.DataFrame({"article_id": ["c", "x", "y"],
    ...     "outlet_id": ["press", "news1", "news2"], "published": [pd.NaT] * 3,
    ...     "credited_source": [None, None, None]})
    >>> outlets = pd.DataFrame({"outlet_id": ["press", "news1", "news2"],
    ...     "kind": ["press-office", "news", "news"]})
    >>> found = common_sources(reuse, articles, outlets=outlets)
    >>> found[["article_a", "article_b", "explained", "common_source", "evidence"]].values.tolist()
    [['c', 'x', False, <NA>, <NA>], ['c', 'y', False, <NA>, <NA>], ['x', 'y', True, 'c', 'kind']]
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from mediaprov.schema import COMMON_SOURCES, validate  # noqa: F401  (COMMON_SOURCES re-exported)

SOURCE_KINDS: tuple[str, ...] = ("press-office", "agency")
"""Outlet kinds (``kind`` column of ``outlets.csv``) that issue items for others to republish, in
order of distribution: a kind's items are carried by the kinds after it and by all kinds not
listed (press releases by agencies and outlets, wires by outlets)."""

RULES: tuple[str, ...] = ("date", "credit", "kind", "containment")
"""The evidence, strongest first, that identifies the common source (see the module docstring)."""

UNDECIDED = "undecided"
"""``evidence`` of a pair that looks like two copies of one source where no rule decides."""

_Spans = list[tuple[int, int]]


def outlet_kinds(outlets: pd.DataFrame | None = None) -> dict[str, str]:
    """Return outlet id -> kind from the outlet registry.

    Args:
        outlets: a registry table with ``outlet_id`` and ``kind``; default
            ``data/reference/outlets.csv``.

    Returns:
        The mapping (outlets with an empty kind are left out).

    Raises:
        ValueError: when the table lacks ``outlet_id`` or ``kind``.

    Example:
        >>> outlet_kinds(pd.DataFrame({"outlet_id": ["p"], "kind": ["press-office"]}))
        {'p': 'press-office'}
    """
    if outlets is None:
        from mediaprov.ingest.outlets import OutletRegistry

        outlets = OutletRegistry.load().table
    missing = [c for c in ("outlet_id", "kind") if c not in outlets.columns]
    if missing:
        raise ValueError(f"outlet registry lacks columns {missing}; pass a table like "
                         "data/reference/outlets.csv (outlet_id, kind, ...)")
    return {str(o): str(k).strip() for o, k in zip(outlets["outlet_id"], outlets["kind"], strict=True)
            if not pd.isna(o) and not pd.isna(k) and str(k).strip()}


class _Evidence:
    """Per-article metadata and the pairwise order rules 1-3."""

    def __init__(self, articles: pd.DataFrame | None, kinds: dict[str, str],
                 source_kinds: Iterable[str], directed_pairs: set[tuple[str, str]],
                 only: Iterable[str] | None = None):
        self.published: dict[str, pd.Timestamp] = {}
        self.outlet: dict[str, str] = {}
        self.credit: dict[str, str] = {}
        if articles is not None:
            if "article_id" not in articles.columns:
                raise ValueError("articles table lacks column 'article_id' needed to identify "
                                 "common sources; pass the ingested articles table")
            # only the columns the rules read (a copy of the texts would be the largest part)
            used = [c for c in ("article_id", "outlet_id", "published", "credited_source")
                    if c in articles.columns]
            if only is not None:  # the articles of some pair: the rules never ask of others
                wanted = only if isinstance(only, (set, dict)) else set(only)
                ids = articles["article_id"].tolist()  # a set look-up per id, no Arrow scalar
                articles = articles.loc[np.fromiter((i in wanted for i in ids), dtype=bool,
                                                    count=len(ids)), used]
            missing = pd.Series([None] * len(articles), index=articles.index, dtype=object)
            published = pd.to_datetime(articles.get("published", missing), utc=True)
            for article, outlet, date, credit in zip(articles["article_id"].tolist(),
                                                     articles.get("outlet_id", missing).tolist(),
                                                     published,
                                                     articles.get("credited_source",
                                                                  missing).tolist(), strict=True):
                if not pd.isna(date):
                    self.published[article] = date
                if not pd.isna(outlet):
                    self.outlet[article] = str(outlet)
                if not pd.isna(credit):
                    self.credit[article] = str(credit)
        self.kinds = kinds
        self.rank: dict[str, int] = {}  # position in the chain of distribution; unlisted: last
        for kind in source_kinds:
            self.rank.setdefault(kind, len(self.rank))
        self.directed_pairs = directed_pairs
        self._cache: dict[tuple[str, str], tuple[str | None, str | None]] = {}

    def first(self, u: str, v: str) -> tuple[str | None, str | None]:
        """Return (the article that came first, the rule that said so), or (None, None)."""
        if (u, v) not in self._cache:
            self._cache[(u, v)] = self._decide(u, v)
        return self._cache[(u, v)]

    def _decide(self, u: str, v: str) -> tuple[str | None, str | None]:
        date_u, date_v = self.published.get(u), self.published.get(v)
        if date_u is not None and date_v is not None:
            earlier = published_before(date_u, date_v)
            if earlier is not None:
                return (u if earlier else v), "date"
        elif (u, v) in self.directed_pairs or (v, u) in self.directed_pairs:
            return (u if (u, v) in self.directed_pairs else v), "date"
        outlet_u, outlet_v = self.outlet.get(u), self.outlet.get(v)
        if outlet_u != outlet_v or outlet_u is None:
            v_credits_u = outlet_u is not None and self.credit.get(v) == outlet_u
            u_credits_v = outlet_v is not None and self.credit.get(u) == outlet_v
            if v_credits_u != u_credits_v:
                return (u if v_credits_u else v), "credit"
        kind_u, kind_v = self.kinds.get(outlet_u or ""), self.kinds.get(outlet_v or "")
        if kind_u is not None and kind_v is not None:
            last = len(self.rank)
            rank_u, rank_v = self.rank.get(kind_u, last), self.rank.get(kind_v, last)
            if rank_u != rank_v:
                return (u if rank_u < rank_v else v), "kind"
        return None, None


def published_before(u: pd.Timestamp, v: pd.Timestamp) -> bool | None:
    """Say whether publication time ``u`` is strictly earlier than ``v``, at the precision known.

    A time of exactly midnight UTC is read as a date without a time of day: then only the
    calendar days are compared, since an article dated 2031-05-01 may have appeared after one
    stamped 2031-05-01 16:30.

    Args:
        u: a timezone-aware time.
        v: another.

    Returns:
        True when ``u`` is earlier, False when later, None when equal at that precision.

    Example:
        >>> day = pd.Timestamp("2031-05-01", tz="UTC")
        >>> noon = pd.Timestamp("2031-05-01 12:00", tz="UTC")
        >>> published_before(day, noon), published_before(noon, day + pd.Timedelta(days=1))
        (None, True)
    """
    if _day_only(u) or _day_only(v):
        u, v = u.normalize(), v.normalize()
    if u == v:
        return None
    return bool(u < v)


def _day_only(time: pd.Timestamp) -> bool:
    """True when a timestamp sits at midnight exactly (a date with no time of day)."""
    return time == time.normalize()


def common_sources(reuse: pd.DataFrame, articles: pd.DataFrame | None = None, *,
                   outlets: pd.DataFrame | None = None,
                   source_kinds: Iterable[str] = SOURCE_KINDS,
                   min_share: float = 0.9) -> pd.DataFrame:
    """Identify, for each reuse pair, a common source that both articles copied.

    Args:
        reuse: a ``reuse`` table (``article_a``, ``article_b``, ``directed``, ``passages``).
        articles: the ``articles`` table (``article_id``, and, where present, ``outlet_id``,
            ``published``, ``credited_source``; a missing column leaves its rule out). Without
            it only the ``directed`` flags (date order) and text containment are used.
        outlets: the outlet registry (``outlet_id``, ``kind``); default
            ``data/reference/outlets.csv``. Only read when ``articles`` is given.
        source_kinds: outlet kinds whose items others republish, first issuer first (rule
            ``kind``, :data:`SOURCE_KINDS`).
        min_share: share of a pair's shared characters that must lie, in each article, inside
            its passages with the common source.

    Returns:
        A :data:`COMMON_SOURCES` table aligned with ``reuse`` (same rows, same order).

    Raises:
        ValueError: when ``min_share`` is not in ``(0, 1]`` or a needed column is missing.

    Example: see the module docstring.
    """
    if not 0.0 < min_share <= 1.0:
        raise ValueError(f"min_share must be in (0, 1], got {min_share}")
    missing = [c for c in ("article_a", "article_b", "directed", "passages")
               if c not in reuse.columns]
    if missing:
        raise ValueError(f"reuse table lacks columns {missing}; pass the table of find_reuse")
    spans: dict[tuple[str, str], _Spans] = {}
    neighbours: dict[str, set[str]] = {}
    directed_pairs: set[tuple[str, str]] = set()
    # Python lists first: iterating an Arrow-backed column makes a scalar per row
    article_a, article_b = reuse["article_a"].tolist(), reuse["article_b"].tolist()
    for a, b, directed, passages in zip(article_a, article_b, reuse["directed"].tolist(),
                                        reuse["passages"].tolist(), strict=True):
        passages = list(passages)
        spans[(a, b)] = [(int(q["a_start"]), int(q["a_end"])) for q in passages]
        spans[(b, a)] = [(int(q["b_start"]), int(q["b_end"])) for q in passages]
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
        if bool(directed):
            directed_pairs.add((a, b))
    kinds = outlet_kinds(outlets) if articles is not None else {}
    evidence = _Evidence(articles, kinds, source_kinds, directed_pairs, only=neighbours)

    def inside(part: _Spans, cover: _Spans) -> bool:
        total = sum(end - start for start, end in part)
        return total > 0 and _overlap(part, cover) >= min_share * total

    def covers(c: str, x: str, y: str) -> bool:
        """What x and y share lies, in both, inside their passages with c."""
        return inside(spans[(x, y)], spans[(x, c)]) and inside(spans[(y, x)], spans[(y, c)])

    rows = []
    for x, y in zip(article_a, article_b, strict=True):
        found: tuple[str, str] | None = None
        undecided = False
        for c in sorted(neighbours.get(x, set()) & neighbours.get(y, set())):
            if not covers(c, x, y):
                continue
            (first_x, rule_x), (first_y, rule_y) = evidence.first(c, x), evidence.first(c, y)
            if first_x == x or first_y == y:
                continue  # a rule says a copy came first: c is not their common source
            rules = {rule_x, rule_y} - {None}
            if first_x is None or first_y is None:
                if covers(x, c, y) or covers(y, c, x):
                    undecided = True  # c is not the only article that holds the others' text
                    continue
                rules.add("containment")
            found = (c, "+".join(r for r in RULES if r in rules))
            break
        rows.append({"article_a": x, "article_b": y, "explained": found is not None,
                     "common_source": found[0] if found else None,
                     "evidence": found[1] if found else (UNDECIDED if undecided else None)})
    table = pd.DataFrame(rows, columns=list(COMMON_SOURCES.columns)) if rows \
        else COMMON_SOURCES.empty()
    table.index = reuse.index
    return validate(table, COMMON_SOURCES, where="common_sources")


def _overlap(spans: _Spans, cover: _Spans) -> int:
    """Characters of ``spans`` (non-overlapping) that fall inside the union of ``cover``."""
    merged: list[list[int]] = []
    for start, end in sorted(cover):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return sum(max(0, min(end, c_end) - max(start, c_start))
               for start, end in spans for c_start, c_end in merged)
