"""Actor-frame associations: which lexicon labels appear near each mention of an actor.

For every entity mention (``mentions`` table: ``article_id, entity_id, start, end``), every
lexicon term whose tokens lie within ``window`` tokens before or after the mention is one
association. Tokens are counted with :func:`mediaprov.narratives.tokens.tokenize` (stopwords
count as tokens here: the window is a distance in the text). A lexicon match that overlaps any
entity mention is not a label (the word "Resistance" inside an organisation's name says nothing
about the actors around it). Each association keeps the article and both spans, so it can be
shown in context.

:func:`label_rates` turns associations into rates per 1,000 mentions by group (publisher or
camp), actor and label, with a Wilson interval or a cluster bootstrap over articles (mentions in
one article are not independent; the bootstrap respects that, the Wilson interval does not).

Example:
    >>> articles = pd.DataFrame({"article_id": ["a1"], "outlet_id": ["o1"],
    ...     "text": ["Officials said the cult led by Mara Voss gathered."]})
    >>> mentions = pd.DataFrame({"article_id": ["a1"], "entity_id": ["voss"], "start": [31],
    ...     "end": [40]})
    >>> lexicon = pd.DataFrame({"term": ["cult"], "category": ["delegitimising"]})
    >>> actor_frames(articles, mentions, lexicon, window=3)[["entity_id", "term", "distance"]].values.tolist()
    [['voss', 'cult', 3]]
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import numpy as np
import pandas as pd
from scipy.stats import norm

from mediaprov.narratives.groups import group_column
from mediaprov.text import analysis_text
from mediaprov.narratives.lexicons import find_terms, lexicon_index, load_lexicon
from mediaprov.narratives.tokens import tokenize

ASSOCIATION_COLUMNS: tuple[str, ...] = (
    "group", "article_id", "entity_id", "mention_start", "mention_end", "term", "category",
    "surface", "start", "end", "distance",
)
"""Columns of :func:`actor_frames`: ``start``/``end`` are the label's offsets (the evidence)."""

RATE_COLUMNS: tuple[str, ...] = (
    "group", "entity_id", "label", "mentions", "labelled", "rate_per_1000", "ci_low", "ci_high",
)
"""Columns of :func:`label_rates`."""


def _mention_keys(mentions: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("article_id", "entity_id", "start", "end") if c not in mentions.columns]
    if missing:
        raise KeyError(f"mentions is missing columns {missing} (see mediaprov.schema.MENTIONS)")
    keys = mentions.loc[:, ["article_id", "entity_id", "start", "end"]].dropna().copy()
    keys = keys.astype({"article_id": str, "entity_id": str, "start": "int64", "end": "int64"})
    return keys.drop_duplicates().sort_values(["article_id", "start", "end", "entity_id"],
                                              kind="mergesort").reset_index(drop=True)


def _empty_associations() -> pd.DataFrame:
    types = {"group": "string", "article_id": "string", "entity_id": "string",
             "mention_start": "int64", "mention_end": "int64", "term": "string",
             "category": "string", "surface": "string", "start": "int64", "end": "int64",
             "distance": "int64"}
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in types.items()})


def actor_frames(articles: pd.DataFrame, mentions: pd.DataFrame, lexicon: pd.DataFrame | None = None,
                 *, by: str = "outlet_id", window: int = 10) -> pd.DataFrame:
    """Find the lexicon labels within ``window`` tokens of each entity mention.

    Args:
        articles: articles with ``article_id``, ``text`` and the grouping column ``by``.
        mentions: the ``mentions`` table (offsets into ``articles.text``).
        lexicon: a lexicon table (``term``, ``category``); default ``framing.csv``.
        by: grouping column of ``articles`` (``outlet_id`` or ``camp``).
        window: how many tokens before and after the mention are searched.

    Returns:
        One row per (mention, label) with the columns :data:`ASSOCIATION_COLUMNS`, sorted by
        article, mention offset, label offset. ``distance`` is the number of tokens from the
        mention to the label (1 = adjacent).

    Raises:
        KeyError: a column is missing, or a mention names an article that is not in ``articles``.
        ValueError: ``window`` is negative.

    Example: see the module docstring.
    """
    if window < 0:
        raise ValueError(f"window must be zero or more tokens, got {window}")
    lexicon = load_lexicon() if lexicon is None else lexicon
    groups = group_column(articles, by)
    keys = _mention_keys(mentions)
    by_id = (articles.assign(_group=groups, text=analysis_text(articles))  # labels in page templates do not count
             .drop_duplicates("article_id").set_index("article_id"))
    unknown = sorted(set(keys["article_id"]) - set(by_id.index.astype(str)))
    if unknown:
        raise KeyError(f"{len(unknown)} mentioned articles are not in articles, e.g. {unknown[:3]}: "
                       "pass the articles table the mentions were extracted from")
    index = lexicon_index(lexicon) if len(keys) else None  # once, not once per article
    rows: list[tuple] = []
    for article_id, spans in keys.groupby("article_id", sort=True):
        text = by_id.at[article_id, "text"]
        text = "" if pd.isna(text) else str(text)
        group = by_id.at[article_id, "_group"]
        tokens = tokenize(text)
        starts = [t.start for t in tokens]
        ends = [t.end for t in tokens]
        span_list = list(zip(spans["start"], spans["end"], strict=True))
        labels = [m for m in find_terms(text, lexicon, tokens=tokens, index=index)
                  if not any(m.start < end and start < m.end for start, end in span_list)]
        if not labels:
            continue
        for entity_id, start, end in zip(spans["entity_id"], spans["start"], spans["end"], strict=True):
            first = bisect_right(ends, start)      # first token ending after the mention starts
            last = bisect_left(starts, end) - 1    # last token starting before the mention ends
            for label in labels:
                if label.last_token < first:
                    distance = first - label.last_token
                elif label.first_token > last:
                    distance = label.first_token - last
                else:
                    continue
                if distance <= window:
                    rows.append((group, article_id, entity_id, start, end, label.term,
                                 label.category, label.surface, label.start, label.end, distance))
    if not rows:
        return _empty_associations()
    table = pd.DataFrame(rows, columns=list(ASSOCIATION_COLUMNS))
    table = table.astype(_empty_associations().dtypes.to_dict())
    return table.sort_values(["article_id", "mention_start", "entity_id", "start", "term"],
                             kind="mergesort").reset_index(drop=True)


def wilson_interval(labelled: np.ndarray, total: np.ndarray, *,
                    confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for proportions ``labelled / total`` (0..1; NaN where total is 0).

    Example:
        >>> low, high = wilson_interval(np.array([0]), np.array([10]))
        >>> float(low[0]), round(float(high[0]), 3)
        (0.0, 0.278)
    """
    k = np.asarray(labelled, dtype=float)
    n = np.asarray(total, dtype=float)
    z = norm.ppf(0.5 + confidence / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)


def label_rates(associations: pd.DataFrame, mentions: pd.DataFrame, articles: pd.DataFrame, *,
                by: str = "outlet_id", level: str = "category", ci: str = "wilson",
                confidence: float = 0.95, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Label rates per 1,000 mentions of each actor, by group, with confidence intervals.

    A mention counts as labelled when at least one association of that label touches it, so a
    rate is "how many of 1,000 mentions of this actor have this label nearby".

    Args:
        associations: output of :func:`actor_frames`.
        mentions: the ``mentions`` table used to build them (the denominators).
        articles: articles with ``article_id`` and ``by``.
        by: grouping column (must match the one used for ``associations``).
        level: ``"category"`` (delegitimising...) or ``"term"`` (each lexicon entry).
        ci: ``"wilson"`` or ``"bootstrap"`` (resamples articles within each group and actor).
        confidence: interval coverage.
        n_boot: bootstrap replicates.
        seed: bootstrap random seed.

    Returns:
        Columns :data:`RATE_COLUMNS`; every (group, actor) pair gets a row for every label seen in
        ``associations`` (zeros included: an omission is a finding), sorted by group, actor, label.

    Raises:
        ValueError: unknown ``level`` or ``ci``.

    Example:
        >>> articles = pd.DataFrame({"article_id": ["a"], "outlet_id": ["o"], "text": ["cult X"]})
        >>> mentions = pd.DataFrame({"article_id": ["a"], "entity_id": ["x"], "start": [5], "end": [6]})
        >>> assoc = actor_frames(articles, mentions, pd.DataFrame({"term": ["cult"], "category": ["d"]}))
        >>> label_rates(assoc, mentions, articles).rate_per_1000.tolist()
        [1000.0]
    """
    if level not in ("category", "term"):
        raise ValueError(f"level must be 'category' or 'term', got {level!r}")
    if ci not in ("wilson", "bootstrap"):
        raise ValueError(f"ci must be 'wilson' or 'bootstrap', got {ci!r}")
    keys = _mention_keys(mentions)
    groups = articles.assign(_group=group_column(articles, by)).drop_duplicates("article_id")
    keys = keys.merge(groups[["article_id", "_group"]].astype({"article_id": str}),
                      on="article_id", how="inner").dropna(subset=["_group"])
    keys = keys.rename(columns={"_group": "group"})
    labels = sorted(associations[level].dropna().astype(str).unique().tolist())
    hit_keys = (associations.loc[:, ["article_id", "entity_id", "mention_start", "mention_end", level]]
                .astype({"article_id": str, "entity_id": str, "mention_start": "int64",
                         "mention_end": "int64", level: str})
                .drop_duplicates()
                .rename(columns={"mention_start": "start", "mention_end": "end", level: "label"}))
    hits_by_label: dict[str, set[tuple]] = {label: set() for label in labels}
    for article_id, entity, start, end, label in hit_keys.itertuples(index=False):
        hits_by_label[label].add((article_id, entity, start, end))
    rng = np.random.default_rng(seed)
    rows = []
    for (group, entity_id), block in keys.groupby(["group", "entity_id"], sort=True):
        block = block.reset_index(drop=True)
        block_keys = list(zip(block["article_id"], block["entity_id"], block["start"], block["end"], strict=True))
        article_codes, _ = pd.factorize(block["article_id"], sort=True)
        n_articles = int(article_codes.max()) + 1
        per_article_mentions = np.bincount(article_codes, minlength=n_articles)
        if ci == "bootstrap":
            draws = rng.integers(0, n_articles, size=(n_boot, n_articles))
        for label in labels:
            hits = hits_by_label[label]
            flagged = np.fromiter((key in hits for key in block_keys), dtype=bool, count=len(block_keys))
            n, k = len(block), int(flagged.sum())
            if ci == "wilson":
                low, high = (float(v[0]) for v in wilson_interval(np.array([k]), np.array([n]),
                                                                   confidence=confidence))
            else:
                per_article_labelled = np.bincount(article_codes, weights=flagged, minlength=n_articles)
                resampled = per_article_labelled[draws].sum(axis=1) / per_article_mentions[draws].sum(axis=1)
                low, high = (float(v) for v in np.quantile(resampled, [(1 - confidence) / 2,
                                                                        (1 + confidence) / 2]))
            rows.append((group, entity_id, label, n, k, 1000.0 * k / n, 1000.0 * low, 1000.0 * high))
    table = pd.DataFrame(rows, columns=list(RATE_COLUMNS))
    return table.astype({"group": "string", "entity_id": "string", "label": "string",
                         "mentions": "int64", "labelled": "int64", "rate_per_1000": "float64",
                         "ci_low": "float64", "ci_high": "float64"}).reset_index(drop=True)
