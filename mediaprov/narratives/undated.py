"""Undated articles: the dated event group each one clearly matches, if any.

Ingestion never guesses a date, so an article without a trusted date cannot be placed in a time
window. :func:`undated_matches` compares it with every group of dated articles, with no time
constraint: the candidates are the groups with a dated member that shares at least
``min_shared_entities`` informative entities with it, the score is the cosine similarity of its
TF-IDF vector with the group's centroid, and it joins the best group only when the best score is
high enough *and* leads the second-best by a margin (see
:func:`mediaprov.narratives.events.group_same_event`).

The work grows with the undated articles times the groups, never with the undated articles times
the dated ones: which groups have a member sharing two entities with an article is read from the
*pairs* of entities each group's members hold (an article shares two entities with a member
exactly when one of its entity pairs is among the member's), one sparse product per block.

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

import numpy as np
import pandas as pd
from scipy import sparse

from mediaprov.narratives.articleterms import TermCounts, entity_frame
from mediaprov.narratives.eventsearch import incidence, informative_entities

UNDATED_MATCH_COLUMNS: tuple[str, ...] = (
    "article_id", "candidates", "best_group", "similarity", "second_group", "second_similarity",
    "margin", "shared_entities", "attached",
)
"""Columns of :func:`undated_matches`."""

_CELLS_PER_BLOCK = 20_000_000
"""Largest dense block (undated articles x groups) of similarities held at once."""


def undated_matches(articles: pd.DataFrame, mentions: pd.DataFrame, groups: pd.DataFrame, *,
                    min_shared_entities: int = 2, min_similarity: float = 0.3,
                    min_margin: float = 0.05, max_entity_share: float = 0.2,
                    title_weight: float = 0.0, rival_gap_days: float | None = None) -> pd.DataFrame:
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
    return match_undated(entity_frame(articles, mentions), None, groups,
                         min_shared_entities=min_shared_entities, min_similarity=min_similarity,
                         min_margin=min_margin, max_entity_share=max_entity_share,
                         title_weight=title_weight, rival_gap_days=rival_gap_days)


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
    """Which groups have a member sharing at least ``k`` entities with an article, and which."""

    def __init__(self, dated: sparse.csr_matrix, member_group: np.ndarray, n_groups: int, k: int):
        self.k, self.n_groups, self.width = k, n_groups, dated.shape[1]
        self.member_group = member_group
        membership = sparse.csr_matrix((np.ones(len(member_group)), (np.arange(len(member_group)),
                                                                     member_group)),
                                       shape=(len(member_group), n_groups))
        self.membership = membership
        if k <= 1:  # a member shares one entity exactly when the group's union does
            self.signature = ((membership.T @ dated) > 0).astype(float).tocsr()
        elif k == 2:
            rows, codes = _entity_pairs(dated)
            self.codes = np.unique(codes)
            self.signature = sparse.csr_matrix(
                (np.ones(len(rows)), (member_group[rows], np.searchsorted(self.codes, codes))),
                shape=(n_groups, len(self.codes)))
            self.signature.data[:] = 1.0
        else:  # three or more: compared with every member
            self.dated = dated

    def _pair_matrix(self, part: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
        rows, codes = _entity_pairs(part)
        at = np.searchsorted(self.codes, codes)
        known = (at < len(self.codes)) & (self.codes[np.minimum(at, len(self.codes) - 1)] == codes)
        matrix = sparse.csr_matrix((np.ones(int(known.sum())), (rows[known], at[known])),
                                   shape=(part.shape[0], len(self.codes)))
        return matrix, rows[known], at[known]

    def candidates(self, part: sparse.csr_matrix) -> np.ndarray:
        """Dense boolean (articles of ``part`` x groups)."""
        if self.k <= 0:
            return np.ones((part.shape[0], self.n_groups), dtype=bool)
        if self.k == 1:
            return np.asarray((part @ self.signature.T).todense()) > 0
        if self.k == 2:
            if not len(self.codes):
                return np.zeros((part.shape[0], self.n_groups), dtype=bool)
            return np.asarray((self._pair_matrix(part)[0] @ self.signature.T).todense()) > 0
        qualifying = ((part @ self.dated.T) >= self.k).astype(float)
        return np.asarray((qualifying @ self.membership).todense()) > 0

    def shared(self, part: sparse.csr_matrix, sets: list[frozenset], best: np.ndarray,
               names: np.ndarray, dated_sets: list[frozenset]) -> list[str]:
        """Entities each article of ``part`` shares with the qualifying members of its ``best``."""
        if self.k <= 1:
            both = part.multiply(self.signature[best]).tocsr()
            both.sort_indices()
            return ["|".join(names[both.indices[a:b]])
                    for a, b in zip(both.indptr[:-1], both.indptr[1:], strict=True)]
        if self.k == 2:
            if not len(self.codes):
                return [""] * part.shape[0]
            _, rows, at = self._pair_matrix(part)
            hit = np.asarray(self.signature[best[rows], at]).ravel() > 0
            rows, codes = rows[hit], self.codes[at[hit]]
            table = pd.DataFrame({"row": np.concatenate([rows, rows]),
                                  "entity": np.concatenate([codes // self.width, codes % self.width])})
            table = table.drop_duplicates().sort_values(["row", "entity"], kind="mergesort")
            joined = table.groupby("row")["entity"].agg(lambda e: "|".join(names[e.to_numpy()]))
            return [joined.get(r, "") for r in range(part.shape[0])]
        members = pd.Series(np.arange(len(self.member_group))).groupby(self.member_group).agg(list)
        out = []
        for entities, group in zip(sets, best, strict=True):
            shared: set[str] = set()
            for m in members.get(int(group), []):
                common = entities & dated_sets[m]
                if len(common) >= self.k:
                    shared |= common
            out.append("|".join(sorted(shared)))
        return out


def match_undated(frame: pd.DataFrame, counts: TermCounts | None, groups: pd.DataFrame, *,
                  min_shared_entities: int, min_similarity: float, min_margin: float,
                  max_entity_share: float, title_weight: float,
                  rival_gap_days: float | None = None) -> pd.DataFrame:
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
    informative = informative_entities(frame["entities"].tolist(), max_entity_share)
    frame = frame.assign(entities=[frozenset(e for e in s if e in informative)
                                   for s in frame["entities"]])
    group_of = groups.astype({"article_id": str}).drop_duplicates("article_id").set_index("article_id")["event_group"]
    dated = frame[frame["published"].notna() & frame["article_id"].isin(group_of.index)]
    undated = frame[frame["published"].isna()]
    if undated.empty:
        return _typed(pd.DataFrame(columns=list(UNDATED_MATCH_COLUMNS)))
    counts = TermCounts(frame) if counts is None else counts
    unit = counts.vectors(frame, title_weight)  # rows follow frame (sorted by id)
    dated_group = group_of.loc[dated["article_id"]].astype(str).to_numpy()
    group_names = np.array(sorted(set(dated_group)), dtype=object)
    member_group = np.searchsorted(group_names, dated_group).astype(np.int64)
    names = np.array(sorted(set().union(*frame["entities"])), dtype=object)
    entity_index = {e: k for k, e in enumerate(names)}
    dated_sets = dated["entities"].tolist()
    search = _Candidates(incidence(dated_sets, entity_index), member_group, len(group_names),
                         min_shared_entities)
    centroids = (search.membership.T @ unit[dated.index.to_numpy()]).tocsr()
    if rival_gap_days is not None:
        days = ((pd.to_datetime(dated["published"], utc=True) - pd.Timestamp("1970-01-01", tz="UTC"))
                / pd.Timedelta(days=1)).to_numpy(float)
        first = np.full(len(group_names), np.inf)
        last = np.full(len(group_names), -np.inf)
        np.minimum.at(first, member_group, days)
        np.maximum.at(last, member_group, days)
    norms = np.sqrt(np.asarray(centroids.multiply(centroids).sum(axis=1)).ravel())
    centroids = sparse.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ centroids
    parts = []
    block = max(1, _CELLS_PER_BLOCK // max(1, len(group_names)))
    for start in range(0, len(undated), block):
        part = undated.iloc[start:start + block]
        sets = part["entities"].tolist()
        entities = incidence(sets, entity_index)
        out = pd.DataFrame({"article_id": part["article_id"].to_numpy(), "candidates": 0,
                            "best_group": None, "similarity": np.nan, "second_group": None,
                            "second_similarity": np.nan, "margin": np.nan, "shared_entities": "",
                            "attached": False})
        if len(group_names):
            candidate = search.candidates(entities)
            similarity = np.asarray((unit[part.index.to_numpy()] @ centroids.T).todense())
            score = np.where(candidate, similarity, -np.inf)
            n_candidates = candidate.sum(axis=1)
            across = np.arange(len(part))
            best = np.argmax(score, axis=1)  # the first of equal scores: ties go to the first name
            best_score = score[across, best]
            score[across, best] = -np.inf
            if rival_gap_days is not None:  # groups of the best group's time are no rivals
                gap = np.maximum(first[None, :] - last[best][:, None], first[best][:, None] - last[None, :])
                score[gap <= rival_gap_days] = -np.inf
                candidate = candidate & (gap > rival_gap_days)
                candidate[across, best] = True
            second = np.argmax(score, axis=1)
            has_second = candidate.sum(axis=1) > 1
            second_score = np.where(has_second, score[across, second], np.nan)
            some = n_candidates > 0
            margin = best_score - np.where(has_second, second_score, 0.0)
            shared = search.shared(entities, sets, best, names, dated_sets)
            out["candidates"] = n_candidates
            out["best_group"] = np.where(some, group_names[best], None)
            out["similarity"] = np.where(some, best_score, np.nan)
            out["second_group"] = np.where(has_second, group_names[second], None)
            out["second_similarity"] = second_score
            out["margin"] = np.where(some, margin, np.nan)
            out["shared_entities"] = np.where(some, np.array(shared, dtype=object), "")
            out["attached"] = some & (best_score >= min_similarity) & (margin >= min_margin)
        parts.append(out)
    return _typed(pd.concat(parts, ignore_index=True))


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`undated_matches` as a typed table sorted by article (empty too)."""
    table = table.loc[:, list(UNDATED_MATCH_COLUMNS)].astype({
        "article_id": "string", "candidates": "int64", "best_group": "string",
        "similarity": "float64", "second_group": "string", "second_similarity": "float64",
        "margin": "float64", "shared_entities": "string", "attached": "bool"})
    return table.sort_values("article_id", kind="mergesort").reset_index(drop=True)
