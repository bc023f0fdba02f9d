"""Ingest on a Dask cluster: the same tables as in this process, every record's budget kept."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import mediaprov.engine
from mediaprov import paths
from mediaprov.engine import Engine
from mediaprov.ingest import partitioned, templates
from mediaprov.ingest.limits import RecordTimeout, record_budget
from mediaprov.ingest.outlets import OutletRegistry
from mediaprov.ingest.pipeline import ingest
from mediaprov.ingest.readers import plan_input

TABLES = ("articles", "ingest_log", "embeds", "templates", "template_spans")
AS_OF = date(2026, 11, 30)


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("distributed", reason="needs the [parallel] extra")
    from mediaprov.engine import local_cluster

    with local_cluster(2) as local:  # the cluster `--workers 2` starts
        yield local


@pytest.fixture(scope="module")
def mixed_input(tmp_path_factory) -> Path:
    """The bundled demo corpus (scrapes, HTML, JSONL, CSV, bad files) and a few hostile files."""
    root = tmp_path_factory.mktemp("mixed") / "demo"
    shutil.copytree(paths.raw_dir("demo"), root, ignore=shutil.ignore_patterns("truth"))
    extra = root / "extra"
    extra.mkdir()
    (extra / "a-dup.txt").write_bytes((root / "bad" / "cp1252.txt").read_bytes())  # a duplicate
    (extra / "blank.txt").write_text("Title only\n\n   \n")
    (extra / "lines.jsonl").write_text('{"title": "One", "text": "A first fictional body."}\n'
                                       "not json\n"
                                       '{"title": "Two", "text": "A second fictional body."}\n')
    (extra / "z-page.html").write_bytes(b"<html><body><p>" + b"\xff" * 40 + b"</p></body></html>")
    return root


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}


def test_two_workers_give_the_tables_and_summary_of_one_process(cluster, mixed_input, tmp_path,
                                                                  monkeypatch, caplog) -> None:
    monkeypatch.setattr(templates, "CLEAN_BATCH_ROWS", 40)  # batches cleaned of templates (row groups)
    single = ingest(mixed_input, out=tmp_path / "single", as_of=AS_OF, engine=Engine())
    # small tasks, and one JSONL file too large for a task (read by this process, in its place)
    monkeypatch.setattr(partitioned, "FILES_PER_PARTITION", 7)
    monkeypatch.setattr(partitioned, "BYTES_PER_PARTITION", 20_000)
    caplog.set_level(logging.INFO, logger="mediaprov.engine")
    sizes = [p.stat().st_size for p in (mixed_input / "feeds").glob("*.jsonl")]
    assert min(sizes) <= 20_000 < max(sizes), "the corpus must have JSONL files on both sides"
    options, entries = plan_input(mixed_input)
    runs = list(partitioned._runs([e for e in entries if not e.skipped], options, 7, 20_000))
    assert sum(isinstance(run, list) for run in runs) > 10 and any(
        not isinstance(run, list) for run in runs)
    parallel = ingest(mixed_input, out=tmp_path / "parallel", as_of=AS_OF,
                      engine=Engine(scheduler=cluster.scheduler_address))
    assert replace(single.summary, seconds=0) == replace(parallel.summary, seconds=0)
    assert single.summary.quarantined >= 4 and single.summary.duplicates >= 1, single.summary
    one, two = _tables(tmp_path / "single"), _tables(tmp_path / "parallel")
    for name in TABLES:
        assert len(one[name]), f"{name} is empty: the comparison proves nothing"
        pd.testing.assert_frame_equal(one[name], two[name], obj=name)
    manifests = [json.loads((tmp_path / run / "ingest_manifest.json").read_text())
                 for run in ("single", "parallel")]
    assert manifests[0]["outputs"] == manifests[1]["outputs"], "the same bytes on disk"
    done = [r.getMessage() for r in caplog.records if "of clean_slice done" in r.getMessage()]
    assert done and int(done[0].split()[1]) > 5, f"templates were not cleaned on the workers: {done}"
    assert "failed" not in done[0], done
    warned = [r.getMessage() for r in caplog.records
              if r.levelno >= logging.WARNING and r.name.startswith("mediaprov.ingest")]
    assert not warned, f"work the workers were to do was redone here: {warned}"


def test_a_cluster_that_cannot_see_the_input_leaves_the_reading_to_this_process(
        cluster, tmp_path, monkeypatch, caplog) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text("A Title\n\nA fictional body, read here.\n")
    monkeypatch.setattr(partitioned, "workers_can_read", lambda *args, **kwargs: False)

    def refused(*args, **kwargs):
        raise AssertionError("the workers were asked to read files they cannot see")

    monkeypatch.setattr(partitioned, "iter_partitions", refused)
    caplog.set_level(logging.WARNING, logger="mediaprov.ingest.partitioned")
    result = ingest(root, out=tmp_path / "out", as_of=AS_OF,
                    engine=Engine(scheduler=cluster.scheduler_address))
    assert result.summary.ingested == 1
    assert any("cannot see" in record.getMessage() for record in caplog.records)


def test_the_time_budget_holds_in_a_worker_thread(tmp_path, slow_record) -> None:
    """A Dask worker parses in a thread, where ``SIGALRM`` cannot reach: the watchdog does."""
    slow_record("slow.txt")
    for name, text in (("fast.txt", "Fast\n\nA fictional body.\n"), ("slow.txt", "Slow\n\nForever.\n")):
        (tmp_path / name).write_text(text)
    options, entries = plan_input(tmp_path, record_seconds=0.3)
    settings = partitioned.ParseSettings(options, OutletRegistry.load(), (), AS_OF)
    found: list = []
    worker = threading.Thread(target=lambda: found.extend(
        partitioned.parse_files(entries, settings=settings)[0]), daemon=True)
    started = time.perf_counter()
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "the slow record was not interrupted"
    assert time.perf_counter() - started < 5
    items = {parsed.record.raw_path: parsed.item for parsed in found}
    assert items["slow.txt"] == "parsing took more than 0.3 s (time budget per record)"
    assert items["fast.txt"].title == "Fast"


def test_a_budget_that_ends_near_its_deadline_never_fires_after_it() -> None:
    """A timeout is raised in its block or not at all, never in the code after the block.

    The blocks of a thread end just before, at or after their deadline.
    """
    import random

    outcomes = {"in time": 0, "timed out": 0, "leaked": 0}

    def near_the_deadline() -> None:
        rng = random.Random(7)
        for _ in range(150):
            try:
                try:
                    with record_budget(0.05):
                        _spin(rng.uniform(0.03, 0.12))  # the watchdog looks every 0.05 s at most
                    outcomes["in time"] += 1
                except RecordTimeout:
                    outcomes["timed out"] += 1
                _spin(0.004)  # a timeout cancelled too late would land here
            except RecordTimeout:
                outcomes["leaked"] += 1

    worker = threading.Thread(target=near_the_deadline, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert outcomes["leaked"] == 0, outcomes
    assert outcomes["timed out"] >= 20 and outcomes["in time"] >= 20, "no block near its deadline"


def _spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_a_slow_block_in_a_thread_gets_the_budget_message() -> None:
    caught: list[str] = []

    def slow() -> None:
        try:
            with record_budget(0.2):
                while True:
                    time.sleep(0.01)
        except RecordTimeout as error:
            caught.append(str(error))

    worker = threading.Thread(target=slow, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert caught == ["took more than 0.2 s (time budget per record)"]


def test_a_task_that_fails_is_read_by_this_process(cluster, mixed_input, tmp_path, monkeypatch,
                                                   caplog) -> None:
    """A worker lost or a task that raised: its files are read here, and the tables stand."""
    from mediaprov.engine import iter_partitions

    def failing_every_third(function, tasks, **kwargs):
        for index, result in enumerate(iter_partitions(function, tasks, **kwargs)):
            yield RuntimeError("worker lost") if index % 3 == 0 else result

    single = ingest(mixed_input, out=tmp_path / "single", as_of=AS_OF, engine=Engine())
    monkeypatch.setattr(partitioned, "iter_partitions", failing_every_third)
    monkeypatch.setattr(partitioned, "FILES_PER_PARTITION", 40)
    caplog.set_level(logging.WARNING, logger="mediaprov.ingest.partitioned")
    ingest(mixed_input, out=tmp_path / "parallel", as_of=AS_OF,
           engine=Engine(scheduler=cluster.scheduler_address))
    failed = [r.getMessage() for r in caplog.records if "failed (RuntimeError: worker lost)" in r.getMessage()]
    assert len(failed) >= 5, failed
    assert single.summary.inputs > 0
    one, two = _tables(tmp_path / "single"), _tables(tmp_path / "parallel")
    for name in TABLES:
        pd.testing.assert_frame_equal(one[name], two[name], obj=name)


def test_one_file_given_alone_runs_on_the_workers_too(cluster, mixed_input, tmp_path) -> None:
    source = mixed_input / "feeds" / "daily-meridian.jsonl"
    ingest(source, out=tmp_path / "single", as_of=AS_OF, engine=Engine())
    ingest(source, out=tmp_path / "parallel", as_of=AS_OF, engine=Engine(scheduler=cluster.scheduler_address))
    one, two = _tables(tmp_path / "single"), _tables(tmp_path / "parallel")
    assert len(one["articles"]) > 10
    for name in TABLES:
        pd.testing.assert_frame_equal(one[name], two[name], obj=name)


def test_tasks_hold_whole_many_record_files_and_absolute_paths(tmp_path, monkeypatch) -> None:
    """A file that may hold many records is a task alone, and paths reach workers absolute.

    Alone whatever its name when the format is forced, or when larger than a record may be.
    """
    monkeypatch.chdir(tmp_path)
    folder = Path("in")
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text('{"title": "T", "text": "A fictional body."}\n')
    (folder / "d.txt").write_text("x" * 3_000)
    options, entries = plan_input(folder)
    runs = list(partitioned._runs(entries, options, 500, 1_000_000))
    assert [[e.path.name for e in run] for run in runs] == [["a.txt", "b.txt", "c.txt", "d.txt"]]
    assert all(e.path.is_absolute() for e in runs[0])
    forced, _ = plan_input(folder, format="jsonl")
    assert [[e.path.name for e in run] for run in partitioned._runs(entries, forced, 500, 1_000_000)] \
        == [["a.txt"], ["b.txt"], ["c.txt"], ["d.txt"]]
    small, _ = plan_input(folder, max_record_bytes=1_000)
    runs = list(partitioned._runs(entries, small, 500, 2_000))
    assert [r.path.name if not isinstance(r, list) else [e.path.name for e in r] for r in runs] \
        == [["a.txt", "b.txt", "c.txt"], "d.txt"], "over a record's size: alone; over a task's: here"


def test_no_cluster_is_started_when_no_file_goes_to_the_workers(tmp_path, monkeypatch) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "feed.jsonl").write_text("".join(
        f'{{"title": "T{n}", "text": "A fictional body number {n} of the feed."}}\n' for n in range(20)))
    monkeypatch.setattr(partitioned, "BYTES_PER_PARTITION", 100)  # the feed is read here

    def refused(engine):
        raise AssertionError("a cluster was started for nothing")

    monkeypatch.setattr(mediaprov.engine, "dask_client", refused)  # what every session starts with
    result = ingest(root, out=tmp_path / "out", as_of=AS_OF, engine=Engine(workers=2))
    assert result.summary.ingested == 20


@pytest.fixture(scope="module")
def ingested_once(mixed_input, tmp_path_factory) -> Path:
    """The mixed input ingested in this process (its articles are cleaned again by the tests)."""
    out = tmp_path_factory.mktemp("once") / "out"
    ingest(mixed_input, out=out, as_of=AS_OF, engine=Engine())
    return out


def _cleaned_again(ingested: Path, folder: Path, engine: Engine,
                   batch_size: int = 40) -> tuple[dict, dict[str, bytes]]:
    """``clean_ingested`` run again on a copy of an ingest's articles, in batches of 40 rows."""
    folder.mkdir()
    shutil.copy(ingested / "articles.parquet", folder / "articles.parquet")
    with mediaprov.engine.session(engine):
        figures = templates.clean_ingested(folder, registry=OutletRegistry.load(), batch_size=batch_size,
                                           engine=engine)
    return figures, {name: (folder / f"{name}.parquet").read_bytes()
                     for name in ("articles", "templates", "template_spans")}


def test_workers_that_cannot_open_the_table_clean_the_rows_this_process_sends(
        cluster, ingested_once, tmp_path, monkeypatch, caplog) -> None:
    here = _cleaned_again(ingested_once, tmp_path / "here", Engine())
    assert here[0]["templates"] > 0 and here[0]["blanked_spans"] > 0, "nothing to compare"
    monkeypatch.setattr(templates, "workers_can_read", lambda *args, **kwargs: False)
    sent = []
    read_rows = templates.arrow_rows
    monkeypatch.setattr(templates, "arrow_rows", lambda *args: sent.append(args) or read_rows(*args))
    caplog.set_level(logging.INFO, logger="mediaprov.engine")
    there = _cleaned_again(ingested_once, tmp_path / "there", Engine(scheduler=cluster.scheduler_address))
    assert len(sent) > 5, "this process did not read the rows it sent"
    done = [r.getMessage() for r in caplog.records if "of clean_slice done" in r.getMessage()]
    assert done and "failed" not in done[0], done
    assert here == there


def test_batches_merge_to_what_one_pass_gathers(ingested_once, tmp_path) -> None:
    """The collectors of many batches, merged, give the tables of one collector over every row."""
    one = _cleaned_again(ingested_once, tmp_path / "one", Engine(), batch_size=1_000_000)
    many = _cleaned_again(ingested_once, tmp_path / "many", Engine(), batch_size=7)
    assert one[0] == many[0] and one[0]["templates"] > 0
    for name in ("articles", "templates", "template_spans"):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "one" / f"{name}.parquet"),
                                      pd.read_parquet(tmp_path / "many" / f"{name}.parquet"), obj=name)


def test_workers_that_keep_failing_leave_the_rest_to_this_process(cluster, ingested_once, tmp_path,
                                                                  monkeypatch, caplog) -> None:
    from mediaprov.engine import iter_partitions

    def always_failing(function, batches, **kwargs):
        for _ in iter_partitions(function, batches, **kwargs):
            yield ModuleNotFoundError("No module named 'xxhash'")

    here = _cleaned_again(ingested_once, tmp_path / "here", Engine())
    monkeypatch.setattr(templates, "iter_partitions", always_failing)
    caplog.set_level(logging.WARNING, logger="mediaprov.ingest.templates")
    there = _cleaned_again(ingested_once, tmp_path / "there", Engine(scheduler=cluster.scheduler_address))
    warned = [r.getMessage() for r in caplog.records if r.name == "mediaprov.ingest.templates"]
    assert len(warned) == templates.FAILED_IN_A_ROW, warned
    assert "failed in a row" in warned[-1] and "ModuleNotFoundError" in warned[-1], warned[-1]
    assert here == there


def test_an_error_in_this_process_is_raised_once(ingested_once, tmp_path, monkeypatch) -> None:
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise KeyError("x")

    monkeypatch.setattr(templates, "_clean_rows", broken)
    with pytest.raises(KeyError):
        _cleaned_again(ingested_once, tmp_path / "here", Engine())
    assert len(calls) == 1, "a bug in this process is not a lost worker: no second try"


def test_a_template_task_that_fails_is_cleaned_by_this_process(cluster, ingested_once, tmp_path,
                                                               monkeypatch, caplog) -> None:
    from mediaprov.engine import iter_partitions

    def failing_every_other(function, batches, **kwargs):
        for index, result in enumerate(iter_partitions(function, batches, **kwargs)):
            yield RuntimeError("worker lost") if index % 2 else result

    here = _cleaned_again(ingested_once, tmp_path / "here", Engine())
    monkeypatch.setattr(templates, "iter_partitions", failing_every_other)
    caplog.set_level(logging.WARNING, logger="mediaprov.ingest.templates")
    there = _cleaned_again(ingested_once, tmp_path / "there", Engine(scheduler=cluster.scheduler_address))
    failed = [r.getMessage() for r in caplog.records if "failed (RuntimeError: worker lost)" in r.getMessage()]
    assert len(failed) >= 3, failed
    assert here == there


def test_template_keys_are_the_same_in_every_process() -> None:
    """Keys learnt here must find the same units on a worker (Python's own str hash is salted)."""
    code = ("from mediaprov.ingest.template_units import _article_keys; "
            "print(sorted(_article_keys('Sign up now. Read the news today.\\nReplay More Videos')))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert len(runs) == 1, runs
