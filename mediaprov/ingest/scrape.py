r"""Parse plain-text web scrapes: title, dates, outlet, credits, embedded posts and site chrome.

Text scrapes keep whatever the page showed: a site label or breadcrumb above the headline, the
day's date in the page header (the *crawl* date), category tags, share buttons, "You may also
like" trailers, credit lines such as ``Source » ncr-iran``, and embedded social posts that carry
their own author and date. This module separates the article from all that, line by line, and
says where each piece of metadata came from.

The rules, in the order they are applied:

1. A leading ``date YYYY-MM-DD`` marker (written by some scrapers) is the publication date
   (``date_source="marker"``).
2. From the top, while lines look like chrome: a full date on its own line is the page header date
   (``page_date``, never the publication date); a line that is exactly an outlet's name or alias is
   a site label; ``Home » ...`` lines are breadcrumbs; ``URL: ...`` lines give the address;
   navigation phrases from ``data/reference/boilerplate.csv`` are dropped.
3. A short first line that does not read as a sentence is the title; below it an author line
   (``By ... | June 3, 2022``) gives a byline date, a short line is a subtitle (the standfirst:
   content, so it is also kept as the first paragraph of the body), and a one-to-three word line
   is a category tag (chrome).
4. From the bottom: trailers from ``boilerplate.csv``, a credit line (``Source » X``, ``Via: X``)
   and a full date on its own line (the footer date, a publication date) are taken off.
5. ``— Name (@handle) Month D, YYYY`` lines close an embedded post (:mod:`mediaprov.embeds`);
   the post (the paragraph above and the signature) stays in the text, is recorded with offsets,
   and its date is never the article's.

Anything not recognised stays in the body: the parser would rather keep a chrome line than lose
a line of the article.

Example:
    >>> from mediaprov.ingest.outlets import OutletRegistry
    >>> page = "NCRI\n\nA Headline Here\n\nTag\n\nFirst sentence of the body is here.\n\nExit mobile version"
    >>> parsed = parse_scrape(page, registry=OutletRegistry.load())
    >>> parsed.outlet_id, parsed.title, parsed.chrome_lines
    ('ncri', 'A Headline Here', ['NCRI', 'Tag', 'Exit mobile version'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


from mediaprov import reference
from mediaprov.ingest.dates import DATE_CONFIDENCE, parse_full_date
from mediaprov.ingest.outlets import OutletRegistry
from mediaprov.embeds import find_embeds
from mediaprov.ingest.records import ParsedArticle

_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*(.*)$", re.I)
_BREADCRUMB = re.compile(r"^\s*Home(?:\s*[»›>/|]\s*|(?=[A-Z]))")
_BREADCRUMB_SPLIT = re.compile(r"\s*[»›>/|]\s*")
_URL_LINE = re.compile(r"^\s*(?:URL|Source URL|Link|Permalink)\s*:\s*(\S+)\s*$", re.I)
_CREDIT_LINE = re.compile(
    r"^\s*(?:Source|Sources|Credit|Via|Originally published (?:by|at|in|on)|Republished from)"
    r"\s*(?:[»›:|]|[-–—](?=\s))\s*(?P<target>.+?)\s*$", re.I)
_DATELINE_CREDIT = re.compile(r"^\s*(?:[A-Z][A-Z .'-]{1,40},?\s*)?\((?P<target>[A-Za-z][\w .&'-]{1,40})\)\s*[-–—]")
_BYLINE = re.compile(r"^\s*(?:By|Written by|Author:)\s+(?P<byline>[A-Z][^.!?;]{0,40}?(?:\s*[|·•,]\s*[^!?;]{0,40})?)\s*$")
_SENTENCE_END = re.compile(r"[.:;,]\s*$")
_WORD = re.compile(r"\S+")

TITLE_MAX_WORDS = 25
SUBTITLE_MAX_WORDS = 45
TAG_MAX_WORDS = 3
TOP_CHROME_MAX_LINES = 6


@dataclass(frozen=True)
class BoilerplatePattern:
    """A line pattern from ``boilerplate.csv`` and where on the page it may be removed."""

    regex: re.Pattern[str]
    where: str  # top | bottom | any
    kind: str


@lru_cache(maxsize=4)
def load_boilerplate(path: Path | None = None, *, corpus: str | None = None) -> tuple[BoilerplatePattern, ...]:
    """Read the site-chrome line patterns (``data/reference/boilerplate.csv``).

    Args:
        path: a CSV with columns ``pattern`` (a regular expression matched against the whole
            stripped line, case-insensitively), ``where`` (top, bottom or any) and ``kind``.
        corpus: scope rows by pack and add ``data/reference/<corpus>/boilerplate.csv``
            (:func:`mediaprov.reference.read`).

    Returns:
        The compiled patterns, in file order.

    Example:
        >>> any(p.regex.fullmatch("Exit mobile version") for p in load_boilerplate())
        True
    """
    table = reference.read("boilerplate", corpus=corpus, path=path)
    return tuple(
        BoilerplatePattern(re.compile(row.pattern, re.I), row.where, row.kind)
        for row in table.itertuples(index=False)
    )


def _words(line: str) -> int:
    return len(_WORD.findall(line))


def _is_boilerplate(line: str, patterns: tuple[BoilerplatePattern, ...], *, at: str) -> bool:
    stripped = line.strip()
    if len(stripped) > 120:
        return False
    return any(p.where in (at, "any") and p.regex.fullmatch(stripped) for p in patterns)


def _reads_as_heading(line: str, *, max_words: int) -> bool:
    """A heading is short and does not end like a running sentence."""
    words = _words(line)
    return 0 < words <= max_words and not _SENTENCE_END.search(line)


def _is_tag(line: str) -> bool:
    return _words(line) <= TAG_MAX_WORDS and not re.search(r"[.!?:;,\"“”]\s*$", line.strip())


def parse_scrape(
    text: str,
    *,
    registry: OutletRegistry,
    folder: str | None = None,
    boilerplate: tuple[BoilerplatePattern, ...] | None = None,
) -> ParsedArticle:
    r"""Parse one plain-text scrape into an article.

    Args:
        text: the decoded file content ("\n" line ends).
        registry: outlet registry used for site labels, breadcrumbs, URLs, credits and folders.
        folder: the name of the folder that holds the file: a last-resort outlet hint (a domain,
            id or alias of an outlet).
        boilerplate: chrome line patterns (default: :func:`load_boilerplate`).

    Returns:
        A :class:`ParsedArticle` whose ``text`` is the body, paragraphs separated by blank lines.

    Example: see the module docstring.
    """
    patterns = boilerplate if boilerplate is not None else load_boilerplate()
    lines = [line.rstrip() for line in text.split("\n")]
    article = ParsedArticle(text="")
    outlet_hints: list[tuple[str, str]] = []  # (evidence, outlet_id), strongest first

    # 1. Scraper date marker on the first non-blank line.
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return article
    marker = _MARKER.match(lines[first])
    if marker:
        stamp = parse_full_date(marker.group(1))
        if stamp is not None:
            article.published, article.date_source = stamp, "marker"
        lines[first] = marker.group(2)

    keep = [bool(line.strip()) for line in lines]  # which lines stay in the body
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    chrome: list[tuple[int, str]] = []  # (line number, line): sorted into input order at the end

    # 2-3. Top: chrome, then title / byline / subtitle / tag.
    body_start = _take_top(article, lines, nonblank, keep, chrome, outlet_hints,
                           registry=registry, patterns=patterns)
    # 4. Bottom: trailers, credit line, footer date.
    _take_bottom(article, lines, nonblank[body_start:], keep, chrome, outlet_hints,
                 registry=registry, patterns=patterns)
    article.chrome_lines = [line for _, line in sorted(chrome)]  # input order

    blocks = _body_blocks(lines, keep)
    article.text = "\n\n".join(blocks)
    article.embeds = find_embeds(article.text)

    # Dateline credit "(Agency) —" at the start of the body.
    if article.credited_source is None and blocks:
        dateline = _DATELINE_CREDIT.match(blocks[0])
        if dateline:
            article.credited_source = registry.resolve(dateline.group("target"))
            if article.credited_source:
                article.credit_line = dateline.group(0).strip()

    # Outlet: evidence from the page itself first, then the folder.
    if folder:
        outlet = registry.resolve(folder)
        if outlet:
            outlet_hints.append(("folder", outlet))
    if outlet_hints:
        article.outlet_evidence, article.outlet_id = outlet_hints[0]
    article.date_confidence = DATE_CONFIDENCE[article.date_source]
    return article


def _take_top(article: ParsedArticle, lines: list[str], nonblank: list[int], keep: list[bool],
              chrome: list[tuple[int, str]], outlet_hints: list[tuple[str, str]], *,
              registry: OutletRegistry, patterns: tuple[BoilerplatePattern, ...]) -> int:
    """Take the chrome, title, byline, subtitle and tags at the top of a scrape.

    Fills ``article``, ``chrome`` and ``outlet_hints``, marks the lines taken out of ``keep``, and
    returns the position in ``nonblank`` where the body starts.
    """
    position = 0
    seen_title = False
    while position < len(nonblank) and position < TOP_CHROME_MAX_LINES + 4:
        index = nonblank[position]
        line = lines[index].strip()
        following = lines[nonblank[position + 1]].strip() if position + 1 < len(nonblank) else ""
        if not seen_title and article.published is None and article.page_date is None \
                and (header_date := parse_full_date(line)) is not None:
            article.page_date = header_date
            chrome.append((index, line))
        elif not seen_title and _BREADCRUMB.match(line) and (
                "»" in line or "›" in line or (following and line.endswith(following))):
            chrome.append((index, line))
            for segment in _BREADCRUMB_SPLIT.split(line)[1:-1]:
                outlet = registry.resolve_name(segment)
                if outlet:
                    outlet_hints.append(("breadcrumb", outlet))
                    break
        elif not seen_title and _URL_LINE.match(line):
            _take_url_line(article, line, registry=registry, outlet_hints=outlet_hints, first=False)
            chrome.append((index, line))
        elif not seen_title and _words(line) <= 6 and (label := registry.resolve_name(line)):
            outlet_hints.insert(0, ("site-label", label))
            chrome.append((index, line))
        elif not seen_title and _is_boilerplate(line, patterns, at="top"):
            chrome.append((index, line))
        elif not seen_title and _reads_as_heading(line, max_words=TITLE_MAX_WORDS) and following:
            article.title, seen_title = line, True
        elif seen_title and _BYLINE.match(line) and article.byline is None:
            _take_byline(article, _BYLINE.match(line).group("byline"))  # type: ignore[union-attr]
        elif seen_title and _is_tag(line) and following:
            chrome.append((index, line))
        elif seen_title and article.subtitle is None and article.byline is None \
                and _reads_as_heading(line, max_words=SUBTITLE_MAX_WORDS) and following:
            article.subtitle = line  # the standfirst is content: it also stays in the body
            position += 1
            continue
        else:
            break
        keep[index] = False
        position += 1
    return position


def _take_bottom(article: ParsedArticle, lines: list[str], nonblank: list[int], keep: list[bool],
                 chrome: list[tuple[int, str]], outlet_hints: list[tuple[str, str]], *,
                 registry: OutletRegistry, patterns: tuple[BoilerplatePattern, ...]) -> None:
    """Take the trailers, credit line and footer date at the bottom of a scrape.

    As :func:`_take_top` does at the top; ``nonblank`` holds the body's non-blank line numbers.
    """
    position = len(nonblank) - 1
    while position >= 0:
        index = nonblank[position]
        line = lines[index].strip()
        credit = _CREDIT_LINE.match(line)
        if _is_boilerplate(line, patterns, at="bottom"):
            chrome.append((index, line))
        elif credit and article.credit_line is None and _words(line) <= 12:
            article.credit_line = line
            article.credited_source = registry.resolve(credit.group("target"))
            chrome.append((index, line))
        elif _URL_LINE.match(line) and article.url is None:
            _take_url_line(article, line, registry=registry, outlet_hints=outlet_hints, first=True)
            chrome.append((index, line))
        elif len(line) <= 40 and (footer_date := parse_full_date(line)) is not None:
            if article.published is None:
                article.published, article.date_source = footer_date, "footer"
        else:
            break
        keep[index] = False
        position -= 1


def _body_blocks(lines: list[str], keep: list[bool]) -> list[str]:
    """The body's paragraphs: runs of kept non-blank lines."""
    paragraphs: list[list[int]] = []
    for index in range(len(lines)):
        if keep[index]:
            if paragraphs and paragraphs[-1][-1] == index - 1:
                paragraphs[-1].append(index)
            else:
                paragraphs.append([index])
    return ["\n".join(lines[i] for i in block) for block in paragraphs]


def _take_url_line(article: ParsedArticle, line: str, *, registry: OutletRegistry,
                   outlet_hints: list[tuple[str, str]], first: bool) -> None:
    """Record a ``URL: ...`` line: the article's address and, through its domain, the outlet.

    ``first``: ahead of the evidence found so far, as a line at the foot of the page is.
    """
    article.url = _URL_LINE.match(line).group(1)  # type: ignore[union-attr]
    outlet = registry.resolve_url(article.url)
    if outlet:
        outlet_hints.insert(0, ("url", outlet)) if first else outlet_hints.append(("url", outlet))


def _take_byline(article: ParsedArticle, byline: str) -> None:
    """Split "Name | June 3, 2022" into the author and a byline date."""
    parts = [part.strip() for part in re.split(r"\s*[|·•]\s*|,\s+(?=[A-Z][a-z]+\.? \d)", byline)]
    author_parts = []
    for part in parts:
        stamp = parse_full_date(part)
        if stamp is not None and article.published is None:
            article.published, article.date_source = stamp, "byline"
        elif stamp is None:
            author_parts.append(part)
    article.byline = ", ".join(author_parts) or None


def strip_chrome_lines(
    text: str, *, boilerplate: tuple[BoilerplatePattern, ...] | None = None
) -> tuple[str, list[str]]:
    r"""Remove chrome lines from the start and end of a body, and normalise paragraphs.

    For bodies that have no headline structure (structured inputs such as JSONL, CSV and extracted
    HTML).

    Args:
        text: the body as the input gives it.
        boilerplate: chrome line patterns (default: :func:`load_boilerplate`).

    Returns:
        ``(clean text with paragraphs separated by one blank line, removed lines)``.

    Example:
        >>> strip_chrome_lines("Communities\n\nRelated Articles\n\nThe body.\n\n\nShare this:")
        ('The body.', ['Communities', 'Related Articles', 'Share this:'])
    """
    patterns = boilerplate if boilerplate is not None else load_boilerplate()
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    content = [i for i, line in enumerate(lines) if line.strip()]
    removed_top: list[str] = []
    removed_bottom: list[str] = []
    while content and _is_boilerplate(lines[content[0]], patterns, at="top"):
        removed_top.append(lines[content.pop(0)].strip())
    while content and _is_boilerplate(lines[content[-1]], patterns, at="bottom"):
        removed_bottom.insert(0, lines[content.pop()].strip())
    if not content:
        return "", removed_top + removed_bottom
    kept = lines[content[0]:content[-1] + 1]
    blocks, current = [], []
    for line in kept:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return "\n\n".join(blocks), removed_top + removed_bottom
