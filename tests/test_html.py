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
