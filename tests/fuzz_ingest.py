"""A seeded fuzzer for ingestion: hostile input never costs a good record (issue 12).

Each case is a small folder holding known-good fictional records (a scrape, a JSONL line, a CSV
row, an HTML page; some of them inside hostile containers, after a bad line or row) beside one
to four hostile entries drawn from a catalogue: implausible dates, broken encodings, lone
surrogates, NUL bodies, huge integers, deep nesting, headers matching no preset, duplicate
columns, unbalanced quotes, truncated or odd-charset WARCs, corrupt gzip, non-UTF-8 and odd
file names, links outside the input, dangling links, loops, FIFOs, oversized records,
quadratic-regex bait and mathtext in titles. Every case is ingested in-process; a case fails
when ingest raises (an aborted run, with its traceback), when a good record is not ingested,
or when ``inputs != ingested + duplicates + quarantined`` (in the summary or in the log).

Run ``python tests/fuzz_ingest.py --cases 10000 --kills 20`` (``make fuzz``: then 20 kill -9
during each of ingest, features, reuse, stories and timelines); ``tests/test_hostile.py``
runs a few hundred cases. Everything generated is fictional.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

WORDS = ("harbor council vote plan almera veskaria minister budget pier works district court "
         "appeal hearing ferry market bridge school clinic station delegates report draft").split()
MAX_RECORD_BYTES = 200_000


@dataclass
class Case:
    """One generated case: the folder, the good records that must be ingested, what was made."""

    root: Path
    good: set[tuple[str, int]] = field(default_factory=set)
    made: list[str] = field(default_factory=list)


@dataclass
class Results:
    """What a fuzz run found."""

    cases: int = 0
    tracebacks: int = 0
    aborted: int = 0
    good_records: int = 0
    good_lost: int = 0
    unreconciled: int = 0
    inputs: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)

    def ok(self) -> bool:
        return not (self.tracebacks or self.aborted or self.good_lost or self.unreconciled)

    def render(self) -> str:
        lines = [
            f"cases {self.cases}, inputs {self.inputs}, {self.seconds:.1f} s",
            f"tracebacks {self.tracebacks}",
            f"aborted runs {self.aborted}",
            f"good records lost {self.good_lost} of {self.good_records}",
            f"cases where inputs != ingested + duplicates + quarantined: {self.unreconciled}",
            f"hostile entries generated: {sum(self.kinds.values())} of {len(self.kinds)} kinds",
            "most frequent quarantine reasons:",
        ]
        lines += [f"  {n:7d}  {reason}" for reason, n in self.reasons.most_common(12)]
        lines += [f"FAILURE {f}" for f in self.failures[:20]]
        return "\n".join(lines)


def _body(rng: random.Random, words: int = 60) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _unique(rng: random.Random, tag: str) -> str:
    """A body no other record of the case shares (so it is never a duplicate)."""
    marks = " ".join(f"{tag}{rng.randrange(10**9)}x{i}" for i in range(8))
    return f"{_body(rng)} {marks} {_body(rng)}"


# --- good records -------------------------------------------------------------------------------

def _good(case: Case, rng: random.Random) -> None:
    root = case.root
    (root / "good.txt").write_text(f"Good scrape title\n\n{_unique(rng, 'gtxt')}\n")
    case.good.add(("good.txt", 0))
    if rng.random() < 0.5:
        page = (f"<!doctype html><html><head><title>Good page</title></head><body><article>"
                f"<p>{_unique(rng, 'ghtml')}</p><p>{_unique(rng, 'ghtml')}</p></article></body></html>")
        (root / "good.html").write_text(page)
        case.good.add(("good.html", 0))
    if rng.random() < 0.5:
        line = json.dumps({"title": "Good line", "text": _unique(rng, "gjson")})
        (root / "good.jsonl").write_text(line + "\n")
        case.good.add(("good.jsonl", 0))
    if rng.random() < 0.5:
        (root / "good.csv").write_text(f'title,text\nGood row,"{_unique(rng, "gcsv")}"\n')
        case.good.add(("good.csv", 0))


# --- hostile entries ----------------------------------------------------------------------------

def _name(rng: random.Random, suffix: str) -> str:
    return f"h{rng.randrange(10**6)}{suffix}"


def h_date(case: Case, rng: random.Random) -> None:
    year = rng.choice([1, 1800, 1899, 2050, 2263, 2999, 9999, 1970])
    month, day = rng.choice([(1, 1), (2, 30), (13, 1), (12, 31)])
    marker = rng.choice(["date", "Published", "Updated:", ""])
    text = f"{marker} {year:04d}-{month:02d}-{day:02d}\nHeadline\n\n{_body(rng)}\n"
    (case.root / _name(rng, ".txt")).write_text(text)


def h_bytes(case: Case, rng: random.Random) -> None:
    suffix = rng.choice([".txt", ".html", ".jsonl", ".csv", ".warc", ".warc.gz", "", ".bin"])
    size = rng.choice([0, 1, 7, 100, 5000])
    data = bytes(rng.randrange(256) for _ in range(size))
    if rng.random() < 0.3:
        data = codecs_bom(rng) + data
    (case.root / _name(rng, suffix)).write_bytes(data)


def codecs_bom(rng: random.Random) -> bytes:
    import codecs

    return rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
                       codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE])


def h_text_oddities(case: Case, rng: random.Random) -> None:
    choice = rng.randrange(7)
    if choice == 0:
        data = b"\x00" * rng.randrange(1, 50)
    elif choice == 1:
        data = f"Title\n\n{_body(rng)}".encode() + b"\xff\xfe\x81" + _body(rng).encode()
    elif choice == 2:
        data = ("Title\n\n" + "\x01\x02\x7f" * 10 + _body(rng)).encode()
    elif choice == 3:
        data = f"Title\n\n{_body(rng)}".encode("utf-16")  # BOM: readable
    elif choice == 4:
        data = ("$$ cost $x^2$ \\frac{a}{b}\n\n" + _body(rng)).encode()
    elif choice == 5:
        data = ("T" * 100_000 + "\n\n" + _body(rng)).encode()
    else:
        data = b"\r\r\r\n\n\t " * 20
    (case.root / _name(rng, rng.choice([".txt", ""]))).write_bytes(data)


def h_html(case: Case, rng: random.Random) -> None:
    choice = rng.randrange(6)
    if choice == 0:
        html = "<html><head>" + "<meta " * rng.randrange(1000, 20_000) + "</head></html>"
    elif choice == 1:
        html = "<!doctype html><html><body>" + "<div>" * 5000 + _body(rng) + "</div>" * 10 + "</body></html>"
    elif choice == 2:
        html = "<!doctype html><html><body><p>" + "<p>".join(_body(rng, 5) for _ in range(3000)) + "</body></html>"
    elif choice == 3:
        html = "<!doctype html><html><head><meta charset='punycode'></head><body><p>" + _body(rng)
    elif choice == 4:
        html = "<html><body>" + "<!--" * 500 + _body(rng)
    else:
        html = "<!doctype html><html><head><title>$$</title></head><body><script>alert(1)</script></body></html>"
    (case.root / _name(rng, ".html")).write_text(html)


def h_jsonl(case: Case, rng: random.Random) -> None:
    lines = []
    for _ in range(rng.randrange(1, 5)):
        choice = rng.randrange(11)
        if choice == 0:
            lines.append('{"title": "x", "n": ' + "9" * rng.choice([4301, 5000, 20000]) + "}")
        elif choice == 1:
            depth = rng.choice([200, 1000, 5000])
            lines.append('{"a": ' + "[" * depth + "]" * depth + "}")
        elif choice == 2:
            lines.append('{"title": "S\\ud800", "text": "Lone \\udc00 surrogate ' + _body(rng) + '"}')
        elif choice == 3:
            lines.append(rng.choice(["[1, 2]", "42", '"text"', "null", "true"]))
        elif choice == 4:
            lines.append('{"title": "T", "text": ' + rng.choice(["true", "false", "1e999", "{}", "[]", "null"]) + "}")
        elif choice == 5:
            lines.append('{"title": "T", "text": "' + "\\u0000" * rng.randrange(1, 20) + '"}')
        elif choice == 6:
            lines.append("{not json")
        elif choice == 7:
            lines.append(json.dumps({"title": "T", "text": "w" * (MAX_RECORD_BYTES + 10)}))
        elif choice == 8:
            lines.append(json.dumps({"title": ["a", None, {"b": 1}], "text": {"nested": _body(rng)},
                                     "date": rng.choice(["2263-01-01", "9/6/17", "", "0000-00-00", 12345])}))
        elif choice == 9:
            lines.append("\x00\x01")
        else:
            lines.append(json.dumps({"title": "T", "text": _body(rng), "date": "2999-12-31T99:99"}))
    name = _name(rng, ".jsonl")
    good_index = None
    if rng.random() < 0.5:  # a good line after the bad ones must survive
        good_index = len(lines)
        lines.append(json.dumps({"title": "Good after bad", "text": _unique(rng, "gjl")}))
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    (case.root / name).write_bytes(data)
    if good_index is not None and not any(
            '"9999' in line or "9" * 4301 in line for line in lines[:good_index]):
        case.good.add((name, good_index))


def h_csv(case: Case, rng: random.Random) -> None:
    choice = rng.randrange(11)
    name = _name(rng, rng.choice([".csv", ".tsv"]))
    sep = "\t" if name.endswith(".tsv") else ","
    good_row = None
    if choice == 0:
        data = b"a;b;c\n1;2;3\n"
    elif choice == 1:
        data = f"Just a scrape\n\n{_body(rng)}\n".encode()
    elif choice == 2:
        data = f"title{sep}text{sep}title\nA{sep}B{sep}C\n".encode()
    elif choice == 3:  # unbalanced quote, then a good row
        good_row = 1
        data = (f'title{sep}text\nBroken{sep}"an unbalanced quote\n'
                f"Good after quote{sep}{_unique(rng, 'gq')}\n").encode()
    elif choice == 4:
        good_row = 0
        data = f"title{sep}text\nUtf sixteen{sep}{_unique(rng, 'g16')}\n".encode("utf-16")
    elif choice == 5:  # accents only late in the file
        rows = [f"Row {i}{sep}{_unique(rng, 'glat')}" for i in range(rng.randrange(50, 400))]
        rows[-1] = f"Caf\u00e9 late{sep}{_unique(rng, 'glat')} \u00e9t\u00e9"
        good_row = len(rows) - 1
        data = (f"title{sep}text\n" + "\n".join(rows) + "\n").encode("latin-1")
    elif choice == 6:
        data = f"title{sep}text\nA\x00B{sep}C\x00\n".encode()
    elif choice == 7:
        data = f"title{sep}text\n".encode()
    elif choice == 8:
        data = (f"title{sep}text\nshort\n" + f"x{sep}y{sep}z{sep}w\n" * 3).encode()
    elif choice == 9:
        data = (f'title{sep}text\n"{"q" * (MAX_RECORD_BYTES + 5)}"{sep}body\n').encode()
    else:
        data = f"title{sep}text\n\"a\"b\"{sep}\"c\n\n\n".encode()
    (case.root / name).write_bytes(data)
    if good_row is not None:
        case.good.add((name, good_row))


def _warc_bytes(responses: list[tuple[str, bytes]], gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for index, (content_type, body) in enumerate(responses):
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://veskariadaily.example/{index}", "response", payload=io.BytesIO(body),
            http_headers=headers))
    return buffer.getvalue()


def h_warc(case: Case, rng: random.Random) -> None:
    gz = rng.random() < 0.5
    name = _name(rng, ".warc.gz" if gz else ".warc")
    charset = rng.choice(["utf-8", "punycode", "rot13", "base64", "nonsense", "utf-16", "idna", "zlib"])
    good_body = _unique(rng, "gwarc").encode()
    responses = [("text/plain; charset=utf-8", good_body),
                 (f"text/plain; charset={charset}", _body(rng).encode()),
                 (rng.choice(["image/png", "text/html", "application/json"]), b"\x89PNG fictional")]
    data = _warc_bytes(responses, gz)
    mode = rng.randrange(4)
    if mode == 1:
        data = data[:rng.randrange(len(data) // 3, len(data))]  # truncated anywhere after the 1st
    elif mode == 2:
        data = data[:rng.randrange(0, len(data))]  # truncated anywhere
    elif mode == 3:
        position = rng.randrange(len(data))
        data = data[:position] + bytes([rng.randrange(256)]) + data[position + 1:]
    (case.root / name).write_bytes(data)
    if mode == 0:
        case.good.add((name, 0))


def h_names(case: Case, rng: random.Random) -> None:
    name = rng.choice([b"caf\xe9.txt", b"\xff\xfe.txt", b"new\nline.txt", b"-dash.txt",
                       b"x" * 250 + b".txt", "\u00e9t\u00e9 \u65e5\u672c.txt".encode(), b"tab\there.txt",
                       b"$x^2$.txt", b"<script>.txt"])
    try:
        path = case.root / os.fsdecode(name)
        path.write_text(f"Odd name\n\n{_body(rng)}\n")
    except (OSError, ValueError):
        return


def h_links(case: Case, rng: random.Random, outside: Path) -> None:
    choice = rng.randrange(6)
    name = _name(rng, ".txt")
    try:
        if choice == 0:
            (case.root / name).symlink_to(outside / "secret.txt")
        elif choice == 1:
            (case.root / name).symlink_to(case.root / "no-such-file.txt")
        elif choice == 2:
            (case.root / _name(rng, "")).symlink_to(case.root, target_is_directory=True)
        elif choice == 3:
            (case.root / name).symlink_to(case.root / name)  # a link to itself
        elif choice == 4:
            (case.root / _name(rng, "")).symlink_to(outside, target_is_directory=True)
        else:
            (case.root / _name(rng, "")).symlink_to("/proc/self", target_is_directory=True)
    except OSError:
        return


def h_special(case: Case, rng: random.Random) -> None:
    choice = rng.randrange(4)
    try:
        if choice == 0:
            os.mkfifo(case.root / _name(rng, ".txt"))
        elif choice == 1:
            for name in ("README.md", "MANIFEST.json", "datasheet.md", ".hidden.txt"):
                (case.root / name).write_text("about the corpus")
        elif choice == 2:
            (case.root / "truth").mkdir(exist_ok=True)
            (case.root / "truth" / "t.txt").write_text("truth")
        else:
            (case.root / _name(rng, "")).mkdir()  # an empty folder
    except OSError:
        return


def h_big(case: Case, rng: random.Random) -> None:
    suffix = rng.choice([".txt", ".html"])
    (case.root / _name(rng, suffix)).write_text("Big\n\n" + _body(rng, 10) * (MAX_RECORD_BYTES // 50))


def h_gzip(case: Case, rng: random.Random) -> None:
    data = gzip.compress(_warc_bytes([("text/plain", _body(rng).encode())], False))
    data = data[:rng.randrange(1, len(data))]
    (case.root / _name(rng, ".warc.gz")).write_bytes(data)


KINDS = {
    "date": h_date, "bytes": h_bytes, "text": h_text_oddities, "html": h_html, "jsonl": h_jsonl,
    "csv": h_csv, "warc": h_warc, "names": h_names, "links": h_links, "special": h_special,
    "big": h_big, "gzip": h_gzip,
}


def make_case(root: Path, seed: int, outside: Path) -> Case:
    """Generate case ``seed`` into ``root`` (deterministic for a seed)."""
    rng = random.Random(seed)
    case = Case(root=root)
    root.mkdir(parents=True)
    _good(case, rng)
    for _ in range(rng.randrange(1, 5)):
        kind = rng.choice(sorted(KINDS))
        case.made.append(kind)
        if kind == "links":
            h_links(case, rng, outside)
        else:
            KINDS[kind](case, rng)
    return case


def run_cases(cases: int, *, seed: int = 0, workdir: Path | None = None,
              record_seconds: float = 5.0, progress: bool = False) -> Results:
    """Generate and ingest ``cases`` cases; return what was found."""
    from mediaprov.ingest.outlets import OutletRegistry
    from mediaprov.ingest.pipeline import ingest

    results = Results()
    registry = OutletRegistry.load()
    base = Path(tempfile.mkdtemp(prefix="mediaprov-fuzz-", dir=workdir))
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret\n\nA fictional secret that must never be read.\n")
    started = time.perf_counter()
    try:
        for number in range(cases):
            case_seed = seed * 1_000_003 + number
            root = base / f"case{number}"
            out = base / f"out{number}"
            case = make_case(root, case_seed, outside)
            results.kinds.update(case.made)
            results.cases += 1
            results.good_records += len(case.good)
            try:
                result = ingest(root, out=out, registry=registry, max_record_bytes=MAX_RECORD_BYTES,
                                record_seconds=record_seconds)
                log = result.log
            except Exception:  # noqa: BLE001 - counting them is the point
                results.tracebacks += 1
                results.aborted += 1
                results.failures.append(f"seed {case_seed} ({case.made}): {traceback.format_exc(limit=3)}")
                results.good_lost += len(case.good)
                shutil.rmtree(root, ignore_errors=True)
                shutil.rmtree(out, ignore_errors=True)
                continue
            summary = result.summary
            counts = log["status"].value_counts()
            if not summary.reconciles() or len(log) != summary.inputs or (
                    counts.get("ingested", 0), counts.get("duplicate", 0),
                    counts.get("quarantined", 0)) != (summary.ingested, summary.duplicates,
                                                      summary.quarantined):
                results.unreconciled += 1
                results.failures.append(f"seed {case_seed}: counts do not reconcile")
            results.inputs += summary.inputs
            status = {(p, int(r)): s for p, r, s in zip(log.raw_path, log.record, log.status, strict=True)}
            lost = [key for key in case.good if status.get(key) != "ingested"]
            if lost:
                results.good_lost += len(lost)
                reasons = {key: log.loc[(log.raw_path == key[0]) & (log.record == key[1]), "reason"].tolist()
                           for key in lost}
                results.failures.append(f"seed {case_seed} ({case.made}): good records lost {reasons}")
            results.reasons.update(_reason_kind(r) for r in log["reason"].dropna()
                                   if r and not r.startswith(("exact duplicate", "near duplicate")))
            shutil.rmtree(root, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            if progress and (number + 1) % 500 == 0:
                print(f"... {number + 1} cases, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    results.seconds = time.perf_counter() - started
    return results


def _reason_kind(reason: str) -> str:
    """A reason without its specifics (offsets, line numbers), to count kinds of reasons."""
    import re

    return re.sub(r"\d+(\.\d+)?", "N", reason)[:90]


def _print_kills(stage: str, counts: dict[str, int]) -> None:
    print(f"kill -9 during {stage}: {counts['kills']} kills, the previous output left "
          f"{counts['previous']} times, the new one {counts['new']} times, never a mix; "
          "no stray temporaries after the next run", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kills", type=int, default=20,
                        help="kill -9 runs of each of ingest, features, reuse, stories and "
                             "timelines (0: none)")
    args = parser.parse_args(argv)
    workdir = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    results = run_cases(args.cases, seed=args.seed, workdir=workdir, progress=True)
    print(results.render())
    ok = results.ok()
    if args.kills:
        sys.path.insert(0, str(Path(__file__).parent))
        from test_atomic import kill_runs, kill_stage

        with tempfile.TemporaryDirectory(prefix="mediaprov-kill-") as folder:
            counts = kill_runs(Path(folder), kills=args.kills, files=300)
            _print_kills("ingest", counts)
        with tempfile.TemporaryDirectory(prefix="mediaprov-kill-") as folder:
            for stage in ("features", "reuse", "stories", "timelines"):
                # one pair of prepared corpora, the upstream stages run once for all
                _print_kills(stage, kill_stage(Path(folder), stage, kills=args.kills, files=150))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
