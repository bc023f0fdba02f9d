"""Event groups of a stories table: differently worded coverage of one event.

:func:`add_event_groups` fills the ``event_group`` and ``event_joined_by`` columns of the STORIES
table (:func:`mediaprov.stories.build_stories` leaves them empty) with the same-event grouping of
:func:`mediaprov.narratives.group_same_event`. Same-event grouping compares the articles' term
counts, not their texts: a caller with a large corpus counts the texts of its table a slice at a
time (:meth:`mediaprov.narratives.articleterms.TermCounts.of_table`) and passes the counts
(``counts``) with articles that hold no text, so the texts are never all in memory (at a million
articles, seven gigabytes of the process once read).

Example:
    >>> stories = pd.DataFrame({"article_id": ["a", "b"], "story_id": ["s1", "s1"],
    ...                         "joined_by": ["reuse", "reuse"]})
    >>> articles = pd.DataFrame({"article_id": ["a", "b"], "text": ["x y", "x y"],
    ...     "published": pd.to_datetime(["2022-01-01", None], utc=True)})
    >>> mentions = pd.DataFrame(columns=["article_id", "entity_id"])
    >>> add_event_groups(stories, articles, mentions).event_joined_by.tolist()  # no shared actors
    ['alone', 'alone']
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # imported where used: same-event grouping loads scikit-learn
    from mediaprov.narratives.articleterms import TermCounts

CHAINED_SPAN_DAYS = 30.0
"""Days over which a group of dated articles linked in time is taken for a chain of events: one
event's coverage linked day to day spans at most 5 days on two real corpora and 17 on the demo
(whose events run over weeks). :func:`add_event_groups` warns of such groups."""

_LOG = logging.getLogger(__name__)


def add_event_groups(stories: pd.DataFrame, articles: pd.DataFrame, mentions: pd.DataFrame, *,
                     window_days: float = 3, min_shared_entities: int = 2,
                     min_similarity: float = 0.1, title_weight: float = 1.0,
                     day_penalty: float = 0.1, split_chains: bool = True,
                     max_span_days: float | None = None,
                     counts: TermCounts | None = None, threads: int = 1) -> pd.DataFrame:
    """Extend a stories table with event groups: differently worded coverage of one event.

    Articles are grouped by :func:`mediaprov.narratives.group_same_event` (time window, shared
    entities, text similarity; undated articles join only a group they clearly match). An
    article left alone by that grouping joins the event group of its story, if its story has one
    (``event_joined_by`` = ``story``): a copy of a release belongs to the event the release is
    about. Groups are not merged through stories: on the demo corpus that chained distinct events
    (ARI 0.85 instead of 0.91), since one long-running story can span several events.

    The defaults are ``group_same_event``'s ``NEWS_SETTINGS`` (titles joined to the text, 0.1 taken
    off the similarity per day apart, ``min_similarity`` 0.1, single links between same-day groups
    cut): ARI 0.909 on the AllSides development set (where they were chosen; 0.886 without
    ``split_chains``) and 0.86 on the demo, against 0.57 and 0.91 for text alone at 0.4.
    Notebook 04 shows the sensitivity; check it on your corpus.

    Args:
        stories: the STORIES table.
        articles: the ``articles`` table.
        mentions: the ``mentions`` table.
        window_days: largest gap in days between linked articles.
        min_shared_entities: shared entities a link needs (see ``group_same_event``).
        min_similarity: least text similarity of a link, after the day penalty.
        title_weight: weight of the title joined to the text.
        day_penalty: similarity taken off per day apart.
        split_chains: cut single links between groups of the same days.
        max_span_days: link a group spanning more than this many days again at a higher
            similarity (see ``group_same_event``); ``None``: never, but a warning names the
            groups of dated articles linked over more than :data:`CHAINED_SPAN_DAYS`.
        counts: the term counts of the articles
            (:meth:`~mediaprov.narratives.articleterms.TermCounts.of_table`); given,
            ``articles`` need no ``text``. Default: counted here from ``articles["text"]``.
        threads: threads of the undated match (see ``group_same_event``; same table).

    Returns:
        The stories table with ``event_group`` and ``event_joined_by`` filled, sorted as before.

    Example: see the module docstring.
    """
    from mediaprov.narratives import group_same_event

    events = group_same_event(articles, mentions, window_days=window_days,
                              min_shared_entities=min_shared_entities, min_similarity=min_similarity,
                              title_weight=title_weight, day_penalty=day_penalty,
                              split_chains=split_chains, max_span_days=max_span_days,
                              counts=counts, threads=threads)
    _warn_of_chains(events, articles, limit=max_span_days)
    group_of = dict(zip(events.article_id, events.event_group, strict=True))
    how = dict(zip(events.article_id, events.joined_by, strict=True))
    out = stories.copy()
    out["event_group"] = [group_of.get(a) for a in out.article_id]
    out["event_joined_by"] = [how.get(a) for a in out.article_id]
    # An article the grouping left alone joins the event group of its story, if a member of the
    # story belongs to a real group (joined by time window or undated match).
    real = out.event_joined_by.isin(["time-window", "undated-match"])
    target = out.event_group.where(real).groupby(out.story_id).transform("min")
    lonely = out.event_joined_by.eq("alone") & target.notna()
    out.loc[lonely, "event_group"] = target[lonely]
    out.loc[lonely, "event_joined_by"] = "story"
    return out


def _warn_of_chains(events: pd.DataFrame, articles: pd.DataFrame, *, limit: float | None) -> None:
    """Warn of the groups of dated articles linked over more than :data:`CHAINED_SPAN_DAYS` (none with a ``limit``)."""
    if limit is not None and limit <= CHAINED_SPAN_DAYS:
        return
    linked = events.loc[events["joined_by"] == "time-window", ["article_id", "event_group"]]
    frame = linked.merge(articles[["article_id", "published"]].astype({"article_id": "string"}),
                         on="article_id")
    spans = frame.groupby("event_group")["published"].agg(["min", "max", "size"])
    days = (spans["max"] - spans["min"]) / pd.Timedelta(days=1)
    long = spans[days > CHAINED_SPAN_DAYS]
    if long.empty:
        return
    largest = long["size"].idxmax()
    many = len(long) > 1
    _LOG.warning("event groups: %d group%s of dated articles %s linked over more than %g days (the "
                 "largest: %s articles over %s days), so single links chained events weeks apart at "
                 "this density; `mediaprov stories DIR --event-max-span %g` "
                 "(run_stories(event_max_span_days=%g)) links such groups again at a higher "
                 "similarity, at a cost that grows with the articles per window",
                 len(long), "s" if many else "", "are" if many else "is", CHAINED_SPAN_DAYS,
                 f"{long.loc[largest, 'size']:,}", f"{days[largest]:,.0f}", CHAINED_SPAN_DAYS,
                 CHAINED_SPAN_DAYS)
