"""The Dask engine: same tables in-process and on a 2-worker local cluster; no Dask by default.

The identity test builds a 300-article demo corpus (``mediaprov demo --articles 300``), ingests
it, then runs ``features``, ``reuse`` and ``stories`` twice on copies of the processed folder: in
this process, and on a ``LocalCluster`` of 2 worker processes (features and stories through
``scheduler=``, reuse through the ``MEDIAPROV_SCHEDULER`` variable). Every table either stage writes must be equal
(``pd.testing.assert_frame_equal`` after sorting), and each stage must really have been cut into
several partitions.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mediaprov import engine as engine_module
from mediaprov.engine import SCHEDULER_ENV, Engine, map_partitions, partition_bounds

STAGE_TABLES = {
    "features": ("mentions", "quotes", "citations", "ambiguous_mentions"),
    "reuse": ("reuse", "reuse_common_sources", "reuse_coordination"),
    "stories": ("stories",),  # the texts counted for event grouping on the workers
}


def test_resolve_reads_the_arguments_then_the_environment() -> None:
    assert not Engine.resolve(environ={}).parallel
    assert Engine.resolve(2, environ={}) == Engine(workers=2)
    assert Engine.resolve(environ={SCHEDULER_ENV: "tcp://h:1"}) == Engine(scheduler="tcp://h:1")
    assert Engine.resolve(3, environ={SCHEDULER_ENV: "tcp://h:1"}) == Engine(workers=3)
    assert Engine.resolve(scheduler="tcp://x:2", environ={SCHEDULER_ENV: "tcp://h:1"}).scheduler == "tcp://x:2"
    with pytest.raises(ValueError, match="at least 1"):
        Engine.resolve(0)


def test_partitions_cover_every_item_in_order() -> None:
    for n in (0, 1, 7, 100, 1001):
        for parts in (1, 3, 8):
            bounds = partition_bounds(n, parts)
            assert [i for a, b in bounds for i in range(a, b)] == list(range(n))
            assert all(b > a for a, b in bounds)
    assert Engine().partitions(10_000) == [(0, 10_000)]
    assert len(Engine(workers=2).partitions(10_000)) == 8


def test_partitions_cut_finer_for_memory_are_a_multiple_of_the_workers() -> None:
    from mediaprov.features import _MOST_ARTICLES, _slices

    alone, two = _slices(Engine(), 100_129), _slices(Engine(workers=2), 100_129)
    assert len(alone) == 11  # as few as the memory bound allows
    assert len(two) == 12  # 11 would leave one worker idle through the last round
    for bounds in (alone, two):
        assert [i for a, b in bounds for i in range(a, b)] == list(range(100_129))
        assert max(b - a for a, b in bounds) <= _MOST_ARTICLES
    assert len(_slices(Engine(workers=3), 100_129)) == 12  # 4 per worker already bound the size
    assert [Engine(workers=2).balanced(n) for n in (0, 1, 2, 3)] == [2, 2, 2, 4]
    assert Engine(scheduler="tcp://h:1").balanced(5) == 5  # outside a session: workers unknown


def test_in_process_runs_never_import_dask() -> None:
    code = ("import sys; import pandas as pd; from mediaprov.reuse import find_reuse\n"
            "from mediaprov.reuse import synthetic_corpus; from mediaprov.features import extract_features\n"
            "articles, _ = synthetic_corpus(30, seed=1); find_reuse(articles)\n"
            "extract_features(pd.DataFrame({'article_id': ['a'], 'text': ['Petra Halloran said so.']}))\n"
            "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))")
    env = {k: v for k, v in __import__("os").environ.items() if k != SCHEDULER_ENV}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_map_partitions_in_process_keeps_order() -> None:
    assert map_partitions(partition_bounds, [5, 2, 0], engine=Engine(), shared={"n_parts": 2}) == \
        [[(0, 3), (3, 5)], [(0, 1), (1, 2)], []]


@pytest.fixture(scope="module")
def demo_processed(tmp_path_factory) -> Path:
    from mediaprov import demo
    from mediaprov.ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("engine")
    demo.generate(root / "raw" / "demo", articles=300)
    return ingest(root / "raw" / "demo", out=root / "processed" / "demo", corpus="demo").out_dir


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("distributed", reason="needs the [parallel] extra")
    from mediaprov.engine import local_cluster

    with local_cluster(2) as local:  # the cluster `--workers 2` starts
        yield local


def _sorted(table: pd.DataFrame) -> pd.DataFrame:
    """Sorted on every column that holds scalars (object columns hold lists, e.g. passages)."""
    keys = [c for c in table.columns if table[c].dtype != object]
    return table.sort_values(keys, kind="stable").reset_index(drop=True)


def test_two_workers_write_the_same_tables_as_one_process(demo_processed, cluster, tmp_path,
                                                           monkeypatch, caplog) -> None:
    from mediaprov.features import run_features
    from mediaprov.narratives import articleterms
    from mediaprov.reuse import run_reuse
    from mediaprov.stories import run_stories

    monkeypatch.setattr(articleterms, "_DOCUMENTS_PER_CHUNK", 70)  # texts counted in 5 slices or more
    single, parallel = tmp_path / "single" / "demo", tmp_path / "parallel" / "demo"
    for folder in (single, parallel):
        shutil.copytree(demo_processed, folder)
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    run_features(single)
    run_reuse(single)
    run_stories(single)
    caplog.set_level(logging.INFO, logger="mediaprov.engine")
    run_features(parallel, scheduler=cluster.scheduler_address)
    monkeypatch.setenv(SCHEDULER_ENV, cluster.scheduler_address)  # reuse finds the cluster itself
    run_reuse(parallel)
    monkeypatch.delenv(SCHEDULER_ENV)
    run_stories(parallel, scheduler=cluster.scheduler_address)
    done = [r.getMessage() for r in caplog.records
            if re.match(r"dask: \d+ partitions? of ", r.getMessage())]
    assert any("_feature_tables" in m and "streamed" in m for m in done) and any("verify_pairs" in m for m in done), done
    assert any("pairs_similarity" in m for m in done), done  # scored where the sets are
    assert any("count_slice" in m and "streamed" in m for m in done), done
    assert all(int(m.split()[1]) > 1 for m in done), f"each stage should be cut in several: {done}"
    for stage, tables in STAGE_TABLES.items():
        for name in tables:
            one = pd.read_parquet(single / f"{name}.parquet")
            two = pd.read_parquet(parallel / f"{name}.parquet")
            assert len(one), f"{stage}: {name} is empty on the demo corpus; the test proves nothing"
            pd.testing.assert_frame_equal(_sorted(one), _sorted(two), obj=f"{stage}: {name}")


def _pair_and_total(part: list[int]) -> tuple[list[int], int]:
    """A partition's items and their sum (module level: workers import it by name)."""
    return part, sum(part)


def _total(kept: tuple[list[int], int], *, plus: int) -> int:
    """The sum a kept result carries, plus a shared value."""
    return kept[1] + plus


def test_kept_results_stay_on_the_workers_and_feed_the_next_step(cluster) -> None:
    from distributed import Future

    from mediaprov.engine import session

    engine = Engine(scheduler=cluster.scheduler_address)
    parts = [[1, 2], [3], [4, 5, 6]]
    with pytest.raises(ValueError, match="session"):
        map_partitions(_pair_and_total, parts, engine=engine, keep=True)
    with session(engine):
        kept = map_partitions(_pair_and_total, parts, engine=engine, keep=True)
        assert all(isinstance(handle, Future) for handle in kept)
        on_workers = map_partitions(_total, kept, engine=engine, shared={"plus": 10})
    in_process = map_partitions(_total, map_partitions(_pair_and_total, parts, engine=Engine(),
                                                       keep=True),
                                engine=Engine(), shared={"plus": 10})
    assert on_workers == in_process == [13, 13, 25]


def _sum_of_totals(kept: list[tuple[list[int], int]]) -> int:
    """The sum of several kept results' totals (a task on the results of several partitions)."""
    return sum(total for _, total in kept)


def _same(part: object) -> object:
    """The partition itself (to keep data on the workers)."""
    return part


def test_partitions_holding_handles_get_the_data_they_stand_for(cluster) -> None:
    from mediaprov.engine import session

    engine = Engine(scheduler=cluster.scheduler_address)
    parts = [[1, 2], [3], [4, 5, 6]]
    with session(engine):
        kept = map_partitions(_pair_and_total, parts, engine=engine, keep=True)
        assert map_partitions(_sum_of_totals, [kept[:2], [kept[2]], list(kept)],
                              engine=engine) == [6, 15, 21]


def test_a_stream_of_kept_results_runs_where_they_are_in_order(cluster) -> None:
    from mediaprov.engine import collect, session

    engine = Engine(scheduler=cluster.scheduler_address)
    parts = [[n, n + 1] for n in range(0, 40, 2)]
    with session(engine):
        kept = map_partitions(_pair_and_total, parts, engine=engine, keep=True)
        streamed = map_partitions(_sum_of_totals, ([handle] for handle in kept), engine=engine)
        twice = map_partitions(_sum_of_totals, ([handle, handle] for handle in kept),
                               engine=engine, keep=True)
        assert collect(twice, engine=engine) == [2 * sum(part) for part in parts]
    assert streamed == [sum(part) for part in parts]


def test_vocabulary_merged_on_the_workers_gives_the_columns_of_one_merge(cluster) -> None:
    from mediaprov.engine import session
    from mediaprov.reuse.content import assemble_sets, corpus_columns, renumbered
    from mediaprov.reuse.minhash import shingle_sets

    rng = np.random.default_rng(5)
    pool = rng.integers(0, np.iinfo(np.uint64).max, 3000, dtype=np.uint64)
    parts = []
    for size in (400, 0, 900, 50, 1200):  # shared shingles: partitions' vocabularies overlap
        hashes = rng.choice(pool, size)
        sets, values = shingle_sets(hashes, np.sort(rng.integers(0, 7, size)), 7)
        parts.append((sets, values, np.zeros(0, np.uint64)))
    values = np.unique(np.concatenate([part[1] for part in parts]))  # the one-merge vocabulary
    engine = Engine(scheduler=cluster.scheduler_address)
    with session(engine):
        kept = map_partitions(_same, parts, engine=engine, keep=True)
        found = corpus_columns(kept, engine=engine, more_than=2)
        columns = map_partitions(_same, found.maps, engine=engine)
    assert found.n_values == len(values) > 1000
    sets = assemble_sets([renumbered(located, n_values=len(values))
                          for located in zip(parts, columns, strict=True)],
                         [np.arange(7) + 7 * index for index in range(len(parts))],
                         7 * len(parts), len(values))
    frequency = np.bincount(sets.indices, minlength=len(values))
    assert np.array_equal(found.frequent, np.flatnonzero(frequency > 2))
    assert len(found.frequent) > 0
    assert len(engine.partitions(1 << 16)) > 1, "the merge must be cut into several ranges"
    for part, found in zip(parts, columns, strict=True):
        assert np.array_equal(found, np.searchsorted(values, part[1]))


def _tagged(part: int) -> tuple[int, int]:
    """A partition and its square (module level: workers import it by name)."""
    return part, part * part


def test_a_stream_of_partitions_is_read_as_it_is_sent_and_comes_back_in_order(cluster) -> None:
    engine = Engine(scheduler=cluster.scheduler_address)
    read: list[int] = []

    def partitions():
        for part in range(25):
            read.append(part)
            yield part

    stream = partitions()
    results = map_partitions(_tagged, stream, engine=engine)
    assert results == [(part, part * part) for part in range(25)]
    assert read == list(range(25)), "every partition is read once, in order"
    assert engine_module.IN_FLIGHT_PER_WORKER * 2 < 25, "the stream must be longer than its window"
    assert map_partitions(_tagged, iter([]), engine=engine) == []


def test_an_inline_stream_puts_each_partition_in_its_task(cluster, monkeypatch) -> None:
    """Small partitions (file names, row bounds) are not sent ahead one round trip each."""
    from mediaprov.engine import iter_partitions, session

    engine = Engine(scheduler=cluster.scheduler_address)
    with session(engine):
        client = engine_module._CLIENT.get()
        scattered: list[object] = []
        real_scatter = client.scatter
        monkeypatch.setattr(client, "scatter", lambda data, **kw: scattered.append(data) or real_scatter(data, **kw))
        inline = list(iter_partitions(_tagged, range(9), engine=engine, inline=True))
        assert not scattered, "an inline partition was scattered"
        sent = list(iter_partitions(_tagged, range(9), engine=engine))
        assert len(scattered) == 9, "the default sends each partition ahead"
    assert inline == sent == [(part, part * part) for part in range(9)]


def test_a_stream_goes_on_while_the_caller_holds_a_result(cluster) -> None:
    """The workers are sent more partitions while the caller works on one, up to a bound."""
    import time

    from mediaprov.engine import iter_partitions, session

    engine = Engine(scheduler=cluster.scheduler_address)
    read: list[int] = []

    def partitions():
        for part in range(60):
            read.append(part)
            yield part

    window = engine_module.IN_FLIGHT_PER_WORKER * 2  # the cluster has 2 workers
    with session(engine):
        stream = iter_partitions(_tagged, partitions(), engine=engine, ahead_per_worker=5)
        assert next(stream) == (0, 0)
        time.sleep(1.0)  # the caller is slow: the partitions sent are all done meanwhile
        assert next(stream) == (1, 1)
        assert window + 2 <= len(read) <= 2 + window + 5 * 2, read
        assert [result for result in stream] == [(part, part * part) for part in range(2, 60)]
    assert read == list(range(60))


def test_the_log_counts_partitions_in_words_that_agree(cluster, caplog) -> None:
    engine = Engine(scheduler=cluster.scheduler_address)
    caplog.set_level(logging.INFO, logger="mediaprov.engine")
    map_partitions(_tagged, [3], engine=engine)
    map_partitions(_tagged, iter([1]), engine=engine)
    map_partitions(_tagged, [1, 2], engine=engine)
    done = [r.getMessage() for r in caplog.records if " done" in r.getMessage()]
    assert done == ["dask: 1 partition of _tagged done", "dask: 1 partition of _tagged done "
                    "(streamed)", "dask: 2 partitions of _tagged done"], done


def test_placed_data_reaches_tasks_through_handles(cluster) -> None:
    from distributed import Future

    from mediaprov.engine import place, session

    assert place([[1, 2]], engine=Engine()) == [[1, 2]]  # in-process: the items themselves
    engine = Engine(scheduler=cluster.scheduler_address)
    with pytest.raises(ValueError, match="session"):
        place([[1]], engine=engine)
    with session(engine):
        kept = map_partitions(_pair_and_total, [[1, 2], [3]], engine=engine, keep=True)
        placed = place([[10], [20, 30]], engine=engine)
        assert all(isinstance(handle, Future) for handle in placed)
        both = map_partitions(_same, list(zip(kept, placed, strict=True)), engine=engine)
    assert both == [(([1, 2], 3), [10]), (([3], 3), [20, 30])]


def _gated(part: int, *, gate: str) -> int:
    """The partition, once the test opens the gate (the Dask event named ``gate``)."""
    from distributed import Event

    Event(gate).wait(timeout=60)
    return part


def test_a_kept_stream_waits_for_its_window_before_reading_more(cluster) -> None:
    import threading
    import time

    from distributed import Event

    from mediaprov import engine as engine_module
    from mediaprov.engine import collect, session

    engine = Engine(scheduler=cluster.scheduler_address)
    window = engine_module.IN_FLIGHT_PER_WORKER * 2  # 2 workers
    read_at: list[float] = []

    def partitions():
        for part in range(window + 2):
            read_at.append(time.monotonic())
            yield part

    name = f"mediaprov-test-gate-{uuid.uuid4().hex}"  # a fresh gate, closed, for every run
    with session(engine):
        gate = Event(name)
        opener = threading.Timer(8.0, gate.set)  # no task can finish before
        start = time.monotonic()
        opener.start()
        try:
            kept = map_partitions(_gated, partitions(), engine=engine, keep=True,
                                  shared={"gate": name})
            assert collect(kept, engine=engine) == list(range(window + 2))
        finally:
            opener.join()
    # the first `window` partitions are read at once; the next only once a task has finished
    assert read_at[window - 1] - start < 7.0, "the window's partitions are sent without waiting"
    assert read_at[window] - start >= 7.9, "a partition past the window was read before any finished"


def test_reuse_on_workers_reads_no_text_in_this_process(demo_processed, cluster, tmp_path,
                                                        monkeypatch) -> None:
    from mediaprov.reuse import pairs, run_reuse

    single, parallel = tmp_path / "single" / "demo", tmp_path / "parallel" / "demo"
    for folder in (single, parallel):
        shutil.copytree(demo_processed, folder)
    run_reuse(single)

    def refused(*args, **kwargs):
        raise AssertionError("the calling process read or cut the texts")

    for name in ("read_analysis_articles", "arrow_texts", "take_texts", "text_partition"):
        monkeypatch.setattr(pairs, name, refused)
    run_reuse(parallel, scheduler=cluster.scheduler_address)  # the workers read articles.parquet
    for name in STAGE_TABLES["reuse"]:
        one = pd.read_parquet(single / f"{name}.parquet")
        assert len(one), f"{name} is empty on the demo corpus; the test proves nothing"
        pd.testing.assert_frame_equal(one, pd.read_parquet(parallel / f"{name}.parquet"))


def test_a_cluster_that_cannot_open_the_file_gets_the_texts_from_this_process(
        cluster, tmp_path, monkeypatch) -> None:
    from mediaprov.reuse import find_reuse, pairs, synthetic_corpus

    engine = Engine(scheduler=cluster.scheduler_address)  # attached by address: the workers asked
    articles, _ = synthetic_corpus(120, seed=4)
    path = tmp_path / "articles.parquet"
    articles.assign(clean_text=None).to_parquet(path)
    assert engine_module.workers_can_read(path, engine=engine)
    assert not engine_module.workers_can_read(tmp_path / "elsewhere.parquet", engine=engine)

    def refused(*args, **kwargs):
        raise AssertionError("the workers were asked to read a file they cannot open")

    monkeypatch.setattr(pairs, "workers_can_read", lambda *args, **kwargs: False)
    monkeypatch.setattr(pairs, "target_pieces", refused)
    found = find_reuse(articles.drop(columns=["text"]), engine=engine, text_file=path)
    assert len(found) > 5
    pd.testing.assert_frame_equal(find_reuse(articles, engine=Engine()), found)


def test_reuse_on_workers_never_assembles_the_corpus_sets(cluster, monkeypatch) -> None:
    from mediaprov.reuse import find_reuse, pairs, synthetic_corpus

    articles, _ = synthetic_corpus(120, seed=4)
    one = find_reuse(articles, engine=Engine())

    def refused(*args, **kwargs):
        raise AssertionError("the calling process gathered every partition's shingle sets")

    monkeypatch.setattr(pairs, "assemble_sets", refused)
    two = find_reuse(articles, engine=Engine(scheduler=cluster.scheduler_address))
    assert len(one) > 5
    pd.testing.assert_frame_equal(one, two)
