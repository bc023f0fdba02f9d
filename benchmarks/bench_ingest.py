"""Ingestion benchmarks: throughput and peak memory (prints results; asserts nothing).

Measures, each in a fresh child process so that peak RSS belongs to that measurement alone:

1. text scrapes: articles/s and peak RSS of ``mediaprov ingest`` on the scrapes of a generated
   demo corpus (goal: >= 1,000 articles/s on one core);
2. HTML: our HTML ingest beside trafilatura alone (``bare_extraction`` with metadata) on the same
   pages (goal: <= 1.2x its time);
3. scale: peak RSS of ingesting a whole demo corpus of ``--scale`` articles (goal: < 1 GB at
   100,000).

For 1 and 3, the ingest runs with and without its page-template pass (learning templates and
writing ``clean_text``, :func:`mediaprov.ingest.templates.clean_ingested`): the ingest without it,
then the pass alone on that output in a fresh process, exactly as the pipeline's last step would run
it. It prints the pass's CPU time as a share of the rest of the ingest (goal: at most +20 %) and
the peak RSS of each.

Usage::

    python benchmarks/bench_ingest.py [--articles 20000] [--scale 100000] [--skip-scale] [--skip-html]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_ingest(path: str, out: str, corpus: str = "") -> dict:
    """Ingest ``path`` without the template pass and report records, seconds and peak RSS.

    Run in a child process; :func:`child_templates` then runs the pass on ``out``.

    Args:
        path: the raw files to ingest.
        out: the output folder.
        corpus: scopes the outlet registry (the demo's text scrapes are the demo corpus: its
            outlets, hence its templates); empty for none.
    """
    from unittest import mock

    from mediaprov.ingest import pipeline
    from mediaprov.ingest.pipeline import ingest

    # Warm up on one small file, as trafilatura's run below has its imports done before timing:
    # one-time costs (imports, the tokenizer's code-point table) are not per-article work.
    with tempfile.TemporaryDirectory() as warm:
        (Path(warm) / "a.txt").write_text("Title\n\nA short body for warming up the pipeline.\n")
        (Path(warm) / "b.html").write_text("<html><head><title>Warm</title></head><body><article><p>"
                                           + "A short paragraph for warming up the extractor. " * 5
                                           + "</p></article></body></html>")
        ingest(Path(warm), out=Path(warm) / "out")
    started, cpu = time.perf_counter(), _cpu_seconds()
    with mock.patch.object(pipeline, "_finalise_tables", return_value={}):  # the template pass
        result = ingest(Path(path), out=Path(out), corpus=corpus or None)
    return {"records": result.summary.inputs, "articles": result.summary.ingested,
            "seconds": time.perf_counter() - started, "cpu_seconds": _cpu_seconds() - cpu,
            "peak_rss_mb": _peak_rss_mb()}


def child_templates(out: str) -> dict:
    """The ingest's template pass alone on the tables that :func:`child_ingest` wrote.

    With the corpus's registry and curated patterns, as the pipeline runs it (run in a child process).

    Args:
        out: the folder that :func:`child_ingest` wrote (its ``ingest_manifest.json`` names the corpus).
    """
    from mediaprov.ingest.outlets import OutletRegistry
    from mediaprov.ingest.scrape import load_boilerplate
    from mediaprov.ingest.templates import clean_ingested

    corpus = json.loads((Path(out) / "ingest_manifest.json").read_text(encoding="utf-8"))["corpus"]
    registry, curated = OutletRegistry.load(corpus=corpus), load_boilerplate(corpus=corpus)
    before = _peak_rss_mb()
    started, cpu = time.perf_counter(), _cpu_seconds()
    figures = clean_ingested(Path(out), registry=registry, curated=curated)
    return {"seconds": time.perf_counter() - started, "cpu_seconds": _cpu_seconds() - cpu,
            "peak_rss_mb": _peak_rss_mb(), "rss_before_mb": before, "templates": figures["templates"],
            "blanked_spans": figures["blanked_spans"]}


def run_ingest(path: Path, out: Path, corpus: str = "") -> dict:
    """The ingest of ``path`` without its template pass, then the pass, each in a fresh process."""
    run = _child("ingest", str(path), str(out), corpus)
    run["template"] = _child("templates", str(out))
    return run


def child_html(path: str, out: str) -> dict:
    """Trafilatura alone and our HTML ingest on the same pages, alternately in one warmed-up process.

    Best of three CPU times for each (run in a child process).

    Args:
        path: a folder whose ``*.html`` files (at any depth) are the pages.
        out: a folder for our ingest's outputs (``warm``, ``run0``...).
    """
    import trafilatura

    from mediaprov.ingest.pipeline import ingest

    pages = sorted(Path(path).rglob("*.html"))
    trafilatura.bare_extraction(pages[0].read_text(encoding="utf-8"), with_metadata=True)  # warm-up
    ingest(Path(path), out=Path(out) / "warm")
    alone, ours = [], []
    for run in range(3):
        cpu = _cpu_seconds()
        for page in pages:  # reading the files is part of the work on both sides
            trafilatura.bare_extraction(page.read_text(encoding="utf-8"), with_metadata=True)
        alone.append(_cpu_seconds() - cpu)
        cpu = _cpu_seconds()
        ingest(Path(path), out=Path(out) / f"run{run}")
        ours.append(_cpu_seconds() - cpu)
    return {"records": len(pages), "alone_cpu": min(alone), "ours_cpu": min(ours), "peak_rss_mb": _peak_rss_mb()}


def child_generate(out: str, articles: int) -> dict:
    """Generate a demo corpus of ``articles`` articles (run in a child process)."""
    from mediaprov.demo import generate

    started = time.perf_counter()
    generate(Path(out), articles=articles)
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": _peak_rss_mb()}


def _child(*args: str) -> dict:
    completed = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                               capture_output=True, text=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _template_line(run: dict) -> None:
    """Print the template pass's share of the ingest (goal: adds at most 20 %)."""
    template, rest = run["template"], run["cpu_seconds"]
    print(f"  template learning + clean_text: {template['cpu_seconds']:.1f} s CPU = "
          f"+{template['cpu_seconds'] / rest:.0%} on the rest of ingest ({rest:.1f} s CPU; goal <= +20%); "
          f"{template['templates']} templates, {template['blanked_spans']} spans; peak RSS of the pass "
          f"{template['peak_rss_mb']:.0f} MB ({template['rss_before_mb']:.0f} MB before it)")


def main() -> None:
    """Run the benchmarks (or, with ``--child``, one measurement in this process) and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000, help="demo articles for the throughput runs")
    parser.add_argument("--scale", type=int, default=100_000, help="demo articles for the memory run")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--skip-html", action="store_true", help="skip the comparison with trafilatura")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = {"ingest": child_ingest, "templates": child_templates, "html": child_html,
                  "generate": lambda out, n: child_generate(out, int(n))}[kind](*rest)
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "demo"
        made = _child("generate", str(corpus), str(args.articles))
        print(f"demo corpus of {args.articles} articles generated in {made['seconds']:.1f} s")

        text = run_ingest(corpus / "scrapes", Path(folder) / "out_text", "demo")
        seconds = text["seconds"] + text["template"]["seconds"]
        cpu_seconds = text["cpu_seconds"] + text["template"]["cpu_seconds"]
        print(f"text scrapes: {text['records']} records in {seconds:.1f} s wall, "
              f"{cpu_seconds:.1f} s CPU = {text['records'] / seconds:.0f} articles/s wall, "
              f"{text['records'] / cpu_seconds:.0f} articles/s per CPU second (goal >= 1,000 on one core; "
              f"{text['records'] / text['cpu_seconds']:.0f} without the template pass); "
              f"peak RSS {text['peak_rss_mb']:.0f} MB")
        _template_line(text)

        if not args.skip_html:
            html = _child("html", str(corpus / "html"), str(Path(folder) / "out_html"))
            print(f"HTML: {html['records']} pages, mediaprov ingest {html['ours_cpu']:.2f} s CPU, "
                  f"trafilatura alone {html['alone_cpu']:.2f} s CPU (best of 3, same process): ratio "
                  f"{html['ours_cpu'] / html['alone_cpu']:.2f}x (goal <= 1.2x; ours includes reading, "
                  f"decoding, parsing, dedup and writing the tables); peak RSS {html['peak_rss_mb']:.0f} MB")

    if not args.skip_scale:
        with tempfile.TemporaryDirectory() as folder:
            corpus = Path(folder) / "demo"
            _child("generate", str(corpus), str(args.scale))
            whole = run_ingest(corpus, Path(folder) / "out", "demo")
            cpu_seconds = whole["cpu_seconds"] + whole["template"]["cpu_seconds"]
            print(f"scale: {whole['records']} records ({args.scale} demo articles, all formats) in "
                  f"{whole['seconds'] + whole['template']['seconds']:.0f} s wall, {cpu_seconds:.0f} s CPU = "
                  f"{whole['records'] / cpu_seconds:.0f} records per CPU second; peak RSS "
                  f"{max(whole['peak_rss_mb'], whole['template']['peak_rss_mb']):.0f} MB (goal < 1,024 MB)")
            _template_line(whole)


if __name__ == "__main__":
    main()
