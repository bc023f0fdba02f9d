"""Where a stage's partitions run: in this process (default), a local Dask cluster, or any cluster.

A stage that maps one function over independent partitions (features over slices of articles,
reuse's pair verification over slices of candidate pairs) asks :func:`map_partitions` to run it.
Without workers or a scheduler that is a plain loop in this process: Dask is not imported, so
small corpora (``make demo``) pay nothing for it. With ``workers=N`` a
``dask.distributed.LocalCluster`` of ``N`` worker processes (one thread each) is started for the
call; with ``scheduler="tcp://host:port"`` (or the ``MEDIAPROV_SCHEDULER`` environment variable)
the call attaches to a cluster that is already running (an HPC allocation made through
dask-jobqueue, a Kubernetes deployment...). Results come back in partition order, so a stage that
concatenates them gets the same tables whichever way it ran; the engine is not a parameter of any
table (:mod:`mediaprov.workflow` leaves it out of provenance). ``keep=True`` leaves results on the
workers, and a later step given them runs there: reuse keeps each partition's shingle sets where
they were made and brings back only what it merges.

Dask and distributed are the optional extra ``mediaprov[parallel]``.

Example:
    >>> engine = Engine.resolve()
    >>> engine.parallel
    False
    >>> map_partitions(sum, [[1, 2], [3]], engine=engine)
    [3, 3]
    >>> partition_bounds(5, 2)
    [(0, 3), (3, 5)]
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from mediaprov.clusters import dask_client, local_cluster  # noqa: F401 - re-exported: the engine API

SCHEDULER_ENV = "MEDIAPROV_SCHEDULER"
"""Environment variable naming a Dask scheduler address to attach to (``tcp://host:port``)."""

PARTITIONS_PER_WORKER = 4
"""Partitions made per worker: more than one, so a slow partition does not leave a worker idle."""

_LOG = logging.getLogger(__name__)
_CLIENT: contextvars.ContextVar[Any] = contextvars.ContextVar("mediaprov_dask_client", default=None)
_T = TypeVar("_T")
_R = TypeVar("_R")


@dataclass(frozen=True)
class Engine:
    """How a stage runs its partitions.

    Attributes:
        workers: worker processes of a local cluster started for the run; ``None``: none.
        scheduler: address of a running Dask scheduler to attach to; ``None``: none. When both
            are given the scheduler wins (the cluster is already sized).
    """

    workers: int | None = None
    scheduler: str | None = None

    @classmethod
    def resolve(cls, workers: int | None = None, scheduler: str | None = None, *,
                environ: Mapping[str, str] | None = None) -> Engine:
        """The engine for a run: the arguments, else ``MEDIAPROV_SCHEDULER``, else in-process.

        Args:
            workers: local worker processes (``--workers``); 0 or 1 still starts a cluster when
                positive, so a 1-worker cluster can be timed against a 2-worker one.
            scheduler: scheduler address (``--scheduler``).
            environ: the environment to read (default ``os.environ``).

        Returns:
            An :class:`Engine`.

        Raises:
            ValueError: ``workers`` is negative or zero.

        Example:
            >>> Engine.resolve(environ={"MEDIAPROV_SCHEDULER": "tcp://10.0.0.5:8786"}).scheduler
            'tcp://10.0.0.5:8786'
            >>> Engine.resolve(2, environ={}).workers, Engine.resolve(environ={}).parallel
            (2, False)
        """
        if workers is not None and workers < 1:
            raise ValueError(f"--workers must be at least 1 (got {workers}); leave it out to run "
                             "in this process")
        environ = os.environ if environ is None else environ
        if scheduler is None and workers is None:
            scheduler = environ.get(SCHEDULER_ENV) or None
        return cls(workers=None if scheduler else workers, scheduler=scheduler)

    @property
    def parallel(self) -> bool:
        """True when partitions run on Dask workers rather than in this process.

        Example:
            >>> Engine(workers=2).parallel, Engine().parallel
            (True, False)
        """
        return self.workers is not None or self.scheduler is not None

    @property
    def threads(self) -> int:
        """Threads a step that stays in this process may use: a local cluster's workers, else 1.

        ``--workers N`` asks for N cores of this machine, so a step of this process's own (the
        undated match of same-event grouping, after the cluster that counted the texts has
        stopped) may use N threads. Attached to a scheduler, this process may share its machine
        (a login node): one thread.

        Example:
            >>> Engine(workers=2).threads, Engine(scheduler="tcp://10.0.0.5:8786").threads, Engine().threads
            (2, 1, 1)
            >>> Engine(workers=2, scheduler="tcp://10.0.0.5:8786").threads  # the scheduler wins
            1
        """
        return 1 if self.scheduler else self.workers or 1

    def balanced(self, n_parts: int) -> int:
        """The number of partitions to cut into when at least ``n_parts`` are needed.

        On a cluster, ``n_parts`` rounded up to a multiple of its workers, so the last round of
        tasks keeps every worker busy: 11 partitions of the same size on 2 workers take the time
        of 6 on one, while 12 smaller ones take that of 6 smaller ones (features at 100,000
        articles: a tenth of the stage's time). In-process, or when the workers are not known
        (attached to a scheduler outside a :func:`session`), ``n_parts`` unchanged.

        Args:
            n_parts: the fewest partitions wanted (for example to bound each one's memory).

        Returns:
            ``n_parts`` or the next multiple of the worker count (at least 1).

        Example:
            >>> Engine(workers=2).balanced(11), Engine(workers=3).balanced(7), Engine().balanced(11)
            (12, 9, 11)
        """
        n_parts = max(1, n_parts)
        if not self.parallel:
            return n_parts
        workers = self.workers or _session_workers() or 1
        return -(-n_parts // workers) * workers

    def partitions(self, n_items: int, *, least: int = 1,
                   per_worker: int = PARTITIONS_PER_WORKER) -> list[tuple[int, int]]:
        """Cut ``n_items`` into contiguous ``(start, stop)`` slices for this engine.

        In-process: one slice (the single-process code path is the one-partition case of the
        parallel one). On a cluster: ``per_worker`` slices per worker (the workers of the open
        :func:`session`'s cluster when the engine names a scheduler; 8 when unknown), each of at
        least ``least`` items.

        Args:
            n_items: items to cut (articles, candidate pairs...).
            least: fewest items worth a partition (task overhead is a few milliseconds).
            per_worker: slices per worker: more balance the load, fewer repeat less of the
                work a partition shares with the others.

        Returns:
            The slices, in order, covering ``range(n_items)``.

        Example:
            >>> Engine().partitions(10), Engine(workers=2).partitions(10, least=3)
            ([(0, 10)], [(0, 4), (4, 7), (7, 10)])
            >>> Engine(workers=2).partitions(10, per_worker=1)
            [(0, 5), (5, 10)]
        """
        if not self.parallel:
            return [(0, n_items)] if n_items else []
        wanted = per_worker * (self.workers or _session_workers() or 8)
        return partition_bounds(n_items, max(1, min(wanted, n_items // max(least, 1))))


def _session_workers() -> int | None:
    """Workers of the open session's cluster (None outside a session)."""
    client = _CLIENT.get()
    return len(client.scheduler_info().get("workers", {})) or None if client is not None else None


def partition_bounds(n_items: int, n_parts: int) -> list[tuple[int, int]]:
    """Cut ``range(n_items)`` into ``n_parts`` contiguous slices of near-equal size.

    Args:
        n_items: number of items.
        n_parts: number of slices wanted (fewer when there are fewer items).

    Returns:
        ``(start, stop)`` pairs, in order, the first ones one item longer when it does not divide.

    Example:
        >>> partition_bounds(7, 3), partition_bounds(0, 3), partition_bounds(2, 5)
        ([(0, 3), (3, 5), (5, 7)], [], [(0, 1), (1, 2)])
    """
    n_parts = max(1, min(n_parts, n_items))
    if n_items == 0:
        return []
    size, extra = divmod(n_items, n_parts)
    bounds, start = [], 0
    for part in range(n_parts):
        stop = start + size + (1 if part < extra else 0)
        bounds.append((start, stop))
        start = stop
    return bounds


@contextlib.contextmanager
def session(engine: Engine) -> Iterator[Engine]:
    """Keep one Dask client (and local cluster) open for every :func:`map_partitions` inside.

    A stage that maps several steps (reuse: shingles, signatures, verification) starts its local
    cluster once instead of once per step. In-process engines, and sessions inside a session,
    do nothing.

    Args:
        engine: the run's engine.

    Yields:
        The same engine.

    Example:
        >>> with session(Engine()) as engine:
        ...     map_partitions(len, ["ab", "c"], engine=engine)
        [2, 1]
    """
    if not engine.parallel or _CLIENT.get() is not None:
        yield engine
        return
    with dask_client(engine) as client:
        token = _CLIENT.set(client)
        try:
            yield engine
        finally:
            _CLIENT.reset(token)


def map_partitions(function: Callable[..., _R], partitions: Iterable[Any], *,
                   engine: Engine | None = None, shared: dict[str, Any] | None = None,
                   keep: bool = False) -> list[Any]:
    """Apply ``function(partition, **shared)`` to every partition, results in partition order.

    In-process engines run a plain loop over the partitions as they come (a generator is never
    held whole; no Dask import). Parallel engines send ``shared`` (the arguments every partition
    needs, e.g. a compiled gazetteer) to each worker once, then one task per partition; tasks
    run in any order, results come back in partition order. Inside a :func:`session` the
    session's client is used, else one is opened for the call.

    With ``keep=True`` a parallel engine leaves the results on the workers and returns handles
    to them (Dask futures); passing those handles as the partitions of a later call runs it
    where the data is, without bringing it to this process. A step that needs only part of a
    result (a partition's vocabulary, not its shingle sets) gathers just that part. In-process,
    ``keep`` changes nothing: results are the handles.

    Args:
        function: a module-level function (workers import it by name).
        partitions: the partitions, each picklable, or handles from a ``keep=True`` call, or
            tuples or lists holding handles (a kept partition with another step's result on
            it, or the results of several partitions): each task gets the data they stand for.
        engine: where to run (default :meth:`Engine.resolve` with no arguments, i.e. the
            ``MEDIAPROV_SCHEDULER`` variable or in-process).
        shared: keyword arguments given to every call.
        keep: leave the results on the workers (needs an open :func:`session`).

    Returns:
        One result (or handle) per partition, in order.

    Raises:
        ValueError: ``keep`` on a parallel engine outside a :func:`session` (the results would
            be lost with the cluster).

    Example:
        >>> def scaled(part, *, factor):
        ...     return [x * factor for x in part]
        >>> map_partitions(scaled, [[1], [2, 3]], shared={"factor": 10})
        [[10], [20, 30]]
        >>> kept = map_partitions(scaled, [[1]], shared={"factor": 2}, keep=True)
        >>> map_partitions(len, kept)
        [1]
    """
    engine = engine if engine is not None else Engine.resolve()
    shared = dict(shared or {})
    if not engine.parallel:
        return list(iter_partitions(function, partitions, engine=engine, shared=shared))
    if keep and _CLIENT.get() is None:
        raise ValueError("map_partitions(keep=True) on a cluster needs an open session(engine): "
                         "the results stay on its workers")
    if not isinstance(partitions, (list, tuple)):
        return _stream_partitions(function, partitions, engine=engine, shared=shared, keep=keep)
    partitions = list(partitions)
    if not partitions:
        return []
    from distributed import Future

    with session(engine):
        client = _CLIENT.get()
        sent = _send_shared(client, shared)
        if all(_holds_handles(partition, Future) for partition in partitions):
            parts = partitions  # kept results: the tasks run where they are
        else:
            parts = client.scatter(partitions, hash=False)  # sent once, not in the graph
        futures = client.map(function, parts, pure=False, **sent)
        if keep:
            return list(futures)
        results = client.gather(futures)
        del parts, futures, sent  # release the workers' copies
    _log_done(len(partitions), function)
    return list(results)


def collect(results: list[Any], *, engine: Engine | None = None) -> list[Any]:
    """The data of results kept on the workers (``map_partitions(..., keep=True)``), here.

    Gathering kept results runs no new task, so it does not queue behind tasks sent since:
    the caller can send the next step first and collect an earlier one while it runs.

    Example:
        >>> collect(map_partitions(sorted, [[2, 1]], keep=True))
        [[1, 2]]
    """
    engine = engine if engine is not None else Engine.resolve()
    if not engine.parallel:
        return list(results)
    return list(_session_client("collect()", "the results were kept in").gather(list(results)))


def place(items: list[Any], *, engine: Engine | None = None) -> list[Any]:
    """Send plain data to the workers once and return handles to it (in-process: the items).

    A partition that holds handles to kept results runs where they are, and anything else it
    holds is written into the task graph (through the scheduler: Dask warns when that is
    large). Placing the rest first makes the whole partition handles.

    Args:
        items: the data, one handle per item (each is sent to one worker, not broadcast).
        engine: where to send it (default :meth:`Engine.resolve`).

    Returns:
        Dask futures on a cluster, in the order of ``items``; in-process, the items.

    Raises:
        ValueError: a parallel engine outside a :func:`session` (the data would be lost).

    Example:
        >>> place([[1, 2]])
        [[1, 2]]
    """
    engine = engine if engine is not None else Engine.resolve()
    if not engine.parallel:
        return list(items)
    client = _session_client("place()", "the data is sent in")
    return list(client.scatter(list(items), hash=False)) if items else []


def on_every_worker(function: Callable[..., _R], *args: Any, engine: Engine) -> list[_R]:
    """``function(*args)`` once on every worker of the engine's cluster; in-process, once here.

    For what the workers share with this process or not (a file system, a package version).

    Args:
        function: a module-level function (or a builtin).
        *args: its arguments.
        engine: the run's engine (a session is opened for the call when none is).

    Returns:
        One result per worker.

    Example:
        >>> on_every_worker(len, "abc", engine=Engine())
        [3]
    """
    if not engine.parallel:
        return [function(*args)]
    with session(engine):
        return list(_session_client("on_every_worker", "open").run(function, *args).values())


def workers_can_read(path: Path | str, *, engine: Engine) -> bool:
    """True when every worker of a parallel engine can see ``path`` (a file or a folder).

    A local cluster can; a cluster attached by address is asked (it may not share this process's
    file system). False in-process (there are no workers).

    Args:
        path: the file or folder the workers would read.
        engine: the run's engine.

    Returns:
        Whether a step may hand the workers the path instead of the data.

    Example:
        >>> workers_can_read("articles.parquet", engine=Engine())
        False
    """
    if not engine.parallel:
        return False
    if not engine.scheduler:
        return True
    return all(on_every_worker(os.path.exists, str(Path(path).resolve()), engine=engine))


def _log_done(count: int, function: Callable[..., Any], how: str = "") -> None:
    """Log that ``count`` partitions of ``function`` are done ("1 partition", "2 partitions")."""
    _LOG.info("dask: %d partition%s of %s done%s", count, "" if count == 1 else "s",
              getattr(function, "__name__", function), how)


def _session_client(caller: str, purpose: str) -> Any:
    """The open :func:`session`'s Dask client; a ValueError naming ``caller`` when none is open."""
    client = _CLIENT.get()
    if client is None:
        raise ValueError(f"{caller} on a cluster needs the session(engine) {purpose}")
    return client


def _holds_handles(partition: Any, future_type: type) -> bool:
    """True for a handle, or a tuple or list holding one (at any depth): Dask passes the data."""
    if isinstance(partition, future_type):
        return True
    return isinstance(partition, (tuple, list)) and any(
        _holds_handles(item, future_type) for item in partition)


def _send_shared(client: Any, shared: dict[str, Any]) -> dict[str, Any]:
    """Send every worker the arguments all partitions share, once; return their handles."""
    # scatter([value]): a bare dict or list would be scattered item by item
    # hash=False: random keys, no hashing of (large) data to name it
    return {name: client.scatter([value], broadcast=True, hash=False)[0]
            for name, value in shared.items()}


IN_FLIGHT_PER_WORKER = 2
"""Partitions of a stream sent ahead per worker: one running, one waiting."""


def iter_partitions(function: Callable[..., _R], partitions: Iterable[Any], *,
                    engine: Engine | None = None, shared: dict[str, Any] | None = None,
                    ahead_per_worker: int = IN_FLIGHT_PER_WORKER, errors: bool = False,
                    inline: bool = False) -> Generator[Any, None, None]:
    """:func:`map_partitions` one result at a time, handed on before the next is kept.

    Each result is yielded, in partition order, as soon as it and the ones before it are done,
    and this process keeps none of them.

    A stage whose results are large together (a million articles' mentions) hands each on (to
    disk: :class:`mediaprov.spool.RangeSpool`) before the next comes. Partitions are read from
    ``partitions`` only as they are sent (see :func:`map_partitions`). On a cluster it runs
    inside an open :func:`session` (the generator may be left suspended between results, so it
    does not open and close a cluster of its own).

    Args:
        function: a module-level function.
        partitions: the partitions (an iterator is read lazily).
        engine: where to run (default :meth:`Engine.resolve`).
        shared: keyword arguments given to every call.
        ahead_per_worker: results per worker that may wait, done, for a slow caller (besides
            :data:`IN_FLIGHT_PER_WORKER` per worker running or queued), held on the workers.
        errors: yield the exception of a partition whose call failed in place of its result
            (the stream goes on), instead of raising it.
        inline: the partitions are small (file names, row bounds): each goes in its task
            instead of being sent to a worker first (a round trip per partition).

    Yields:
        One result per partition, in order.

    Raises:
        ValueError: a parallel engine outside a :func:`session`, or ``ahead_per_worker < 0``.

    Example:
        >>> [total for total in iter_partitions(sum, iter([[1, 2], [3]]))]
        [3, 3]
    """
    engine = engine if engine is not None else Engine.resolve()
    shared = dict(shared or {})
    if ahead_per_worker < 0:
        raise ValueError(f"ahead_per_worker must be 0 or more (got {ahead_per_worker})")
    if not engine.parallel:
        for partition in partitions:
            try:
                yield function(partition, **shared)
            except Exception as error:
                if not errors:
                    raise
                yield error
        return
    if _CLIENT.get() is None:
        raise ValueError("iter_partitions on a cluster needs an open session(engine)")
    yield from _streamed(function, partitions, shared=shared, ahead_per_worker=ahead_per_worker,
                         errors=errors, inline=inline)


def _stream_partitions(function: Callable[..., _R], partitions: Iterable[Any], *, engine: Engine,
                       shared: dict[str, Any], keep: bool) -> list[Any]:
    """:func:`map_partitions` over an iterator on a cluster: partitions are made as they are sent.

    A partition is read from the iterator only when fewer than :data:`IN_FLIGHT_PER_WORKER`
    partitions per worker are waiting or running, and sent to the workers in turn; with
    ``keep`` the handles are returned, else the results (:func:`_streamed`). So neither this
    process nor a worker holds more than a few partitions' inputs at a time: the caller can read
    a large table slice by slice (:func:`mediaprov.features.run_features`).
    """
    with session(engine):
        if not keep:
            return list(_streamed(function, partitions, shared=shared))
        client = _CLIENT.get()
        sent = _send_shared(client, shared)
        kept: list[Any] = []  # sending pauses while enough of them wait or run
        for future in _sent(client, function, partitions, sent, wait_for=kept):
            kept.append(future)
        return kept


def _sent(client: Any, function: Callable[..., Any], partitions: Iterable[Any], sent: dict[str, Any],
          *, wait_for: list[Any] | None, inline: bool = False) -> Iterator[Any]:
    """Send each partition to the workers in turn; yield its future as each is sent.

    A partition holding handles (kept results) is not sent: its task is submitted as a slot
    frees, and the scheduler runs it where its data is or on the idle worker. With ``inline``
    no partition is sent ahead: each goes in its task.

    With ``wait_for`` (the caller's list of futures not yet taken), sending pauses while
    :data:`IN_FLIGHT_PER_WORKER` partitions per worker are waiting or running.
    """
    from distributed import Future, wait

    addresses = sorted(client.scheduler_info().get("workers", {})) or [None]
    limit = IN_FLIGHT_PER_WORKER * len(addresses)
    for index, partition in enumerate(partitions):
        worker = addresses[index % len(addresses)]
        if inline or _holds_handles(partition, Future):
            data = partition  # small, or on the workers already: the scheduler places the task
        else:
            [data] = client.scatter([partition], hash=False,
                                    workers=[worker] if worker is not None else None)
        future = client.submit(function, data, pure=False, **sent)
        del partition, data  # the worker holds the partition now
        yield future
        if wait_for is not None:
            running = [f for f in wait_for if not f.done()]
            if len(running) >= limit:
                wait(running, return_when="FIRST_COMPLETED")


def _streamed(function: Callable[..., _R], partitions: Iterable[Any], *, shared: dict[str, Any],
              ahead_per_worker: int = IN_FLIGHT_PER_WORKER, errors: bool = False,
              inline: bool = False) -> Iterator[Any]:
    """Results of a stream of partitions on the open session's cluster, in order.

    Partitions are sent until :data:`IN_FLIGHT_PER_WORKER` per worker run or wait to run (and
    at most ``ahead_per_worker`` more per worker are done, not taken), again each time a task
    ends: the workers go on while the caller works. Each is released once yielded; with
    ``errors`` a failed task's exception is yielded in its place; ``inline`` as :func:`_sent`.
    """
    from distributed import wait

    client = _CLIENT.get()
    sent = _send_shared(client, shared)
    workers = len(client.scheduler_info().get("workers", {})) or 1
    running_limit = IN_FLIGHT_PER_WORKER * workers
    pending_limit = running_limit + ahead_per_worker * workers
    sender = _sent(client, function, partitions, sent, wait_for=None, inline=inline)
    pending: list[Any] = []  # sent, not yet yielded, in partition order
    more, done, failed = True, 0, 0
    while True:
        while more and len(pending) < pending_limit and sum(not f.done() for f in pending) < running_limit:
            future = next(sender, None)
            more = future is not None
            pending += [future] if more else []
        if not pending:
            break
        if not pending[0].done():
            wait([f for f in pending if not f.done()], return_when="FIRST_COMPLETED")
            continue  # a task ended: top up, then look at the first again
        future = pending.pop(0)  # the worker's copy goes with the future
        try:
            result = future.result()
        except Exception as error:  # a task that failed (its error, or a worker lost)
            if not errors:
                raise
            result = error
            failed += 1
        del future
        yield result
        done += 1
    del sent
    _log_done(done - failed, function, " (streamed)" + (f"; {failed} failed" if failed else ""))
