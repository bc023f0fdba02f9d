"""Ingestion of the five real seed scrapes against a careful reader's annotations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mediaprov.ingest.outlets import OutletRegistry
from mediaprov.ingest.pipeline import ingest


@pytest.fixture(scope="module")
def seeds_ingested(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    return ingest(seeds_dir, out=tmp_path_factory.mktemp("seeds"))


@pytest.fixture(scope="module")
def by_file(seeds_ingested) -> dict[str, pd.Series]:
    articles = seeds_ingested.articles
    return {row.raw_path: row for _, row in articles.iterrows()}


def _outlet_id(name: str | None) -> str | None:
    return None if name is None else OutletRegistry.load().resolve(name)


def test_every_seed_is_ingested_and_the_annotation_file_accounted_for(seeds_ingested, seeds_expected):
    log = seeds_ingested.log
    ingested = set(log.loc[log.status == "ingested", "raw_path"])
    assert ingested == set(seeds_expected)
    assert seeds_ingested.summary.reconciles()
    others = log[~log.raw_path.isin(seeds_expected)]
    assert (others.status == "quarantined").all() and others.reason.notna().all()


@pytest.mark.parametrize("field", ["title", "published", "outlet", "credited_source", "subtitle"])
def test_metadata_matches_annotations(by_file, seeds_expected, field):
    for name, expected in seeds_expected.items():
        if field not in expected:
            continue  # not annotated for this file
        row = by_file[name]
        if field == "published":
            got = None if pd.isna(row.published) else row.published.date().isoformat()
        elif field == "outlet":
            got, expected_value = row.outlet_id, _outlet_id(expected["outlet"])
            assert (got if not pd.isna(got) else None) == expected_value, name
            continue
        elif field == "credited_source":
            got = None if pd.isna(row.credited_source) else row.credited_source
            assert got == _outlet_id(expected["credited_source"]), name
            continue
        else:
            value = row[field]
            got = None if pd.isna(value) else value
        assert got == expected[field], f"{name}: {field}"


def test_page_date_is_kept_apart_and_never_published(by_file, seeds_expected):
    for name, expected in seeds_expected.items():
        row = by_file[name]
        if expected.get("page_date"):
            assert row.page_date.date().isoformat() == expected["page_date"]
            assert pd.isna(row.published)


def test_boilerplate_lines_removed_and_no_body_line_lost(by_file, seeds_expected, seeds_dir):
    for name, expected in seeds_expected.items():
        row = by_file[name]
        assert list(row.chrome_lines) == expected["boilerplate_lines"], name
        raw = (seeds_dir / name).read_text(encoding="utf-8")
        kept = {row.title, row.byline} | set(row.chrome_lines)  # a standfirst (subtitle) stays in the body
        for line in raw.splitlines():
            stripped = line.strip()
            if not stripped or stripped in kept or stripped.startswith("date "):
                continue
            if row.date_source == "footer" and len(stripped) <= 40 and stripped[-4:].isdigit():
                continue  # the footer date line became the publication date
            assert stripped in row.text, f"{name}: body line lost: {stripped[:60]}"
        for chrome in expected["boilerplate_lines"]:
            assert chrome not in row.text.split("\n"), f"{name}: chrome left in body: {chrome}"


def test_embedded_posts_found_with_their_own_dates(seeds_ingested, by_file, seeds_expected):
    embeds = seeds_ingested.embeds
    for name, expected in seeds_expected.items():
        row = by_file[name]
        found = embeds[embeds.article_id == row.article_id]
        got = [{"author": e.author, "handle": e.handle, "date": e.posted.date().isoformat()}
               for e in found.itertuples()]
        assert got == expected["embedded_posts"], name
        for post in found.itertuples():
            assert post.handle in row.text[post.start:post.end]
            if not pd.isna(row.published):
                assert row.published != post.posted
