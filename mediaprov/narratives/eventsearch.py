"""The candidate search behind same-event grouping: vectors, shared entities, links in time.

:mod:`mediaprov.narratives.events` links two dated articles when they are at most
``window_days`` apart, share at least ``min_shared_entities`` informative entities and their
cosine similarity, less ``day_penalty`` per day apart, is at least ``min_similarity``. This module
finds those links in two ways, both exact:

* :func:`all_links` lists every link (what :func:`~mediaprov.narratives.events.event_links`
  returns). Articles sorted by time are cut into blocks, and each block meets only the articles
  of the next ``window_days`` through a sparse product of entity incidences; the work grows with
  the number of candidate pairs, which is quadratic in the number of articles per window (and so
  is the number of links when one event draws thousands of articles).
* :func:`link_components` gives only the connected components of the links (what grouping
  needs), without verifying every pair. First each article is compared with its
  :data:`NEIGHBOURS` nearest articles in time; the links found are merged (union-find). Then each
  block of articles is compared with the articles of its window, *except* pairs already in one
  component, whose link could change nothing; components are merged after each block. The result
  is the components of all the links (every skipped pair is already connected), while the pairs
  verified grow with the articles times the number of *different* components per window, not
  the articles per window: near-linear when coverage of an event chains into one component.

Pairs are verified in bulk (row-wise sparse products), never one by one in Python.

Example:
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"article_id": ["a", "b", "c"],
    ...     "published": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-03-01"], utc=True),
    ...     "text": ["dam talks kessa", "kessa dam talks", "budget vote"], "title": ["", "", ""],
    ...     "entities": [frozenset({"x", "y"})] * 3})
    >>> space = prepare(frame, title_weight=0.0, max_entity_share=1.0)
    >>> link_components(space, window_days=3, min_shared_entities=2, min_similarity=0.5,
    ...                 day_penalty=0.0).tolist()
    [0, 0, 2]
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from mediaprov.narratives.articleterms import TermCounts

BLOCK_ROWS = 512
"""Articles per block of the time-sorted candidate search."""

NEIGHBOURS = 8
"""Articles after each one in time order that :func:`link_components` compares first."""

_PAIRS_PER_CHUNK = 50_000
"""Largest number of pairs verified in one row-wise product (bounds memory)."""

_EPOCH = pd.Timestamp("1970-01-01", tz="UTC")


def informative_entities(sets: Sequence[Collection[str]], max_share: float) -> set[str]:
    """Entities that count as shared: curated ones always, discovered names only when rare enough.

    Args:
        sets: entity ids of each article.
        max_share: discovered names (``name:...``) named by more than this share of the articles
            do not count (``Iran`` in an Iran corpus tells no event apart).

    Returns:
        The informative entity ids.

    Example:
        >>> sorted(informative_entities([frozenset({"name:iran", "voss"})] * 2, 0.5))
        ['voss']
    """
    counts = pd.Series([e for items in sets for e in items], dtype=object).value_counts()
    limit = max_share * len(sets)
    return {e for e, c in counts.items() if not str(e).startswith("name:") or c <= limit}


def incidence(sets: Sequence[Collection[str]], index: dict[str, int]) -> sparse.csr_matrix:
    """Rows = items of ``sets``, columns = ``index``; 1 where the item holds the entity.

    Args:
        sets: entity ids per row (ids missing from ``index`` are ignored).
        index: entity id -> column.

    Returns:
        A CSR 0/1 matrix.

    Example:
        >>> incidence([frozenset({"a"}), frozenset({"a", "b"})], {"a": 0, "b": 1}).toarray().tolist()
        [[1.0, 0.0], [1.0, 1.0]]
    """
    # numbers straight into arrays (a list of Python ints per entry was 0.7 GB at a million
    # articles); the CSR constructor sorts each row's columns
    lengths = np.fromiter((len(items) for items in sets), dtype=np.int64, count=len(sets))
    rows = np.repeat(np.arange(len(sets), dtype=np.int64), lengths)
    cols = np.fromiter((index.get(e, -1) for items in sets for e in items), dtype=np.int64,
                       count=int(lengths.sum()))
    known = cols >= 0
    return sparse.csr_matrix((np.ones(int(known.sum())), (rows[known], cols[known])),
                             shape=(len(sets), len(index)))


@dataclass
class LinkSpace:
    """The dated articles with entities, sorted by time, ready for the candidate search.

    Attributes:
        ids: article ids in time order (then id).
        positions: row of each article in the frame it came from.
        times: publication time in days since 1970.
        vectors: unit TF-IDF rows (:func:`vectors`).
        incidence: informative entities per article (:func:`incidence`).
        entity_names: entity id of each incidence column.
    """

    ids: np.ndarray
    positions: np.ndarray
    times: np.ndarray
    vectors: sparse.csr_matrix
    incidence: sparse.csr_matrix
    entity_names: np.ndarray


def prepare(frame: pd.DataFrame, *, title_weight: float, max_entity_share: float,
            counts: TermCounts | None = None) -> LinkSpace:
    """The :class:`LinkSpace` of an :func:`~mediaprov.narratives.articleterms.entity_frame`: its dated articles with entities.

    Args:
        frame: an :func:`~mediaprov.narratives.articleterms.entity_frame`.
        counts: the :class:`TermCounts` of (at least) the dated articles with entities
            (default: counted here).
        title_weight: as in :func:`~mediaprov.narratives.events.group_same_event`.
        max_entity_share: as in :func:`~mediaprov.narratives.events.group_same_event`.

    Returns:
        The search space (TF-IDF fitted on these articles only).

    Example:
        >>> frame = pd.DataFrame({"article_id": ["a", "b"], "text": ["x", "y"], "title": ["", ""],
        ...     "published": pd.to_datetime(["2024-01-02", "2024-01-01"], utc=True),
        ...     "entities": [frozenset({"e"}), frozenset({"e"})]})
        >>> prepare(frame, title_weight=0.0, max_entity_share=0.2).ids.tolist()
        ['b', 'a']
    """
    frame = frame.reset_index(drop=True)
    placed = frame[frame["published"].notna() & frame["entities"].notna()]
    placed = placed.assign(_position=placed.index.to_numpy())
    placed = placed.sort_values(["published", "article_id"], kind="mergesort").reset_index(drop=True)
    counts = TermCounts(placed) if counts is None else counts
    times = ((pd.to_datetime(placed["published"], utc=True) - _EPOCH) / pd.Timedelta(days=1)).to_numpy(float)
    sets = placed["entities"].tolist()
    informative = informative_entities(sets, max_entity_share)
    names = np.array(sorted(informative), dtype=object)
    index = {e: k for k, e in enumerate(names)}
    return LinkSpace(ids=placed["article_id"].to_numpy(), positions=placed["_position"].to_numpy(),
                     times=times, vectors=counts.vectors(placed, title_weight), incidence=incidence(sets, index), entity_names=names)


def _row_dots(matrix: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Dot product of ``matrix[rows[k]]`` and ``matrix[cols[k]]`` for every k, in chunks."""
    out = np.empty(len(rows), dtype=float)
    for start in range(0, len(rows), _PAIRS_PER_CHUNK):
        r, c = rows[start:start + _PAIRS_PER_CHUNK], cols[start:start + _PAIRS_PER_CHUNK]
        out[start:start + len(r)] = np.asarray(matrix[r].multiply(matrix[c]).sum(axis=1)).ravel()
    return out


def _verify(space: LinkSpace, rows: np.ndarray, cols: np.ndarray, *, window_days: float,
            min_shared_entities: int, min_similarity: float, day_penalty: float,
            shared_known: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The pairs ``(rows[k], cols[k])`` (``cols > rows``) that are links, and their similarity.

    ``shared_known``: the pairs already share ``min_shared_entities`` entities.
    """
    days = space.times[cols] - space.times[rows]
    keep = (cols > rows) & (days <= window_days)
    if min_shared_entities > 0 and not shared_known:
        keep[keep] = _row_dots(space.incidence, rows[keep], cols[keep]) >= min_shared_entities
    rows, cols, days = rows[keep], cols[keep], days[keep]
    similarity = _row_dots(space.vectors, rows, cols)
    link = similarity - day_penalty * days >= min_similarity
    return np.stack([rows[link], cols[link]]), similarity[link]


def _block_candidates(space: LinkSpace, start: int, stop_row: int, stop: int,
                      min_shared_entities: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (row in ``[start, stop_row)``, column in ``[start, stop)``) sharing enough entities."""
    if min_shared_entities > 0:
        counts = (space.incidence[start:stop_row] @ space.incidence[start:stop].T).tocoo()
        keep = counts.data >= min_shared_entities
        return counts.row[keep].astype(np.int64) + start, counts.col[keep].astype(np.int64) + start
    rows, cols = np.meshgrid(np.arange(start, stop_row), np.arange(start, stop), indexing="ij")
    return rows.ravel(), cols.ravel()


def _window_end(space: LinkSpace, stop_row: int, window_days: float) -> int:
    """One past the last article within ``window_days`` of the article before ``stop_row``."""
    return int(np.searchsorted(space.times, space.times[stop_row - 1] + window_days, side="right"))


def all_links(space: LinkSpace, *, window_days: float, min_shared_entities: int,
              min_similarity: float, day_penalty: float) -> tuple[np.ndarray, np.ndarray]:
    """Every link between the articles of ``space``.

    Args:
        space: from :func:`prepare`.
        window_days: as in :func:`~mediaprov.narratives.events.group_same_event`.
        min_shared_entities: as in :func:`~mediaprov.narratives.events.group_same_event`.
        min_similarity: as in :func:`~mediaprov.narratives.events.group_same_event`.
        day_penalty: as in :func:`~mediaprov.narratives.events.group_same_event`.

    Returns:
        ``pairs`` (2 x links: rows of ``space``, the earlier first) and their ``similarity``.

    Example:
        >>> frame = pd.DataFrame({"article_id": ["a", "b"], "text": ["dam talks", "dam talks"],
        ...     "title": ["", ""], "published": pd.to_datetime(["2024-01-02", "2024-01-01"], utc=True),
        ...     "entities": [frozenset({"e", "f"})] * 2})
        >>> pairs, similarity = all_links(prepare(frame, title_weight=0, max_entity_share=1),
        ...     window_days=3, min_shared_entities=2, min_similarity=0.5, day_penalty=0)
        >>> pairs.tolist(), similarity.round(3).tolist()
        ([[0], [1]], [1.0])
    """
    found, similarities = [np.zeros((2, 0), dtype=np.int64)], [np.zeros(0)]
    n = len(space.ids)
    for start in range(0, n, BLOCK_ROWS):
        stop_row = min(n, start + BLOCK_ROWS)
        rows, cols = _block_candidates(space, start, stop_row, _window_end(space, stop_row, window_days),
                                       min_shared_entities)
        pairs, similarity = _verify(space, rows, cols, window_days=window_days,
                                    min_shared_entities=min_shared_entities,
                                    min_similarity=min_similarity, day_penalty=day_penalty,
                                    shared_known=True)
        found.append(pairs)
        similarities.append(similarity)
    return np.concatenate(found, axis=1), np.concatenate(similarities)


def shared_entities(space: LinkSpace, pairs: np.ndarray) -> list[str]:
    """The informative entities each pair shares, sorted and joined by ``|``.

    Args:
        space: from :func:`prepare`.
        pairs: 2 x k rows of ``space``.

    Returns:
        One string per pair.

    Example:
        >>> frame = pd.DataFrame({"article_id": ["a", "b"], "text": ["x", "x"], "title": ["", ""],
        ...     "published": pd.to_datetime(["2024-01-01", "2024-01-01"], utc=True),
        ...     "entities": [frozenset({"e", "f"}), frozenset({"f", "e", "g"})]})
        >>> shared_entities(prepare(frame, title_weight=0, max_entity_share=1), np.array([[0], [1]]))
        ['e|f']
    """
    if not pairs.shape[1]:
        return []
    both = space.incidence[pairs[0]].multiply(space.incidence[pairs[1]]).tocsr()
    both.sort_indices()
    names = space.entity_names[both.indices]  # columns are sorted ids, so names come sorted
    return ["|".join(names[a:b]) for a, b in zip(both.indptr[:-1], both.indptr[1:], strict=True)]


def _merge(labels: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Labels after joining the components of each pair (a component's label: its smallest row)."""
    if not pairs.shape[1]:
        return labels
    a, b = labels[pairs[0]], labels[pairs[1]]
    keep = a != b
    if not keep.any():
        return labels
    involved, inverse = np.unique(np.concatenate([a[keep], b[keep]]), return_inverse=True)
    k = keep.sum()
    graph = sparse.coo_matrix((np.ones(k), (inverse[:k], inverse[k:])), shape=(len(involved),) * 2)
    _, component = connected_components(graph, directed=False)
    smallest = np.full(component.max() + 1, len(labels), dtype=labels.dtype)
    np.minimum.at(smallest, component, involved)
    remap = np.arange(len(labels), dtype=labels.dtype)
    remap[involved] = smallest[component]
    return remap[labels]


def _unconnected_pairs(labels: np.ndarray, start: int, stop_row: int,
                       stop: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (row in ``[start, stop_row)``, column in ``[start, stop)``) whose labels differ."""
    cols = np.arange(start, stop)
    order = np.argsort(labels[start:stop], kind="stable")
    sorted_labels, sorted_cols = labels[start:stop][order], cols[order]
    row_labels = labels[start:stop_row]
    low = np.searchsorted(sorted_labels, row_labels, side="left")
    high = np.searchsorted(sorted_labels, row_labels, side="right")
    width = stop - start
    # columns before the row's own label run, then after it
    starts = np.concatenate([np.zeros_like(low), high])
    counts = np.concatenate([low, width - high])
    rows = np.tile(np.arange(start, stop_row), 2)
    total = int(counts.sum())
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
    return np.repeat(rows, counts), sorted_cols[offsets]


def link_components(space: LinkSpace, *, window_days: float, min_shared_entities: int,
                    min_similarity: float, day_penalty: float) -> np.ndarray:
    """Connected components of the links of :func:`all_links`, without verifying every pair.

    Args:
        space: from :func:`prepare`.
        window_days: as in :func:`~mediaprov.narratives.events.group_same_event`.
        min_shared_entities: as in :func:`~mediaprov.narratives.events.group_same_event`.
        min_similarity: as in :func:`~mediaprov.narratives.events.group_same_event`.
        day_penalty: as in :func:`~mediaprov.narratives.events.group_same_event`.

    Returns:
        One label per article of ``space``: the smallest row of its component (an article
        without links keeps its own row).

    Example: see the module docstring.
    """
    n = len(space.ids)
    labels = np.arange(n, dtype=np.int64)
    settings: dict[str, Any] = {"window_days": window_days, "min_shared_entities": min_shared_entities,
                "min_similarity": min_similarity, "day_penalty": day_penalty}
    for step in range(1, min(NEIGHBOURS, n - 1) + 1):  # the nearest articles in time first
        rows = np.arange(n - step)
        labels = _merge(labels, _verify(space, rows, rows + step, **settings)[0])
    for start in range(0, n, BLOCK_ROWS):
        stop_row = min(n, start + BLOCK_ROWS)
        stop = _window_end(space, stop_row, window_days)
        rows, cols = _unconnected_pairs(labels, start, stop_row, stop)
        shared_known = False
        if len(rows) > (stop_row - start) * (stop - start) // 2 and min_shared_entities > 0:
            # labels prune little here: the sparse product of entities is the cheaper filter
            rows, cols = _block_candidates(space, start, stop_row, stop, min_shared_entities)
            differ = labels[rows] != labels[cols]
            rows, cols, shared_known = rows[differ], cols[differ], True
        pairs, _ = _verify(space, rows, cols, shared_known=shared_known, **settings)
        labels = _merge(labels, pairs)
    return labels


SPAN_STEP = 0.05
"""Similarity added at each step of :func:`split_long_components`."""


def long_component_rows(times: np.ndarray, labels: np.ndarray, max_span_days: float) -> np.ndarray:
    """Rows of the components whose publication times span more than ``max_span_days``.

    Args:
        times: publication time of each row, in days (:attr:`LinkSpace.times`).
        labels: component of each row, named by one of its rows (:func:`link_components`).
        max_span_days: the longest span allowed (last time less first time).

    Returns:
        The rows of the longer components, ascending.

    Example:
        >>> long_component_rows(np.array([0.0, 1.0, 40.0, 41.0]), np.array([0, 0, 0, 3]), 30).tolist()
        [0, 1, 2]
    """
    first = np.full(len(labels), np.inf)
    last = np.full(len(labels), -np.inf)
    np.minimum.at(first, labels, times)
    np.maximum.at(last, labels, times)
    return np.flatnonzero((last - first)[labels] > max_span_days)


def split_long_components(space: LinkSpace, labels: np.ndarray, *, max_span_days: float,
                          window_days: float, min_shared_entities: int, min_similarity: float,
                          day_penalty: float, step: float = SPAN_STEP) -> tuple[np.ndarray, float]:
    """Split the components that span more than ``max_span_days``, raising the similarity a link needs in them.

    Single links through a dense stretch of news chain events that are weeks apart into one
    component, more so as a corpus grows: at 100,000 demo articles ``min_similarity`` 0.1 (with
    titles and the day penalty) puts 66,308 of 66,363 dated articles in one component spanning
    three years. One event's coverage, linked day to day, spans a few days (at most 5 on two real
    corpora, 17 on the demo, whose events run over weeks). So a component longer than
    ``max_span_days`` is taken for a chain: its articles are linked again at ``min_similarity``
    plus ``step``, then plus two steps, and so on, until no part spans more (each component
    alone: a part at a higher level holds only its component's links above that level, so this
    is single linkage cut at a higher level where, and only where, the lower one chains; the
    bridges :func:`cut_chains` cut stay cut). Components within the span keep their links; the parts of
    one component are the components of its strongest links. It ends: past a similarity of 1 no
    pair links, and a lone article spans 0 days.

    Args:
        space: from :func:`prepare`.
        labels: from :func:`link_components` (or :func:`cut_chains`).
        max_span_days: the longest span (last publication less first, in days) a component may have.
        window_days: as in :func:`~mediaprov.narratives.events.group_same_event`.
        min_shared_entities: as in :func:`~mediaprov.narratives.events.group_same_event`.
        min_similarity: the level ``labels`` were linked at.
        day_penalty: as in :func:`~mediaprov.narratives.events.group_same_event`.
        step: similarity added at each step (:data:`SPAN_STEP`).

    Returns:
        New labels (each the smallest row of its part) and the highest ``min_similarity`` used
        (``min_similarity`` itself when no component was too long).

    Raises:
        ValueError: ``max_span_days`` is negative or ``step`` not positive.

    Example:
        >>> frame = pd.DataFrame({"article_id": list("abcd"), "title": [""] * 4,
        ...     "published": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-04", "2024-01-05"], utc=True),
        ...     "text": ["dam river flood", "dam river flood", "dam river vote", "budget river vote"],
        ...     "entities": [frozenset({"x", "y"})] * 4})
        >>> space = prepare(frame, title_weight=0.0, max_entity_share=1.0)
        >>> settings = {"window_days": 3, "min_shared_entities": 2, "day_penalty": 0.0}
        >>> labels = link_components(space, min_similarity=0.3, **settings)
        >>> labels.tolist()
        [0, 0, 0, 0]
        >>> labels, reached = split_long_components(space, labels, max_span_days=2, min_similarity=0.3, **settings)
        >>> labels.tolist(), round(reached, 2)
        ([0, 0, 2, 2], 0.55)
    """
    if max_span_days < 0 or step <= 0:
        raise ValueError(f"max_span_days must be >= 0 and step > 0, not {max_span_days} and {step}")
    labels = labels.copy()
    level = min_similarity
    rows = long_component_rows(space.times, labels, max_span_days)
    while len(rows):
        level = round(level + step, 10)  # 0.1 + 0.05 + 0.05 is 0.2, not 0.20000000000000004
        # each component alone: a link between two of them may be one cut_chains cut
        by_component = rows[np.argsort(labels[rows], kind="stable")]  # rows ascending within each
        for part in np.split(by_component, np.flatnonzero(np.diff(labels[by_component])) + 1):
            within = LinkSpace(ids=space.ids[part], positions=space.positions[part], times=space.times[part],
                               vectors=space.vectors[part], incidence=space.incidence[part],
                               entity_names=space.entity_names)
            labels[part] = part[link_components(within, window_days=window_days,
                                                min_shared_entities=min_shared_entities,
                                                min_similarity=level, day_penalty=day_penalty)]
        rows = long_component_rows(space.times, labels, max_span_days)
    return labels, level


CHAIN_MAX_ARTICLES = 200
"""Largest component whose links :func:`cut_chains` lists (bounds its work per component)."""


def _component_pairs(labels: np.ndarray, max_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of rows (earlier first) inside a component of 4 to ``max_size`` rows."""
    order = np.argsort(labels, kind="stable")
    parts = np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)
    rows, cols = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for part in parts:
        if 4 <= len(part) <= max_size:  # a chain of two linked pairs needs four articles
            first, second = np.triu_indices(len(part), 1)
            rows.append(part[first])
            cols.append(part[second])
    return np.concatenate(rows), np.concatenate(cols)


def cut_chains(space: LinkSpace, labels: np.ndarray, *, window_days: float, min_shared_entities: int,
               min_similarity: float, day_penalty: float,
               max_size: int | None = None) -> np.ndarray:
    """Split components held together by one link between two linked groups (a single-linkage chain).

    A link is cut when it is a *bridge* of its component's link graph (no other path joins its
    two articles, so it is in no cycle) and, once it is cut, both sides still hold a link (so it
    joined two groups, not one article hanging on a group) and the two sides' publication times
    overlap (so they are two stories of the same days, not one story's coverage moving on in
    time, which the time window is meant to chain). Such a link is the only evidence that the
    two groups are one event; an article joined by its only link stays. Bridges are cut weakest
    first (similarity less the day penalty, then rows), each checked after the cuts before it,
    so a chain of three groups loses its two joints but no article is left alone. Each component of 4 to
    ``max_size`` articles has all its links listed (``max_size`` squared pairs at most, so the
    work stays linear in the articles); larger ones are left whole.

    Args:
        space: from :func:`prepare`.
        labels: from :func:`link_components`.
        window_days: as in :func:`~mediaprov.narratives.events.group_same_event`.
        min_shared_entities: as in :func:`~mediaprov.narratives.events.group_same_event`.
        min_similarity: as in :func:`~mediaprov.narratives.events.group_same_event`.
        day_penalty: as in :func:`~mediaprov.narratives.events.group_same_event`.
        max_size: largest component examined (default: :data:`CHAIN_MAX_ARTICLES`).

    Returns:
        New labels, each the smallest row of its part.

    Example:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"article_id": list("abcd"), "title": [""] * 4,
        ...     "published": pd.to_datetime(["2024-01-01"] * 4, utc=True),
        ...     "text": ["dam river flood", "dam river vote", "budget vote tax", "budget tax levy"],
        ...     "entities": [frozenset({"x", "y"})] * 4})
        >>> space = prepare(frame, title_weight=0.0, max_entity_share=1.0)
        >>> settings = {"window_days": 3, "min_shared_entities": 2, "min_similarity": 0.1,
        ...             "day_penalty": 0.0}
        >>> labels = link_components(space, **settings)  # links a-b, b-c (one shared word), c-d
        >>> labels.tolist(), cut_chains(space, labels, **settings).tolist()
        ([0, 0, 0, 0], [0, 0, 2, 2])
    """
    rows, cols = _component_pairs(labels, CHAIN_MAX_ARTICLES if max_size is None else max_size)
    if not len(rows):
        return labels
    pairs, similarity = _verify(space, rows, cols, window_days=window_days,
                                min_shared_entities=min_shared_entities,
                                min_similarity=min_similarity, day_penalty=day_penalty)
    score = similarity - day_penalty * (space.times[pairs[1]] - space.times[pairs[0]])
    graph = nx.Graph()
    graph.add_weighted_edges_from(zip(pairs[0].tolist(), pairs[1].tolist(), score.tolist(), strict=True))
    # weakest first, each cut only while both sides keep a link and overlap in time
    bridges = sorted(nx.bridges(graph), key=lambda e: (graph.edges[e]["weight"], min(e), max(e)))
    cut = 0
    for a, b in bridges:
        graph.remove_edge(a, b)
        side_a = space.times[list(nx.node_connected_component(graph, a))]
        side_b = space.times[list(nx.node_connected_component(graph, b))]
        if (len(side_a) > 1 and len(side_b) > 1
                and max(side_a.min(), side_b.min()) <= min(side_a.max(), side_b.max())):
            cut += 1
        else:
            graph.add_edge(a, b)
    if not cut:
        return labels
    out = labels.copy()
    for part in nx.connected_components(graph):
        members = np.fromiter(part, dtype=np.int64)
        out[members] = members.min()
    return out
