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
import os
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
    Its message says the budget (a timeout raised in a worker thread is of a subclass made for
    the budget, whose ``seconds`` gives the message; it pickles as a plain ``RecordTimeout``).
    """

    seconds: float | None = None

    def __str__(self) -> str:
        return super().__str__() or _expired_message(self.seconds)

    def __reduce__(self) -> tuple[type[RecordTimeout], tuple[str]]:
        return RecordTimeout, (str(self),)


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
    ``setitimer``, or when ``seconds`` is ``None`` or not positive. A block inside another one
    has its own budget; the outer one's holds again when it ends.

    Args:
        seconds: the budget of the block (wall-clock time).

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


class _Budget:
    """One budgeted block of one thread: its deadline, and who settled it first."""

    __slots__ = ("deadline", "outcome", "raised", "timeout")

    def __init__(self, deadline: float, timeout: type[RecordTimeout]) -> None:
        self.deadline = deadline
        self.timeout = timeout
        self.outcome = [None]  # popped once, by the block's end or by the watchdog (atomic)
        self.raised = False  # the watchdog has asked for the timeout to be raised


class _Watchdog:
    """One daemon thread per process that raises :class:`RecordTimeout` in threads past their deadline.

    No lock is shared with a budgeted thread, since an exception raised asynchronously while a
    thread takes or holds a lock can leave it held: each block and the watchdog settle a block
    by popping its ``outcome`` (atomic under the GIL), and only the one that pops it acts. The
    watchdog sleeps until the earliest deadline, at most :data:`_WATCHDOG_TICK` (no wake-up per
    record: each would cost a GIL hand-over).
    """

    def __init__(self) -> None:
        self._budgets: dict[int, _Budget] = {}
        self._timeouts: dict[float, type[RecordTimeout]] = {}
        self._thread: threading.Thread | None = None

    def reset(self) -> None:
        """Forget every block and the thread (in a forked child, where neither exists)."""
        self._budgets = {}
        self._thread = None

    @contextmanager
    def watching(self, seconds: float) -> Iterator[None]:
        ident = threading.get_ident()
        timeout = self._timeouts.get(seconds)
        if timeout is None:
            timeout = self._timeouts.setdefault(
                seconds, type("RecordTimeout", (RecordTimeout,), {"seconds": seconds}))
        budget = _Budget(time.monotonic() + seconds, timeout)
        outer = self._budgets.get(ident)
        self._budgets[ident] = budget
        if self._thread is None or not self._thread.is_alive():
            self._start()
        try:
            yield
        finally:
            self._budgets.pop(ident, None)
            if outer is not None:
                self._budgets[ident] = outer
            try:
                budget.outcome.pop()  # settled here: the watchdog will not raise
            except IndexError:  # the watchdog settled it: the timeout is raised or about to be
                while not budget.raised:
                    time.sleep(0)
                _raise_in(ident, None)  # not raised yet: the block is over, cancel it

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="mediaprov-record-budget",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            now = time.monotonic()
            for ident, budget in list(self._budgets.items()):
                if budget.deadline <= now:
                    try:
                        budget.outcome.pop()
                    except IndexError:
                        continue  # the block ended meanwhile
                    _raise_in(ident, budget.timeout)
                    budget.raised = True
            soonest = min((budget.deadline for budget in list(self._budgets.values())),
                          default=now + _WATCHDOG_TICK)
            time.sleep(min(max(soonest - now, 0.001), _WATCHDOG_TICK))


_WATCHDOG_TICK = 0.05
"""The longest the watchdog sleeps: a block that starts while it sleeps is checked this late."""


def _raise_in(ident: int, exception: type[BaseException] | None) -> None:
    """Raise ``exception`` in thread ``ident`` at its next Python instruction (``None``: cancel)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                               ctypes.py_object(exception) if exception else None)


_WATCHDOG = _Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_WATCHDOG.reset)


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
