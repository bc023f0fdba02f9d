"""Scaling benchmark: every pipeline stage on demo corpora of growing size (prints; asserts nothing).

For each size (default 10,000 and 100,000 articles; ``--million`` adds 1,000,000), generates a
demo corpus with :func:`mediaprov.demo.generate` (timed), then runs each stage in a fresh child
process, so that peak memory belongs to that stage alone:

* ``ingest`` (:func:`mediaprov.ingest.pipeline.ingest`), ``features``
  (:func:`mediaprov.features.run_features`): owned by other engineers, measured here;
* ``reuse`` (:func:`mediaprov.reuse.run_reuse`);
* ``stories`` (:func:`mediaprov.stories.build_stories`: links and connected components) and
  ``events`` (:func:`mediaprov.story_events.add_event_groups`: same-event grouping), measured apart
  because the second is :mod:`mediaprov.narratives.events`' work;
* ``timelines`` (:func:`mediaprov.timelines.run_timelines`, precedence included).

It prints, per stage and size: CPU seconds (user + system of the child), wall seconds, peak
resident memory (MiB), and the growth exponent ``log(cpu_large / cpu_small) / log(n_large /
n_small)`` between consecutive sizes (goal: <= 1.15; CPU time, since the machine is shared).
With ``--efficiency`` it also measures the parallel efficiency of the partitioned stages
(``features``, ``reuse``, and ``events``, whose texts are counted on the workers and grouped in
the client; :mod:`mediaprov.engine`) from 1 to 2 workers: each runs on a
``LocalCluster`` of 1, then of 2 worker processes (one thread each), started before the clock
(startup reported apart), and the efficiency is ``wall(1 worker) / (2 * wall(2 workers))``. The
worker processes' peak memory is reported per worker. On a shared 2-core machine the figure is
noisy (the client process and any other load compete for the same cores).

It also measures reuse recall against exact Jaccard: every pair of articles whose shingle sets
(boilerplate removed, as :func:`mediaprov.reuse.find_reuse` builds them) have Jaccard >= the
threshold, found exactly (see :func:`exact_pairs`; above 12,000 articles, every pair touching
12,000 articles drawn at random), and the share of them among the pairs the reuse stage found
(goal: >= 0.95).

Usage::

    .venv/bin/python benchmarks/bench_scale.py [--sizes 10000 100000] [--million]
        [--work DIR] [--stages reuse,stories,timelines] [--event-timeout 900] [--json out.json]
        [--efficiency] [--repeat 3]

A stage written ``features@2`` runs that stage on a 2-worker local cluster (``--stages
features@1,features@2`` measures the efficiency of features alone).

``--work DIR`` keeps the corpora (``DIR/raw<N>``, ``DIR/processed<N>``); an existing raw corpus
is reused (its generation time is then not measured) and existing stage outputs are read by later
stages, so ``--stages`` can re-measure some stages alone.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGES = ("ingest", "features", "reuse", "stories", "events", "timelines")
PARALLEL_STAGES = ("ingest", "features", "reuse", "events")
"""Stages partitioned through mediaprov.engine (measured at 1 and 2 workers by --efficiency)."""


def _usage() -> dict:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


def run_stage(stage: str, raw: Path, out: Path) -> dict:
    """Run one stage in this (child) process and return its measurements."""
    import pandas as pd

    from mediaprov.io import write_table
    from mediaprov.schema import STORIES

    if "@" in stage:
        return run_on_cluster(stage, raw, out)
    before, wall = _usage(), time.perf_counter()
    extra: dict = {}
    if stage == "generate":
        from mediaprov.demo import generate

        generate(raw, articles=int(raw.name.removeprefix("raw")))
    elif stage == "ingest":
        from mediaprov.ingest.pipeline import ingest

        # as the demo corpus: its entities and outlets apply to corpora named demo* only, and
        # the folder is named raw<N>
        extra["articles"] = ingest(raw, out=out, corpus="demo").summary.ingested
    elif stage == "features":
        from mediaprov.features import run_features

        run_features(out)
    elif stage == "reuse":
        from mediaprov.reuse import run_reuse

        run_reuse(out)
        extra["pairs"] = len(pd.read_parquet(out / "reuse_common_sources.parquet"))
    elif stage == "stories":
        from mediaprov.stories import build_stories, story_inputs

        articles, tables = story_inputs(out)  # what run_stories reads
        stories = build_stories(articles, **tables)
        write_table(stories, out / "stories.parquet", STORIES)
        extra["largest_story"] = int(stories.groupby("story_id").size().max())
    elif stage == "events":
        group_events(out)
    elif stage == "timelines":
        from mediaprov.timelines import run_timelines

        run_timelines(out)
    elif stage == "recall":
        extra.update(reuse_recall(out))
    else:
        raise ValueError(f"unknown stage {stage!r}; known: {STAGES + ('generate', 'recall')}")
    after = _usage()
    return {"stage": stage, "cpu_s": after["cpu"] - before["cpu"],
            "wall_s": time.perf_counter() - wall, "peak_mb": after["peak_mb"], **extra}


def group_events(out: Path, scheduler: str | None = None, threads: int = 1) -> None:
    """Same-event grouping as ``run_stories`` does it after the links: texts counted, then grouped.

    The texts are counted slice by slice in this process, or on the Dask cluster at ``scheduler``;
    the undated articles are matched on ``threads`` threads (``mediaprov stories --workers N``
    uses N).
    """
    from mediaprov.io import read_table, write_table
    from mediaprov.schema import STORIES
    from mediaprov.stories import group_events_of_folder, story_inputs

    stories = read_table(out / "stories.parquet", STORIES)
    articles = story_inputs(out)[0].drop(columns="text", errors="ignore")  # what run_stories keeps
    write_table(group_events_of_folder(out, stories, articles, scheduler=scheduler, threads=threads),
                out / "stories.parquet", STORIES)


def run_on_cluster(stage: str, raw: Path, out: Path) -> dict:
    """Run ``ingest@N``, ``features@N``, ``reuse@N`` or ``events@N`` on a fresh N-worker local cluster; wall time and memory.

    The cluster is the one ``--workers N`` starts (:func:`mediaprov.engine.local_cluster`).

    The cluster is started before the clock (``startup_s``); ``wall_s`` is the stage itself,
    worker imports and transfers included. ``cpu_s`` is the client process's only (the workers
    are other processes): ``worker_peak_mb`` lists each worker's peak resident memory.
    """
    import resource as _resource

    from distributed import Client

    from mediaprov.engine import local_cluster

    name, _, count = stage.partition("@")
    if name not in PARALLEL_STAGES:
        raise ValueError(f"{name} is not partitioned; parallel stages: {PARALLEL_STAGES}")
    def worker_usage() -> dict:
        usage = _resource.getrusage(_resource.RUSAGE_SELF)
        return {"cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}

    started = time.perf_counter()
    with local_cluster(int(count)) as cluster, Client(cluster) as client:
        startup = time.perf_counter() - started
        workers_before = client.run(worker_usage)
        before, wall = _usage(), time.perf_counter()
        if name == "ingest":
            from mediaprov.engine import Engine
            from mediaprov.ingest.pipeline import ingest

            ingest(raw, out=out, corpus="demo", engine=Engine(scheduler=cluster.scheduler_address))
        elif name == "features":
            from mediaprov.features import run_features

            run_features(out, scheduler=cluster.scheduler_address)
        elif name == "events":
            group_events(out, scheduler=cluster.scheduler_address, threads=int(count))
        else:
            from mediaprov.reuse import run_reuse

            run_reuse(out, scheduler=cluster.scheduler_address)
        elapsed = time.perf_counter() - wall
        after = _usage()
        workers_after = client.run(worker_usage)
    worker_cpu = [workers_after[w]["cpu"] - workers_before[w]["cpu"] for w in sorted(workers_after)]
    return {"stage": stage, "cpu_s": after["cpu"] - before["cpu"], "wall_s": elapsed,
            "peak_mb": after["peak_mb"], "startup_s": startup,
            "worker_cpu_s": [round(v, 1) for v in worker_cpu],
            "worker_peak_mb": [round(workers_after[w]["peak_mb"]) for w in sorted(workers_after)]}


def efficiency(results: dict[str, dict], stage: str, *, cpu: bool = False) -> float:
    """``wall(1 worker) / (2 * wall(2 workers))`` of a stage, NaN when either is missing.

    With ``cpu``, the same ratio from CPU seconds instead of wall time, which a loaded machine
    disturbs less: the time of a run is taken as the client's CPU (the steps it does alone) plus
    the busiest worker's CPU, as it would be on two idle cores.
    """
    one, two = results.get(f"{stage}@1"), results.get(f"{stage}@2")
    if not one or not two or "wall_s" not in one or "wall_s" not in two:
        return math.nan
    if not cpu:
        return one["wall_s"] / (2 * two["wall_s"])
    if "worker_cpu_s" not in one or "worker_cpu_s" not in two:
        return math.nan
    span_one = one["cpu_s"] + max(one["worker_cpu_s"])
    span_two = two["cpu_s"] + max(two["worker_cpu_s"])
    return span_one / (2 * span_two)


def exact_pairs(sets, *, threshold: float, rows=None, block: int = 200):
    """Pairs of rows of a 0/1 sparse matrix with Jaccard >= ``threshold``, exactly.

    Every pair that involves one of ``rows`` (default: all rows) is checked: the intersection
    sizes of a block of those rows with every row come from one sparse product, so memory is
    bounded by the block and no pair is missed. With all rows this is the exact all-pairs
    answer; with a random sample of rows it is every true pair touching the sample, which
    estimates recall without the quadratic cost (:func:`reuse_recall` samples above 12,000
    articles: the frequent shingles of 100,000 demo articles make the full product too big).
    """
    import numpy as np

    sizes = np.diff(sets.indptr).astype(np.int64)
    rows = np.arange(sets.shape[0]) if rows is None else np.sort(np.asarray(rows))
    transposed = sets.T.tocsr()
    found = []
    for first in range(0, len(rows), block):
        chosen = rows[first: first + block]
        product = (sets[chosen] @ transposed).tocoo()
        i, j = chosen[product.row], product.col.astype(np.int64)
        shared = product.data.astype(np.int64)
        similarity = shared / np.maximum(sizes[i] + sizes[j] - shared, 1)
        keep = (i != j) & (similarity >= threshold)
        found.append(np.sort(np.stack([i[keep], j[keep]], axis=1), axis=1))
    pairs = np.unique(np.concatenate(found), axis=0) if found else np.zeros((0, 2), np.int64)
    return pairs, {"rows_checked": int(len(rows))}


def reuse_recall(out: Path, *, threshold: float = 0.15, shingle: int = 5,
                 sample: int = 12_000, seed: int = 0) -> dict:
    """Share of the exact-Jaccard pairs (>= threshold) that the reuse stage found.

    Corpora of more than ``sample`` articles are checked on the pairs touching ``sample``
    articles drawn at random (seeded).
    """
    import numpy as np
    import pandas as pd

    from mediaprov.io import read_table
    from mediaprov.reuse import pairs as reuse_pairs
    from mediaprov.reuse.content import TextPartition, content_sets
    from mediaprov.schema import ARTICLES

    # the shingle sets find_reuse verifies with (same private steps, same defaults)
    table, texts = reuse_pairs._prepare(read_table(out / "articles.parquet", ARTICLES))
    outlet = pd.factorize(table["outlet_id"], sort=True)[0].astype(np.int64)
    sets, _, _ = content_sets(TextPartition(texts, outlet), k=shingle,
                              boilerplate_min_articles=5, boilerplate_min_words=12)
    rows = None
    if len(table) > sample:
        rows = np.random.default_rng(seed).choice(len(table), sample, replace=False)
    exact, info = exact_pairs(sets, threshold=threshold, rows=rows)
    ids = table["article_id"].to_numpy()
    truth = {tuple(sorted(p)) for p in zip(ids[exact[:, 0]], ids[exact[:, 1]], strict=True)}
    found_table = pd.read_parquet(out / "reuse_common_sources.parquet")
    found = {tuple(sorted(p)) for p in zip(found_table["article_a"], found_table["article_b"],
                                                  strict=True)}
    hits = len(truth & found)
    return {"exact_pairs": len(truth), "found_pairs": len(found), "hits": hits,
            "recall": hits / max(len(truth), 1), **info}


def child(stage: str, raw: Path, out: Path, *, timeout: float | None = None) -> dict:
    """Run ``stage`` in a fresh Python process; its measurements, or why it has none."""
    command = [sys.executable, __file__, "--child", stage, "--raw", str(raw), "--out", str(out)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"stage": stage, "error": f"not done after {timeout:.0f} s"}
    if run.returncode != 0:
        return {"stage": stage, "error": (run.stderr or run.stdout).strip()[-400:]}
    return json.loads(run.stdout.strip().splitlines()[-1])


def median_run(runs: list[dict]) -> dict:
    """The run of median wall time (the lower middle one of an even count), with every run's wall.

    A failed run makes the result that failure.

    Example:
        >>> median_run([{"wall_s": 3.0}, {"wall_s": 1.0}, {"wall_s": 2.0}])
        {'wall_s': 2.0, 'wall_runs_s': [3.0, 1.0, 2.0]}
    """
    failed = [run for run in runs if "wall_s" not in run]
    if failed or not runs:
        return failed[0] if failed else {"error": "not run"}
    middle = sorted(runs, key=lambda run: run["wall_s"])[(len(runs) - 1) // 2]
    return {**middle, "wall_runs_s": [round(run["wall_s"], 2) for run in runs]}


def exponent(small: dict | None, large: dict | None, n_small: int, n_large: int) -> float:
    """Growth exponent of CPU time from ``n_small`` to ``n_large`` articles (NaN when unknown)."""
    if not small or not large or "cpu_s" not in small or "cpu_s" not in large:
        return math.nan
    return math.log(max(large["cpu_s"], 1e-3) / max(small["cpu_s"], 1e-3)) / math.log(
        n_large / n_small)


def main(argv: list[str] | None = None) -> dict:
    """Generate the corpora, run each stage in a child process, print the table; return results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--million", action="store_true", help="add 1,000,000 articles")
    parser.add_argument("--work", type=Path, help="keep corpora here (default: a temp folder)")
    parser.add_argument("--stages", default=",".join(STAGES) + ",recall",
                        help="comma-separated stages (default: all, then reuse recall)")
    parser.add_argument("--event-timeout", type=float, default=1800,
                        help="seconds before the events stage is given up")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--efficiency", action="store_true",
                        help="also run features and reuse on 1 and 2 local Dask workers")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each stage on a cluster (features@2 ...) this many times, in "
                             "rounds (1 worker, 2 workers, 1 worker, ...), and keep the run of "
                             "median wall time: the efficiency of one pair of runs moves by "
                             "+-0.03 on a shared machine")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--raw", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_stage(args.child, args.raw, args.out)))
        return {}
    sizes = sorted(set(args.sizes + ([1_000_000] if args.million else [])))
    stages = [s for s in args.stages.split(",") if s]
    if args.efficiency:
        stages += [f"{s}@{n}" for s in PARALLEL_STAGES for n in (1, 2) if f"{s}@{n}" not in stages]
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_scale_"))
    results: dict[int, dict[str, dict]] = {}
    for n in sizes:
        raw, out = work / f"raw{n}", work / f"processed{n}"
        out.mkdir(parents=True, exist_ok=True)
        results[n] = {}
        if not (raw / "MANIFEST.json").exists():
            results[n]["generate"] = child("generate", raw, out)
            print(f"{n:>9,} generate  {results[n]['generate']}", flush=True)
        repeated = [stage for stage in stages if "@" in stage] if args.repeat > 1 else []
        for stage in stages:
            if stage in repeated:
                continue
            timeout = args.event_timeout if stage == "events" else None
            results[n][stage] = child(stage, raw, out, timeout=timeout)
            print(f"{n:>9,} {stage:<9} {results[n][stage]}", flush=True)
        runs: dict[str, list[dict]] = {stage: [] for stage in repeated}
        for _ in range(args.repeat if repeated else 0):  # rounds: load drift touches every stage
            for stage in repeated:
                runs[stage].append(child(stage, raw, out))
                print(f"{n:>9,} {stage:<9} {runs[stage][-1]}", flush=True)
        results[n].update({stage: median_run(found) for stage, found in runs.items()})
    _print_table(results, sizes, stages)
    _print_efficiency_and_recall(results, sizes)
    if args.json:
        args.json.write_text(json.dumps({str(n): v for n, v in results.items()}, indent=2))
    return results


def _print_table(results: dict[int, dict[str, dict]], sizes: list[int], stages: list[str]) -> None:
    """One line per stage: CPU s, wall s and peak MB at each size, then the growth exponents."""
    print("\nstage       " + "".join(f"{n:>28,}" for n in sizes) + "   exponents (CPU)")
    for stage in ["generate"] + stages:
        cells, rows = [], [results[n].get(stage) for n in sizes]
        for row in rows:
            if not row:
                cells.append(f"{'-':>28}")
            elif "error" in row:
                cells.append(f"{row['error'][:26]:>28}")
            else:
                cells.append(f"{row['cpu_s']:8.1f} s {row['wall_s']:7.1f} w {row['peak_mb']:6.0f} MB")
        slopes = [exponent(a, b, m, n) for (a, m), (b, n) in
                  zip(zip(rows, sizes, strict=True), zip(rows[1:], sizes[1:], strict=True),
                      strict=False)]
        print(f"{stage:<12}" + "".join(cells) + "   " + " ".join(f"{s:5.2f}" for s in slopes))


def _print_efficiency_and_recall(results: dict[int, dict[str, dict]], sizes: list[int]) -> None:
    """Parallel efficiency from 1 to 2 workers and reuse recall, where they were measured."""
    for n in sizes:
        for stage in PARALLEL_STAGES:
            value = efficiency(results[n], stage)
            if not math.isnan(value):
                one, two = results[n][f"{stage}@1"], results[n][f"{stage}@2"]
                inline = results[n].get(stage, {}).get("wall_s", math.nan)
                print(f"parallel efficiency of {stage} at {n:,}: {value:.2f} by wall time, "
                      f"{efficiency(results[n], stage, cpu=True):.2f} by CPU (wall: in-process "
                      f"{inline:.1f} s, 1 worker {one['wall_s']:.1f} s, 2 workers "
                      f"{two['wall_s']:.1f} s; cluster startup {two['startup_s']:.1f} s not "
                      f"counted; CPU: client {one['cpu_s']:.1f} / {two['cpu_s']:.1f} s, workers "
                      f"{one.get('worker_cpu_s')} / {two.get('worker_cpu_s')} s; worker peaks "
                      f"{two['worker_peak_mb']} MB)")
                if "wall_runs_s" in one:
                    print(f"  median of {len(one['wall_runs_s'])} runs each; wall of every run: "
                          f"1 worker {one['wall_runs_s']}, 2 workers {two['wall_runs_s']}")
    for n in sizes:
        if "recall" in results[n] and "recall" in results[n]["recall"]:
            r = results[n]["recall"]
            print(f"reuse recall vs exact Jaccard at {n:,}: {r['hits']}/{r['exact_pairs']} = "
                  f"{r['recall']:.4f} (pairs found {r['found_pairs']})")


if __name__ == "__main__":
    main()
