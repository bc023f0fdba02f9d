"""Text-scrape parsing on fictional pages in the styles the seeds show."""

from __future__ import annotations

import pytest

from mediaprov.ingest.outlets import OutletRegistry
from mediaprov.embeds import find_embeds
from mediaprov.ingest.scrape import parse_scrape, strip_chrome_lines

BODY = ("The committee met in Orlet on Tuesday to review the new border rules, officials said.\n\n"
        "Critics called the plan rushed and asked for a second reading before the vote.")


@pytest.fixture(scope="module")
def registry() -> OutletRegistry:
    return OutletRegistry.load()


def test_header_date_is_page_chrome_not_publication(registry):
    page = f"Friday, March 3, 2023\nHome » News » Council Meets\n\nCouncil Meets\n\n{BODY}\n"
    parsed = parse_scrape(page, registry=registry)
    assert parsed.published is None and parsed.page_date.date().isoformat() == "2023-03-03"
    assert parsed.chrome_lines == ["Friday, March 3, 2023", "Home » News » Council Meets"]
    assert parsed.title == "Council Meets" and parsed.text == BODY


def test_footer_date_and_trailers(registry):
    page = f"Northsea Post\n\nCouncil Meets\n\nPolitics\n\n{BODY}\n\nMay 5, 2022\n\nYou may also like\n\nLeave a Comment"
    parsed = parse_scrape(page, registry=registry)
    assert parsed.outlet_id == "northsea-post" and parsed.outlet_evidence == "site-label"
    assert parsed.published.date().isoformat() == "2022-05-05" and parsed.date_source == "footer"
    assert parsed.chrome_lines == ["Northsea Post", "Politics", "You may also like", "Leave a Comment"]
    assert parsed.text == BODY


def test_byline_date(registry):
    page = f"Council Meets\nBy Ana Velt | June 3, 2022\n\n{BODY}"
    parsed = parse_scrape(page, registry=registry)
    assert parsed.byline == "Ana Velt" and parsed.date_source == "byline"
    assert parsed.published.date().isoformat() == "2022-06-03"


def test_a_sentence_starting_with_by_is_body_not_a_byline(registry):
    page = f"Council Meets\n\nBy late evening, witnesses from Dorrick questioned the protocol again at length.\n\n{BODY}"
    parsed = parse_scrape(page, registry=registry)
    assert parsed.byline is None and parsed.text.startswith("By late evening")


def test_bare_day_and_month_is_never_a_publication_date(registry):
    parsed = parse_scrape("On July 12, the council met in Orlet to discuss the border rules at length.",
                          registry=registry)
    assert parsed.published is None and parsed.date_source == "none" and parsed.title is None


def test_credit_line_and_folder_outlet(registry):
    parsed = parse_scrape(f"{BODY}\n\nSource » nafv-press", registry=registry, folder="exilevoice.example")
    assert parsed.credited_source == "nafv-press" and parsed.credit_line == "Source » nafv-press"
    assert parsed.outlet_id == "exile-voice" and parsed.outlet_evidence == "folder"
    assert parsed.text == BODY


def test_dateline_credit(registry):
    parsed = parse_scrape("ORLET (GWS) — The council met on Tuesday to review the border rules.", registry=registry)
    assert parsed.credited_source == "global-wire"


def test_url_line_at_the_bottom_gives_the_outlet(registry):
    parsed = parse_scrape(f"{BODY}\n\nURL: https://northseapost.example/2022/05/x/", registry=registry, folder="unsorted")
    assert parsed.outlet_id == "northsea-post" and parsed.outlet_evidence == "url"
    assert parsed.url == "https://northseapost.example/2022/05/x/" and parsed.text == BODY


def test_embedded_post_keeps_its_own_date_and_stays_in_text(registry):
    page = (f"Council Meets\n\n{BODY}\n\nWe will not accept this plan pic.twitter.com/AbC123\n\n"
            "— Rena Olsk (@renaolsk) February 2, 2022\n\nThe vote is next week, the clerk said.\n\nMarch 1, 2022")
    parsed = parse_scrape(page, registry=registry)
    assert parsed.published.date().isoformat() == "2022-03-01"
    (post,) = parsed.embeds
    assert (post.author, post.handle, post.posted.date().isoformat()) == ("Rena Olsk", "@renaolsk", "2022-02-02")
    assert parsed.text[post.start:post.end].startswith("We will not accept")
    assert parsed.text[post.attribution_start:post.attribution_end].endswith("February 2, 2022")


def test_date_only_in_embedded_post_gives_no_publication_date(registry):
    page = f"{BODY}\n\nA post\n\n— Rena Olsk (@renaolsk) February 2, 2022\n\nMore text of the body follows here, at length."
    assert parse_scrape(page, registry=registry).published is None


def test_marker_date_and_body_on_same_line(registry):
    parsed = parse_scrape(" date 2021-02-21 The council met in Orlet today to review the rules.", registry=registry)
    assert parsed.published.date().isoformat() == "2021-02-21" and parsed.date_source == "marker"
    assert parsed.text.startswith("The council met")


def test_empty_text_gives_empty_article(registry):
    assert parse_scrape("\n\n  \n", registry=registry).text == ""


def test_strip_chrome_lines_and_find_embeds():
    text, removed = strip_chrome_lines("Communities\n\nRelated Articles\n\nBody one.\n\n\n\nBody two.\nShare this:")
    assert text == "Body one.\n\nBody two." and removed == ["Communities", "Related Articles", "Share this:"]
    assert find_embeds("No posts here.") == []


def test_standfirst_is_kept_in_the_body() -> None:
    """The line under the headline is the standfirst: recorded as ``subtitle`` and kept as content."""
    from mediaprov.ingest.outlets import OutletRegistry
    from mediaprov.ingest.scrape import parse_scrape

    page = ("Harbour Board Names a New Pilot Chief\n\n"
            "The board of the fictional port of Varnholm revealed details of a plan to train twelve pilots\n\n"
            "On Monday, the board said the first class would start in the spring.\n")
    parsed = parse_scrape(page, registry=OutletRegistry.load())
    assert parsed.title == "Harbour Board Names a New Pilot Chief"
    assert parsed.subtitle.startswith("The board of the fictional port")
    assert parsed.text.startswith(parsed.subtitle + "\n\n")
    assert "first class would start" in parsed.text
