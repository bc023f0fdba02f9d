"""Hostile-input benchmarks (issue 12): the cases that were quadratic or unbounded, measured.

Prints, asserts nothing:

1. ``html._date_source`` on pages with a long run of ``<meta `` without ``>`` (was quadratic:
   27 s at 94 KB);
2. near-duplicate detection of short records that share one phrase, with the LSH bucket cap
   and without it (``max_bucket`` very large: the old behaviour);
3. peak RSS and throughput of ingesting big single files, each in a fresh child process: a
   scrape of ``--big-mb`` MB (quarantined unread: larger than one article may hold), a JSONL of
   ``--big-mb`` MB made of oversized lines plus one good line, and a JSONL of ``--jsonl-mb`` MB
   of ordinary fictional articles.

Usage::

    python benchmarks/bench_hostile.py [--big-mb 1024] [--jsonl-mb 100] [--skip-big]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = "harbor council vote plan almera veskaria minister budget pier works district".split()


def bench_regex() -> None:
    """Time the date-source regexes on pages of repeated ``<meta `` tags."""
    from mediaprov.ingest import html

    for size in (94_000, 1_200_000):
        page = "<html><head>" + "<meta " * (size // 6) + "</head></html>"
        started = time.perf_counter()
        html._date_source("2024-01-02", page, None)
        print(f"_date_source on {size / 1000:.0f} KB of '<meta ': {time.perf_counter() - started:.3f} s")


def bench_dedup(records: int = 8000) -> None:
    """Time near-duplicate search on ``records`` texts sharing one phrase, capped and uncapped."""
    from mediaprov.ingest.dedup import DuplicateFinder

    rng = random.Random(1)
    texts = [f"the shared fictional phrase of the day w{rng.randrange(10**9)} x{i}"
             for i in range(records)]
    for label, cap in (("capped (64 per bucket)", 64), ("uncapped (old)", 10**9)):
        finder = DuplicateFinder(max_bucket=cap)
        started = time.perf_counter()
        signatures = finder.signatures(texts)
        for index, text in enumerate(texts):
            finder.add(str(index), None, text, signature=signatures[index])
        print(f"near duplicates, {records} short records sharing a phrase, {label}: "
              f"{time.perf_counter() - started:.1f} s ({finder.capped_buckets} buckets capped)")


def child(path: str, out: str) -> None:
    """Ingest ``path`` (in a child process) and print records, seconds and peak RSS as JSON."""
    from mediaprov.ingest.pipeline import ingest

    started = time.perf_counter()
    result = ingest(path, out=out)
    print(json.dumps({"inputs": result.summary.inputs, "ingested": result.summary.ingested,
                      "quarantined": result.summary.quarantined,
                      "seconds": round(time.perf_counter() - started, 1),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


def _measure(label: str, path: Path, folder: Path) -> None:
    size = path.stat().st_size / 1e6
    output = subprocess.run([sys.executable, __file__, "--child", str(path), str(folder / "out")],
                            check=True, capture_output=True, text=True).stdout
    numbers = json.loads(output.strip().splitlines()[-1])
    print(f"{label} ({size:.0f} MB): {numbers}, {size / max(numbers['seconds'], 0.001):.0f} MB/s")


def bench_big(big_mb: int, jsonl_mb: int) -> None:
    """Time ingest of one oversized file and one large JSONL file (sizes in MB)."""
    rng = random.Random(2)
    with tempfile.TemporaryDirectory(prefix="mediaprov-bench-") as name:
        folder = Path(name)
        scrape = folder / "big.txt"
        paragraph = (" ".join(rng.choice(WORDS) for _ in range(200)) + "\n\n").encode()
        with open(scrape, "wb") as handle:
            handle.write(b"A fictional headline\n\n")
            for _ in range(big_mb * 1_000_000 // len(paragraph)):
                handle.write(paragraph)
        _measure("single scrape", scrape, folder)
        scrape.unlink()
        lines = folder / "big.jsonl"
        with open(lines, "w") as handle:
            body = " ".join(rng.choice(WORDS) for _ in range(2_000_000))
            for _ in range(max(1, big_mb // 10)):
                handle.write(json.dumps({"title": "Oversized", "text": body[:10_000_000]}) + "\n")
            handle.write(json.dumps({"title": "Good", "text": "A small fictional body."}) + "\n")
        _measure("JSONL of 10 MB lines", lines, folder)
        lines.unlink()
        feed = folder / "feed.jsonl"
        with open(feed, "w") as handle:
            written, index = 0, 0
            while written < jsonl_mb * 1_000_000:
                line = json.dumps({"title": f"Story {index}", "outlet": f"Outlet {index % 40}",
                                   "text": " ".join(rng.choice(WORDS) for _ in range(400))
                                   + f" marker{index}"}) + "\n"
                handle.write(line)
                written += len(line)
                index += 1
        _measure("JSONL of ordinary articles", feed, folder)


def main() -> None:
    """Run the benchmarks (``--skip-big`` leaves out the large files; ``--child`` is internal)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-mb", type=int, default=1024)
    parser.add_argument("--jsonl-mb", type=int, default=100)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    bench_regex()
    bench_dedup()
    if not args.skip_big:
        bench_big(args.big_mb, args.jsonl_mb)


if __name__ == "__main__":
    main()
