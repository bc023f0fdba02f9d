"""Same-event coverage: join differently worded articles about one event, then compare camps.

:func:`group_same_event` works in two steps.

**Dated articles, by time window.** Two articles are linked when all three hold:

1. they were published at most ``window_days`` apart;
2. they mention at least ``min_shared_entities`` of the same entities (``mentions`` table), so
   two camps' stories about one meeting join even when no sentence is shared. Curated entities
   and names discovered in the text (:mod:`mediaprov.names`, ids ``name:...``) both count, so
   no curated pack is needed; a discovered name that more than ``max_entity_share`` of the
   articles mention (``Iran`` in a corpus about Iran) does not count;
3. the cosine similarity of their vectors, less ``day_penalty`` per day between them, is at
   least ``min_similarity``, so two events with the same actors in one week stay apart. The
   vector is the TF-IDF of the text (unigrams, sublinear tf) joined by the TF-IDF of the title
   (weight ``title_weight``), each normalised.

Groups are the connected components of these links (single linkage), optionally less the links
that alone chain two groups of the same days (``split_chains``, below), and optionally with any
group that spans more than ``max_span_days`` linked again at a higher similarity until none does
(single linkage cut higher where, and only where, the lower level chains events weeks apart: a
denser corpus chains more); :func:`event_links` gives the links with their evidence. Grouping never lists every link
(:func:`mediaprov.narratives.eventsearch.link_components`): articles sorted by time are first
compared with their nearest neighbours in time, then each block of articles with the articles of
its window except those already in its component, all in sparse row-wise products. The work grows
with the articles times the *components* per window, not the articles per window: on the demo
corpus (17 events over three years, so a window holds ten times more articles at 100,000 articles
than at 10,000) the CPU time grows with exponent 0.94 from 10,000 to 100,000 articles (6.9 s to
61 s, 2.7 GB). :func:`event_links` lists every link, which is quadratic in the articles per event.

On real news the similarity that separates events is lower than on the demo corpus (longer,
more varied texts): on the AllSides development set (``tests/fixtures/allsides_dev``, 40 events
read by hand) the text alone at the defaults scores 0.17 (``min_similarity=0.4``) to 0.70
(0.2), while :data:`NEWS_SETTINGS` (titles joined, 0.1 taken off per day, ``min_similarity``
0.1) reach 0.886 (pairs of articles in one event: precision 0.87, recall 0.91), against 0.87 for
grouping by publication day alone; with ``split_chains`` (also in :data:`NEWS_SETTINGS`) 0.909
(precision 0.90, recall 0.92). Those settings were chosen on that set and sit on a narrow
peak (title weight 0.5 or 2, or ``min_similarity`` 0.08 or 0.15, score 0.76 to 0.85), so check a
grid on a few hand-labelled events of your own corpus.

Single linkage joins two events through one link whose wording is as close as many true links
(0.10 to 0.25 here), so no threshold separates them. ``split_chains``
(:func:`~mediaprov.narratives.eventsearch.cut_chains`) cuts a link that alone holds together two
linked groups of overlapping days (a bridge of the link graph): on the development set it parts
a drone shot down from a tanker seized the next day, and splits no event (one merge of five
mended: a gain that rests on one pair of events). The other merges of one
busy news day (a strike and a UN speech about it, a missile strike and the president's address
the same evening, an airliner downed and Iran's denial) are not chains: their articles
cross-link as densely as within each event (each wrong link in one to five triangles), and
modularity communities (Louvain or greedy, on each component's weighted links) that part three
of them split eleven true events (ARI 0.83), and asking each link for a shared neighbour splits
twelve (0.86 to 0.87). Left too: opinion pieces or mid-article excerpts that share little
wording with the news reports. The defaults (text only, no day penalty) keep
the demo corpus's calibration.

**Undated articles, by clear match.** Ingestion never guesses a date, so an article without a
trusted date cannot be placed in a time window. :func:`undated_matches` compares it with every
group of dated articles, with no time constraint (its date is unknown): the candidates are the
groups with a member that shares at least ``min_shared_entities`` entities with it, the score is
the cosine similarity of its TF-IDF vector with the group's centroid (mean of the members'
normalised vectors). It joins the best group only when the match is clear: the best similarity is
at least ``undated_min_similarity`` *and* exceeds the best rival by at least
``undated_min_margin``, where a rival is a candidate group of another time (none of its articles
within ``window_days`` of the best group's). A pair of entities that more than
``undated_max_pair_groups`` dated groups hold (two leaders who meet every month) nominates no
candidate, so the candidates of an article stay bounded as the corpus grows. Otherwise it stays alone; undated articles are never
joined to each other. Without a time window, the same actors at another event compete; the margin
is what keeps such articles apart, so check it against a few hand-labelled events (the notebook's
grid does this on the demo corpus). :mod:`mediaprov.narratives.undated` holds this step.

Each article's ``joined_by`` says how it got its group: ``time-window`` (it has a link of its
own), ``undated-match`` (attached by step two), ``alone`` (neither: no date and no clear match,
no entities, or a dated article without links; undated articles may still have been attached to
such an article). The "stories" of the timelines stage join near-copies; this grouping is looser
and is meant for side-by-side comparison, not for reuse.

:func:`compare_event` lays out, for the articles of one event, which entities, quoted speakers
and labels each camp (or publisher) includes, and which it omits.

Example:
    >>> articles = pd.DataFrame({"article_id": ["a", "b", "c", "d"],
    ...     "published": pd.to_datetime(["2024-03-01", "2024-03-02", "2024-05-01", None], utc=True),
    ...     "text": ["Voss met Kade at the dam talks", "Kade and Voss dam talks end", "Voss and Kade budget vote",
    ...              "Kade and Voss at dam talks"]})
    >>> mentions = pd.DataFrame({"article_id": ["a", "a", "b", "b", "c", "c", "d", "d"],
    ...     "entity_id": ["voss", "kade"] * 4, "start": [0] * 8, "end": [1] * 8})
    >>> grouped = group_same_event(articles, mentions, min_similarity=0.1)
    >>> grouped.values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['a', 'event-0001', 'time-window'], ['b', 'event-0001', 'time-window'],
     ['d', 'event-0001', 'undated-match'], ['c', 'event-0002', 'alone']]
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from mediaprov.narratives.articleterms import TermCounts, article_frame, entity_frame
from mediaprov.narratives.eventsearch import (
    all_links, cut_chains, link_components, prepare, shared_entities, split_long_components,
)
from mediaprov.narratives.groups import group_column
from mediaprov.narratives.undated import (
    MAX_PAIR_GROUPS, UNDATED_MATCH_COLUMNS, match_undated, undated_matches,
)
from mediaprov.schema import require_columns

__all__ = ["JOINED_BY", "NEWS_SETTINGS", "UNDATED_MATCH_COLUMNS", "compare_event", "event_links",
           "event_term_counts", "group_same_event", "group_same_event_by_margin", "undated_matches",
           "without_undated_matches"]

JOINED_BY: tuple[str, ...] = ("time-window", "undated-match", "alone")
"""Values of ``joined_by`` in :func:`group_same_event`: how each article got its group."""

NEWS_SETTINGS: dict[str, float] = {"title_weight": 1.0, "day_penalty": 0.1, "min_similarity": 0.1,
                                   "split_chains": True}
"""Keyword arguments of :func:`group_same_event` for real news (long, varied texts with titles):
``group_same_event(articles, mentions, **NEWS_SETTINGS)``. Chosen on the AllSides development
set (ARI 0.909 there, 0.886 without ``split_chains``; see the module docstring). On the demo
corpus ``split_chains`` parts one planted event in two (ARI 0.861 to 0.858).

On a dense corpus add ``max_span_days=30``: it changes no group of those two corpora (their
linked groups span at most 5 and 17 days) and parts the chains of a denser one. On 100,129 demo
articles (the ``stories`` stage, against the planted events) one group of 100,091 of its 104,468
rows (merged duplicates included), ARI 0.000, became groups of at most 30 days, ARI 0.809 (0.890
over the dated articles), linked again up to ``min_similarity`` 0.35, the event step 32 -> 91 s.
It is not in these settings because its cost grows with the articles per window, not the
articles: at a million demo articles the third step alone (0.25) took 394 s, against 8.5 s at
100,000, and the chains there part only higher."""

_LOG = logging.getLogger(__name__)


def event_term_counts(articles: pd.DataFrame, mentions: pd.DataFrame) -> TermCounts:
    """The term counts :func:`group_same_event` makes, to pass as its ``counts`` when it runs many times.

    Counting the texts does not depend on any threshold, and it is a large part of one
    grouping's time (at 100,000 demo articles 22 s, against 10 s for the time-window links at
    ``min_similarity`` 0.4 and 51 s with the undated match too): a grid of settings over the same
    articles counts them once with this and passes ``counts=`` to :func:`group_same_event` and
    :func:`undated_matches`, with the same groups as without.

    Args:
        articles: articles with ``article_id``, ``text`` (optionally ``title``, ``clean_text``).
        mentions: the ``mentions`` table (entities per article).

    Returns:
        The :class:`~mediaprov.narratives.articleterms.TermCounts` of the articles with entities,
        counted as :func:`group_same_event` counts them.

    Example:
        >>> articles = pd.DataFrame({"article_id": ["a", "b"], "published": [None, None],
        ...                          "text": ["dam talks", "budget vote"]})
        >>> counts = event_term_counts(articles, pd.DataFrame({"article_id": ["a"], "entity_id": ["voss"]}))
        >>> sorted(counts.row)
        ['a']
    """
    frame = entity_frame(articles, mentions)
    return TermCounts(frame[frame["entities"].notna()])


def event_links(articles: pd.DataFrame, mentions: pd.DataFrame, *, window_days: float = 3,
                min_shared_entities: int = 2, min_similarity: float = 0.3,
                max_entity_share: float = 0.2, title_weight: float = 0.0,
                day_penalty: float = 0.0) -> pd.DataFrame:
    """Return the article pairs that :func:`group_same_event` links in time, with the evidence.

    Only dated articles with entities are linked; undated ones are matched by
    :func:`undated_matches`. Every link is listed (:func:`~mediaprov.narratives.eventsearch.all_links`):
    when one event draws thousands of articles their links grow with the square of that number,
    so at scale read the groups of :func:`group_same_event`, which never lists them all.

    Args:
        articles: articles with ``article_id``, ``published``, ``text`` (optionally ``title``).
        mentions: the ``mentions`` table (entities per article).
        window_days: as in :func:`group_same_event`.
        min_shared_entities: as in :func:`group_same_event`.
        min_similarity: as in :func:`group_same_event`.
        max_entity_share: as in :func:`group_same_event`.
        title_weight: as in :func:`group_same_event`.
        day_penalty: as in :func:`group_same_event`.

    Returns:
        Columns ``article_a, article_b`` (a sorts first), ``days`` apart, ``shared_entities``
        (sorted ids joined by ``|``), ``similarity``; sorted by the pair.

    Example:
        >>> event_links(pd.DataFrame({"article_id": [], "published": [], "text": []}),
        ...             pd.DataFrame({"article_id": [], "entity_id": [], "start": [], "end": []})).shape
        (0, 5)
    """
    columns = ["article_a", "article_b", "days", "shared_entities", "similarity"]
    space = prepare(entity_frame(articles, mentions), title_weight=title_weight,
                    max_entity_share=max_entity_share)
    if len(space.ids) < 2:
        return pd.DataFrame({c: [] for c in columns})
    pairs, similarity = all_links(space, window_days=window_days,
                                  min_shared_entities=min_shared_entities,
                                  min_similarity=min_similarity, day_penalty=day_penalty)
    if not pairs.shape[1]:
        return pd.DataFrame({c: [] for c in columns})
    rows, cols = pairs
    ids = space.ids
    first = np.where(ids[rows] <= ids[cols], ids[rows], ids[cols])
    second = np.where(ids[rows] <= ids[cols], ids[cols], ids[rows])
    table = pd.DataFrame({"article_a": first, "article_b": second,
                          "days": (space.times[cols] - space.times[rows]).astype(float),
                          "shared_entities": shared_entities(space, pairs),
                          "similarity": similarity.astype(float)})
    return table.sort_values(["article_a", "article_b"], kind="mergesort").reset_index(drop=True)


def group_same_event(articles: pd.DataFrame, mentions: pd.DataFrame, *, window_days: float = 3,
                     min_shared_entities: int = 2, min_similarity: float = 0.3,
                     attach_undated: bool = True, undated_min_similarity: float | None = None,
                     undated_min_margin: float = 0.05, max_entity_share: float = 0.2,
                     title_weight: float = 0.0, day_penalty: float = 0.0,
                     undated_same_time_rivals: bool = False, split_chains: bool = False,
                     undated_max_pair_groups: int | None = MAX_PAIR_GROUPS,
                     max_span_days: float | None = None,
                     counts: TermCounts | None = None, threads: int = 1) -> pd.DataFrame:
    """Assign each article an event group: coverage of one event by any outlet, however worded.

    Dated articles are grouped by time-window links (:func:`event_links`); then each undated
    article joins the dated group it clearly matches (:func:`undated_matches`), or stays alone.

    Args:
        articles: articles with ``article_id``, ``published`` and ``text``.
        mentions: the ``mentions`` table (entities per article).
        window_days: largest gap in days between two linked articles.
        min_shared_entities: entities two linked articles (or an undated article and a member of
            its group) must share.
        min_similarity: smallest TF-IDF cosine of two linked articles (0 disables the check).
            The level that separates events depends on the corpus (text length, shared
            boilerplate): on the demo corpus unrelated articles of one week score about 0.33 and
            same-event articles about 0.44, so check a grid of values against a few hand-labelled
            events before trusting one.
        attach_undated: match undated articles to dated groups (``False``: they stay alone).
        undated_min_similarity: smallest similarity of an undated article with its group's
            centroid (default: ``min_similarity``).
        undated_min_margin: smallest lead of the best group over the best rival: a candidate
            group whose articles come within ``window_days`` of the best group's (see
            ``undated_same_time_rivals``). On the demo corpus, undated articles of a planted
            event lead by about 0.13 (median) and those of no event by about 0.01.
        max_entity_share: discovered names (ids ``name:...``, :mod:`mediaprov.names`) named by
            more than this share of the articles do not count as shared entities (``Iran`` in a
            corpus about Iran tells no event apart); curated entities always count.
        title_weight: weight of the title's TF-IDF beside the text's (both normalised) in the
            vectors compared; 0 compares the texts only. Articles without a ``title`` column
            are compared on their text.
        day_penalty: similarity taken off per day between two dated articles before the
            ``min_similarity`` check, so a link two days apart needs more shared wording than a
            link on the same day.
        undated_same_time_rivals: let groups of the same days as the best group count as its
            rivals for the margin too (the rule before this option). By default they do not:
            the margin guards against the unknown date, and two groups of the same days are one
            news cycle, often one event the time window left in two parts (on the AllSides
            development set this attaches one more article to its event, on the demo corpus
            with :data:`NEWS_SETTINGS` it raises the ARI from 0.855 to 0.861).
        split_chains: after the links, cut each link that alone holds together two linked
            groups of overlapping days (a bridge of the component's link graph with a link on
            each side; :func:`~mediaprov.narratives.eventsearch.cut_chains`), so single linkage
            does not join two stories of one news cycle through one link. Off by default: the
            demo corpus's events run over weeks, and there a bridge more often joins a late
            part of one event (ARI unchanged at the defaults, 0.861 to 0.858 with
            :data:`NEWS_SETTINGS`). Components of more than
            :data:`~mediaprov.narratives.eventsearch.CHAIN_MAX_ARTICLES` articles are left whole
            (listing their links would be quadratic), so the work stays linear; no measurable
            CPU time at 10,000 and 100,000 demo articles. :func:`event_links` still lists the
            cut links.
        undated_max_pair_groups: a pair of entities held by more than this many dated groups
            nominates no candidate group for an undated article (``max_pair_groups`` of
            :func:`undated_matches`; ``None``: no bound, and the work grows with the undated
            articles times the groups).
        max_span_days: part a group of dated articles whose publication times span more than
            this many days: its articles are linked again at a higher ``min_similarity``, step by
            step, until no part spans more
            (:func:`~mediaprov.narratives.eventsearch.split_long_components`; after
            ``split_chains``, before the undated match). Single links chain more events as a
            corpus grows denser; ``None`` (the default) leaves every group whole. The level
            reached is logged.
        counts: the term counts of (at least) the articles with entities, from a caller that
            does not hold the texts
            (:meth:`~mediaprov.narratives.articleterms.TermCounts.of_table`) or that groups the
            same articles many times (:func:`event_term_counts`); given, ``articles`` need no
            ``text``. Default: counted here.
        threads: threads of the undated match (``threads`` of :func:`undated_matches`; the
            same groups whatever the number).

    Returns:
        Columns ``article_id, event_group, joined_by`` (one of :data:`JOINED_BY`): one row per
        article, groups named ``event-0001``... in order of their first article (publication
        time, then id; groups of undated articles come last), sorted by group and article, so
        reruns are identical.

    Raises:
        ValueError: when ``articles`` has no ``text`` and no ``counts`` are given.

    Example: see the module docstring.
    """
    [grouping] = _group_same_event(
        articles, mentions, window_days=window_days, min_shared_entities=min_shared_entities,
        min_similarity=min_similarity, attach_undated=attach_undated,
        undated_min_similarity=undated_min_similarity, undated_min_margins=(undated_min_margin,),
        max_entity_share=max_entity_share, title_weight=title_weight, day_penalty=day_penalty,
        undated_same_time_rivals=undated_same_time_rivals, split_chains=split_chains,
        undated_max_pair_groups=undated_max_pair_groups, max_span_days=max_span_days,
        counts=counts, threads=threads)
    return grouping


def group_same_event_by_margin(articles: pd.DataFrame, mentions: pd.DataFrame,
                               undated_min_margins: Sequence[float], **settings: Any
                               ) -> dict[float, pd.DataFrame]:
    """:func:`group_same_event` at several ``undated_min_margin`` values, linking and matching once.

    The margin only decides which undated articles the match attaches, so the time-window links
    and the undated match are made once (at the smallest margin) and each margin's table is
    taken from them: the tables :func:`group_same_event` gives at each margin, in the time of
    one run (notebook 04's table of margins).

    Args:
        articles: as in :func:`group_same_event`.
        mentions: as in :func:`group_same_event`.
        undated_min_margins: the margins (each as ``undated_min_margin``).
        **settings: any other keyword argument of :func:`group_same_event`.

    Returns:
        Each margin's :func:`group_same_event` table, keyed by the margin (as a float; a margin
        given twice is one key), in the order given.

    Raises:
        TypeError: ``settings`` hold ``undated_min_margin`` or a name :func:`group_same_event`
            does not take.
        ValueError: no margin is given, a margin is NaN, or as :func:`group_same_event`.

    Example:
        >>> articles = pd.DataFrame({"article_id": ["a", "b", "u"], "title": ["", "", ""],
        ...     "published": pd.to_datetime(["2031-05-02", "2031-05-03", None], utc=True),
        ...     "text": ["Zorvan met Lind in Vellora about the dam."] * 2 + ["Zorvan and Lind, dam."]})
        >>> mentions = pd.DataFrame({"article_id": list("aabbuu"),
        ...     "entity_id": ["person:zorvan", "person:lind"] * 3})
        >>> tables = group_same_event_by_margin(articles, mentions, [0.0, 0.5], min_similarity=0.1)
        >>> [t.set_index("article_id").loc["u", "joined_by"] for t in tables.values()]
        ['undated-match', 'undated-match']
    """
    if "undated_min_margin" in settings:
        raise TypeError("give the margins as undated_min_margins, not undated_min_margin")
    margins = tuple(float(margin) for margin in undated_min_margins)
    if not margins:
        raise ValueError("give at least one undated_min_margin")
    if any(math.isnan(margin) for margin in margins):
        raise ValueError(f"an undated_min_margin is not a number: {list(margins)}")
    return dict(zip(margins, _group_same_event(articles, mentions, undated_min_margins=margins,
                                               **settings), strict=True))


def _group_same_event(articles: pd.DataFrame, mentions: pd.DataFrame, *, window_days: float = 3,
                      min_shared_entities: int = 2, min_similarity: float = 0.3,
                      attach_undated: bool = True, undated_min_similarity: float | None = None,
                      undated_min_margins: tuple[float, ...] = (0.05,), max_entity_share: float = 0.2,
                      title_weight: float = 0.0, day_penalty: float = 0.0,
                      undated_same_time_rivals: bool = False, split_chains: bool = False,
                      undated_max_pair_groups: int | None = MAX_PAIR_GROUPS,
                      max_span_days: float | None = None,
                      counts: TermCounts | None = None, threads: int = 1) -> list[pd.DataFrame]:
    """:func:`group_same_event` (its arguments), a table per margin of ``undated_min_margins``."""
    if counts is None and "text" not in articles.columns:
        raise ValueError("articles lack a text column: pass the texts, or their term counts as "
                         "counts= (mediaprov.narratives.articleterms.TermCounts.of_table)")
    articles_entities = entity_frame(articles, mentions)
    if counts is None:  # every article with entities tokenised once, for both TF-IDF fits
        counts = TermCounts(articles_entities[articles_entities["entities"].notna()])
    # the texts are not needed after that, and the frames cut from this one would copy them
    articles_entities = articles_entities.drop(columns="text", errors="ignore")
    frame = articles_entities[["article_id", "published"]].copy()
    space = prepare(articles_entities, title_weight=title_weight,
                    max_entity_share=max_entity_share, counts=counts)
    labels = link_components(space, window_days=window_days,
                             min_shared_entities=min_shared_entities,
                             min_similarity=min_similarity, day_penalty=day_penalty)
    if split_chains:
        labels = cut_chains(space, labels, window_days=window_days,
                            min_shared_entities=min_shared_entities,
                            min_similarity=min_similarity, day_penalty=day_penalty)
    if max_span_days is not None:
        labels, level = split_long_components(space, labels, max_span_days=max_span_days,
                                              window_days=window_days,
                                              min_shared_entities=min_shared_entities,
                                              min_similarity=min_similarity, day_penalty=day_penalty)
        if level > min_similarity:
            _LOG.info("same-event groups: links at min_similarity %g chained articles more than %g "
                      "days apart; those groups were linked again up to %g",
                      min_similarity, max_span_days, level)
    # one edge from each article to its component's first article: the same components as all
    # the links, numbered by scipy in the same order (by each component's first row of frame)
    joined = labels != np.arange(len(labels))
    graph = sparse.coo_matrix(
        (np.ones(int(joined.sum())), (space.positions[joined], space.positions[labels[joined]])),
        shape=(len(frame), len(frame)),
    )
    del space  # its vectors and entities: the undated match fits its own
    _, component = connected_components(graph, directed=False)
    frame["component"] = component.astype("int64")
    sizes = np.bincount(component, minlength=len(frame))
    frame["joined_by"] = np.where(sizes[component] > 1, "time-window", "alone")
    if not (attach_undated and frame["published"].isna().any()):
        return [_named_groups(frame) for _ in undated_min_margins]
    dated = frame[frame["published"].notna()]
    matches = match_undated(
        articles_entities, counts,
        pd.DataFrame({"article_id": dated["article_id"], "event_group": dated["component"].astype(str)}),
        min_shared_entities=min_shared_entities,
        min_similarity=min_similarity if undated_min_similarity is None else undated_min_similarity,
        min_margin=min(undated_min_margins), max_entity_share=max_entity_share,
        title_weight=title_weight,
        rival_gap_days=None if undated_same_time_rivals else window_days,
        max_pair_groups=undated_max_pair_groups, threads=threads)
    # attached at the smallest margin, and by at least this margin: attached at this margin
    return [_named_groups(_attached(frame, matches[matches["attached"] & (matches["margin"] >= margin)]))
            for margin in undated_min_margins]


def _attached(frame: pd.DataFrame, attached: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the undated articles of ``attached`` in their best groups.

    ``frame``: ``article_id, published, component, joined_by``; ``attached``: rows of the undated
    match whose ``best_group`` is a component number. Those articles are ``undated-match``.
    """
    frame = frame.copy()
    rows = frame["article_id"].map({a: k for k, a in enumerate(attached["article_id"])})
    chosen = rows.notna().to_numpy()
    if chosen.any():
        targets = attached["best_group"].astype("int64").to_numpy()
        frame.loc[chosen, "component"] = targets[rows[chosen].astype("int64").to_numpy()]
        frame.loc[chosen, "joined_by"] = "undated-match"
    return frame


def _named_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """The grouping table of ``frame`` (``article_id, published, component, joined_by``).

    Groups are named ``event-0001``... in order of their first article (publication time, then
    id; groups without a dated article last); rows sorted by group and article.
    """
    order = (frame.sort_values(["published", "article_id"], kind="mergesort", na_position="last")
             .drop_duplicates("component")["component"].tolist())
    width = max(4, len(str(len(order))))
    names = {c: f"event-{k:0{width}d}" for k, c in enumerate(order, start=1)}
    out = pd.DataFrame({"article_id": frame["article_id"], "event_group": frame["component"].map(names),
                        "joined_by": frame["joined_by"]})
    return out.sort_values(["event_group", "article_id"], kind="mergesort").reset_index(drop=True).astype("string")


def without_undated_matches(grouping: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The grouping :func:`group_same_event` gives with ``attach_undated=False``, from one made with it.

    The undated match only adds undated articles to the groups of dated ones, so taking them out
    again (each alone) and naming the groups as :func:`group_same_event` does gives its table
    without running the time-window search a second time: a grid of settings that compares both
    (notebook 04) links each setting's dated articles once.

    Args:
        grouping: a table of :func:`group_same_event` (``article_id, event_group, joined_by``),
            made with ``attach_undated=True`` (the default).
        articles: the articles it grouped (``article_id``, ``published``).

    Returns:
        The same columns, with every ``undated-match`` article alone, groups renamed and rows
        sorted as :func:`group_same_event` names and sorts them.

    Raises:
        ValueError: a column is missing, or ``grouping`` lists an article ``articles`` lacks.

    Example:
        >>> grouping = pd.DataFrame({"article_id": ["a", "b", "u"], "joined_by": ["time-window",
        ...     "time-window", "undated-match"], "event_group": ["event-0001"] * 3})
        >>> articles = pd.DataFrame({"article_id": ["a", "b", "u"],
        ...     "published": pd.to_datetime(["2031-05-02", "2031-05-03", None], utc=True)})
        >>> without_undated_matches(grouping, articles).values.tolist()
        [['a', 'event-0001', 'time-window'], ['b', 'event-0001', 'time-window'], ['u', 'event-0002', 'alone']]
    """
    require_columns(grouping, ["article_id", "event_group", "joined_by"], "grouping")
    require_columns(articles, ["article_id", "published"], "articles")
    # each article's date as group_same_event reads it (the first row of each id)
    published = article_frame(articles[["article_id", "published"]]).set_index("article_id")["published"]
    frame = pd.DataFrame({"article_id": grouping["article_id"].astype(str).to_numpy()})
    missing = ~frame["article_id"].isin(published.index)
    if missing.any():
        raise ValueError(f"grouping lists articles that articles lacks: {frame['article_id'][missing].tolist()[:5]}")
    frame["published"] = published.loc[frame["article_id"]].to_numpy()
    matched = (grouping["joined_by"] == "undated-match").to_numpy()
    # a matched article becomes a group of its own: keyed by its id, which no group name equals
    frame["component"] = np.where(matched, "article:" + frame["article_id"], grouping["event_group"].astype(str))
    frame["joined_by"] = np.where(matched, "alone", grouping["joined_by"].astype(str))
    return _named_groups(frame)


def compare_event(event_articles: pd.DataFrame, mentions: pd.DataFrame, quotes: pd.DataFrame,
                  labels: pd.DataFrame, *, by: str = "camp") -> pd.DataFrame:
    """Side-by-side table of what each group includes in its coverage of one event.

    Args:
        event_articles: the articles of one event group, with the column ``by``.
        mentions: ``mentions`` table (only rows of these articles are used).
        quotes: ``quotes`` table (``speaker_id``, else ``speaker``, names who is quoted).
        labels: associations from :func:`mediaprov.narratives.actor_frames`.
        by: grouping column of ``event_articles`` (``camp`` or ``outlet_id``).

    Returns:
        One row per item: ``kind`` (``entity``, ``quoted``, ``label``), ``entity_id`` (the entity,
        the quoted speaker, or the labelled actor), ``item`` (entity id, speaker, or
        ``term (category)``), then one column per group with the number of that group's articles
        that include the item, then ``included_by`` and ``omitted_by`` (group names joined by
        ``|``). Sorted by kind, entity, item. Each group's article count is in ``attrs["articles"]``.

    Raises:
        KeyError: ``by`` is not a column of ``event_articles``.

    The words each group uses within the event come from the same articles:
    ``distinctive_terms(event_articles, by=by, min_count=1)`` (few articles: read z-scores as a
    description, not as evidence).

    Example:
        >>> arts = pd.DataFrame({"article_id": ["a", "b"], "camp": ["north", "south"]})
        >>> ments = pd.DataFrame({"article_id": ["a", "b", "b"], "entity_id": ["voss", "voss", "kade"]})
        >>> quotes = pd.DataFrame({"article_id": ["b"], "speaker_id": ["kade"], "speaker": ["Kade"]})
        >>> labels = pd.DataFrame({"article_id": ["a"], "entity_id": ["voss"], "term": ["cult"],
        ...     "category": ["delegitimising"]})
        >>> compare_event(arts, ments, quotes, labels)[["kind", "item", "omitted_by"]].values.tolist()
        [['entity', 'kade', 'north'], ['entity', 'voss', ''], ['label', 'cult (delegitimising)', 'south'], ['quoted', 'kade', 'north']]
    """
    groups = group_column(event_articles, by, table_name="event_articles")
    article_group = pd.Series(groups.to_numpy(), index=event_articles["article_id"].astype(str))
    article_group = article_group[~article_group.index.duplicated()].dropna()
    names = sorted(article_group.unique().tolist())
    items = []

    def collect(table: pd.DataFrame, kind: str, entity: pd.Series, item: pd.Series) -> None:
        if table.empty:
            return
        part = pd.DataFrame({"article_id": table["article_id"].astype(str).to_numpy(), "kind": kind,
                             "entity_id": entity.astype("string").to_numpy(),
                             "item": item.astype("string").to_numpy()})
        items.append(part[part["article_id"].isin(article_group.index)].dropna(subset=["item"]))

    collect(mentions, "entity", mentions["entity_id"], mentions["entity_id"])
    if not quotes.empty:
        speaker = quotes["speaker_id"] if "speaker_id" in quotes.columns else quotes["speaker"]
        if "speaker" in quotes.columns:
            speaker = speaker.astype("string").fillna(quotes["speaker"].astype("string"))
        collect(quotes, "quoted", speaker, speaker)
    if not labels.empty:
        collect(labels, "label", labels["entity_id"],
                labels["term"].astype(str) + " (" + labels["category"].astype(str) + ")")
    columns = ["kind", "entity_id", "item", *names, "included_by", "omitted_by"]
    if not items:
        out = pd.DataFrame({c: [] for c in columns})
        out.attrs["articles"] = article_group.value_counts().sort_index().to_dict()
        return out
    long = pd.concat(items, ignore_index=True).drop_duplicates()
    long["group"] = long["article_id"].map(article_group)
    wide = (long.groupby(["kind", "entity_id", "item", "group"], dropna=False)["article_id"].nunique()
            .unstack("group", fill_value=0).reindex(columns=names, fill_value=0).reset_index())
    wide.columns.name = None
    present = wide[names].gt(0)
    wide["included_by"] = present.apply(lambda row: "|".join(n for n in names if row[n]), axis=1)
    wide["omitted_by"] = present.apply(lambda row: "|".join(n for n in names if not row[n]), axis=1)
    wide = wide.sort_values(["kind", "entity_id", "item"], kind="mergesort").reset_index(drop=True)
    wide = wide.loc[:, columns]
    wide.attrs["articles"] = article_group.value_counts().sort_index().to_dict()
    return wide
