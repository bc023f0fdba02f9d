r"""Render one article in one input format: the six text-scrape styles, HTML, CSV and JSONL rows.

Each renderer returns the text it writes plus the ground truth of what a careful reader should
extract from exactly that rendering (title, date and its source, chrome lines, body paragraphs).
The styles imitate the noise of real scrapes (see ``README.md`` of the demo corpus):

* ``marker``: ``" date YYYY-MM-DD "`` glued to the first paragraph;
* ``sitelabel``: site label, title, tag line, body, ``Exit mobile version``; no date;
* ``crawlheader``: crawl-time header date, breadcrumb glued to the title, subtitle, posts;
* ``digest``: ``Home » Section » Title`` breadcrumb, ``++`` items, footer date, trailers;
* ``credit``: body only, closed by ``Source » <outlet>``; no title, no date;
* ``byline``: title and ``By <author> | <Month D, YYYY>``.

Example:
    >>> rendered = render_scrape("credit", Article.example())
    >>> rendered.text.splitlines()[-1].startswith("Source » ")
    True
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from mediaprov.demo.prose import SECTIONS, WEEKDAYS, Paragraph, month_day_year
from mediaprov.demo.world import Outlet

STYLES: tuple[str, ...] = ("marker", "sitelabel", "crawlheader", "digest", "credit", "byline")


@dataclass
class Article:
    """An underlying article before rendering.

    Attributes:
        key: the article's id in the truth (duplicates share it).
        outlet: the publisher.
        published: true publication date (whether or not a rendering shows it).
        title: headline; subtitle: standfirst.
        paragraphs: body paragraphs with their planted truth.
        credit_target: the outlet name/alias/domain stem a credit line names, or ``None``.
        credited_outlet: the outlet id of the credit line's target.
        author: byline name; tag: category tag line; slug: URL slug.
        bare_date: the body has a day-month date with no year.
    """

    key: str
    outlet: Outlet
    published: date
    title: str
    subtitle: str
    paragraphs: list[Paragraph]
    credit_target: str | None = None
    credited_outlet: str | None = None
    author: str = ""
    tag: str = "politics"
    slug: str = "story"
    digest_number: int = 1
    hour: int = 9

    @classmethod
    def example(cls) -> Article:
        """A tiny article for doctests."""
        outlet = Outlet("freedom-herald", "Freedom Herald", ("The Freedom Herald",),
                        "freedomherald.example", "opposition-aligned")
        return cls("a0", outlet, date(2022, 3, 4), "A title", "A subtitle",
                   [Paragraph("One paragraph ends later.", editable=True)],
                   credit_target="NAFV", credited_outlet="nafv-press")

    def url(self) -> str:
        """The article's canonical URL on its outlet's domain."""
        return (f"https://{self.outlet.domain}/{self.published.year}/"
                f"{self.published.month:02d}/{self.slug}/")


@dataclass
class Rendered:
    """One rendering of an article and the truth for it."""

    text: str
    title: str | None
    subtitle: str | None
    published: str | None
    date_source: str
    page_date: str | None
    credit_line: str | None
    boilerplate_lines: list[str]
    body_paragraphs: list[str]
    outlet_evidence: bool = True
    template_lines: list[str] = field(default_factory=list)
    body_copies: int = 1


def _credit(article: Article) -> str | None:
    return f"Source \u00bb {article.credit_target}" if article.credit_target else None


def _site_label(article: Article, rng: random.Random) -> str:
    return rng.choice((article.outlet.name,) + article.outlet.aliases)


def render_scrape(style: str, article: Article, *, rng: random.Random | None = None,
                  url_line: bool = False, crawl_date: date | None = None,
                  noise: list[tuple[int, str]] | tuple = (), copies: int = 1) -> Rendered:
    """Render an article as a text scrape in one of :data:`STYLES`.

    Args:
        style: one of :data:`STYLES`.
        article: the article.
        rng: random source for chrome choices (site label, section); default seed 0.
        url_line: end the file with ``URL: https://<domain>/...`` (outlet evidence in
            ``scrapes/unsorted``).
        crawl_date: the header date of ``crawlheader`` pages (after publication).
        noise: page-template lines to insert, ``(before paragraph i, line)``
            (:func:`mediaprov.demo.noise.pick_noise`); they are listed in ``template_lines``.
        copies: write the body this many times (a crawler artifact); the extra copies are listed
            in ``template_lines``.

    Returns:
        The rendering with its truth.

    Raises:
        ValueError: for an unknown style.

    Example:
        >>> render_scrape("byline", Article.example()).date_source
        'byline'
    """
    rng = rng or random.Random(0)
    credit = _credit(article)
    digest = style == "digest"
    body = [("++ " if digest and p.post is None and not _is_post_text(article, i) else "") + p.text
            for i, p in enumerate(article.paragraphs)]
    head: list[str] = []
    chrome: list[str] = []
    tail: list[str] = []
    title: str | None = article.title
    subtitle: str | None = None
    published: str | None = None
    source = "none"
    page_date: str | None = None
    first_line_glue = ""
    if style == "marker":
        title = None
        first_line_glue = f" date {article.published.isoformat()} "
        published, source = article.published.isoformat(), "marker"
    elif style == "sitelabel":
        label = _site_label(article, rng)
        head = [label, "", article.title, "", article.tag, ""]
        chrome = [label, article.tag]
        tail = ["Exit mobile version"]
    elif style == "crawlheader":
        crawl = crawl_date or article.published + timedelta(days=900)
        header = f"{WEEKDAYS[crawl.weekday()]}, {month_day_year(crawl)}"
        crumb = (f"Home{rng.choice(SECTIONS)} - "
                 f"{rng.choice(('Latest News and Articles', 'Latest News', 'Top Stories'))}"
                 f"{article.title}")
        subtitle = article.subtitle
        head = [header, crumb, "", article.title, "", subtitle, ""]
        chrome = [header, crumb]
        page_date = crawl.isoformat()
    elif style == "digest":
        section = _site_label(article, rng)
        if article.outlet.outlet_id == "pathfinder-digest":
            title = f"{section} \u2013 {article.digest_number}"
            subtitle = article.title
        else:
            title = article.title  # unchanged; assigned so the type checker sees a str
            subtitle = article.subtitle
        crumb = f"Home \u00bb {section} \u00bb {title}"
        head = [crumb, "", title, "", subtitle, "", article.tag, ""]
        chrome = [crumb, article.tag]
        tail = [month_day_year(article.published), "You may also like", "Leave a Comment"]
        published, source = article.published.isoformat(), "footer"
    elif style == "credit":
        title = None
    elif style == "byline":
        head = [article.title, "", f"By {article.author} | {month_day_year(article.published)}", ""]
        published, source = article.published.isoformat(), "byline"
    else:
        raise ValueError(f"unknown scrape style {style!r}; expected one of {STYLES}")
    if credit:
        tail = [credit] + tail
        chrome.append(credit)
    if style == "digest":
        chrome += ["You may also like", "Leave a Comment"]
    elif style == "sitelabel":
        chrome.append("Exit mobile version")
    if url_line:
        line = f"URL: {article.url()}"
        tail.append(line)
        chrome.append(line)
    parts = list(body)
    parts[0] = first_line_glue + parts[0]
    parts, template_lines = _with_noise(parts, body, noise, copies)
    text = "\n".join(head) + ("\n" if head else "") + "\n\n".join(parts)
    if tail:
        text += "\n\n" + "\n\n".join(tail)
    text += "\n"
    evidence = url_line or style in ("sitelabel", "digest")
    return Rendered(text, title, subtitle, published, source, page_date, credit,
                    chrome, body, evidence, template_lines, copies)


def _with_noise(parts: list[str], body: list[str], noise: list[tuple[int, str]] | tuple,
                copies: int) -> tuple[list[str], list[str]]:
    """``(parts, template_lines)``: the noise lines inserted and the body repeated ``copies`` times."""
    template_lines: list[str] = []
    if not noise and copies <= 1:
        return parts, template_lines
    noisy: list[str] = []
    for i, part in enumerate(parts):
        for at, line in noise:
            if at == i:
                noisy.append(line)
                template_lines.append(line)
        noisy.append(part)
    for _ in range(copies - 1):
        noisy += body
        template_lines += [line.strip() for part in body for line in part.split("\n") if line.strip()]
    return noisy, template_lines


def _is_post_text(article: Article, index: int) -> bool:
    """True when paragraph ``index`` is the text line of an embedded post."""
    nxt = index + 1
    return nxt < len(article.paragraphs) and article.paragraphs[nxt].post is not None


def render_html(article: Article, *, with_date: bool = True) -> Rendered:
    """Render an article as a full HTML page (``article:published_time`` when ``with_date``).

    Example:
        >>> "<h1>A title</h1>" in render_html(Article.example()).text
        True
    """
    site = html.escape(article.outlet.name)
    title = html.escape(article.title, quote=False)
    url = article.url()
    stamp = f"{article.published.isoformat()}T{article.hour:02d}:30:00+00:00"
    meta = f'<meta property="article:published_time" content="{stamp}">\n' if with_date else ""
    paragraphs = "\n".join(f"<p>{html.escape(p.text, quote=False)}</p>"
                           for p in article.paragraphs)
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{title} | {site}</title>\n"
        f"<meta property=\"og:title\" content=\"{html.escape(article.title)}\">\n"
        f"<meta property=\"og:site_name\" content=\"{site}\">\n{meta}"
        f"<link rel=\"canonical\" href=\"{url}\">\n</head>\n<body>\n"
        "<nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world/\">World</a></li>"
        "<li><a href=\"/politics/\">Politics</a></li><li><a href=\"/about/\">About</a></li></ul>"
        "</nav>\n<article>\n"
        f"<h1>{title}</h1>\n{paragraphs}\n</article>\n"
        f"<footer><div class=\"copyright\">Copyright {article.published.year} {site}</div>"
        "</footer>\n</body>\n</html>\n"
    )
    return Rendered(page, article.title, None,
                    article.published.isoformat() if with_date else None,
                    "html-meta" if with_date else "none", None, None, [],
                    [p.text for p in article.paragraphs])


MEDIACLOUD_COLUMNS: tuple[str, ...] = (
    "guid", "stories_id", "processed_stories_id", "title", "url", "language", "collect_date",
    "publish_date", "media_id", "media_name", "media_url", "tags", "tag_sets", "tags_ids",
    "tag_sets_ids", "text",
)
"""Media Cloud (API v2) story-list CSV columns, plus ``text`` (real exports often lack it)."""


def mediacloud_row(article: Article, *, stories_id: int, media_id: int) -> tuple[list[str], Rendered]:
    """Render an article as one row of a Media Cloud story export (:data:`MEDIACLOUD_COLUMNS`).

    Example:
        >>> row, truth = mediacloud_row(Article.example(), stories_id=1, media_id=2)
        >>> row[7]
        '2022-03-04 09:30:00'
    """
    url = article.url()
    collected = article.published + timedelta(days=1 + article.hour % 3)
    text = "\n\n".join(p.text for p in article.paragraphs)
    row = [url, str(stories_id), str(stories_id + 7), article.title, url, "en",
           f"{collected.isoformat()} 04:{article.hour:02d}:11.{article.hour * 7919 % 1000000:06d}",
           f"{article.published.isoformat()} {article.hour:02d}:30:00", str(media_id),
           article.outlet.name, f"https://{article.outlet.domain}", "", "", "", "", text]
    return row, Rendered("", article.title, None, article.published.isoformat(), "structured",
                         None, None, [], [p.text for p in article.paragraphs])


BAD_DATES: tuple[str, ...] = ("", "9/6/17", "0001-01-01", "2050-05-05")


def feed_line(article: Article, *, item_id: str, outlet_as: str,
              bad_date: str | None = None) -> tuple[dict, Rendered]:
    """Render an article as one JSON-lines record.

    The record has ``id, outlet, url, title, published, author, body``; ``bad_date`` writes an
    unusable date instead of the real one.

    Example:
        >>> record, truth = feed_line(Article.example(), item_id="x", outlet_as="FreedomHerald")
        >>> record["published"], truth.date_source
        ('2022-03-04T09:30:00Z', 'structured')
    """
    text = "\n\n".join(p.text for p in article.paragraphs)
    stamp = f"{article.published.isoformat()}T{article.hour:02d}:30:00Z"
    record = {"id": item_id, "outlet": outlet_as, "url": article.url(), "title": article.title,
              "published": stamp if bad_date is None else bad_date, "author": article.author,
              "body": text}
    ok = bad_date is None
    return record, Rendered("", article.title, None, article.published.isoformat() if ok else None,
                            "structured" if ok else "none", None, None, [],
                            [p.text for p in article.paragraphs])
