"""Undated articles: the dated event group each one clearly matches, if any.

Ingestion never guesses a date, so an article without a trusted date cannot be placed in a time
window. :func:`undated_matches` compares it with every group of dated articles, with no time
constraint: the candidates are the groups with a dated member that shares at least
``min_shared_entities`` informative entities with it, the score is the cosine similarity of its
TF-IDF vector with the group's centroid, and it joins the best group only when the best score is
high enough *and* leads the second-best by a margin (see
:func:`mediaprov.narratives.events.group_same_event`).

Which groups have a member sharing two entities with an article is read from the *pairs* of
entities each group's members hold (an article shares two entities with a member exactly when one
of its entity pairs is among the member's), one sparse product per block of articles. A pair held
by more than ``max_pair_groups`` groups nominates none (it recurs across events), so an article
has at most its pairs times that many candidates, and only the candidates are scored: the work
grows with the undated articles, not with the undated articles times the groups (at 1,000,000
demo articles, 300,000 undated and 170,000 groups, scoring every group did not finish).

Example:
    >>> import pandas as pd
    >>> arts = pd.DataFrame({"article_id": ["a", "u"],
    ...     "published": pd.to_datetime(["2024-03-01", None], utc=True),
    ...     "text": ["Voss and Kade dam talks", "Voss Kade dam talks"]})
    >>> ments = pd.DataFrame({"article_id": ["a", "a", "u", "u"], "entity_id": ["voss", "kade"] * 2})
    >>> undated_matches(arts, ments, pd.DataFrame({"article_id": ["a"], "event_group": ["g1"]}))[
    ...     ["article_id", "best_group", "shared_entities", "attached"]].values.tolist()
    [['u', 'g1', 'kade|voss', True]]
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from scipy import sparse

from mediaprov.arrays import sorted_unique
from mediaprov.narratives.articleterms import TermCounts, Weighting, entity_frame
from mediaprov.narratives.eventsearch import incidence, informative_entities

_LOG = logging.getLogger(__name__)

UNDATED_MATCH_COLUMNS: tuple[str, ...] = (
    "article_id", "candidates", "best_group", "similarity", "second_group", "second_similarity",
    "margin", "shared_entities", "attached",
)
"""Columns of :func:`undated_matches`."""

_DENSE_CELLS = 4_000_000
"""Largest dense block (undated articles x the terms they use) of TF-IDF weights held at once
(by each thread of :func:`match_undated`)."""

_GATHERED_ENTRIES = 1_000_000
"""Largest number of centroid entries gathered at once to score candidates (by each thread)."""

_MEMBERS_PER_BLOCK = 50_000
"""Dated members whose vectors are made at once to sum the groups' centroids (bounds memory)."""

MAX_PAIR_GROUPS = 200
"""Default ``max_pair_groups`` of :func:`undated_matches`: a pair of entities (one entity when
``min_shared_entities`` is 1) that the dated members of more groups hold nominates no candidate.
On the AllSides Iran corpus the most widely held informative pair is in 188 groups, so its matches
are those of the unbounded rule; a bound of 100 attached one more undated opinion piece, to an
essay of another day (wrong by reading). At 100,000 demo articles both bounds leave every match as
it was."""


def undated_matches(articles: pd.DataFrame, mentions: pd.DataFrame, groups: pd.DataFrame, *,
                    min_shared_entities: int = 2, min_similarity: float = 0.3,
                    min_margin: float = 0.05, max_entity_share: float = 0.2,
                    title_weight: float = 0.0, rival_gap_days: float | None = None,
                    max_pair_groups: int | None = MAX_PAIR_GROUPS, threads: int = 1,
                    counts: TermCounts | None = None) -> pd.DataFrame:
    """Match each undated article to the group of dated articles it resembles most, if clearly.

    No time constraint applies (the article's date is unknown). The candidate groups are those
    with at least one dated member that shares ``min_shared_entities`` entities with the article;
    the score of a group is the cosine similarity of the article's TF-IDF vector (unigrams,
    sublinear tf, fitted on every article with entities) with the group's centroid (the mean of
    its dated members' normalised vectors, normalised).

    Args:
        articles: articles with ``article_id``, ``published`` and ``text``; those with a missing
            ``published`` are matched, the dated ones form the groups.
        mentions: the ``mentions`` table (entities per article).
        groups: ``article_id, event_group`` of the dated articles (e.g. the time-window grouping);
            rows of undated articles or of articles without entities are ignored.
        min_shared_entities: entities the article must share with at least one group member.
        min_similarity: smallest similarity of the best group for a match.
        min_margin: smallest lead of the best group's similarity over the second-best candidate
            (over 0 when there is only one candidate).
        max_entity_share: as in :func:`~mediaprov.narratives.events.group_same_event`.
        title_weight: as in :func:`~mediaprov.narratives.events.group_same_event`.
        rival_gap_days: when given, a group whose dated members come within this many days of
            the best group's is no rival: the margin is taken over the best group of *another*
            time. The margin guards against the article's unknown date (the same actors at
            another event); two groups of the same days are one news cycle, often one event
            that the time-window grouping left in two parts. ``None``: every candidate competes.
        max_pair_groups: a pair of entities held by the dated members of more than this many
            groups nominates no candidate (with ``min_shared_entities`` 1, an entity): such a
            pair recurs across events (two leaders who meet every month), and the candidates of
            an article are then at most its pairs times this bound, so the work grows with the
            corpus, not with its square (in the spirit of passim's ``maxDF`` for n-grams). The
            undated article can still match its event through a rarer pair. ``None``: every
            shared pair nominates (the rule before this bound). Not applied with
            ``min_shared_entities`` of 0 or of 3 and more, which compare every group or member.
        threads: threads that score blocks of undated articles at once (the scoring is NumPy and
            SciPy work, which runs outside Python's global lock); the same table whatever the
            number, as each block's matches depend on that block alone. 1: one block after the
            other, in this thread.
        counts: the term counts of (at least) the articles with entities
            (:func:`~mediaprov.narratives.events.event_term_counts`), when the caller has them
            already; default: counted here. The same table either way.

    Returns:
        One row per undated article with entities, columns :data:`UNDATED_MATCH_COLUMNS`:
        ``candidates`` (number of candidate groups), ``best_group`` and ``similarity``,
        ``second_group`` and ``second_similarity`` (the best rival, missing without one),
        ``margin``, ``shared_entities`` (entities shared with the best group's dated members
        that share enough, sorted, joined by ``|``) and ``attached`` (both thresholds met). Ties
        between groups go to the group name that sorts first (their margin is 0). Sorted by
        ``article_id``.

    Raises:
        KeyError: ``groups`` lacks ``article_id`` or ``event_group``.

    Example: see the module docstring.
    """
    missing = [c for c in ("article_id", "event_group") if c not in groups.columns]
    if missing:
        raise KeyError(f"groups has no column(s) {missing}: pass the article_id, event_group table "
                       "of the dated articles (e.g. from group_same_event(..., attach_undated=False))")
    return match_undated(entity_frame(articles, mentions), counts, groups,
                         min_shared_entities=min_shared_entities, min_similarity=min_similarity,
                         min_margin=min_margin, max_entity_share=max_entity_share,
                         title_weight=title_weight, rival_gap_days=rival_gap_days,
                         max_pair_groups=max_pair_groups, threads=threads)


def _entity_pairs(matrix: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """``(row, code)`` of every pair of columns ``a < b`` set in each row; code ``a * width + b``."""
    matrix = matrix.tocsr()
    matrix.sort_indices()
    width = matrix.shape[1]
    lengths = np.diff(matrix.indptr)
    rows, codes = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for n in np.unique(lengths[lengths >= 2]):
        chosen = np.flatnonzero(lengths == n)
        cols = matrix.indices[matrix.indptr[chosen][:, None] + np.arange(n)].astype(np.int64)
        first, second = np.triu_indices(n, 1)
        rows.append(np.repeat(chosen, len(first)))
        codes.append((cols[:, first] * width + cols[:, second]).ravel())
    return np.concatenate(rows), np.concatenate(codes)


class _Candidates:
    """Which groups have a member sharing at least ``k`` entities with an article, and which.

    For ``k`` of 1 or 2 the search goes through *keys* (entities, or pairs of entities): a group
    holds a key when one of its dated members does, and a key held by more than ``max_key_groups``
    groups nominates no candidate (it recurs across events, like a frequent n-gram in passim's
    ``maxDF``), so an article's candidates are at most its keys times ``max_key_groups``.
    """

    def __init__(self, dated: sparse.csr_matrix, member_group: np.ndarray, n_groups: int, k: int,
                 max_key_groups: int | None):
        self.k, self.n_groups, self.width = k, n_groups, dated.shape[1]
        self.member_group = member_group
        self.membership = sparse.csr_matrix(
            (np.ones(len(member_group)), (np.arange(len(member_group)), member_group)),
            shape=(len(member_group), n_groups))
        self.frequent_keys = 0
        if k <= 1:  # a member shares one entity exactly when the group's union does
            self.signature = self._rare(((self.membership.T @ dated) > 0).astype(float),
                                        max_key_groups if k == 1 else None)
        elif k == 2:
            rows, codes = _entity_pairs(dated)
            self.codes = sorted_unique(codes)
            signature = sparse.csr_matrix(
                (np.ones(len(rows)), (member_group[rows], np.searchsorted(self.codes, codes))),
                shape=(n_groups, len(self.codes)))
            signature.data[:] = 1.0
            self.signature = self._rare(signature, max_key_groups)
            self.signature.sort_indices()
            # each held (group, key) cell as one sorted number: looked up with searchsorted in
            # shared(); indexing the matrix by (row, column) scans a row per look-up, and the row
            # of a chained group of 66,000 articles holds millions of keys
            self.held = self._cells(self.signature)
        elif k >= 3:  # three or more: compared with every member
            self.dated = dated

    def _rare(self, signature: sparse.spmatrix, max_key_groups: int | None) -> sparse.csr_matrix:
        """``signature`` (groups x keys, 0/1) without the keys of more than ``max_key_groups`` groups."""
        signature = sparse.csr_matrix(signature)
        if max_key_groups is None:
            return signature
        held = np.asarray(signature.sum(axis=0)).ravel()
        self.frequent_keys = int((held > max_key_groups).sum())
        kept = sparse.diags((held <= max_key_groups).astype(float))
        signature = (signature @ kept).tocsr()
        signature.eliminate_zeros()
        return signature

    @staticmethod
    def _cells(matrix: sparse.csr_matrix) -> np.ndarray:
        """``row * width + column`` of each stored cell of ``matrix`` (canonical CSR), sorted."""
        rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
        return rows * matrix.shape[1] + matrix.indices.astype(np.int64)

    def keys(self, part: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray] | None:
        """``(row, key)`` of the known pairs of entities of each article of ``part`` (``k`` = 2 only).

        ``None`` when there are none (or ``k`` is not 2). Built once per block and given to
        :meth:`candidates` and :meth:`shared`.
        """
        if self.k != 2 or not len(self.codes):
            return None
        rows, codes = _entity_pairs(part)
        at = np.searchsorted(self.codes, codes)
        known = (at < len(self.codes)) & (self.codes[np.minimum(at, len(self.codes) - 1)] == codes)
        if not known.any():  # no pair of entities that a dated article holds: no candidate
            return None
        return rows[known], at[known]

    def candidates(self, part: sparse.csr_matrix,
                   keys: tuple[np.ndarray, np.ndarray] | None) -> tuple[np.ndarray, np.ndarray]:
        """``(row, group)`` of every candidate of the articles of ``part``, sorted."""
        if self.k <= 0:
            every = np.meshgrid(np.arange(part.shape[0]), np.arange(self.n_groups), indexing="ij")
            return every[0].ravel(), every[1].ravel()
        if self.k == 1:
            hits = part @ self.signature.T
        elif self.k == 2:
            if keys is None:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
            rows, at = keys
            pairs = sparse.csr_matrix((np.ones(len(rows)), (rows, at)), shape=(part.shape[0], len(self.codes)))
            hits = pairs @ self.signature.T
        else:
            hits = ((part @ self.dated.T) >= self.k).astype(float) @ self.membership
        hits = sparse.csr_matrix(hits)
        hits.eliminate_zeros()
        hits.sort_indices()
        rows = np.repeat(np.arange(hits.shape[0]), np.diff(hits.indptr))
        return rows.astype(np.int64), hits.indices.astype(np.int64)

    def shared(self, part: sparse.csr_matrix, keys: tuple[np.ndarray, np.ndarray] | None,
               sets: list[Collection[str]], best: np.ndarray, names: np.ndarray,
               dated_sets: list[Collection[str]]) -> list[str]:
        """Entities each article of ``part`` shares with the qualifying members of its ``best``."""
        if self.k <= 1:
            both = part.multiply(self.signature[best]).tocsr()
            both.sort_indices()
            return ["|".join(names[both.indices[a:b]])
                    for a, b in zip(both.indptr[:-1], both.indptr[1:], strict=True)]
        if self.k == 2:
            if keys is None:
                return [""] * part.shape[0]
            rows, at = keys
            cells = best[rows].astype(np.int64) * self.signature.shape[1] + at
            found = np.minimum(np.searchsorted(self.held, cells), max(len(self.held) - 1, 0))
            hit = (self.held[found] == cells) if len(self.held) else np.zeros(len(cells), dtype=bool)
            rows, codes = rows[hit], self.codes[at[hit]]
            row_entity = sorted_unique(np.concatenate([rows, rows]) * self.width
                                       + np.concatenate([codes // self.width, codes % self.width]))
            row_of, entity = row_entity // self.width, row_entity % self.width
            ends = np.searchsorted(row_of, np.arange(part.shape[0] + 1))
            return ["|".join(names[entity[a:b]]) for a, b in zip(ends[:-1], ends[1:], strict=True)]
        members = pd.Series(np.arange(len(self.member_group))).groupby(self.member_group).agg(list)
        informative = frozenset(names)
        out = []
        for entities, group in zip(sets, best, strict=True):
            shared: set[str] = set()
            for m in members.get(int(group), []):
                common = informative.intersection(entities, dated_sets[m])
                if len(common) >= self.k:
                    shared |= common
            out.append("|".join(sorted(shared)))
        return out


def match_undated(frame: pd.DataFrame, counts: TermCounts | None, groups: pd.DataFrame, *,
                  min_shared_entities: int, min_similarity: float, min_margin: float,
                  max_entity_share: float, title_weight: float,
                  rival_gap_days: float | None = None,
                  max_pair_groups: int | None = MAX_PAIR_GROUPS, threads: int = 1) -> pd.DataFrame:
    """:func:`undated_matches` on an :func:`~mediaprov.narratives.eventsearch.entity_frame`.

    Args:
        frame: the entity frame of the articles.
        counts: the :class:`~mediaprov.narratives.eventsearch.TermCounts` of its articles with
            entities, or ``None`` to count them here.
        groups: as in :func:`undated_matches`.
        min_shared_entities: as in :func:`undated_matches`.
        min_similarity: as in :func:`undated_matches`.
        min_margin: as in :func:`undated_matches`.
        max_entity_share: as in :func:`undated_matches`.
        title_weight: as in :func:`undated_matches`.
        rival_gap_days: as in :func:`undated_matches`.
        max_pair_groups: as in :func:`undated_matches`.
        threads: as in :func:`undated_matches`.

    Returns:
        As :func:`undated_matches`.

    Example:
        >>> match_undated(entity_frame(pd.DataFrame({"article_id": [], "published": [], "text": []}),
        ...     pd.DataFrame({"article_id": [], "entity_id": []})), None,
        ...     pd.DataFrame({"article_id": [], "event_group": []}), min_shared_entities=2,
        ...     min_similarity=0.3, min_margin=0.05, max_entity_share=0.2, title_weight=0).shape
        (0, 9)
    """
    frame = frame[frame["entities"].notna()].reset_index(drop=True)
    # the uninformative entities are left out by the incidence matrices (their columns), not by
    # a filtered copy of every article's set
    names = np.array(sorted(informative_entities(frame["entities"].tolist(), max_entity_share)),
                     dtype=object)
    group_of = groups.astype({"article_id": str}).drop_duplicates("article_id").set_index("article_id")["event_group"]
    dated = frame[frame["published"].notna() & frame["article_id"].isin(group_of.index)]
    undated = frame[frame["published"].isna()]
    if undated.empty:
        return _typed(pd.DataFrame(columns=list(UNDATED_MATCH_COLUMNS)))
    counts = TermCounts(frame) if counts is None else counts
    weighting = counts.weighting(frame, title_weight)  # the idf of every article with entities
    dated_group = group_of.loc[dated["article_id"]].astype(str).to_numpy()
    group_names = np.array(sorted(set(dated_group)), dtype=object)
    member_group = np.searchsorted(group_names, dated_group).astype(np.int64)
    entity_index = {e: k for k, e in enumerate(names)}
    dated_sets = dated["entities"].tolist()
    search = _Candidates(incidence(dated_sets, entity_index), member_group, len(group_names),
                         min_shared_entities, max_pair_groups)
    if search.frequent_keys:
        _LOG.info("undated articles: %d pairs of entities (or entities) are held by more than %d "
                  "dated groups and nominate no candidate group", search.frequent_keys, max_pair_groups)
    centroids = _summed_vectors(counts, weighting, frame[["article_id"]], dated.index.to_numpy(),
                                member_group, len(group_names))
    if rival_gap_days is not None:
        days = ((pd.to_datetime(dated["published"], utc=True) - pd.Timestamp("1970-01-01", tz="UTC"))
                / pd.Timedelta(days=1)).to_numpy(float)
        first = np.full(len(group_names), np.inf)
        last = np.full(len(group_names), -np.inf)
        np.minimum.at(first, member_group, days)
        np.maximum.at(last, member_group, days)
    norms = np.sqrt(np.asarray(centroids.multiply(centroids).sum(axis=1)).ravel())
    centroids = sparse.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ centroids
    centroids = sparse.csr_matrix(centroids)
    max_rows = len(undated)
    if min_shared_entities <= 0:  # every group is a candidate: bound the pairs of a block too
        max_rows = max(1, _DENSE_CELLS // max(1, len(group_names)))
    rivals = None if rival_gap_days is None else (first, last, rival_gap_days)

    def match_block(bounds: tuple[int, int]) -> pd.DataFrame:
        """The matches of one block of undated articles (reads the shared state, writes none)."""
        part = undated.iloc[bounds[0]:bounds[1]]
        sets = part["entities"].tolist()
        entities = incidence(sets, entity_index)
        out = pd.DataFrame({"article_id": part["article_id"].to_numpy(), "candidates": 0,
                            "best_group": None, "similarity": np.nan, "second_group": None,
                            "second_similarity": np.nan, "margin": np.nan, "shared_entities": "",
                            "attached": False})
        if not len(group_names):
            return out
        keys = search.keys(entities)
        rows, candidate = search.candidates(entities, keys)
        score = (_pair_similarity(counts.weighted(part, weighting), centroids, rows, candidate)
                 if len(rows) else np.zeros(0))
        n_candidates, best, best_score, second, second_score = _ranked(rows, candidate, score,
                                                                       len(part), rivals)
        some, has_second = n_candidates > 0, second >= 0
        margin = best_score - np.where(has_second, second_score, 0.0)
        shared = search.shared(entities, keys, sets, best, names, dated_sets)
        out["candidates"] = n_candidates
        out["best_group"] = np.where(some, group_names[best], None)
        out["similarity"] = best_score
        out["second_group"] = np.where(has_second, group_names[np.maximum(second, 0)], None)
        out["second_similarity"] = second_score
        out["margin"] = margin
        out["shared_entities"] = np.where(some, np.array(shared, dtype=object), "")
        out["attached"] = some & (best_score >= min_similarity) & (margin >= min_margin)
        return out

    # the vectors of the dated are made a block of groups at a time (above), those of the undated
    # a block of articles at a time (below); each block's matches depend on that block alone
    blocks = _blocks(counts.entries(undated, weighting), weighting.width, _DENSE_CELLS, max_rows)
    if threads <= 1:
        parts = [match_block(bounds) for bounds in blocks]
    else:  # the scoring is NumPy and SciPy work that releases the GIL: blocks overlap on threads
        with ThreadPoolExecutor(threads) as pool:
            parts = list(pool.map(match_block, blocks))
    return _typed(pd.concat(parts, ignore_index=True))


def _summed_vectors(counts: TermCounts, weighting: Weighting, frame: pd.DataFrame,
                    positions: np.ndarray, member_group: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    """Each group's sum of its members' unit vectors (rows = groups, entries sorted).

    ``frame``: needs ``article_id`` only; ``positions``: the members' rows of ``frame``,
    increasing; ``member_group``: the group of each.
    A block of groups at a time: only the vectors of that block's members are made (at a
    million articles the vectors of all were 1.7 GB). Each group's members are added in row
    order, as one product of the membership matrix with the vectors of every row adds them:
    the same sums, bit for bit.
    """
    order = np.argsort(member_group, kind="stable")  # group by group, members in row order
    ends = np.cumsum(np.bincount(member_group, minlength=n_groups))
    blocks = [sparse.csr_matrix((0, weighting.width))]
    first = 0
    while first < n_groups:
        done = int(ends[first - 1]) if first else 0
        last = max(first + 1, int(np.searchsorted(ends, done + _MEMBERS_PER_BLOCK, side="right")))
        members = order[done:int(ends[last - 1])]
        unit = counts.weighted(frame.iloc[positions[members]], weighting)
        in_block = sparse.csr_matrix((np.ones(len(members)), (member_group[members] - first, np.arange(len(members)))),
                                     shape=(last - first, len(members)))
        summed = in_block @ unit
        summed.sort_indices()
        blocks.append(summed)
        first = last
    return sparse.vstack(blocks, format="csr")


def _blocks(terms_used: np.ndarray, width: int, cells: int, max_rows: int) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` of consecutive rows whose dense block (rows x terms used) fits ``cells``.

    ``terms_used``: terms of each row; a block uses at most their sum, and at most ``width``.
    Every block has at least one row and at most ``max_rows``.
    """
    ends = np.concatenate([[0], np.cumsum(terms_used)])
    start, n = 0, len(terms_used)
    while start < n:
        low, high = start + 1, min(n, start + max_rows)  # the largest stop that fits, by bisection
        while low < high:
            middle = (low + high + 1) // 2
            if (middle - start) * min(width, int(ends[middle] - ends[start])) <= cells:
                low = middle
            else:
                high = middle - 1
        yield start, low
        start = low


def _pair_similarity(part_unit: sparse.csr_matrix, centroids: sparse.csr_matrix, rows: np.ndarray,
                     groups: np.ndarray) -> np.ndarray:
    """``part_unit[rows[k]] . centroids[groups[k]]`` for every k (only these products, in chunks).

    The rows of ``part_unit`` are held dense over the terms they use only (plus one zero column
    for every other term), so a block's size does not grow with the vocabulary.
    """
    out = np.zeros(len(rows))
    if not len(rows):
        return out
    used = sorted_unique(part_unit.indices)
    local = np.zeros((part_unit.shape[0], len(used) + 1))
    local[:, :-1] = part_unit[:, used].toarray()
    column = np.full(part_unit.shape[1], len(used), dtype=np.int64)  # unused term: the zero column
    column[used] = np.arange(len(used))
    # the products' dense entries are taken from the flat block by position: a one-dimensional
    # take is 2-3 times faster than indexing the two-dimensional block with two index arrays
    flat, width = local.ravel(), local.shape[1]
    ends = np.cumsum(np.diff(centroids.indptr)[groups])
    start = 0
    while start < len(rows):
        done = int(ends[start - 1]) if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, done + _GATHERED_ENTRIES, side="right")))
        chunk = centroids[groups[start:stop]]
        which = np.repeat(np.arange(stop - start), np.diff(chunk.indptr))
        values = chunk.data * flat.take(rows[start:stop][which] * width + column[chunk.indices])
        out[start:stop] = np.bincount(which, weights=values, minlength=stop - start)
        start = stop
    return out


def _ranked(rows: np.ndarray, groups: np.ndarray, score: np.ndarray, n_rows: int,
            rival_gap: tuple[np.ndarray, np.ndarray, float] | None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row: candidates, best group and score, best rival and score (-1 and NaN without).

    Ties go to the lower group number. ``rival_gap``: ``(first, last, days)``, the first and last
    day of each group; a candidate within ``days`` of the best group's days is no rival.
    """
    n_candidates = np.bincount(rows, minlength=n_rows)
    best, best_score = np.zeros(n_rows, dtype=np.int64), np.full(n_rows, np.nan)
    second, second_score = np.full(n_rows, -1, dtype=np.int64), np.full(n_rows, np.nan)
    order = np.lexsort((groups, -score, rows))
    rows, groups, score = rows[order], groups[order], score[order]
    head = _run_heads(rows)
    best[rows[head]], best_score[rows[head]] = groups[head], score[head]
    rival = ~head
    if rival_gap is not None:
        first, last, days = rival_gap
        mine = best[rows]
        rival &= np.maximum(first[groups] - last[mine], first[mine] - last[groups]) > days
    rows, groups, score = rows[rival], groups[rival], score[rival]
    head = _run_heads(rows)
    second[rows[head]], second_score[rows[head]] = groups[head], score[head]
    return n_candidates, best, best_score, second, second_score


def _run_heads(rows: np.ndarray) -> np.ndarray:
    """Mask of the first entry of each run of equal values in the sorted ``rows``."""
    head = np.ones(len(rows), dtype=bool)
    head[1:] = rows[1:] != rows[:-1]
    return head


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`undated_matches` as a typed table sorted by article (empty too)."""
    table = table.loc[:, list(UNDATED_MATCH_COLUMNS)].astype({
        "article_id": "string", "candidates": "int64", "best_group": "string",
        "similarity": "float64", "second_group": "string", "second_similarity": "float64",
        "margin": "float64", "shared_entities": "string", "attached": "bool"})
    return table.sort_values("article_id", kind="mergesort").reset_index(drop=True)
