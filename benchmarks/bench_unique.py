"""Benchmark: ``np.unique`` against ``mediaprov.arrays.sorted_unique`` on integer arrays (prints).

NumPy 2.3 and 2.4 answer ``np.unique(values)`` (no ``return_*`` flag) on an integer array with a
hash table, which is slow when the array is large and most values are distinct: the shape of the
arrays mediaprov passes (reuse's candidate pair codes and shingle values, same-event grouping's
article x entity codes). ``sorted_unique`` sorts and keeps each value that differs from the one
before. For each size and share of distinct values this prints the best of ``--repeat`` runs of
each, their throughput in values per second, that both give the same array, and the process's
peak resident memory at the end.

Usage::

    .venv/bin/python benchmarks/bench_unique.py [--sizes 100000 1000000 3000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable

import numpy as np

from mediaprov.arrays import sorted_unique


def best_time(function: Callable[[np.ndarray], np.ndarray], values: np.ndarray,
              repeat: int) -> tuple[float, np.ndarray]:
    """The shortest of ``repeat`` runs of ``function(values)`` (seconds) and its result."""
    best, result = float("inf"), np.zeros(0)
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(values)
        best = min(best, time.perf_counter() - started)
    return best, result


def main(argv: list[str] | None = None) -> None:
    """Print both timings for each size (command-line arguments as in the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 3_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(20261203)
    print(f"numpy {np.__version__}")
    print(f"{'values':>10} {'distinct':>10} {'np.unique s':>12} {'sorted s':>9} {'speed-up':>9} "
          f"{'M values/s (np / sorted)':>26}")
    for size in args.sizes:
        for span in (size // 2, 1_000):  # about 40 % distinct; few distinct
            values = rng.integers(0, span, size, dtype=np.int64)
            numpy_s, expected = best_time(np.unique, values, args.repeat)
            sorted_s, got = best_time(sorted_unique, values, args.repeat)
            if not np.array_equal(expected, got):
                raise SystemExit(f"sorted_unique differs from np.unique at {size} values")
            print(f"{size:>10,} {len(got):>10,} {numpy_s:>12.3f} {sorted_s:>9.3f} "
                  f"{numpy_s / sorted_s:>8.1f}x {size / numpy_s / 1e6:>12.1f} / {size / sorted_s / 1e6:.1f}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
