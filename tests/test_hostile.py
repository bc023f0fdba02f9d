"""Hostile input never costs a good record (issue 12).

Each case is a known-good fictional article beside hostile files; the run must complete, keep the
good article, and account for every input (``inputs == ingested + duplicates + quarantined``).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pandas as pd
import pytest

from mediaprov.cli import main
from mediaprov.ingest.pipeline import ingest
from mediaprov.ingest.readers import iter_records, walk

GOOD = ("Harbor plan approved\n\nThe council of Port Almera approved the fictional harbor plan on "
        "Tuesday after a long debate about the old pier and its many fishing boats.\n")


def run(root: Path, tmp_path: Path, **options: object):
    (root / "good.txt").write_text(GOOD)
    result = ingest(root, out=tmp_path / "out", **options)
    log = result.log
    assert result.summary.reconciles() and len(log) == result.summary.inputs
    assert log.loc[log.raw_path == "good.txt", "status"].tolist() == ["ingested"]
    return result, log.set_index(["raw_path", "record"])


def test_implausible_scrape_dates_are_flagged_not_fatal(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    topics = {2263: "harbor", 2999: "bridge", 2050: "market", 1800: "school"}
    for year, topic in topics.items():
        (root / f"d{year}.txt").write_text(
            f"date {year}-01-01\nHeadline {year}\n\nA fictional body about the {topic} debate.\n")
    result, log = run(root, tmp_path)
    articles = result.articles.set_index("raw_path")
    for year in (2263, 2999, 2050, 1800):
        row = articles.loc[f"d{year}.txt"]
        assert pd.isna(row.published) and f"implausible year {year}" in row.date_flag


def test_json_oddities_are_quarantined_or_repaired(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "surrogate.jsonl").write_text(
        '{"title": "Lone \\ud800", "text": "A fictional body with a lone surrogate \\udfff."}\n')
    (root / "bigint.jsonl").write_text('{"title": "x", "n": ' + "9" * 5000 + "}\n")
    # deeper than any recursion limit: mkdocstrings (test_docs.py, same process) raises it to 2,000
    (root / "deep.jsonl").write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    (root / "odd.jsonl").write_text('{"title": "T", "text": true}\n{"title": "N", "text": "\\u0000\\u0000"}\n')
    (root / "blank.jsonl").write_text("\n\n")
    result, log = run(root, tmp_path)
    assert log.loc[("surrogate.jsonl", 0), "status"] == "ingested"
    assert result.summary.text_replacements >= 2
    assert "\ufffd" in result.articles.set_index("raw_path").loc["surrogate.jsonl", "text"]
    assert "4300 digits" in log.loc[("bigint.jsonl", 0), "reason"]
    assert "nested 100001 levels deep" in log.loc[("deep.jsonl", 0), "reason"]  # whatever the recursion limit
    assert (log.loc["odd.jsonl", "status"] == "quarantined").all()
    assert log.loc[("blank.jsonl", 0), "reason"].startswith("no records")


def test_non_utf8_file_name_is_kept_bytes_safe(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    try:
        (root / os.fsdecode(b"caf\xe9.txt")).write_text("Cafe\n\nA fictional body in a Latin-1 name.\n")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses non-UTF-8 names")
    _, log = run(root, tmp_path)
    assert log.loc[("caf\\xe9.txt", 0), "status"] == "ingested"


def test_csv_problems_name_what_was_found(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "semicolon.csv").write_text("a;b;c\n1;2;3\n")
    (root / "scrape.csv").write_text("Just a scrape\n\nWith prose, not columns.\n")
    (root / "dup.csv").write_text("title,text,title\nA,B,C\n")
    (root / "utf16.csv").write_bytes("title,text\nUtf,Sixteen bit body\n".encode("utf-16"))
    rows = [f"Title {i},Body number {i} of a fictional export" for i in range(300)]
    rows[150] = "Caf\u00e9 late,A body with an accent late in the file"
    (root / "latin1.csv").write_bytes(("title,text\n" + "\n".join(rows) + "\n").encode("latin-1"))
    lines = ["title,text", 'Broken,"an unbalanced quote', "After one,Still read",
             "After two,Also read"]
    (root / "quote.csv").write_text("\n".join(lines) + "\n")
    _, log = run(root, tmp_path)
    assert "columns found: 'a', 'b', 'c'" in log.loc[("semicolon.csv", 0), "reason"]
    assert "columns found" in log.loc[("scrape.csv", 0), "reason"]
    assert "duplicate column names 'title'" in log.loc[("dup.csv", 0), "reason"]
    assert log.loc[("utf16.csv", 0), "status"] == "ingested"
    latin = log.loc["latin1.csv"]
    assert len(latin) == 300 and (latin.status != "quarantined").all()
    quote = log.loc["quote.csv"]
    assert quote.status.tolist() == ["quarantined", "ingested", "ingested"]


def _warc(path: Path, responses: list[tuple[str, bytes]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        for index, (content_type, body) in enumerate(responses):
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://veskariadaily.example/{index}", "response", payload=io.BytesIO(body),
                http_headers=headers))


def test_warc_oddities(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    _warc(root / "puny.warc", [("text/plain; charset=punycode", b"A fictional plain note, long enough.")])
    _warc(root / "whole.warc", [("text/plain", b"A fictional plain note that is complete.")] * 2)
    data = (root / "whole.warc").read_bytes()
    cut = data.index(b"Content-Type", data.index(b"WARC/1", 10))  # inside the 2nd record's headers
    (root / "cut.warc").write_bytes(data[:cut])
    _warc(root / "images.warc", [("image/png", b"\x89PNG")])
    _, log = run(root, tmp_path)
    assert log.loc[("puny.warc", 0), "status"] == "ingested"
    assert log.loc[("cut.warc", 0), "status"] in ("ingested", "duplicate")
    assert log.loc["cut.warc"].status.iloc[-1] == "quarantined"
    assert log.loc[("images.warc", 0), "reason"].startswith("no records")


def test_walk_accounts_for_every_entry(tmp_path: Path) -> None:
    root = tmp_path / "in"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret\n\nA fictional secret that must not be read.\n")
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "story.txt").write_text("Linked\n\nA fictional story reached through a link.\n")
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "own.txt").write_text("Own\n\nA fictional story in its own folder here.\n")
    (root / "x.txt").symlink_to(outside / "secret.txt")
    (root / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (root / "sub" / "loop").symlink_to(root)
    (root / "inner").symlink_to(root / "sub")
    (root / "README.md").write_text("about")
    (root / ".hidden.txt").write_text("hidden")
    (root / "truth").mkdir()
    (root / "truth" / "t.txt").write_text("truth")
    os.mkfifo(root / "pipe.txt")
    (root / "mirror").symlink_to(linked, target_is_directory=True)  # a folder outside
    (root / "sub" / "again.txt").symlink_to(root / "sub" / "own.txt")  # a file link inside
    result, log = run(root, tmp_path)
    assert "outside the input folder" in log.loc[("mirror", 0), "reason"]
    pair = sorted(log.loc[[("sub/again.txt", 0), ("sub/own.txt", 0)], "status"])
    assert pair == ["duplicate", "ingested"]  # one file read twice: kept once
    assert "outside the input folder" in log.loc[("x.txt", 0), "reason"]
    assert log.loc[("dangling.txt", 0), "reason"].startswith("dangling symlink")
    assert log.loc[("pipe.txt", 0), "reason"] == "special file (FIFO), not read"
    skipped = result.summary.skipped
    assert skipped["README.md"].startswith("reference file")
    assert skipped[".hidden.txt"] == "hidden entry" and skipped["truth/"].startswith("ground-truth")
    assert "already walked" in skipped["inner/"] and "already walked" in skipped["sub/loop/"]
    allowed = [e.raw_path for e in walk(root, follow_outside_links=True) if not (e.skipped or e.error)]
    assert "x.txt" in allowed and "mirror/story.txt" in allowed


def test_folder_link_inside_the_corpus_is_followed(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "real").mkdir(parents=True)
    shared = tmp_path / "in" / "real"
    (shared / "a.txt").write_text("A\n\nA fictional story in a linked folder.\n")
    elsewhere = tmp_path / "in2"
    elsewhere.mkdir()
    (root / "alias").symlink_to(shared, target_is_directory=True)
    records = list(iter_records(root))
    assert [r.raw_path for r in records] == ["real/a.txt"]


def test_oversized_records_are_quarantined_unread(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "huge.txt").write_text("Huge\n\n" + "word " * 50_000)
    (root / "huge.jsonl").write_text('{"title": "t", "text": "' + "w" * 300_000 + '"}\n'
                                     '{"title": "Small", "text": "A small fictional body."}\n')
    _, log = run(root, tmp_path, max_record_bytes=100_000)
    assert "larger than" in log.loc[("huge.txt", 0), "reason"]
    assert "larger than" in log.loc[("huge.jsonl", 0), "reason"]
    assert log.loc[("huge.jsonl", 1), "status"] == "ingested"


def test_slow_record_is_quarantined_by_the_time_budget(tmp_path: Path, slow_record) -> None:
    slow_record("slow.txt")
    root = tmp_path / "in"
    root.mkdir()
    (root / "slow.txt").write_text("Slow\n\nA fictional body that takes forever to parse.\n")
    _, log = run(root, tmp_path, record_seconds=0.3)
    assert "took more than 0.3 s" in log.loc[("slow.txt", 0), "reason"]


def test_cli_errors_are_one_line(tmp_path: Path, capsys) -> None:
    (tmp_path / "afile").write_text("x")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(GOOD)
    assert main(["ingest", str(tmp_path / "in"), "--out", str(tmp_path / "afile")]) == 2
    assert "is a file" in capsys.readouterr().err
    assert main(["ingest", ""]) == 2
    error = capsys.readouterr().err
    assert "empty input path" in error and error.count("\n") == 1


def test_matplotlib_draws_data_text_literally() -> None:
    from mediaprov import plots

    table = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-01-08"], utc=True),
                          "group": ["$x^2$", "$x^2$"], "articles": [1, 2]})
    events = pd.DataFrame({"date": pd.to_datetime(["2024-01-03"], utc=True), "label": ["cost $$"]})
    figure = plots.timeline_figure(table, events=events, title="$$ title")
    figure.savefig(io.BytesIO(), format="png")  # mathtext would raise ValueError on "$$"
    texts = [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]
    assert "\\$x^2\\$" in texts and "cost \\$\\$" in texts


def test_seeded_fuzz_cases(tmp_path: Path) -> None:
    """A few dozen generated hostile cases (``make fuzz`` runs 10,000 and 20 kills)."""
    from fuzz_ingest import run_cases

    results = run_cases(30, seed=12, workdir=tmp_path)
    assert results.cases == 30 and results.good_records >= 30
    assert results.ok(), results.render()


def test_tables_are_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    import subprocess
    import sys

    from fuzz_ingest import make_case

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret\n\nA fictional secret.\n")
    root = tmp_path / "in"
    for seed in range(3, 8):
        make_case(root / str(seed), seed, outside)
    for path in list(root.rglob("*")):
        if path.is_symlink():  # a link to /proc/self names the pid: differs by construction
            path.unlink()
    for index, name in enumerate(["a", "b", "c", "d"]):
        (root / f"{name}.jsonl").write_text(
            f'{{"title": "T{name}", "text": "A fictional body {name} {GOOD}", "outlet": "O{index}"}}\n')
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        subprocess.run([sys.executable, "-m", "mediaprov.cli", "ingest", str(root), "--out", str(out),
                        "--no-progress"], check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())
                        if p.suffix in (".parquet", ".json")})
    assert outputs[0] == outputs[1] and "articles.parquet" in outputs[0]


def test_every_stage_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    """Ingest, features, reuse and stories, run under three hash seeds: every table byte-identical."""
    import json
    import subprocess
    import sys

    from mediaprov import workflow

    raw = tmp_path / "raw" / "seeded"
    raw.mkdir(parents=True)
    speakers = ["Mirelle Vantosk", "Orrin Calloway", "Tessaly Brun"]
    lines = []
    for i in range(12):
        text = (f"{GOOD} \"The pier will be rebuilt before winter {i},\" said {speakers[i % 3]}, the "
                f"harbor master. According to the Port Almera council, repairs start in week {i + 2}.\n\n"
                f"Fishing crews from district {i * 3} met {speakers[(i + 1) % 3]} on the quay {i}.\n")
        lines.append(json.dumps({"title": f"Harbor plan story {i}", "text": text, "date": f"2023-03-{i + 1:02d}",
                                 "outlet": f"Harbor Outlet {i % 4}"}))
    (raw / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tables = [t for written, _ in workflow.STAGES.values() for t in written]
    script = f"from mediaprov import workflow; workflow.build('seeded', {tables!r})"
    outputs = []
    for seed in ("1", "2", "3"):
        subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed, "MEDIAPROV_DATA": str(tmp_path)})
        processed = tmp_path / "processed" / "seeded"
        outputs.append({p.name: p.read_bytes() for p in sorted(processed.glob("*.parquet"))})
        processed.rename(tmp_path / f"processed-{seed}")
    assert {f"{t}.parquet" for t in tables} <= set(outputs[0])
    for other in outputs[1:]:
        different = sorted(name for name in outputs[0] if outputs[0][name] != other.get(name))
        assert not different and set(other) == set(outputs[0]), different
    counts = {name: len(pd.read_parquet(tmp_path / "processed-1" / f"{name}.parquet"))
              for name in ("articles", "quotes", "reuse", "stories")}
    assert all(counts.values()), counts  # every stage had something to order


def test_an_article_its_table_cannot_store_is_quarantined_with_the_reason(tmp_path: Path,
                                                                          monkeypatch) -> None:
    """The writer's last line of defence: one unstorable row never aborts the run."""
    from mediaprov.ingest import staging

    root = tmp_path / "in"
    root.mkdir()
    for name in ("a", "b", "c", "d"):  # d.txt: the same text as b.txt
        body = "b" if name == "d" else name
        (root / f"{name}.txt").write_text(f"Title {body}\n\nA fictional body about harbour {body}.\n")
    row_of = staging.article_row

    def a_bad_date(record, article_id, parsed):
        row = row_of(record, article_id, parsed)
        if record.raw_path == "b.txt":
            row["published"] = "not a date"  # what no parser gives: the schema refuses it
        return row

    monkeypatch.setattr(staging, "article_row", a_bad_date)
    result = ingest(root, out=tmp_path / "out")
    assert (result.summary.ingested, result.summary.quarantined) == (3, 1)
    assert sorted(result.articles["raw_path"]) == ["a.txt", "c.txt", "d.txt"]
    log = result.log.set_index("raw_path")
    assert log.loc["b.txt", "status"] == "quarantined"
    assert log.loc["b.txt", "reason"].startswith("cannot be stored"), log.loc["b.txt", "reason"]
    # refused before the duplicate check: its copy is not merged into an article never stored
    assert log.loc["d.txt", "status"] == "ingested" and pd.isna(log.loc["d.txt", "duplicate_of"])
    assert result.summary.reconciles()
