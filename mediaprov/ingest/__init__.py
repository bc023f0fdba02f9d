"""Ingestion: raw files in, ``articles`` + ``ingest_log`` out (see :mod:`mediaprov.ingest.pipeline`).

The Python API mirrors the command line ``mediaprov ingest PATH``:
``mediaprov.ingest.ingest(path, out=..., format=..., columns=...)`` is
:func:`mediaprov.ingest.pipeline.ingest`, imported when first asked for (so that importing one
helper module of this package does not load the whole pipeline).

Example:
    >>> from mediaprov.ingest import ingest
    >>> ingest.__module__
    'mediaprov.ingest.pipeline'
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    """``mediaprov.ingest.ingest``: the pipeline's entry point, imported lazily (PEP 562)."""
    if name == "ingest":
        from mediaprov.ingest.pipeline import ingest

        return ingest
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
