"""Tests of mediaprov.ingest.readers and mediaprov.ingest.columns on fictional fixtures."""

from __future__ import annotations

import codecs
import hashlib
import io
import json
from pathlib import Path

import pytest

from mediaprov.ingest.columns import ColumnsError, guess_preset, resolve_columns
from mediaprov.ingest.readers import (
    SUPPORTED_FORMATS, IngestInputError, decode_bytes, detect_format, iter_records,
)
from mediaprov.paths import shared_dir

BODY = ("The council of Port Almera approved the harbor plan on Tuesday after a long debate. "
        "Residents of the fictional old quarter welcomed the decision.")
BODY2 = ("Officials of the fictional ministry said the works would begin next spring and would "
         "last two years, with the old pier closed for most of that time.")
HTML = (
    "<!doctype html><html><head><title>Harbor plan</title>"
    "<meta property='og:site_name' content='Veskaria Daily'>"
    "<meta property='article:published_time' content='2024-03-05'></head><body>"
    "<nav><a href='/'>Home</a> <a href='/sport'>Sport</a></nav>"
    f"<article><p>{BODY}</p><p>{BODY2}</p></article></body></html>"
)


def one(path: Path, **kwargs: object):
    records = list(iter_records(path, **kwargs))
    assert len(records) == 1, records
    return records[0]


# --- decoding ---------------------------------------------------------------------------------

def test_text_file_utf8_with_crlf(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Título\r\n\r\nCorpo do texto.\r\n".encode())
    record = one(tmp_path / "a.txt")
    assert (record.format, record.encoding, record.error) == ("text", "utf-8", None)
    assert record.text == "Título\n\nCorpo do texto.\n"
    assert record.raw_path == "a.txt" and record.record == 0 and record.folder is None
    assert record.raw_sha256 == hashlib.sha256((tmp_path / "a.txt").read_bytes()).hexdigest()


@pytest.mark.parametrize(("bom", "codec"), [
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
])
def test_bom_files_decode(tmp_path: Path, bom: bytes, codec: str) -> None:
    text = "Almera, café «fictional» news\nSecond line"
    (tmp_path / "b.txt").write_bytes(bom + text.replace("\n", "\r\n").encode(codec))
    record = one(tmp_path)
    assert record.error is None
    assert record.text == text
    assert record.encoding == (codec if codec != "utf-8" else "utf-8-sig")


def test_utf16_without_bom_is_binary(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_bytes("Plain fictional words".encode("utf-16-le"))
    assert one(tmp_path).error == "binary file (NUL bytes), not text"


def test_cp1252_fallback(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_bytes("The “Almera” café – fictional".encode("cp1252"))
    record = one(tmp_path)
    assert (record.encoding, record.error) == ("cp1252", None)
    assert record.text == "The “Almera” café – fictional"


def test_invalid_bytes_not_cp1252(tmp_path: Path) -> None:
    (tmp_path / "e.txt").write_bytes(b"Fictional text \x81\x8d here")
    record = one(tmp_path)
    assert record.error == "cannot decode: not valid UTF-8 or cp1252 (first bad byte at offset 15)"
    assert record.text is None


def test_cp1252_with_control_characters_is_rejected() -> None:
    with pytest.raises(ValueError, match="offset 3"):
        decode_bytes(b"abc\xe9\x01def")


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n "])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "f.txt").write_bytes(data)
    assert one(tmp_path).error == "empty file"


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / "g.txt").write_bytes(b"\x00\x01\x02binary\x00")
    assert one(tmp_path).error == "binary file (NUL bytes), not text"


# --- format detection and walking -------------------------------------------------------------

@pytest.mark.parametrize(("name", "head", "expected"), [
    ("a.txt", b"Plain", "text"), ("a", b"Plain", "text"), ("a.text", b"x", "text"),
    ("a.html", b"x", "html"), ("a.HTM", b"x", "html"), ("a.txt", b"  <!DOCTYPE html><p>", "html"),
    ("page", b"<html lang='en'>", "html"), ("a.jsonl", b"{}", "jsonl"),
    ("a.ndjson", b"{}", "jsonl"),
    ("a.csv", b"a,b", "csv"), ("a.tsv", b"a\tb", "csv"), ("a.warc", b"WARC/1.0", "warc"),
    ("a.warc.gz", b"\x1f\x8b", "warc"), ("a.bin", b"\x00\x01", None), ("a.pdf", b"%PDF-1.7", None),
])
def test_detect_format(name: str, head: bytes, expected: str | None) -> None:
    assert detect_format(Path(name), head) == expected


def test_unsupported_files_are_accounted_for(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7 fictional")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02\x03")
    records = list(iter_records(tmp_path))
    assert [(r.raw_path, r.format) for r in records] == [("blob.bin", "bin"), ("scan.pdf", "text")]
    assert all(r.error.startswith("unsupported format: ") for r in records)


def test_walk_order_skips_and_folder(tmp_path: Path) -> None:
    for relative in ["b/z.txt", "a/y.txt", "x.txt", "a/sub/w.txt", ".hidden.txt", ".git/c.txt",
                     "README.md", "a/MANIFEST.json", "a/DATASHEET.md", "truth/t.txt",
                     "a/truth/u.txt"]:
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"Fictional text of {relative}")
    records = list(iter_records(tmp_path))
    assert [r.raw_path for r in records] == ["a/sub/w.txt", "a/y.txt", "b/z.txt", "x.txt"]
    assert [r.folder for r in records] == ["sub", "a", "b", None]
    assert [r.raw_path for r in iter_records(tmp_path)] == [r.raw_path for r in records]


def test_forced_format(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(HTML)
    record = one(tmp_path, format="text")
    assert record.format == "text" and record.text == HTML


@pytest.mark.parametrize("name", ["notes.csv", "notes.jsonl", "notes.warc.gz"])
def test_forced_text_reads_a_file_with_a_streamed_name(tmp_path: Path, name: str) -> None:
    # Such a file used to be quarantined as "larger than one article may hold" at any size.
    (tmp_path / name).write_text("A short note, with commas, in one article.\n")
    record = one(tmp_path, format="text")
    assert record.error is None and record.text == "A short note, with commas, in one article.\n"
    record = one(tmp_path, format="text", max_record_bytes=10)
    assert "larger than" in record.error and record.text is None


def test_missing_path_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(IngestInputError, match="nowhere") as info:
        iter_records(missing)  # raised at call time, before any iteration
    assert all(name in str(info.value) for name in SUPPORTED_FORMATS)


def test_unknown_format_lists_supported(tmp_path: Path) -> None:
    with pytest.raises(IngestInputError, match="unknown format 'pdf'") as info:
        list(iter_records(tmp_path, format="pdf"))
    assert "jsonl" in str(info.value) and "warc" in str(info.value)


def test_unknown_preset_lists_presets(tmp_path: Path) -> None:
    with pytest.raises(IngestInputError, match="mediacloud"):
        list(iter_records(tmp_path, columns="gdelt"))


# --- html -------------------------------------------------------------------------------------

def test_html_file(tmp_path: Path) -> None:
    (tmp_path / "page.htm").write_text(HTML, encoding="utf-8")
    record = one(tmp_path)
    assert (record.format, record.error, record.encoding) == ("html", None, "utf-8")
    assert record.fields["text"] == f"{BODY}\n\n{BODY2}"
    assert record.fields["outlet"] == "Veskaria Daily"
    assert (record.fields["date"], record.fields["date_source"]) == ("2024-03-05", "html-meta")


def test_html_without_text(tmp_path: Path) -> None:
    (tmp_path / "nav.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert one(tmp_path).error == "no main text found in HTML"


# --- jsonl ------------------------------------------------------------------------------------

def test_jsonl_lines_blank_and_bad(tmp_path: Path) -> None:
    lines = [json.dumps({"headline": "One", "body": "First body.", "published": "2024-01-02",
                         "authors": ["Ana Vell", "Rui Dost"]}), "", "{not json", "[1, 2]",
             json.dumps({"title": "Two", "text": "Second body.", "source": "Almera Post"})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = list(iter_records(tmp_path))
    assert [r.record for r in records] == [0, 2, 3, 4]
    assert records[0].fields == {"title": "One", "text": "First body.", "date": "2024-01-02",
                                 "author": "Ana Vell, Rui Dost", "date_source": "structured"}
    assert records[1].error.startswith("invalid JSON on line 3: ")
    assert records[2].error == "invalid JSON on line 4: a list, not an object"
    assert records[3].fields == {"title": "Two", "text": "Second body.", "outlet": "Almera Post"}


def test_jsonl_explicit_mapping(tmp_path: Path) -> None:
    (tmp_path / "f.jsonl").write_text(json.dumps({"hed": "H", "copy": "C", "site": "S"}) + "\n")
    record = one(tmp_path, columns="title=hed,text=copy,outlet=site")
    assert record.fields == {"title": "H", "text": "C", "outlet": "S"}
    # a mapping naming columns a file lacks quarantines that file's records, naming the columns
    assert "missing_col" in one(tmp_path, columns="title=missing_col").error


# --- csv --------------------------------------------------------------------------------------

def test_csv_rows_short_row_and_long_body(tmp_path: Path) -> None:
    long_body = "Fictional sentence, with a comma. " * 10_000
    content = ("title,body,source\n"
               f'"One","{long_body}",Almera Post\n'
               "Two,short\n"
               '"Three","Multi\nline body",Veskaria Daily\n')
    (tmp_path / "export.csv").write_text(content, encoding="utf-8")
    records = list(iter_records(tmp_path))
    assert [r.record for r in records] == [0, 1, 2]
    assert records[0].fields["text"] == long_body and records[0].fields["outlet"] == "Almera Post"
    assert records[1].error.startswith("CSV row 1 ") and "2 fields" in records[1].error
    assert records[2].fields["text"] == "Multi\nline body"


def test_tsv_and_semicolon_delimiters(tmp_path: Path) -> None:
    (tmp_path / "a.tsv").write_text("title\ttext\nOne\tBody, with comma\n")
    (tmp_path / "b.csv").write_text("title;text;date\nTwo;Body, again;2023-05-06\n")
    records = list(iter_records(tmp_path))
    assert records[0].fields == {"title": "One", "text": "Body, with comma"}
    assert records[1].fields["text"] == "Body, again"
    assert records[1].fields["date"] == "2023-05-06"


def test_mediacloud_layouts(tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text(
        "stories_id,publish_date,title,url,language,ap_syndicated,themes,media_id,media_name,"
        "media_url\n1,2019-02-03 10:00:00,Old,https://a.example/1,en,False,,7,Almera Post,"
        "https://a.example\n")
    (tmp_path / "new.csv").write_text(
        "id,indexed_date,language,media_name,media_url,publish_date,title,url,text\n"
        "abc,2024-01-01,en,,https://b.example,2023-12-31,New,https://b.example/2,Body\n")
    new, old = list(iter_records(tmp_path, columns="mediacloud"))
    assert old.fields["outlet"] == "Almera Post" and old.fields["date"] == "2019-02-03 10:00:00"
    assert old.fields["source_id"] == "1"
    assert new.fields["outlet"] == "https://b.example"  # media_url when media_name is empty
    assert new.fields["date"] == "2023-12-31" and new.fields["indexed_date"] == "2024-01-01"
    assert new.fields["text"] == "Body"
    assert [r.fields["title"] for r in iter_records(tmp_path / "old.csv")] == ["Old"]


def test_resolve_columns() -> None:
    assert resolve_columns({"hed": "title"}, ["hed", "x"]) == {"hed": "title"}
    assert resolve_columns(None, ["content_original", "source"]) == {
        "content_original": "text", "source": "outlet"}
    assert guess_preset(["media_name"]) == "mediacloud"
    assert guess_preset(["title", "text"]) == "default"
    with pytest.raises(ColumnsError, match="unknown column preset"):
        resolve_columns("nope", ["a"])
    with pytest.raises(ColumnsError, match="canonical=input"):
        resolve_columns("title=,text=body", ["body"])
    with pytest.raises(ColumnsError, match="matches none"):
        resolve_columns("allsides", ["x", "y"])


# --- warc -------------------------------------------------------------------------------------

def write_warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    responses = [
        ("https://veskariadaily.example/2021/01/02/harbor", "text/html; charset=utf-8",
         HTML.encode()),
        ("https://veskariadaily.example/logo.png", "image/png", b"\x89PNG fictional"),
        ("https://almerapost.example/2020/05/06/note", "text/plain", b"A fictional plain note."),
        ("https://almerapost.example/empty", "text/html", b"<html><body></body></html>"),
    ]
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
        for uri, content_type, body in responses:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2026-01-02T03:04:05Z"}))


def test_warc_responses(tmp_path: Path) -> None:
    write_warc(tmp_path / "crawl.warc.gz")
    records = list(iter_records(tmp_path))
    assert [r.record for r in records] == [0, 1, 2]
    page, note, empty = records
    assert page.fields["url"] == "https://veskariadaily.example/2021/01/02/harbor"
    assert page.fields["date"] == "2024-03-05"  # page metadata, not the URL, not the crawl
    assert page.fields["date_source"] == "html-meta"
    assert page.fields["crawl_date"] == "2026-01-02T03:04:05Z"
    assert page.fields["text"] == f"{BODY}\n\n{BODY2}"
    assert note.fields["text"] == "A fictional plain note." and "date" not in note.fields
    assert note.text is None
    assert empty.error.startswith("no main text found in HTML")
    assert {r.format for r in records} == {"warc"}


# --- real data --------------------------------------------------------------------------------

def test_allsides_corpus() -> None:
    shared = shared_dir()
    if shared is None:
        pytest.skip("../shared is absent: the AllSides corpus is read from there")
    path = shared / "corpora" / "allsides_iran" / "articles.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    records = list(iter_records(path))
    assert len(records) == 2714
    assert not [r.error for r in records if r.error]
    assert [r.record for r in records] == list(range(2714))
    for name in ("title", "text", "outlet"):
        filled = sum(bool(r.fields.get(name, "").strip()) for r in records)
        assert filled >= 0.98 * len(records), name
    assert all(r.fields["source_id"] and r.fields["bias_text"] for r in records)
    assert all("content_original" not in r.fields for r in records)


# --- more formats and determinism -------------------------------------------------------------

def test_cp1252_csv_and_undecodable_csv(tmp_path: Path) -> None:
    content = "title,text\n“Almera” café,Body – dash\n"
    (tmp_path / "a.csv").write_bytes(content.encode("cp1252"))
    (tmp_path / "b.csv").write_bytes(b"title,text\nbad\x81\x8d,\x90body\x01\n")
    good, bad = list(iter_records(tmp_path))
    assert good.encoding == "cp1252"
    assert good.fields == {"title": "“Almera” café", "text": "Body – dash"}
    assert bad.error.startswith("cannot decode: not valid UTF-8 or cp1252")


def test_forced_jsonl_on_txt_file(tmp_path: Path) -> None:
    (tmp_path / "dump.txt").write_text('{"title": "T", "text": "B"}\n')
    assert one(tmp_path, format="jsonl").fields == {"title": "T", "text": "B"}


def test_mixed_folder_is_deterministic(tmp_path: Path) -> None:
    (tmp_path / "almera-post").mkdir()
    (tmp_path / "almera-post" / "one.txt").write_text("Headline\n\nBody of a fictional story.")
    (tmp_path / "almera-post" / "page.html").write_text(HTML)
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "f.jsonl").write_text('{"title": "A", "text": "B"}\n{"title": "C"}\n')
    (tmp_path / "feeds" / "e.csv").write_text("title,text\nX,Y\n")
    write_warc(tmp_path / "feeds" / "crawl.warc.gz")
    first = list(iter_records(tmp_path))
    second = list(iter_records(tmp_path))
    assert first == second
    assert [r.key for r in first] == [
        "almera-post/one.txt#0", "almera-post/page.html#0", "feeds/crawl.warc.gz#0",
        "feeds/crawl.warc.gz#1", "feeds/crawl.warc.gz#2", "feeds/e.csv#0", "feeds/f.jsonl#0",
        "feeds/f.jsonl#1"]
    assert [r.format for r in first] == ["text", "html", "warc", "warc", "warc", "csv", "jsonl",
                                         "jsonl"]
    assert first[0].folder == "almera-post" and first[-1].folder == "feeds"


def test_single_file_raw_path_is_its_name(tmp_path: Path) -> None:
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "story.txt").write_text("Fictional")
    record = one(tmp_path / "deep" / "story.txt")
    assert (record.raw_path, record.folder) == ("story.txt", None)
