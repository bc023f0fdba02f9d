"""Same-event coverage: join differently worded articles about one event, then compare camps.

:func:`group_same_event` links two articles when all three hold:

1. they were published at most ``window_days`` apart;
2. they mention at least ``min_shared_entities`` of the same entities (``mentions`` table), so
   two camps' stories about one meeting join even when no sentence is shared;
3. the cosine similarity of their TF-IDF vectors (shared terms, unigrams, sublinear tf) is at
   least ``min_similarity``, so two events with the same actors in one week stay apart.

Groups are the connected components of these links (single linkage). Articles without a date
or without entities cannot be placed and stay alone. The "stories" of the timelines stage join
near-copies; this grouping is looser and is meant for side-by-side comparison, not for reuse.

:func:`compare_event` lays out, for the articles of one event, which entities, quoted speakers
and labels each camp (or publisher) includes, and which it omits.

Example:
    >>> articles = pd.DataFrame({"article_id": ["a", "b", "c"],
    ...     "published": pd.to_datetime(["2024-03-01", "2024-03-02", "2024-05-01"], utc=True),
    ...     "text": ["Voss met Kade at the dam talks", "Kade and Voss dam talks end", "Voss dam talks"]})
    >>> mentions = pd.DataFrame({"article_id": ["a", "a", "b", "b", "c", "c"],
    ...     "entity_id": ["voss", "kade"] * 3, "start": [0] * 6, "end": [1] * 6})
    >>> group_same_event(articles, mentions, min_similarity=0.1).event_group.tolist()
    ['event-0001', 'event-0001', 'event-0002']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from mediaprov.narratives.groups import group_column
from mediaprov.narratives.tokens import term_analyzer


def _tfidf(texts: list[str]) -> sparse.csr_matrix:
    vectorizer = TfidfVectorizer(analyzer=term_analyzer(ngram_max=1), sublinear_tf=True)
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no terms at all
        return sparse.csr_matrix((len(texts), 1))


def event_links(articles: pd.DataFrame, mentions: pd.DataFrame, *, window_days: float = 3,
                min_shared_entities: int = 2, min_similarity: float = 0.3) -> pd.DataFrame:
    """Return the article pairs that :func:`group_same_event` links, with the evidence.

    Args: as :func:`group_same_event`.

    Returns:
        Columns ``article_a, article_b`` (a sorts first), ``days`` apart, ``shared_entities``
        (sorted ids joined by ``|``), ``similarity``; sorted by the pair.

    Example:
        >>> event_links(pd.DataFrame({"article_id": [], "published": [], "text": []}),
        ...             pd.DataFrame({"article_id": [], "entity_id": [], "start": [], "end": []})).shape
        (0, 5)
    """
    columns = ["article_a", "article_b", "days", "shared_entities", "similarity"]
    frame = pd.DataFrame({
        "article_id": articles["article_id"].astype(str).to_numpy(),
        "published": pd.to_datetime(articles["published"], utc=True).to_numpy(),
        "text": articles["text"].astype("string").fillna("").to_numpy(),
    }).drop_duplicates("article_id").sort_values("article_id", kind="mergesort").reset_index(drop=True)
    entity_sets = (mentions.dropna(subset=["article_id", "entity_id"])
                   .astype({"article_id": str, "entity_id": str})
                   .groupby("article_id")["entity_id"].agg(lambda s: frozenset(s)))
    frame["entities"] = frame["article_id"].map(entity_sets)
    placed = frame[frame["published"].notna() & frame["entities"].notna()].copy()
    if len(placed) < 2:
        return pd.DataFrame({c: [] for c in columns})
    placed = placed.sort_values(["published", "article_id"], kind="mergesort").reset_index(drop=True)
    vectors = _tfidf(placed["text"].tolist())
    epoch = pd.Timestamp("1970-01-01", tz="UTC")
    times = ((pd.to_datetime(placed["published"], utc=True) - epoch) / pd.Timedelta(days=1)).to_numpy(float)
    rows = []
    for i in range(len(placed)):
        stop = int(np.searchsorted(times, times[i] + window_days, side="right"))
        if stop <= i + 1:
            continue
        candidates = np.arange(i + 1, stop)
        similarity = np.asarray((vectors[candidates] @ vectors[i].T).todense()).ravel()
        for j, score in zip(candidates, similarity):
            if score < min_similarity:
                continue
            shared = placed.at[i, "entities"] & placed.at[j, "entities"]
            if len(shared) < min_shared_entities:
                continue
            a, b = sorted((placed.at[i, "article_id"], placed.at[j, "article_id"]))
            rows.append((a, b, float(times[j] - times[i]), "|".join(sorted(shared)), float(score)))
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["article_a", "article_b"], kind="mergesort").reset_index(drop=True)


def group_same_event(articles: pd.DataFrame, mentions: pd.DataFrame, *, window_days: float = 3,
                     min_shared_entities: int = 2, min_similarity: float = 0.3) -> pd.DataFrame:
    """Assign each article an event group: coverage of one event by any outlet, however worded.

    Args:
        articles: articles with ``article_id``, ``published`` and ``text``.
        mentions: the ``mentions`` table (entities per article).
        window_days: largest gap in days between two linked articles.
        min_shared_entities: entities two linked articles must share.
        min_similarity: smallest TF-IDF cosine of two linked articles (0 disables the check).
            The level that separates events depends on the corpus (text length, shared
            boilerplate): on the demo corpus unrelated articles of one week score about 0.33 and
            same-event articles about 0.44, so check a grid of values against a few hand-labelled
            events before trusting one.

    Returns:
        Columns ``article_id, event_group``: one row per article, groups named ``event-0001``...
        in order of their first article (publication time, then id), so reruns are identical.

    Example: see the module docstring.
    """
    frame = pd.DataFrame({
        "article_id": articles["article_id"].astype(str).to_numpy(),
        "published": pd.to_datetime(articles["published"], utc=True).to_numpy(),
    }).drop_duplicates("article_id").sort_values("article_id", kind="mergesort").reset_index(drop=True)
    links = event_links(articles, mentions, window_days=window_days,
                        min_shared_entities=min_shared_entities, min_similarity=min_similarity)
    position = {a: k for k, a in enumerate(frame["article_id"])}
    graph = sparse.coo_matrix(
        (np.ones(len(links)), ([position[a] for a in links["article_a"]],
                               [position[b] for b in links["article_b"]])),
        shape=(len(frame), len(frame)),
    )
    _, component = connected_components(graph, directed=False)
    frame["component"] = component
    order = (frame.sort_values(["published", "article_id"], kind="mergesort", na_position="last")
             .drop_duplicates("component")["component"].tolist())
    width = max(4, len(str(len(order))))
    names = {c: f"event-{k:0{width}d}" for k, c in enumerate(order, start=1)}
    out = pd.DataFrame({"article_id": frame["article_id"], "event_group": frame["component"].map(names)})
    return out.sort_values(["event_group", "article_id"], kind="mergesort").reset_index(drop=True).astype("string")


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
