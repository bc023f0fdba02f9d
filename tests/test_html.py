"""Tests of mediaprov.ingest.html: main text, metadata and conservative dates (fictional pages)."""

from __future__ import annotations

import pytest

from mediaprov.ingest.html import HtmlExtractionError, extract_html

PARAGRAPHS = (
    "The council of Port Almera approved the harbor plan on Tuesday after a long debate.",
    "Officials of the fictional ministry said the works would begin next spring, for two years.",
    "Residents of the old quarter welcomed the decision but asked for more consultation on noise.",
)


def page(*, head: str = "", body_extra: str = "") -> str:
    """A small fictional news page with navigation, a menu and a footer around the article."""
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        "<!doctype html><html lang='en'><head><title>Harbor plan approved | Veskaria Daily</title>"
        f"{head}</head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World</a></li>"
        "<li><a href='/sport'>Sport</a></li><li><a href='/weather'>Weather</a></li></ul></nav>"
        "<div class='menu'><a href='/subscribe'>Subscribe now</a> | "
        "<a href='/login'>Log in</a></div>"
        f"<article><h1>Harbor plan approved</h1>{paragraphs}{body_extra}</article>"
        "<footer><p>Copyright Veskaria Daily Media Group. All rights reserved.</p>"
        "<a href='/privacy'>Privacy policy</a> <a href='/contact'>Contact us</a></footer>"
        "</body></html>"
    )


META = (
    "<meta property='og:site_name' content='Veskaria Daily'>"
    "<link rel='canonical' href='https://veskariadaily.example/news/harbor-plan'>"
    "<meta property='article:published_time' content='2024-03-05T10:00:00+00:00'>"
    "<meta name='author' content='Mira Tolvan'>"
    "<meta name='description' content='The fictional council votes on the harbor.'>"
)


def test_keeps_article_paragraphs_and_drops_menu_and_footer() -> None:
    fields = extract_html(page(head=META))
    assert fields["text"].split("\n\n") == list(PARAGRAPHS)
    for chrome in ("Home", "Sport", "Subscribe", "Log in", "Copyright", "Privacy"):
        assert chrome not in fields["text"]


def test_metadata_fields() -> None:
    fields = extract_html(page(head=META))
    assert fields["title"] == "Harbor plan approved"
    assert fields["outlet"] == "Veskaria Daily"
    assert fields["url"] == "https://veskariadaily.example/news/harbor-plan"
    assert fields["author"] == "Mira Tolvan"
    assert fields["description"] == "The fictional council votes on the harbor."
    assert fields["date"] == "2024-03-05"
    assert fields["date_source"] == "html-meta"


def test_json_ld_date_is_html_meta() -> None:
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2023-11-20T08:00:00Z", "headline": "Harbor plan approved"}</script>')
    fields = extract_html(page(head=head))
    assert (fields["date"], fields["date_source"]) == ("2023-11-20", "html-meta")


def test_no_date_means_no_date_not_today() -> None:
    fields = extract_html(page())
    assert "date" not in fields
    assert fields["date_source"] == "none"


def test_url_date_is_labelled_as_a_url_guess() -> None:
    fields = extract_html(page(), url="https://veskariadaily.example/2022/07/14/harbor-plan")
    assert fields["date"] == "2022-07-14"
    assert fields["date_source"] == "url"
    assert fields["url"] == "https://veskariadaily.example/2022/07/14/harbor-plan"


def test_meta_date_wins_over_url_date() -> None:
    fields = extract_html(page(head=META), url="https://veskariadaily.example/2022/07/14/harbor")
    assert (fields["date"], fields["date_source"]) == ("2024-03-05", "html-meta")


def test_line_break_inside_paragraph_stays_single_newline() -> None:
    extra = "<p>The harbor master, a fictional official, spoke first.<br>Then the mayor spoke.</p>"
    fields = extract_html(page(body_extra=extra))
    assert fields["text"].split("\n\n")[-1] == (
        "The harbor master, a fictional official, spoke first.\nThen the mayor spoke."
    )


def test_page_without_main_text_raises() -> None:
    with pytest.raises(HtmlExtractionError, match="no main text found in HTML"):
        extract_html("<html><head><title>Empty</title></head><body><nav><a href='/'>Home</a>"
                     "</nav></body></html>")


GERMAN = ("Der Stadtrat von Nordhafen beschloss am Dienstag den Umbau der Fähre über die Förde.",
          "Die Arbeiten an der Brücke sollen im Frühjahr beginnen und zwei Jahre dauern.",
          "Anwohner der Altstadt begrüßten die Entscheidung, forderten aber mehr Lärmschutz.")


def _german_page(charset: str, declared: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in GERMAN)
    html = (f"<!doctype html><html lang='de'><head><meta http-equiv='Content-Type' "
            f"content='text/html; charset={declared}'><title>Umbau der Fähre | Nordhafener Bote</title>"
            f"</head><body><article><h1>Umbau der Fähre</h1>{paragraphs}</article></body></html>")
    return html.encode(charset)


def test_page_is_decoded_by_its_declared_charset(tmp_path) -> None:
    """A page that is neither UTF-8 nor cp1252 is read with the charset it declares.

    And a declared Central European charset is not misread as cp1252 (fictional pages).
    """
    from mediaprov.ingest.pipeline import ingest

    latin9 = _german_page("iso-8859-15", "ISO-8859-15").replace(b"Altstadt", b"Altstadt\x81")  # C1 byte
    (tmp_path / "a.html").write_bytes(latin9)
    result = ingest(tmp_path, out=tmp_path / "out")
    assert result.summary.quarantined == 0
    assert "Fähre über die Förde" in result.articles["text"].iloc[0]
    from mediaprov.ingest.readers import decode_html

    central = _german_page("iso-8859-2", "iso-8859-2").replace("Lärmschutz".encode("iso-8859-2"),
                                                               "Łódź-Lärmschutz".encode("iso-8859-2"))
    assert decode_html(central)[1] == "iso8859-2"  # the codec's canonical name and "Łódź-Lärmschutz" in decode_html(central)[0]


def test_mislabelled_utf8_page_stays_utf8() -> None:
    from mediaprov.ingest.readers import decode_html

    text, encoding = decode_html(_german_page("utf-8", "iso-8859-1"))
    assert encoding == "utf-8" and "Fähre über die Förde" in text


BYLINE_BODY = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)


def _byline_page(byline: str, *, before: str = "", inside: str = "") -> str:
    return ("<!doctype html><html><head><title>Harbor plan approved</title></head><body>"
            f"<header><nav><a href='/'>Home</a></nav>{before}</header>"
            f"<article><h1>Harbor plan approved</h1>{byline}{BYLINE_BODY}{inside}</article></body></html>")


def test_byline_date_under_the_headline_is_taken_with_lower_confidence() -> None:
    fields = extract_html(_byline_page("<div class='byline'>By Ana Lind, March 4, 2021</div>"))
    assert fields["date"] == "2021-03-04" and fields["date_source"] == "html-byline"
    from mediaprov.ingest.dates import DATE_CONFIDENCE

    assert DATE_CONFIDENCE["html-byline"] < DATE_CONFIDENCE["html-meta"]


def test_header_post_and_updated_dates_are_never_taken() -> None:
    post = "<blockquote>Fictional post text here. — Ana (@ana) January 2, 2020</blockquote>"
    fields = extract_html(_byline_page("<div class='meta'>Updated June 1, 2022</div>",
                                       before="<div class='today'>Wednesday, June 19, 2024</div>",
                                       inside=post))
    assert "date" not in fields and fields["date_source"] == "none"


def test_markup_date_wins_over_byline_text() -> None:
    head = '<meta property="article:published_time" content="2021-03-05T10:00:00+00:00">'
    html = _byline_page("<div class='byline'>March 4, 2021</div>").replace("</head>", head + "</head>")
    fields = extract_html(html)
    assert fields["date"].startswith("2021-03-05") and fields["date_source"] == "html-meta"
