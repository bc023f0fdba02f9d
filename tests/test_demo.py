"""Tests of the demo corpus generator (mediaprov.demo) and of the committed copy in data/raw/demo."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest

from mediaprov.demo import DEFAULT_SEED, check, generate
from mediaprov.paths import PROJECT_ROOT, reference_dir

COMMITTED = PROJECT_ROOT / "data" / "raw" / "demo"
REAL_NAMES = ("Rajavi", "Khodabandeh", "MEK", "NCRI", "PMOI", "Mojahedin", "Iran", "Tehran",
              "Albania", "Guterres", "Khamenei", "Assadi", "Ashraf", "Nejat", "Shamkhani",
              "Sani-Khani", "Heyrani", "Jazexhi", "Interlink")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A default-size, default-seed generation in a temporary folder."""
    out = tmp_path_factory.mktemp("demo")
    generate(out)
    return out


@pytest.fixture(scope="module")
def truth(fresh: Path) -> list[dict]:
    with open(fresh / "truth" / "documents.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _manifest(folder: Path) -> dict[str, str]:
    data = json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))
    return {entry["path"]: entry["sha256"] for entry in data["files"]}


def _decode(data: bytes) -> str:
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def test_committed_copy_is_byte_identical_to_regeneration(fresh: Path) -> None:
    if not (COMMITTED / "MANIFEST.json").exists():
        pytest.fail("data/raw/demo/MANIFEST.json is missing: regenerate the committed demo corpus")
    assert _manifest(fresh) == _manifest(COMMITTED)


def test_check_reports_no_difference_then_a_difference(tmp_path: Path) -> None:
    generate(tmp_path, articles=60, seed=11)
    assert check(tmp_path, articles=60, seed=11) == []
    (tmp_path / "truth" / "events.csv").write_text("changed\n", encoding="utf-8")
    (tmp_path / "stray.txt").write_text("x", encoding="utf-8")
    assert check(tmp_path, articles=60, seed=11) == ["differs: truth/events.csv",
                                                      "extra: stray.txt"]


def test_other_seed_is_deterministic_and_differs(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, articles=150, seed=5)
    generate(b, articles=150, seed=5)
    generate(c, articles=150, seed=DEFAULT_SEED)
    assert _manifest(a) == _manifest(b)
    assert _manifest(a)["truth/documents.jsonl"] != _manifest(c)["truth/documents.jsonl"]


def test_truth_reconciles_with_files(fresh: Path, truth: list[dict]) -> None:
    files = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
    inputs = {f for f in files if not f.startswith("truth/") and f not in ("README.md",
                                                                          "MANIFEST.json")}
    assert inputs == {row["raw_path"] for row in truth}
    keys = [(row["raw_path"], row["record"]) for row in truth]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    with open(fresh / "mediacloud" / "stories.csv", encoding="utf-8", newline="") as handle:
        n_rows = sum(1 for _ in csv.reader(handle)) - 1
    assert n_rows == sum(row["raw_path"] == "mediacloud/stories.csv" for row in truth)
    for feed in fresh.glob("feeds/*.jsonl"):
        lines = feed.read_text(encoding="utf-8").splitlines()
        records = sorted(r["record"] for r in truth
                         if r["raw_path"] == feed.relative_to(fresh).as_posix())
        assert records == list(range(len(lines)))
    status = Counter(row["expected_status"] for row in truth)
    assert status["quarantined"] == 3
    assert status["ingested"] >= 1500 and status["duplicate"] > 20
    ingested_per_key = Counter(r["article_key"] for r in truth if r["expected_status"] == "ingested")
    assert all(n == 1 for n in ingested_per_key.values())
    assert {r["article_key"] for r in truth if r["article_key"]} == set(ingested_per_key)
    assert {r["outlet"] for r in truth if r["outlet"]} == set(
        pd.read_csv(reference_dir() / "outlets.csv").query("pack == 'demo'").outlet_id)
    formats = Counter(r["format"] for r in truth)
    assert formats["text"] > 0.7 * len(truth) and min(formats.values()) > 50


def test_duplicates_point_at_kept_records(fresh: Path, truth: list[dict]) -> None:
    by_ref = {f"{r['raw_path']}#{r['record']}": r for r in truth}
    kinds = Counter()
    for row in truth:
        if row["expected_status"] != "duplicate":
            continue
        original = by_ref[row["duplicate_of"]]
        assert original["expected_status"] == "ingested"
        assert original["article_key"] == row["article_key"]
        kinds[row["duplicate_kind"]] += 1
        if row["duplicate_kind"] == "exact":
            assert (fresh / row["raw_path"]).read_bytes() == (fresh / original["raw_path"]).read_bytes()
            assert row["raw_path"].rsplit("/", 1)[0] == original["raw_path"].rsplit("/", 1)[0]
        else:
            assert row["text"] != original["text"] or row["format"] != original["format"]
            assert row["outlet"] in (original["outlet"], None) or original["outlet"] is None
    assert kinds["exact"] > 10 and kinds["near"] > 10


def test_no_real_names_anywhere(fresh: Path) -> None:
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, REAL_NAMES)) + r")", re.IGNORECASE)
    for path in sorted(p for p in fresh.rglob("*") if p.is_file()):
        if path.name == "binary.bin":
            continue
        text = path.read_bytes().decode("utf-8", errors="replace") if path.name not in (
            "utf16_bom.txt", "cp1252.txt") else _decode(path.read_bytes())
        text = text.replace("\\n", "\n")  # JSON escapes: "\\nCritics" is not "NCRI"
        found = pattern.search(text)
        assert found is None, f"real name {found.group(0)!r} in {path}"


def test_credit_lines_resolve_through_outlet_registry(truth: list[dict]) -> None:
    outlets = pd.read_csv(reference_dir() / "outlets.csv", dtype=str).fillna("")
    names: dict[str, str] = {}
    for row in outlets.itertuples():
        forms = [row.name, *row.aliases.split("|")]
        forms += [d.rsplit(".", 1)[0] for d in row.domains.split("|")]
        names.update({f.lower(): row.outlet_id for f in forms if f})
    credited = [r for r in truth if r["credit_line"]]
    assert len(credited) > 50
    for row in credited:
        target = row["credit_line"].split("\u00bb", 1)[1].strip()
        assert names.get(target.lower()) == row["credited_source"], row["raw_path"]
        assert row["credit_line"] in row["boilerplate_lines"]
    reused = [r for r in credited if r["reuse_of"] and r["reuse_of"]["credited"]]
    assert {r["credited_source"] for r in reused} == {"nafv-press", "vna"}


def test_body_paragraphs_and_chrome_are_verbatim(fresh: Path, truth: list[dict]) -> None:
    csv_text = {}
    with open(fresh / "mediacloud" / "stories.csv", encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            csv_text[i] = row["text"]
    for row in truth:
        if row["expected_status"] == "quarantined":
            continue
        assert row["text"] == "\n\n".join(row["body_paragraphs"])
        if row["format"] == "csv":
            assert csv_text[row["record"]] == row["text"]
            continue
        if row["format"] == "jsonl":
            lines = (fresh / row["raw_path"]).read_text(encoding="utf-8").splitlines()
            assert json.loads(lines[row["record"]])["body"] == row["text"]
            continue
        content = _decode((fresh / row["raw_path"]).read_bytes())
        for paragraph in row["body_paragraphs"]:
            assert paragraph in content, (row["raw_path"], paragraph[:60])
        if row["format"] == "text":
            lines = set(content.split("\n"))
            assert all(line in lines for line in row["boilerplate_lines"]), row["raw_path"]
            if row["title"] is not None:
                assert row["title"] in lines


def test_dates_follow_their_rules(truth: list[dict]) -> None:
    styles = Counter()
    for row in truth:
        if row["article_key"] is None:
            continue
        if row["published"] is not None:
            assert row["published"] == row["true_published"]
            assert row["date_source"] in ("marker", "byline", "footer", "html-meta", "structured")
        else:
            assert row["date_source"] == "none"
        if row["page_date"] is not None:
            assert row["page_date"] > row["true_published"] and row["published"] is None
        for post in row["embedded_posts"]:
            assert post["date"] < row["true_published"]
        styles[row["date_source"]] += 1
        assert "2021-01-01" <= row["true_published"] <= "2023-12-31"
    assert set(styles) == {"marker", "byline", "footer", "html-meta", "structured", "none"}
    only_post = [r for r in truth if r["published"] is None and r["embedded_posts"]]
    assert len(only_post) > 20
    assert sum(r["date_flag_expected"] for r in truth) >= 2


def test_reuse_truth_matches_texts(fresh: Path, truth: list[dict]) -> None:
    texts = {r["article_key"]: r for r in truth if r["expected_status"] == "ingested"}
    reuse = pd.read_csv(fresh / "truth" / "reuse.csv")
    assert set(reuse.source_outlet) == {"nafv-press", "vna"}
    assert reuse.lag_days.between(0, 10).all()
    assert set(reuse.kind) == {"whole", "partial"}
    for item in reuse.itertuples():
        source, copy = texts[item.source_key], texts[item.copy_key]
        shared = [p for p in source["body_paragraphs"] if p.removeprefix("++ ") in copy["text"]]
        assert len(shared) >= 2, (item.source_key, item.copy_key)
        if item.kind == "whole":
            own = len(source["body_paragraphs"]) - 2 * len(source["embedded_posts"])
            assert len(shared) >= own
        camps = {"nafv-press": ("opposition-aligned", "international"),
                 "vna": ("government-aligned", "international")}[item.source_outlet]
        assert copy["camp"] in camps + (None,)


def test_unrelated_articles_share_no_long_word_sequences(truth: list[dict]) -> None:
    """No 14-word sequence is shared by articles that are not reuse of one another.

    Organisation names alone run to 7 words, so shorter shared sequences are expected.
    """
    root = {}
    for r in truth:
        if r["expected_status"] == "ingested":
            root[r["article_key"]] = (r["reuse_of"] or {}).get("article_key", r["article_key"])
    owners: dict[tuple[str, ...], str] = {}
    clashes = []
    for r in truth:
        if r["expected_status"] != "ingested":
            continue
        words = r["text"].split()
        group = root[r["article_key"]]
        for i in range(len(words) - 13):
            shingle = tuple(words[i:i + 14])
            other = owners.setdefault(shingle, group)
            if other != group:
                clashes.append((other, group, " ".join(shingle)))
    assert clashes == []


def test_planted_actors_labels_and_quotes(truth: list[dict]) -> None:
    ingested = [r for r in truth if r["expected_status"] == "ingested" and r["camp"]]
    camps_quoting = defaultdict(set)
    labels_by_camp = defaultdict(set)
    for r in ingested:
        for q in r["quotes"]:
            camps_quoting[q["speaker"]].add(r["camp"])
        for lab in r["labels"]:
            labels_by_camp[r["camp"]].add(lab["label"])
    for insider in ("petra-halloran", "jonas-arden", "mirela-osk", "karel-fennick"):
        assert len(camps_quoting[insider]) >= 2, insider
    assert "the regime" in labels_by_camp["opposition-aligned"]
    assert "the cult" in labels_by_camp["government-aligned"]
    assert not labels_by_camp["international"] & (labels_by_camp["opposition-aligned"]
                                                  | labels_by_camp["government-aligned"]) - {
        lab for r in ingested if r["reuse_of"] for lab in
        (x["label"] for x in r["labels"])}
    surfaces = defaultdict(set)
    for r in ingested:
        for entity, forms in r["entities"].items():
            surfaces[entity].update(forms)
            for form in forms:
                assert form in r["text"]
    assert {"Tomas Kerrow", "Thomas Kerow"} <= surfaces["tomas-kerrow"]
    assert "Arden" in surfaces["jonas-arden"] and "Arden" in surfaces["ruth-arden"]
