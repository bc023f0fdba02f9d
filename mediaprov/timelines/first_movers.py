"""Who published a story first, on what evidence, and who followed with what lag.

Every named first mover carries the rule that decided it (``order_evidence``) and whether that
rule reads evidence in the articles or is an assumption about outlets (``basis``, from
:data:`FIRST_MOVER_RULES`); :func:`first_mover_rules` counts the decisions resting on each rule,
so a figure or table can list the assumptions beside the numbers they carry.

Example:
    >>> FIRST_MOVER_RULES["source-kind"]["basis"]
    'assumption'
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mediaprov.dating import date_status, floor_times
from mediaprov.schema import require_columns
from mediaprov.timelines.volumes import UNKNOWN_OUTLET

# --------------------------------------------------------------------------------------------
# First movers and lags
# --------------------------------------------------------------------------------------------

def story_timing(articles: pd.DataFrame, stories: pd.DataFrame, *, min_confidence: float = 0.5,
                 tie_window: pd.Timedelta = pd.Timedelta(0),
                 resolution: str | None = "day") -> pd.DataFrame:
    """When each outlet first published each story, and its lag behind the story's first article.

    An outlet's first time in a story is known only when all its articles in the story have a
    trusted date; the lag is known only when every article of the story has one (an undated
    article could have come first). Outlets within ``tie_window`` of the first time tie.
    Times are compared at ``resolution``: by default calendar days (UTC), because many inputs give
    a date without a time of day, and midnight of a bare date must not beat 16:30 the same day.

    Args:
        articles: needs ``article_id``, ``outlet_id``, ``published`` (``date_confidence`` used
            when present).
        stories: the STORIES table (``article_id``, ``story_id``). Story members without a row in
            ``articles`` (merged duplicates) are counted in ``not_in_articles``, not timed.
        min_confidence: dates with a lower confidence are not trusted.
        tie_window: how close two first times must be to count as a tie.
        resolution: a pandas frequency the times are floored to before comparing (``"day"``,
            ``"h"``...), or ``None`` to compare exact times.

    Returns:
        One row per story and outlet, sorted by story, then first time, then outlet:
        ``story_id``, ``outlet_id``, ``articles``, ``undated`` (the outlet's untrusted dates in the
        story), ``first_published`` (earliest trusted date, or missing), ``known`` (all the
        outlet's dates trusted), ``lag_days`` (missing when the story's start is uncertain),
        ``is_first`` (True / False, missing when uncertain), ``not_in_articles`` (per story),
        ``article_ids`` (the outlet's articles in the story, ``|``-separated, sorted: what
        :func:`first_movers` orders with provenance evidence).

    Example:
        >>> a = pd.DataFrame({"article_id": ["a", "b"], "outlet_id": ["x", "y"],
        ...     "published": pd.to_datetime(["2024-01-01", "2024-01-03"], utc=True)})
        >>> s = pd.DataFrame({"article_id": ["a", "b"], "story_id": ["s", "s"]})
        >>> story_timing(a, s).lag_days.tolist()
        [0.0, 2.0]
    """
    require_columns(articles, ("article_id", "outlet_id", "published"), "articles")
    require_columns(stories, ("article_id", "story_id"), "stories")
    frame = pd.DataFrame({
        "article_id": articles["article_id"].astype("string"),
        "outlet_id": articles["outlet_id"].astype("string").fillna(UNKNOWN_OUTLET),
        "published": floor_times(pd.to_datetime(articles["published"], utc=True), resolution),
        "trusted": (date_status(articles, min_confidence=min_confidence) == "dated").to_numpy(),
    })
    members = stories.loc[:, ["article_id", "story_id"]].astype("string")
    joined = members.merge(frame, on="article_id", how="left", indicator=True)
    absent = (joined.assign(absent=joined["_merge"] == "left_only")
              .groupby("story_id")["absent"].sum().astype("int64"))
    joined = joined.loc[joined["_merge"] == "both"].drop(columns="_merge")
    joined["trusted_time"] = joined["published"].where(joined["trusted"])
    joined["untrusted"] = ~joined["trusted"].astype(bool)
    per_outlet = joined.groupby(["story_id", "outlet_id"]).agg(
        articles=("article_id", "size"),
        undated=("untrusted", "sum"),
        first_published=("trusted_time", "min"),
    ).reset_index()
    per_outlet["article_ids"] = _joined_ids(joined)
    per_outlet["known"] = per_outlet["undated"] == 0
    story_known = per_outlet.groupby("story_id")["known"].transform("all")
    story_first = per_outlet.groupby("story_id")["first_published"].transform("min")
    lag = (per_outlet["first_published"] - story_first) / pd.Timedelta(days=1)
    per_outlet["lag_days"] = lag.where(story_known)
    tied = (per_outlet["first_published"] - story_first) <= tie_window
    n_first = tied.groupby(per_outlet["story_id"]).transform("sum")
    certain = story_known & (n_first == 1)
    is_first = pd.Series(pd.NA, index=per_outlet.index, dtype="boolean")
    is_first[certain] = tied[certain]
    # An outlet that is certainly later than someone known is certainly not first.
    later_than_known = per_outlet["known"] & (~tied) & per_outlet["first_published"].notna()
    is_first[~certain & later_than_known] = False
    per_outlet["is_first"] = is_first
    per_outlet["not_in_articles"] = per_outlet["story_id"].map(absent).fillna(0).astype("int64")
    per_outlet = per_outlet.astype({"story_id": "string", "outlet_id": "string",
                                    "articles": "int64", "undated": "int64", "known": "bool",
                                    "article_ids": "string",
                                    "first_published": "datetime64[ns, UTC]",
                                    "lag_days": "float64"})
    return per_outlet.sort_values(["story_id", "first_published", "outlet_id"],
                                  kind="stable", na_position="last").reset_index(drop=True)


def _joined_ids(joined: pd.DataFrame) -> list[str]:
    """Each (story, outlet)'s article ids, sorted and ``|``-separated, in the groups' sorted order.

    What ``groupby(["story_id", "outlet_id"])["article_id"].agg("|".join)`` gives, from one sort
    and slices of a list: pandas calls ``join`` once per group through its slow path (a second
    of the timelines stage at 100,000 articles).
    """
    ordered = joined.sort_values(["story_id", "outlet_id", "article_id"], kind="stable")
    ids = ordered["article_id"].tolist()
    return ["|".join(ids[start:stop])
            for start, stop in _runs(ordered["story_id"].to_numpy(), ordered["outlet_id"].to_numpy())]


def _runs(*keys: np.ndarray) -> list[tuple[int, int]]:
    """``(start, stop)`` of each run of rows whose ``keys`` all repeat the row before (sorted keys).

    Example:
        >>> _runs(np.array(["a", "a", "b"]), np.array([1, 2, 2]))
        [(0, 1), (1, 2), (2, 3)]
    """
    size = len(keys[0])
    if not size:
        return []
    changed = np.zeros(size - 1, dtype=bool)
    for key in keys:
        changed |= key[1:] != key[:-1]
    starts = np.flatnonzero(np.r_[True, changed]).tolist()
    return list(zip(starts, [*starts[1:], size], strict=True))


FIRST_MOVER_COLUMNS: dict[str, str] = {
    "story_id": "string", "outlets": "int64", "articles": "int64", "first_outlet": "string",
    "first_published": "datetime64[ns, UTC]", "order": "string", "order_evidence": "string",
    "basis": "string", "candidates": "string", "reason": "string",
}

FIRST_MOVER_RULES: dict[str, dict[str, str]] = {
    "date": {
        "basis": "evidence",
        "statement": "Both dates are trusted (date_confidence at least the threshold) and a "
                     "calendar day apart: the earlier article was published first. Assumes the "
                     "trusted dates are the publication dates.",
    },
    "credit": {
        "basis": "evidence",
        "statement": "Of two articles linked by text reuse, one credits the other's outlet as its "
                     "source: the credited one came first. Assumes a credit line names the origin "
                     "of the text (reuse.copy_direction uses the same credit rule).",
    },
    "source-kind": {
        "basis": "assumption",
        "statement": "ASSUMPTION: of two articles linked by text reuse, the one from an outlet "
                     "whose registry kind issues items (press office, then agency) came first. "
                     "Nothing in the two articles says so; the researcher-supplied outlet kind "
                     "does. Wrong when an agency carries an outlet's scoop.",
    },
    "containment": {
        "basis": "assumption",
        "statement": "ASSUMPTION: when two copies share text that a third article holds in full, "
                     "the third article is their common source and came first. Wrong when the "
                     "real source is missing from the corpus.",
    },
}
"""The rules that can name a first mover (:data:`mediaprov.stories.ORDER_EVIDENCE`, same order),
each with its ``basis`` (``evidence`` read in the articles, or ``assumption`` about outlets or
texts) and a ``statement`` of what it takes for granted. Every rule also assumes that the corpus
holds the first article: an earlier article the collection missed would change the answer."""
UNCERTAIN = "uncertain"
"""``order_evidence`` of a story whose first publisher no evidence names."""


def first_movers(timing: pd.DataFrame, *, precedence: pd.DataFrame | None = None) -> pd.DataFrame:
    """Name the first publisher of each story, with the evidence that decided, or say why not.

    Without ``precedence`` only dates decide, as :func:`story_timing` states them: the story's
    first outlet is named when every article of the story has a trusted date and one outlet's
    first date is alone at the start. With ``precedence`` (from
    :func:`mediaprov.stories.precedence`) the order of articles is what the evidence decides,
    pair by pair: dates, then credit lines, outlet kinds and common sources of copied text on the
    pairs that text reuse links (:data:`mediaprov.stories.ORDER_EVIDENCE`), chained
    transitively. An outlet is named first when, for every article of every other outlet, one of
    its own articles comes before it. Evidence is added one kind at a time, strongest first, so
    ``order_evidence`` is the weakest kind of evidence the conclusion needs; when adding a kind
    makes the evidence contradict itself (a cycle), nothing weaker is used.

    Args:
        timing: from :func:`story_timing` (with ``precedence``, its ``article_ids`` column).
        precedence: ordered article pairs with their ``evidence``; None for dates alone.

    Returns:
        One row per story, sorted by story: ``story_id``, ``outlets``, ``articles``,
        ``first_outlet`` (missing unless decided), ``first_published`` (the story's earliest
        trusted date: when evidence other than dates names the first outlet, its own article may
        be undated and earlier),
        ``order`` (``decided``; ``uncertain`` for ties, untrusted dates and conflicting evidence;
        ``undated`` when no date is trusted and nothing else decides; ``unknown-outlet`` when the
        first article's publisher is unknown), ``order_evidence`` (``date``, ``credit``,
        ``source-kind``, ``containment``, or ``uncertain`` when no outlet is named), ``basis``
        (``evidence`` or ``assumption``: what the deciding rule rests on, from
        :data:`FIRST_MOVER_RULES`; missing when no outlet is named), ``candidates`` (outlets that may have been first, ``|``-separated) and ``reason``.
        Articles without an outlet are pooled as ``(unknown outlet)``.

    Raises:
        ValueError: a needed column is missing.

    Example:
        >>> t = pd.DataFrame({"story_id": ["s", "s"], "outlet_id": ["x", "y"],
        ...     "articles": [1, 1], "undated": [0, 1], "known": [True, False],
        ...     "first_published": pd.to_datetime(["2024-01-01", None], utc=True),
        ...     "is_first": pd.array([pd.NA, pd.NA], dtype="boolean"),
        ...     "article_ids": ["a", "b"]})
        >>> first_movers(t).loc[0, ["order", "candidates"]].tolist()
        ['uncertain', 'x|y']
        >>> p = pd.DataFrame({"story_id": ["s"], "before": ["a"], "after": ["b"],
        ...     "evidence": ["credit"]})
        >>> first_movers(t, precedence=p).loc[0, ["first_outlet", "order_evidence"]].tolist()
        ['x', 'credit']
    """
    require_columns(timing, ("story_id", "outlet_id", "articles", "undated", "known",
                      "first_published", "is_first"), "timing")
    if precedence is not None:
        require_columns(timing, ("article_ids",), "timing")
        require_columns(precedence, ("story_id", "before", "after", "evidence"), "precedence")
        edges = _edges_by_story(precedence)
    outlets = timing.groupby("story_id", sort=False)["story_id"].transform("size")
    rows: list[dict[str, object]] = []
    for story_id, part in _story_parts(timing.loc[outlets > 1]):
        rows.append(_story_row(str(story_id), part,
                               None if precedence is None else edges.get(story_id, _NO_EDGES)))
    table = pd.concat([pd.DataFrame(rows, columns=list(FIRST_MOVER_COLUMNS)),
                       _single_outlet_rows(timing.loc[outlets == 1])], ignore_index=True)
    # an all-undated story's minimum is a naive NaT: make the column UTC before the cast
    table["first_published"] = pd.to_datetime(table["first_published"], utc=True)
    table = table.sort_values("story_id", kind="stable").reset_index(drop=True)
    return table.astype(FIRST_MOVER_COLUMNS)


_Edge = tuple[object, object, object]
"""An ordered pair of articles and its evidence: ``(before, after, evidence)``."""

_NO_EDGES: tuple[_Edge, ...] = ()


def _edges_by_story(precedence: pd.DataFrame) -> dict[object, list[_Edge]]:
    """Each story's ordered pairs ``(before, after, evidence)``, in the table's order.

    Plain tuples: a story's pairs are filtered once per kind of evidence, and pandas' filters of
    a few rows, story after story, were most of :func:`first_movers`.
    """
    edges: dict[object, list[_Edge]] = {}
    for story, before, after, evidence in zip(precedence["story_id"], precedence["before"],
                                              precedence["after"], precedence["evidence"],
                                              strict=True):
        edges.setdefault(story, []).append((before, after, evidence))
    return edges


@dataclass(frozen=True)
class _Part:
    """One story's rows of :func:`story_timing` (one per outlet), as plain Python values.

    What the per-story rules read. A story's rows as a pandas frame, story after story, made
    pandas' filters and reductions on a few rows most of :func:`first_movers`.
    """

    outlet_id: list[object]
    articles: list[int]
    known: list[bool]
    first_published: list[Any]
    """Timestamps, NaT when the outlet has no trusted date."""
    is_first: list[object]
    """True, False or ``pd.NA``."""
    article_ids: list[object]
    """Empty when the ids were not asked for."""

    @classmethod
    def of_frame(cls, part: pd.DataFrame) -> _Part:
        """The rows of a frame of :func:`story_timing`'s columns (``article_ids`` optional)."""
        return cls(part["outlet_id"].tolist(), part["articles"].tolist(),
                   part["known"].astype(bool).tolist(), part["first_published"].tolist(),
                   part["is_first"].astype("boolean").tolist(),
                   part["article_ids"].tolist() if "article_ids" in part else [])

    def __len__(self) -> int:
        return len(self.outlet_id)

    def rows(self, start: int, stop: int) -> _Part:
        """Rows ``start:stop``."""
        return _Part(self.outlet_id[start:stop], self.articles[start:stop], self.known[start:stop],
                     self.first_published[start:stop], self.is_first[start:stop],
                     self.article_ids[start:stop])

    def first_time(self) -> object:
        """The earliest trusted first time (``pd.NaT`` when there is none), as ``Series.min``."""
        times = [t for t in self.first_published if not pd.isna(t)]
        return min(times) if times else pd.NaT


def _story_parts(timing: pd.DataFrame) -> Iterator[tuple[object, _Part]]:
    """Each story's id (as the table has it) and rows, by story id; rows in the table's order."""
    ordered = timing.sort_values("story_id", kind="stable")
    every = _Part.of_frame(ordered)
    stories = ordered["story_id"].tolist()
    for start, stop in _runs(ordered["story_id"].to_numpy()):
        yield stories[start], every.rows(start, stop)


def _story_row(story_id: str, part: _Part | pd.DataFrame,
               edges: Sequence[_Edge] | None) -> dict[str, object]:
    """:func:`first_movers`' row of one story (``edges``: its precedence pairs; None: dates)."""
    part = part if isinstance(part, _Part) else _Part.of_frame(part)
    first_time = part.first_time()
    row: dict[str, object] = {
        "story_id": story_id, "outlets": len(part), "articles": int(sum(part.articles)),
        "first_outlet": pd.NA, "first_published": first_time, "order": UNCERTAIN,
        "order_evidence": UNCERTAIN, "basis": pd.NA, "candidates": "", "reason": "",
    }
    row.update(_first_by_dates(part) if edges is None else _first_by_evidence(part, edges))
    if row["order"] == UNCERTAIN and row["order_evidence"] == UNCERTAIN:
        row["reason"] = _why_uncertain(part, str(row["reason"]))
    rule = FIRST_MOVER_RULES.get(str(row["order_evidence"]))
    if rule is not None and row["order"] == "decided":
        row["basis"] = rule["basis"]
    return row


def _single_outlet_rows(single: pd.DataFrame) -> pd.DataFrame:
    """:func:`first_movers`' rows of stories one outlet carries, all at once.

    What :func:`_first_by_dates` and :func:`_why_uncertain` say of a one-row story: the outlet
    is first when ``is_first`` says so (``unknown-outlet`` when its outlet is unknown), else the
    story is ``undated`` without a trusted date, else uncertain (an untrusted date among its
    articles, or a date within the tie window). Most stories are one outlet's: a loop over them
    was most of the timelines stage.
    """
    outlet = single["outlet_id"].astype(str).to_numpy()
    is_first = single["is_first"]
    first = is_first.fillna(False).astype(bool).to_numpy()
    possible = (is_first != False).fillna(True).astype(bool).to_numpy()  # noqa: E712
    unknown = outlet == UNKNOWN_OUTLET
    undated = single["first_published"].isna().to_numpy()
    untrusted = ~single["known"].astype(bool).to_numpy()
    decided = first & ~unknown
    order = np.select([first & unknown, decided, undated],
                      ["unknown-outlet", "decided", "undated"], UNCERTAIN)
    reason = np.select(
        [first & unknown, decided, undated, untrusted],
        ["the earliest article's outlet is unknown", "",
         "no article of the story has a trusted date",
         np.char.add("missing or low-confidence date from ", outlet.astype(str))],
        "earliest articles within the tie window")
    return pd.DataFrame({
        "story_id": single["story_id"].to_numpy(), "outlets": 1,
        "articles": single["articles"].astype("int64").to_numpy(),
        "first_outlet": pd.Series(outlet, dtype=object).where(decided, pd.NA).to_numpy(),
        "first_published": single["first_published"].to_numpy(), "order": order,
        "order_evidence": np.where(decided, "date", UNCERTAIN),
        "basis": pd.Series(FIRST_MOVER_RULES["date"]["basis"], index=range(len(single)),
                           dtype=object).where(decided, pd.NA).to_numpy(),
        "candidates": np.where(possible, outlet, ""), "reason": reason,
    }, columns=list(FIRST_MOVER_COLUMNS))


def first_mover_rules(movers: pd.DataFrame, *, min_outlets: int = 2) -> pd.DataFrame:
    """How many first-mover decisions rest on each rule, with the rule's assumption in words.

    Args:
        movers: from :func:`first_movers`.
        min_outlets: count only stories carried by at least this many outlets (a story of one
            outlet has a first mover by definition, which no rule decides).

    Returns:
        One row per rule of :data:`FIRST_MOVER_RULES` (in that order, strongest first), then
        ``uncertain``: ``rule``, ``basis`` (``evidence``, ``assumption``; ``none`` for
        uncertain), ``statement``, ``stories`` (stories it decided), ``share_of_decided``
        (of the stories with a named first mover; missing for uncertain) and
        ``share_of_stories`` (of all the counted stories).

    Raises:
        ValueError: a needed column is missing.

    Example:
        >>> m = pd.DataFrame({"outlets": [2, 2, 3, 1], "order": ["decided"] * 3 + ["decided"],
        ...     "order_evidence": ["date", "source-kind", "uncertain", "date"]})
        >>> first_mover_rules(m)[["rule", "basis", "stories"]].values.tolist()
        [['date', 'evidence', 1], ['credit', 'evidence', 0], ['source-kind', 'assumption', 1], ['containment', 'assumption', 0], ['uncertain', 'none', 1]]
    """
    require_columns(movers, ("outlets", "order", "order_evidence"), "first_movers")
    counted = movers.loc[movers["outlets"] >= min_outlets]
    decided = counted.loc[(counted["order"] == "decided")
                          & counted["order_evidence"].isin(list(FIRST_MOVER_RULES)),
                          "order_evidence"].astype(str)
    counts = decided.value_counts()
    n_decided, n_all = len(decided), len(counted)
    rows = [{"rule": rule, "basis": about["basis"], "statement": about["statement"],
             "stories": int(counts.get(rule, 0)),
             "share_of_decided": counts.get(rule, 0) / n_decided if n_decided else float("nan"),
             "share_of_stories": counts.get(rule, 0) / n_all if n_all else float("nan")}
            for rule, about in FIRST_MOVER_RULES.items()]
    open_ = n_all - n_decided
    rows.append({"rule": UNCERTAIN, "basis": "none",
                 "statement": "No rule names a first mover (ties, untrusted dates, conflicting "
                              "or no provenance evidence); never guessed.",
                 "stories": int(open_), "share_of_decided": float("nan"),
                 "share_of_stories": open_ / n_all if n_all else float("nan")})
    return pd.DataFrame(rows).astype({"rule": "string", "basis": "string", "statement": "string",
                                      "stories": "int64", "share_of_decided": "float64",
                                      "share_of_stories": "float64"})


def _first_by_dates(part: _Part) -> dict[str, object]:
    """The first outlet of one story from :func:`story_timing`'s ``is_first`` alone."""
    possible = [str(o) for o, first in zip(part.outlet_id, part.is_first, strict=True)
                if first is not False]  # True or missing
    result: dict[str, object] = {"candidates": "|".join(sorted(possible))}
    certain_first = [o for o, first in zip(part.outlet_id, part.is_first, strict=True)
                     if first is True]
    if len(certain_first) == 1 and certain_first[0] == UNKNOWN_OUTLET:
        result.update(order="unknown-outlet", reason="the earliest article's outlet is unknown")
    elif len(certain_first) == 1:
        result.update(first_outlet=certain_first[0], order="decided", order_evidence="date")
    elif pd.isna(part.first_time()):
        result.update(order="undated", reason="no article of the story has a trusted date")
    return result


def _first_by_evidence(part: _Part, edges: Sequence[_Edge]) -> dict[str, object]:
    """The first outlet of one story from ordered article pairs, weakest evidence needed."""
    if len(part) == 1:  # one outlet alone: first by definition, dated or not
        return _first_by_dates(part)
    from mediaprov.stories import ORDER_EVIDENCE

    outlet_of = {article: str(outlet) for outlet, ids in zip(part.outlet_id, part.article_ids,
                                                               strict=True)
                 for article in str(ids).split("|") if article}
    articles = sorted(outlet_of)
    usable = [(before, after, kind) for before, after, kind in edges  # a missing (NA) kind: no kind
              if isinstance(kind, str) and before in outlet_of and after in outlet_of]
    result: dict[str, object] = {}
    reach: dict[str, set[str]] = {a: set() for a in articles}
    for level, evidence in enumerate(ORDER_EVIDENCE):
        kinds = ORDER_EVIDENCE[:level + 1]
        closure = _reachable(articles, [(before, after) for before, after, kind in usable
                                        if kind in kinds])
        if any(a in closure[a] for a in articles):
            result["reason"] = (f"conflicting evidence once {evidence} is used: the order would "
                                "go round in a circle")
            break
        reach = closure
        first = _covering_outlet(outlet_of, reach)
        if first is not None:
            if first == UNKNOWN_OUTLET:
                return {"order": "unknown-outlet", "candidates": UNKNOWN_OUTLET,
                        "reason": "the first article's outlet is unknown"}
            return {"first_outlet": first, "order": "decided", "order_evidence": evidence,
                    "candidates": first}
    preceded = {b for a in articles for b in reach[a] if outlet_of[b] != outlet_of[a]}
    candidates = sorted({outlet_of[a] for a in articles if a not in preceded})
    result["candidates"] = "|".join(candidates)
    if "reason" not in result:
        reason = ("no credit, outlet kind or common source puts one of "
                  + ", ".join(candidates) + " before the others")
        if pd.isna(part.first_time()):
            result.update(order="undated", reason="no article of the story has a trusted date; "
                                                  + reason)
        else:
            result["reason"] = reason
    return result


def _reachable(articles: list[str], pairs: object) -> dict[str, set[str]]:
    """Every article -> the articles after it, following ordered pairs transitively."""
    after: dict[str, set[str]] = {a: set() for a in articles}
    for before, later in pairs:  # type: ignore[attr-defined]
        after[str(before)].add(str(later))
    closure: dict[str, set[str]] = {}
    for start in articles:
        seen: set[str] = set()
        stack = list(after[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(after[node])
        closure[start] = seen
    return closure


def _covering_outlet(outlet_of: dict[str, str], reach: dict[str, set[str]]) -> str | None:
    """The one outlet whose articles, together, come before every other outlet's article."""
    outlets = sorted(set(outlet_of.values()))
    found = []
    for outlet in outlets:
        mine = [a for a, o in outlet_of.items() if o == outlet]
        covered = set().union(*(reach[a] for a in mine))
        if all(a in covered for a, o in outlet_of.items() if o != outlet):
            found.append(outlet)
    return found[0] if len(found) == 1 else None


def _why_uncertain(part: _Part, reason: str) -> str:
    """Say why the dates leave a story's first publisher open (then ``reason``, if given)."""
    reasons = []
    unknown = sorted(str(outlet) for outlet, known in zip(part.outlet_id, part.known, strict=True)
                     if not known)
    if unknown:
        reasons.append("missing or low-confidence date from " + ", ".join(unknown))
    first_time = part.first_time()
    tied = sorted(str(outlet)
                  for outlet, time in zip(part.outlet_id, part.first_published, strict=True)
                  if time == first_time)  # never when first_time is NaT (all undated)
    if len(tied) > 1:
        reasons.append("tie between " + ", ".join(tied))
    if not reasons:
        reasons.append("earliest articles within the tie window")
    return "; ".join(reasons + ([reason] if reason else []))


def follow_pairs(timing: pd.DataFrame, *,
                 tie_window: pd.Timedelta = pd.Timedelta(0)) -> pd.DataFrame:
    """How often and how fast each outlet follows each other outlet in shared stories.

    For two outlets in one story the order is known when all their articles in the story have
    trusted dates (:func:`story_timing`'s ``known``); first times within ``tie_window`` tie.
    Every ordered pair is listed both ways, so no outlet is privileged by the table's layout.

    Args:
        timing: from :func:`story_timing`.
        tie_window: how close two first times must be to count as a tie.

    Returns:
        One row per ordered pair (``leader``, ``follower``) sharing at least one story, sorted:
        ``stories`` (shared), ``follows`` (stories where ``follower`` published after
        ``leader``), ``ties``, ``uncertain``, ``share_follows`` (= follows / stories),
        ``median_lag_days``, its spread ``q1_lag_days`` and ``q3_lag_days`` (quartiles) and
        ``mean_lag_days`` over the ``follows`` stories (``follows`` is their n).

    Example:
        >>> t = pd.DataFrame({"story_id": ["s", "s"], "outlet_id": ["x", "y"],
        ...     "known": [True, True],
        ...     "first_published": pd.to_datetime(["2024-01-01", "2024-01-02"], utc=True)})
        >>> row = follow_pairs(t).iloc[0]
        >>> row.leader, row.follower, int(row.follows), float(row.median_lag_days)
        ('x', 'y', 1, 1.0)
    """
    require_columns(timing, ("story_id", "outlet_id", "known", "first_published"), "timing")
    left = timing.loc[:, ["story_id", "outlet_id", "known", "first_published"]]
    pairs = left.merge(left, on="story_id", suffixes=("_l", "_f"))
    pairs = pairs.loc[pairs["outlet_id_l"] != pairs["outlet_id_f"]].copy()
    both_known = pairs["known_l"].astype(bool) & pairs["known_f"].astype(bool)
    gap = pairs["first_published_f"] - pairs["first_published_l"]
    pairs["follows"] = both_known & (gap > tie_window)
    pairs["ties"] = both_known & (gap.abs() <= tie_window)
    pairs["uncertain"] = ~both_known
    pairs["lag"] = (gap / pd.Timedelta(days=1)).where(pairs["follows"])
    grouped = pairs.groupby(["outlet_id_l", "outlet_id_f"], sort=True)
    table = grouped.agg(stories=("story_id", "nunique"), follows=("follows", "sum"),
                        ties=("ties", "sum"), uncertain=("uncertain", "sum"),
                        median_lag_days=("lag", "median"),
                        q1_lag_days=("lag", lambda s: s.quantile(0.25)),
                        q3_lag_days=("lag", lambda s: s.quantile(0.75)),
                        mean_lag_days=("lag", "mean")).reset_index()
    table = table.rename(columns={"outlet_id_l": "leader", "outlet_id_f": "follower"})
    table["share_follows"] = table["follows"] / table["stories"]
    table = table.loc[:, ["leader", "follower", "stories", "follows", "ties", "uncertain",
                          "share_follows", "median_lag_days", "q1_lag_days", "q3_lag_days",
                          "mean_lag_days"]]
    return table.astype({"leader": "string", "follower": "string", "stories": "int64",
                         "follows": "int64", "ties": "int64", "uncertain": "int64",
                         "share_follows": "float64", "median_lag_days": "float64",
                         "q1_lag_days": "float64", "q3_lag_days": "float64",
                         "mean_lag_days": "float64"}).reset_index(drop=True)


