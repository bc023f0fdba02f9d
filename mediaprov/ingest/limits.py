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

import signal
import threading
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
    """


@contextmanager
def record_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`RecordTimeout` in the block when it runs longer than ``seconds``.

    Uses ``SIGALRM`` (a real-time interval timer), so it interrupts pure-Python work and regular
    expressions; it is a no-op outside the main thread, on platforms without ``setitimer``, or
    when ``seconds`` is ``None`` or not positive.

    Args:
        seconds: the budget of the block.

    Returns:
        A context manager (the block runs inside it).

    Example:
        >>> with record_budget(5.0):
        ...     sum(range(10))
        45
    """
    if (seconds is None or not seconds > 0 or not hasattr(signal, "setitimer")  # NaN: no budget
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise RecordTimeout(f"took more than {seconds:g} s (time budget per record)")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
