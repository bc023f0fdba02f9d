"""The bundled demo corpus: fictional outlets, people and events with ground truth beside them.

:func:`generate` writes a deterministic corpus under ``out_dir`` (the committed copy is
``data/raw/demo``): text scrapes in six styles, HTML pages, a Media Cloud style CSV export, JSONL
feeds and a folder of bad files, plus ``truth/`` (what a careful reader should extract from every
input record), a datasheet ``README.md`` and ``MANIFEST.json`` (SHA-256 of every file).
:func:`check` regenerates into a temporary folder and lists what differs from a committed copy.

Everything is SYNTHETIC: the country, outlets, people and events are invented.

Example:
    >>> import tempfile
    >>> summary = generate(Path(tempfile.mkdtemp()), articles=40, seed=7)
    >>> summary.articles  # 40 articles plus the two re-encoded files under bad/
    42
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from mediaprov.demo.generator import GENERATED, Generator
from mediaprov.demo.summary import DemoSummary, datasheet
from mediaprov.io import sha256_file

__all__ = ["DEFAULT_SEED", "GENERATED", "DemoSummary", "check", "datasheet", "generate"]

DEFAULT_SEED = 20261123
"""The seed of the committed corpus in ``data/raw/demo``."""


def generate(out_dir: Path, *, articles: int = 1600, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Write the demo corpus (inputs, truth, README, MANIFEST) under ``out_dir``.

    The top-level entries this function owns (:data:`GENERATED`) are removed first; anything else
    in ``out_dir`` is left alone (and will show up in the manifest).

    Args:
        out_dir: destination folder (the committed copy is ``data/raw/demo``).
        articles: number of distinct underlying articles (duplicates and bad files come on top;
            the two re-encoded bad files are extra articles).
        seed: seed of the only random source; same seed, byte-identical output.

    Returns:
        A :class:`DemoSummary` of counts.

    Raises:
        ValueError: ``articles`` is below 1.

    Example:
        >>> import tempfile
        >>> generate(Path(tempfile.mkdtemp()), articles=20).records >= 25
        True
    """
    if articles < 1:
        raise ValueError(f"articles must be at least 1, got {articles}")
    return Generator(Path(out_dir), articles=articles, seed=seed).run()


def check(committed_dir: Path, *, articles: int = 1600, seed: int = DEFAULT_SEED) -> list[str]:
    """Regenerate the corpus in a temporary folder and compare it with ``committed_dir``.

    Args:
        committed_dir: a generated corpus (e.g. ``data/raw/demo``).
        articles: the size it was generated with.
        seed: the seed it was generated with.

    Returns:
        Sorted lines ``"differs: <path>"``, ``"missing: <path>"`` (in the regeneration but not in
        ``committed_dir``) and ``"extra: <path>"``; an empty list means byte-identical.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp()); _ = generate(folder, articles=10, seed=3)
        >>> check(folder, articles=10, seed=3)
        []
    """
    committed_dir = Path(committed_dir)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        generate(fresh, articles=articles, seed=seed)
        new = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
        old = ({p.relative_to(committed_dir).as_posix() for p in committed_dir.rglob("*")
                if p.is_file()} if committed_dir.is_dir() else set())
        problems = [f"missing: {p}" for p in sorted(new - old)]
        problems += [f"extra: {p}" for p in sorted(old - new)]
        problems += [f"differs: {p}" for p in sorted(new & old)
                     if sha256_file(fresh / p) != sha256_file(committed_dir / p)]
    return sorted(problems)
