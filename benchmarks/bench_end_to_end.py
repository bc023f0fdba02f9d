"""End-to-end benchmark: the pipeline's commands in one go, as a researcher runs them (prints).

Runs ``mediaprov ingest`` (as corpus ``demo`` by default: the demo's reference tables apply
only to corpora named ``demo*``), ``features``, ``reuse`` and ``stories`` with ``--workers W`` (a
local Dask cluster of W worker processes each; ``--workers 0``: in this process, no Dask),
then ``timelines``, each command as a child
process, one after the other on the same output folder. While a command runs, the resident memory
of every process of its tree (the command itself, which is the Dask client, and its worker
processes) is sampled every ``--interval`` seconds (``psutil``, which Dask already needs), so the
peak of each process is reported, not only the largest one as ``getrusage`` would. Prints per
command: wall seconds, CPU seconds of the command and every process it waited for (workers
included), the client's peak and each worker's peak; then the total wall time.

``bench_scale.py`` measures one stage per fresh process, with the cluster started before the
clock; this one counts everything a user waits for (imports, cluster startup, reading and writing
the tables).

Usage::

    .venv/bin/python benchmarks/bench_end_to_end.py RAW_DIR OUT_DIR [--workers 2]
        [--articles N] [--corpus demo] [--json results.json]

With ``--articles N`` a demo corpus of N articles is first generated into ``RAW_DIR`` (timed
apart) when ``RAW_DIR`` holds none. ``OUT_DIR`` is emptied first: every stage is run. Exits 1
when a command fails (its last line of errors is printed).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

MEDIAPROV = [str(Path(sys.executable).with_name("mediaprov"))]
"""The console script installed beside this interpreter (``make install``'s ``.venv/bin``)."""


def commands(raw: Path, out: Path, workers: int, corpus: str) -> list[tuple[str, list[str]]]:
    """The pipeline's commands, by stage name, in the order they run."""
    parallel = ["--workers", str(workers)] if workers > 0 else []
    return [("ingest", [*MEDIAPROV, "ingest", str(raw), "--out", str(out), "--corpus", corpus,
                        "--no-progress", *parallel]),
            ("features", [*MEDIAPROV, "features", str(out), *parallel]),
            ("reuse", [*MEDIAPROV, "reuse", str(out), *parallel]),
            ("stories", [*MEDIAPROV, "stories", str(out), *parallel]),
            ("timelines", [*MEDIAPROV, "timelines", str(out)])]


def _sample_peaks(process: psutil.Process, peaks: dict[int, dict], stop: threading.Event,
                  interval: float) -> None:
    """Record each process of ``process``'s tree's largest resident set until ``stop``."""
    while not stop.is_set():
        try:
            tree = [process, *process.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        for member in tree:
            try:
                rss = member.memory_info().rss
                # looked at each time: a process caught between fork and exec shows the
                # client's command line at first
                role = "client" if member.pid == process.pid else (
                    "worker" if "spawn_main" in " ".join(member.cmdline()) else "other")
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            entry = peaks.setdefault(member.pid, {"role": role, "peak_mb": 0.0})
            entry["role"] = role if entry["role"] == "other" else entry["role"]
            entry["peak_mb"] = max(entry["peak_mb"], rss / 2**20)
        stop.wait(interval)


def run_command(name: str, argv: list[str], *, interval: float) -> dict:
    """Run one command; return its wall and CPU seconds and each process's peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks: dict[int, dict] = {}
    stop = threading.Event()
    sampler = threading.Thread(target=_sample_peaks, daemon=True,
                               args=(psutil.Process(child.pid), peaks, stop, interval))
    sampler.start()
    _, errors = child.communicate()
    stop.set()
    sampler.join()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = {"stage": name, "returncode": child.returncode, "wall_s": round(wall, 1),
              "cpu_s": round(cpu, 1),
              "client_peak_mb": round(max((p["peak_mb"] for p in peaks.values()
                                           if p["role"] == "client"), default=0.0)),
              "worker_peak_mb": sorted(round(p["peak_mb"]) for p in peaks.values()
                                       if p["role"] == "worker")}
    if child.returncode:
        result["error"] = errors.strip().splitlines()[-1] if errors.strip() else "failed"
    return result


def main(argv: list[str] | None = None) -> list[dict]:
    """Run the commands (see the module docstring), print the table; return one row per command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path, help="folder of raw files (a demo corpus)")
    parser.add_argument("out", type=Path, help="output folder (emptied first)")
    parser.add_argument("--workers", type=int, default=2,
                        help="local Dask workers for ingest, features, reuse and stories (0: in this "
                             "process, or on $MEDIAPROV_SCHEDULER when it is set)")
    parser.add_argument("--corpus", default="demo",
                        help="corpus name given to ingest (decides the reference tables)")
    parser.add_argument("--articles", type=int,
                        help="generate a demo corpus of this size into RAW first, if none is there")
    parser.add_argument("--interval", type=float, default=1.0, help="memory sampling, seconds")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    results: list[dict] = []
    if args.articles and not (args.raw / "MANIFEST.json").exists():
        results.append(run_command("generate", [*MEDIAPROV, "demo", "--out", str(args.raw),
                                                "--articles", str(args.articles)],
                                   interval=args.interval))
        print(results[-1], flush=True)
        if results[-1]["returncode"]:
            raise SystemExit(f"generating the corpus failed: {results[-1]['error']}")
    shutil.rmtree(args.out, ignore_errors=True)
    started = time.perf_counter()
    for name, command in commands(args.raw, args.out, args.workers, args.corpus):
        results.append(run_command(name, command, interval=args.interval))
        print(results[-1], flush=True)
        if results[-1]["returncode"]:
            break
    total = time.perf_counter() - started
    print(f"\n{'stage':<10}{'wall s':>9}{'CPU s':>9}{'client MB':>11}  workers' peak MB")
    for row in results:
        print(f"{row['stage']:<10}{row['wall_s']:>9.1f}{row['cpu_s']:>9.1f}"
              f"{row['client_peak_mb']:>11}  {row['worker_peak_mb'] or '-'}"
              + (f"  FAILED: {row['error']}" if "error" in row else ""))
    print(f"end to end (generation not counted): {total:.1f} s wall ({total / 60:.1f} min), "
          f"{args.workers} worker(s)")
    if args.json:
        args.json.write_text(json.dumps({"workers": args.workers, "total_wall_s": round(total, 1),
                                         "stages": results}, indent=2))
    return results


if __name__ == "__main__":
    sys.exit(1 if any(row["returncode"] for row in main()) else 0)
