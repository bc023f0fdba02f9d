"""A seeded generator of fictional articles with planted copies, for tests and benchmarks.

Words are made-up syllable strings (no real names, places or quotations), drawn with Zipf
frequencies so that common words recur as in real text; sentences end with a full stop and start
with a capital. Some articles copy an earlier one: *whole* copies embed the full source text between
an introduction and a closing of their own, *partial* copies embed one contiguous passage of
30-70 % of the source's words. Some copies credit the source's outlet. Every outlet ends a share of
its articles with its own sign-off line (boilerplate that must not count as reuse).

Example:
    >>> articles, truth = synthetic_corpus(50, seed=1)
    >>> len(articles), sorted(truth.columns)
    (50, ['credited', 'kind', 'source_id', 'target_id'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "bre", "dal", "fen", "gor", "hul",
              "jas", "kir", "lum", "mor", "nix", "pel", "quo", "ras", "sel", "tor", "ulm", "vex",
              "wen", "yar", "zot")


def fictional_vocabulary(size: int, *, seed: int = 0) -> list[str]:
    """Return ``size`` distinct made-up words of one to four syllables, in a seeded order.

    Args:
        size: number of words.
        seed: random seed.

    Returns:
        The words.

    Example:
        >>> len(set(fictional_vocabulary(100, seed=3)))
        100
    """
    rng = np.random.default_rng(seed)
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        n = int(rng.integers(1, 5))
        word = "".join(_SYLLABLES[i] for i in rng.integers(0, len(_SYLLABLES), n))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def synthetic_corpus(n_articles: int, *, seed: int = 0, n_outlets: int = 20,
                     vocabulary: int = 20_000, words: tuple[int, int] = (150, 400),
                     copy_share: float = 0.2, whole_share: float = 0.5,
                     credit_share: float = 0.5, signoff_share: float = 0.6,
                     undated_share: float = 0.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate fictional articles with planted whole and partial copies.

    Args:
        n_articles: number of articles.
        seed: random seed; same seed, same corpus.
        n_outlets: number of fictional outlets (``outlet-00`` ...).
        vocabulary: number of distinct words.
        words: range of body lengths in words.
        copy_share: share of articles that copy an earlier article.
        whole_share: share of copies that are whole copies (the rest are partial).
        credit_share: share of copies that credit the source's outlet.
        signoff_share: share of an outlet's articles that end with the outlet's sign-off.
        undated_share: share of articles whose publication date is missing.

    Returns:
        ``(articles, truth)``: ``articles`` has ``article_id``, ``outlet_id``, ``published``,
        ``credited_source`` and ``text``; ``truth`` has one row per planted copy:
        ``source_id``, ``target_id``, ``kind`` (``whole`` | ``partial``), ``credited``.

    Example: see the module docstring.
    """
    rng = np.random.default_rng(seed)
    vocab = np.array(fictional_vocabulary(vocabulary, seed=seed))
    weights = 1.0 / np.arange(1, vocabulary + 1)
    weights /= weights.sum()
    outlets = [f"outlet-{i:02d}" for i in range(n_outlets)]
    signoffs = [_sentences(vocab[rng.choice(vocabulary, 14, p=weights)].tolist(), rng)
                for _ in outlets]
    lengths = rng.integers(words[0], words[1] + 1, n_articles)
    drawn = rng.choice(vocabulary, int(lengths.sum()), p=weights).astype(np.int32)
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    outlet_of = rng.integers(0, n_outlets, n_articles)
    start = pd.Timestamp("2031-03-01", tz="UTC")
    published = start + pd.to_timedelta(np.sort(rng.uniform(0, 365, n_articles)), unit="D")
    is_copy = rng.random(n_articles) < copy_share
    is_copy[0] = False
    bodies: list[list[str]] = []
    truth: list[dict] = []
    credited_source: list[str | None] = [None] * n_articles
    for i in range(n_articles):
        own = _sentences(vocab[drawn[bounds[i]: bounds[i + 1]]].tolist(), rng)
        if is_copy[i]:
            source = int(rng.integers(0, i))
            while is_copy[source] and source > 0:
                source = int(rng.integers(0, source))
            copied = bodies[source]
            whole = rng.random() < whole_share
            if not whole:
                span = int(len(copied) * rng.uniform(0.3, 0.7))
                begin = int(rng.integers(0, len(copied) - span + 1))
                copied = copied[begin: begin + span]
            cut = int(rng.integers(10, 40))
            own = own[:cut] + copied + own[cut: cut + int(rng.integers(10, 40))]
            credited = bool(rng.random() < credit_share)
            if credited:
                credited_source[i] = outlets[outlet_of[source]]
            truth.append({"source_id": f"syn-{source:07d}", "target_id": f"syn-{i:07d}",
                          "kind": "whole" if whole else "partial", "credited": credited})
        bodies.append(own)
    texts = []
    for i, body in enumerate(bodies):
        text = " ".join(body)
        if rng.random() < signoff_share:
            text += "\n\n" + " ".join(signoffs[outlet_of[i]])
        texts.append(text)
    dates = pd.Series(published)
    dates[rng.random(n_articles) < undated_share] = pd.NaT
    articles = pd.DataFrame({
        "article_id": [f"syn-{i:07d}" for i in range(n_articles)],
        "outlet_id": pd.array([outlets[o] for o in outlet_of], dtype="string"),
        "published": dates.astype("datetime64[ns, UTC]"),
        "credited_source": pd.array(credited_source, dtype="string"),
        "text": pd.array(texts, dtype="string"),
    })
    truth_table = pd.DataFrame(truth, columns=["source_id", "target_id", "kind", "credited"])
    return articles, truth_table


def _sentences(words: list[str], rng: np.random.Generator) -> list[str]:
    """Capitalise sentence starts and end sentences with a full stop every 8-20 words."""
    out = list(words)
    position = 0
    while position < len(out):
        out[position] = out[position].capitalize()
        end = min(len(out), position + int(rng.integers(8, 21))) - 1
        out[end] = out[end] + "."
        position = end + 1
    return out
