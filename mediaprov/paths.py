"""Where mediaprov finds its data.

The project root is the folder that holds ``pyproject.toml``; data lives in ``<root>/data`` unless
the environment variable ``MEDIAPROV_DATA`` points elsewhere. Nothing else in the package builds
absolute paths.

Example:
    >>> from mediaprov import paths
    >>> paths.raw_dir("demo").name
    'demo'
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

PROJECT_ROOT: Path = Path(__file__).resolve().parents[1]
"""The repository root (parent of the ``mediaprov`` package)."""


def in_checkout() -> bool:
    """True when the package runs from the project's repository (not an installed copy).

    Example:
        >>> isinstance(in_checkout(), bool)
        True
    """
    return (PROJECT_ROOT / "pyproject.toml").exists() and (PROJECT_ROOT / "mediaprov").is_dir()


def data_dir() -> Path:
    """Return the data root.

    ``$MEDIAPROV_DATA`` if set, else ``<project>/data`` in a checkout, else ``./data`` (the
    current folder) for an installed copy.

    Returns:
        The folder holding ``raw/``, ``processed/`` and ``reference/``.

    Example:
        >>> data_dir().name in {"data"} or "MEDIAPROV_DATA" in os.environ
        True
    """
    override = os.environ.get("MEDIAPROV_DATA")
    if override:
        return Path(override).expanduser().resolve()
    return PROJECT_ROOT / "data" if in_checkout() else Path.cwd() / "data"


def raw_dir(corpus: str) -> Path:
    """Return ``<data>/raw/<corpus>``, the immutable inputs of one corpus.

    Example:
        >>> raw_dir("demo").parts[-2:]
        ('raw', 'demo')
    """
    return data_dir() / "raw" / corpus


def processed_dir(corpus: str) -> Path:
    """Return ``<data>/processed/<corpus>``, where derived tables of one corpus are written.

    Example:
        >>> processed_dir("demo").parts[-2:]
        ('processed', 'demo')
    """
    return data_dir() / "processed" / corpus


def reference_dir() -> Path:
    """Return the folder of curated reference tables (outlets, entities, lexicons, events).

    Reference tables ship with the code, so they are looked up in ``<data>/reference`` first (a
    researcher's own tables) and fall back to the project's ``data/reference``, or, for an installed
    copy, to the tables shipped inside the package (``importlib.resources``).

    Example:
        >>> (reference_dir() / "outlets.csv").exists()
        True
    """
    candidate = data_dir() / "reference"
    if candidate.exists():
        return candidate
    if in_checkout():
        return PROJECT_ROOT / "data" / "reference"
    return Path(str(resources.files("mediaprov") / "reference_data"))


def shared_dir() -> Path | None:
    """Return the ``../shared`` folder beside the project, or ``None`` when it is absent.

    Real texts (seeds, corpora) are read from there and never copied into the repository.

    Example:
        >>> shared_dir() is None or shared_dir().name == "shared"
        True
    """
    candidate = Path(os.environ.get("MEDIAPROV_SHARED", PROJECT_ROOT.parent / "shared"))
    return candidate if candidate.is_dir() else None
