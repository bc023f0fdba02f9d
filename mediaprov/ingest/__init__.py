"""Ingestion: raw files in, ``articles`` + ``ingest_log`` out (see :mod:`mediaprov.ingest.pipeline`).

The package itself is callable, so that the Python API mirrors the command line
``mediaprov ingest PATH``: ``mediaprov.ingest(path, out=..., format=..., columns=...)`` is
:func:`mediaprov.ingest.pipeline.ingest`.

Example:
    >>> import mediaprov.ingest
    >>> callable(mediaprov.ingest)
    True
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallablePackage(types.ModuleType):
    """This package, callable as :func:`mediaprov.ingest.pipeline.ingest`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from mediaprov.ingest.pipeline import ingest

        return ingest(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
