r"""Social-media posts embedded in article texts: who posted, when, and where the post sits.

Scraped pages keep embedded posts inline: the post's text, then an attribution line
``— Author Name (@handle) Month D, YYYY``. The post belongs to the article as published (it stays
in the text), but its author and date are the post's own: never the article's byline or
publication date. Ingestion records the posts (``embeds`` table) and feature extraction counts
them as quotes of kind ``embedded_post``; both use :func:`find_embeds`.

Example:
    >>> [e.handle for e in find_embeds("Intro.\n\nA post.\n\n— A B (@ab) May 2, 2021")]
    ['@ab']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from mediaprov.ingest.dates import parse_full_date
from mediaprov.schema import EMBEDS, validate

_EMBED_LINE = re.compile(
    r"^[ \t]*[—–-]{1,2}[ \t]*(?P<author>[^\n()@]{1,80}?)[ \t]*\((?P<handle>@\w{1,30})\)"
    r"[ \t]*(?P<date>[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2},?[ \t]+\d{4})?[ \t]*$",
    re.MULTILINE,
)

@dataclass(frozen=True)
class Embed:
    """One embedded social-media post.

    ``start``/``end`` span the post's text (the paragraph above the attribution line);
    ``attribution_start`` is where the ``— Author (@handle) date`` line begins; ``attribution_end``
    where it ends.
    """

    author: str
    handle: str
    posted: datetime | None
    start: int
    end: int
    attribution_start: int
    attribution_end: int


def find_embeds(text: str) -> list[Embed]:
    r"""Find embedded social-media posts by their attribution line.

    Args:
        text: an article text.

    Returns:
        One :class:`Embed` per attribution line ``— Author (@handle) Month D, YYYY``; the body is
        the paragraph above it (``start``/``end``), the date is the post's own date.

    Example:
        >>> text = "Intro.\n\nWe stand firm.\n\n— Vela Group (@vela) May 2, 2021\n\nMore."
        >>> e = find_embeds(text)[0]
        >>> (e.author, e.handle, e.posted.year)
        ('Vela Group', '@vela', 2021)
    """
    embeds = []
    for match in _EMBED_LINE.finditer(text):
        body_end = match.start()
        while body_end > 0 and text[body_end - 1].isspace():
            body_end -= 1
        paragraph = text.rfind("\n\n", 0, body_end)
        body_start = 0 if paragraph < 0 else paragraph + 2
        while body_start < body_end and text[body_start].isspace():
            body_start += 1
        posted = parse_full_date(match.group("date")) if match.group("date") else None
        embeds.append(Embed(match.group("author").strip(), match.group("handle"), posted,
                            body_start, body_end, match.start(), match.end()))
    return embeds


def embed_rows(article_id: str, embeds: list[Embed]) -> list[tuple]:
    """Rows of the ``embeds`` table (EMBEDS column order) for one article's posts.

    ``start``/``end`` span the post with its attribution line, as ``schema.EMBEDS`` documents.

    Example:
        >>> embed_rows("a", [Embed("A", "@a", None, 0, 3, 5, 20)])
        [('a', 'A', '@a', None, 0, 20)]
    """
    return [(article_id, e.author, e.handle, e.posted, e.start, e.attribution_end) for e in embeds]


def embeds_table(rows: list[tuple]) -> pd.DataFrame:
    """Build and validate an ``embeds`` table from :func:`embed_rows` rows, sorted.

    Example:
        >>> list(embeds_table([]).columns)[:3]
        ['article_id', 'author', 'handle']
    """
    table = pd.DataFrame(rows, columns=list(EMBEDS.columns))
    return validate(table.sort_values(["article_id", "start"], kind="stable"), EMBEDS, where="embeds")
