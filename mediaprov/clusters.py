"""The Dask clusters mediaprov runs on: a local one it starts, or one it attaches to.

:func:`dask_client` gives the client of a parallel :class:`mediaprov.engine.Engine`;
:func:`local_cluster` starts the cluster ``--workers N`` asks for. Both are re-exported by
:mod:`mediaprov.engine`, which decides where a stage's partitions run.

Example:
    >>> from mediaprov.engine import Engine
    >>> with dask_client(Engine(workers=2)) as client:  # doctest: +SKIP
    ...     client.submit(sum, [1, 2]).result()
    3
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mediaprov.engine import Engine

__all__ = ["dask_client", "local_cluster"]

_LOG = logging.getLogger("mediaprov.engine")  # the engine's messages, wherever they are made


@contextlib.contextmanager
def dask_client(engine: Engine) -> Iterator[Any]:
    """A ``dask.distributed.Client`` for the engine, closed (with its local cluster) on exit.

    Args:
        engine: a parallel engine (:attr:`Engine.parallel`).

    Yields:
        The client: attached to ``engine.scheduler``, or to a ``LocalCluster`` of
        ``engine.workers`` processes with one thread each (the dashboard on a free port).

    Raises:
        ModuleNotFoundError: ``distributed`` is not installed
            (``pip install 'mediaprov[parallel]'``).
        ValueError: the engine is not parallel.

    Example:
        >>> from mediaprov.engine import Engine
        >>> with dask_client(Engine(workers=2)) as client:  # doctest: +SKIP
        ...     client.submit(sum, [1, 2]).result()
        3
    """
    if not engine.parallel:
        raise ValueError("an in-process engine has no Dask client; pass workers or a scheduler")
    from distributed import Client

    if engine.scheduler:
        _LOG.info("dask: attaching to the scheduler at %s", engine.scheduler)
        with Client(engine.scheduler) as client:
            yield client
        return
    _LOG.info("dask: starting a local cluster of %d worker processes", engine.workers)
    with local_cluster(engine.workers or 1) as cluster, Client(cluster) as client:
        # Dask's own line with the address is shown by `mediaprov -v` only
        _LOG.info("dask: its dashboard (tasks and memory, live) is at %s", client.dashboard_link)
        yield client


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """A ``dask.distributed.LocalCluster`` as mediaprov starts one: processes of one thread each.

    Dask sets ``MALLOC_TRIM_THRESHOLD_=65536`` in its workers, which also fixes glibc's mmap
    threshold: every large NumPy temporary is then mapped and unmapped afresh, page faults
    included, and reuse's worker steps took 17% longer for it (34 -> 41 s at 100,000 articles).
    The stages free their own arrays, so the workers keep glibc's defaults.

    Args:
        workers: worker processes.

    Yields:
        The running cluster (closed on exit).

    Example:
        >>> with local_cluster(2) as cluster:  # doctest: +SKIP
        ...     cluster.scheduler_address
        'tcp://127.0.0.1:40913'
    """
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                         dashboard_address=":0") as cluster:
        yield cluster
