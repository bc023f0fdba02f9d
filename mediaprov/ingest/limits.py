"""Limits on one input record: the bytes it may hold and the time it may take to read.

The options every reader receives (:class:`ReadOptions`) live here too. Memory and time stay
bounded for any single input: a record larger than :data:`MAX_RECORD_BYTES` is quarantined
unread, and a record whose extraction runs past its budget (:func:`record_budget`) is
quarantined with :class:`RecordTimeout`'s message.

Example:
    >>> with record_budget(5.0):
    ...     sum(range(10))
    45
"""

from __future__ import annotations

import ctypes
import math
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_RECORD_BYTES", "ReadOptions", "RecordTimeout", "describe_error", "record_budget"]

MAX_RECORD_BYTES: int = 1 << 23
"""8 MiB: the most one record (a page, a scrape, a JSON line, a CSV field, a WARC payload) may
hold; a larger record is quarantined unread, so memory stays bounded for any single input."""


@dataclass(frozen=True)
class ReadOptions:
    """What every reader is told, checked once by :func:`mediaprov.ingest.readers.iter_records`.

    Attributes:
        format: ``"auto"`` or the format forced on every file.
        columns: the column mapping of JSONL and CSV files (a preset name, a mapping, a
            ``"canonical=input"`` string or ``None`` to guess).
        max_bytes: the most one record may hold.
        seconds: time budget to extract one HTML record (``None``: no budget).
    """

    format: str
    columns: Any
    max_bytes: int
    seconds: float | None


class RecordTimeout(BaseException):
    """One record took longer than its time budget (see :func:`record_budget`).

    A ``BaseException``, like ``KeyboardInterrupt``, so that a library's ``except Exception``
    cannot swallow it and carry on past the budget; every budgeted block catches it by name.
    Its message says the budget (a timeout raised in a worker thread is a subclass made for the
    budget, whose ``seconds`` gives the message).
    """

    seconds: float | None = None

    def __str__(self) -> str:
        return super().__str__() or _expired_message(self.seconds)


def _expired_message(seconds: float | None) -> str:
    return f"took more than {seconds:g} s (time budget per record)" if seconds else "took too long"


@contextmanager
def record_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`RecordTimeout` in the block when it runs longer than ``seconds``.

    In a process's main thread it uses ``SIGALRM`` (a real-time interval timer), so it interrupts
    pure-Python work and regular expressions. In any other thread (a Dask worker runs its tasks in
    threads: :mod:`mediaprov.ingest.partitioned`) a watchdog thread raises the timeout in the
    budgeted thread (``PyThreadState_SetAsyncExc``): that interrupts Python code, but a call into C
    (a regular expression, a parser) only when it returns to Python. No-op on platforms without
    ``setitimer``, or when ``seconds`` is ``None`` or not positive. Blocks are not nested.

    Args:
        seconds: the budget of the block.

    Returns:
        A context manager (the block runs inside it).

    Example:
        >>> with record_budget(5.0):
        ...     sum(range(10))
        45
    """
    if seconds is None or not seconds > 0 or not hasattr(signal, "setitimer"):  # NaN: no budget
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        with _WATCHDOG.watching(seconds):
            yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise RecordTimeout(_expired_message(seconds))

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Watchdog:
    """One daemon thread per process that raises :class:`RecordTimeout` in threads past their deadline.

    A budgeted block registers its thread's deadline (:meth:`watching`); the watchdog sleeps until
    the earliest one and raises the timeout asynchronously in each thread whose deadline passed.
    One thread for every budget (not a timer per record: a million records would start two
    million threads).
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._deadlines: dict[int, tuple[float, type[RecordTimeout]]] = {}
        self._wakes_at = math.inf  # when the watchdog looks next (it is woken only for earlier)
        self._thread: threading.Thread | None = None

    @contextmanager
    def watching(self, seconds: float) -> Iterator[None]:
        ident = threading.get_ident()
        timeout = type("RecordTimeout", (RecordTimeout,), {"seconds": seconds})
        deadline = time.monotonic() + seconds
        with self._changed:
            self._deadlines[ident] = (deadline, timeout)
            if self._thread is None or not self._thread.is_alive():  # first use, or after a fork
                self._thread = threading.Thread(target=self._run, name="mediaprov-record-budget",
                                                daemon=True)
                self._thread.start()
            if deadline < self._wakes_at:  # a wake-up per record would cost a GIL hand-over each
                self._changed.notify()
        try:
            yield
        finally:
            with self._changed:
                if self._deadlines.pop(ident, None) is None:  # it fired: drop it if not yet raised
                    _raise_in(ident, None)

    def _run(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for ident, (deadline, timeout) in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[ident]
                        _raise_in(ident, timeout)
                self._wakes_at = min((deadline for deadline, _ in self._deadlines.values()),
                                     default=math.inf)
                self._changed.wait(None if self._wakes_at == math.inf
                                   else max(self._wakes_at - now, 0.001))


def _raise_in(ident: int, exception: type[BaseException] | None) -> None:
    """Raise ``exception`` in thread ``ident`` at its next Python instruction (``None``: cancel)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                               ctypes.py_object(exception) if exception else None)


_WATCHDOG = _Watchdog()


def describe_error(error: BaseException) -> str:
    """``Type: message`` of an exception, cut to a readable length (for quarantine reasons).

    Args:
        error: the exception caught while reading.

    Returns:
        The type's name, and its message (at most 300 characters) when it has one.

    Example:
        >>> describe_error(ValueError("bad value"))
        'ValueError: bad value'
    """
    message = str(error)
    if len(message) > 300:
        message = message[:300] + "..."
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
