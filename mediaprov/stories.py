"""Stories: group articles about the same story, the grouping timelines and narratives share.

Articles join one story when they are linked, directly or through a chain, by

* ``near-duplicate``: ingestion merged one record into another (``ingest_log`` rows with status
  ``duplicate`` and ``duplicate_of``);
* ``reuse``: a reuse pair (the REUSE table, optionally above a similarity threshold);
* ``shared-quote``: the same quotation (normalised text, long enough to be distinctive) appears
  in different articles.

The groups are the connected components of these links (union-find). Every article of
``articles`` gets a row, unlinked ones as a story of their own (``joined_by == "singleton"``).

Example:
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"article_id": ["a", "b", "c"]})
    >>> reuse = pd.DataFrame({"article_a": ["a"], "article_b": ["b"], "similarity": [0.9]})
    >>> table = build_stories(articles, reuse=reuse)
    >>> table.groupby("story_id").size().sort_values().tolist()
    [1, 2]
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pandas as pd

from mediaprov.io import read_table, write_table
from mediaprov.schema import ARTICLES, INGEST_LOG, QUOTES, REUSE, STORIES

LINK_KINDS: tuple[str, ...] = ("near-duplicate", "reuse", "shared-quote")
"""How an article can join a story."""

SINGLETON = "singleton"


class UnionFind:
    """Disjoint sets of string ids; each set's representative is its smallest id.

    Example:
        >>> sets = UnionFind()
        >>> sets.union("b", "a"); sets.union("c", "b")
        >>> sets.find("c")
        'a'
    """

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def add(self, item: str) -> None:
        """Add ``item`` as a set of its own if it is new."""
        self._parent.setdefault(item, item)

    def find(self, item: str) -> str:
        """Return the representative of ``item``'s set (adding ``item`` if new)."""
        self.add(item)
        root = item
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[item] != root:  # path compression
            self._parent[item], item = root, self._parent[item]
        return root

    def union(self, first: str, second: str) -> None:
        """Merge the sets of ``first`` and ``second``; the smaller id stays representative."""
        a, b = self.find(first), self.find(second)
        if a != b:
            low, high = sorted((a, b))
            self._parent[high] = low

    def items(self) -> list[str]:
        """Return every id, sorted."""
        return sorted(self._parent)


def normalise_quote(text: str) -> str:
    """Return a quote's text in a form that matches across outlets' typography.

    Unicode NFKC, case folded, quotation marks and punctuation removed, whitespace collapsed.

    Example:
        >>> normalise_quote("“We  will  Stay,” he said")
        'we will stay he said'
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def story_links(*, articles: pd.DataFrame | None = None, ingest_log: pd.DataFrame | None = None,
                reuse: pd.DataFrame | None = None, quotes: pd.DataFrame | None = None,
                min_similarity: float = 0.0, min_quote_chars: int = 40,
                quote_kinds: tuple[str, ...] = ("direct", "embedded_post")) -> pd.DataFrame:
    """List the links that put two articles in one story, each with its kind and evidence.

    Args:
        articles: used to read a quote's text from ``articles.text[start:end]`` when the quotes
            table has no ``text`` for it.
        ingest_log: INGEST_LOG rows; ``duplicate`` rows link ``article_id`` to ``duplicate_of``.
        reuse: REUSE rows; pairs with ``similarity`` below ``min_similarity`` are ignored.
        quotes: QUOTES rows; quotes of ``quote_kinds`` whose normalised text has at least
            ``min_quote_chars`` characters link every article that carries them (short scare
            quotes and labels would join unrelated stories, so they are left out).
        min_similarity: the lowest reuse similarity that links.
        min_quote_chars: the shortest normalised quote that links.
        quote_kinds: the quote kinds that link.

    Returns:
        ``article_a``, ``article_b`` (``a < b``), ``kind`` (one of :data:`LINK_KINDS`),
        ``evidence`` (the similarity or the normalised quote), sorted and without duplicates.

    Example:
        >>> log = pd.DataFrame({"article_id": ["d"], "status": ["duplicate"],
        ...     "duplicate_of": ["a"]})
        >>> story_links(ingest_log=log).loc[0, ["article_a", "article_b", "kind"]].tolist()
        ['a', 'd', 'near-duplicate']
    """
    parts: list[pd.DataFrame] = []
    if ingest_log is not None and len(ingest_log):
        _require(ingest_log, ("article_id", "status", "duplicate_of"), "ingest_log")
        dup = ingest_log.loc[(ingest_log["status"] == "duplicate")
                             & ingest_log["article_id"].notna()
                             & ingest_log["duplicate_of"].notna()]
        parts.append(pd.DataFrame({"x": dup["article_id"], "y": dup["duplicate_of"],
                                   "kind": "near-duplicate", "evidence": "ingest_log"}))
    if reuse is not None and len(reuse):
        _require(reuse, ("article_a", "article_b"), "reuse")
        kept = reuse
        if "similarity" in reuse.columns:
            kept = reuse.loc[reuse["similarity"].fillna(0.0) >= min_similarity]
            evidence = kept["similarity"].map(lambda s: f"similarity={s:.3f}")
        else:
            evidence = pd.Series("reuse", index=kept.index)
        parts.append(pd.DataFrame({"x": kept["article_a"], "y": kept["article_b"],
                                   "kind": "reuse", "evidence": evidence}))
    if quotes is not None and len(quotes):
        parts.append(_quote_links(quotes, articles=articles, min_quote_chars=min_quote_chars,
                                  quote_kinds=quote_kinds))
    columns = {"article_a": "string", "article_b": "string", "kind": "string",
               "evidence": "string"}
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    links = pd.concat(parts, ignore_index=True).astype("string")
    links = links.loc[links["x"] != links["y"]]
    low = links[["x", "y"]].min(axis=1)
    high = links[["x", "y"]].max(axis=1)
    links = pd.DataFrame({"article_a": low, "article_b": high, "kind": links["kind"],
                          "evidence": links["evidence"]}).astype(columns)
    links = links.drop_duplicates(["article_a", "article_b", "kind"])
    return links.sort_values(["article_a", "article_b", "kind"], kind="stable").reset_index(
        drop=True)


def _require(table: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    """Raise a ValueError naming the table and the columns it lacks."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"table '{name}' lacks columns {missing}; it has {list(table.columns)}")


def _quote_links(quotes: pd.DataFrame, *, articles: pd.DataFrame | None, min_quote_chars: int,
                 quote_kinds: tuple[str, ...]) -> pd.DataFrame:
    """Link consecutive articles (in id order) that share a normalised quote: a chain suffices."""
    _require(quotes, ("article_id",), "quotes")
    chosen = quotes
    if "kind" in quotes.columns:
        chosen = quotes.loc[quotes["kind"].isin(quote_kinds)]
    texts = (chosen["text"].astype("string") if "text" in chosen.columns
             else pd.Series(pd.NA, index=chosen.index, dtype="string"))
    if texts.isna().any() and articles is not None and {"start", "end"} <= set(chosen.columns):
        bodies = dict(zip(articles["article_id"].astype(str), articles["text"].astype(str)))
        for index in texts.index[texts.isna()]:
            body = bodies.get(str(chosen.at[index, "article_id"]))
            start, end = chosen.at[index, "start"], chosen.at[index, "end"]
            if body is not None and pd.notna(start) and pd.notna(end):
                texts.at[index] = body[int(start):int(end)]
    frame = pd.DataFrame({"article_id": chosen["article_id"].astype("string"),
                          "quote": texts.fillna("").map(normalise_quote)})
    frame = frame.loc[frame["quote"].str.len() >= min_quote_chars].drop_duplicates()
    frame = frame.sort_values(["quote", "article_id"], kind="stable")
    following = frame.groupby("quote")["article_id"].shift(-1)
    chained = frame.assign(y=following).dropna(subset=["y"])
    return pd.DataFrame({"x": chained["article_id"], "y": chained["y"], "kind": "shared-quote",
                         "evidence": chained["quote"]})


def _story_id(representative: str) -> str:
    """A stable story id: a short hash of the story's smallest article id."""
    return "story-" + hashlib.sha1(representative.encode("utf-8")).hexdigest()[:12]


def build_stories(articles: pd.DataFrame, *, ingest_log: pd.DataFrame | None = None,
                  reuse: pd.DataFrame | None = None, quotes: pd.DataFrame | None = None,
                  min_similarity: float = 0.0, min_quote_chars: int = 40,
                  quote_kinds: tuple[str, ...] = ("direct", "embedded_post")) -> pd.DataFrame:
    """Group articles into stories: connected components of near-duplicate, reuse and quote links.

    Args:
        articles: needs ``article_id`` (and ``text`` when quotes carry only offsets).
        ingest_log, reuse, quotes, min_similarity, min_quote_chars, quote_kinds: as in
            :func:`story_links`.

    Returns:
        The STORIES table, sorted by story then article: ``article_id``, ``story_id``
        (``story-`` + a hash of the story's smallest article id, so ids do not depend on row
        order) and ``joined_by``: the kinds of link that touch the article, ``+``-joined
        (``reuse+shared-quote``), or ``singleton``. Ids that appear only in links (merged
        duplicates) get rows too.

    Example:
        >>> q = pd.DataFrame({"article_id": ["a", "b"], "kind": ["direct", "direct"],
        ...     "text": ["we will not be silenced by anyone at all"] * 2})
        >>> build_stories(pd.DataFrame({"article_id": ["a", "b"]}), quotes=q,
        ...     min_quote_chars=10).joined_by.tolist()
        ['shared-quote', 'shared-quote']
    """
    _require(articles, ("article_id",), "articles")
    links = story_links(articles=articles, ingest_log=ingest_log, reuse=reuse, quotes=quotes,
                        min_similarity=min_similarity, min_quote_chars=min_quote_chars,
                        quote_kinds=quote_kinds)
    sets = UnionFind()
    for article_id in articles["article_id"].dropna().astype(str):
        sets.add(article_id)
    kinds: dict[str, set[str]] = {}
    for a, b, kind in links[["article_a", "article_b", "kind"]].itertuples(index=False):
        sets.union(str(a), str(b))
        kinds.setdefault(str(a), set()).add(str(kind))
        kinds.setdefault(str(b), set()).add(str(kind))
    ids = sets.items()
    table = pd.DataFrame({
        "article_id": ids,
        "story_id": [_story_id(sets.find(i)) for i in ids],
        "joined_by": ["+".join(sorted(kinds[i])) if i in kinds else SINGLETON for i in ids],
    })
    table = table.sort_values(["story_id", "article_id"], kind="stable").reset_index(drop=True)
    return table.astype({"article_id": "string", "story_id": "string", "joined_by": "string"})


def run_stories(dir: Path, *, min_similarity: float = 0.0, min_quote_chars: int = 40) -> Path:
    """Build ``dir/stories.parquet`` from the tables of a processed corpus folder.

    Reads ``dir/articles.parquet`` (required) and, when present, ``ingest_log.parquet``,
    ``reuse.parquet`` and ``quotes.parquet``.

    Args:
        dir: a processed corpus folder (``data/processed/<corpus>``).
        min_similarity, min_quote_chars: as in :func:`story_links`.

    Returns:
        The path written.

    Raises:
        FileNotFoundError: ``dir/articles.parquet`` is missing (run ``mediaprov ingest DIR``).

    Example:
        >>> run_stories(Path("data/processed/demo"))  # doctest: +SKIP
        PosixPath('data/processed/demo/stories.parquet')
    """
    dir = Path(dir)
    articles = read_table(dir / "articles.parquet", ARTICLES)
    optional = {}
    for name, schema in (("ingest_log", INGEST_LOG), ("reuse", REUSE), ("quotes", QUOTES)):
        path = dir / f"{name}.parquet"
        optional[name] = read_table(path, schema) if path.exists() else None
    stories = build_stories(articles, min_similarity=min_similarity,
                            min_quote_chars=min_quote_chars, **optional)
    return write_table(stories, dir / "stories.parquet", STORIES)
