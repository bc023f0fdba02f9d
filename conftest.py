"""Test session set-up: every test, doctest and notebook reads and writes data in a temporary folder.

``MEDIAPROV_DATA`` points to a fresh folder for the whole session, holding a copy of the demo
corpus's raw files, so tests (and the notebook kernels nbval starts, which inherit the
environment) build the demo tables with the code under test, never read tables that older code
left in ``data/processed``, and never write into the repository. Reference tables are read from
the repository (``paths.reference_dir`` falls back to it). A developer who sets ``MEDIAPROV_DATA``
keeps their own folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def pytest_configure(config) -> None:  # noqa: ANN001 - pytest's hook signature
    """Point ``MEDIAPROV_DATA`` at a temporary copy of the demo corpus unless it is already set."""
    if os.environ.get("MEDIAPROV_DATA"):
        return
    data = Path(tempfile.mkdtemp(prefix="mediaprov-test-data-"))
    shutil.copytree(ROOT / "data" / "raw" / "demo", data / "raw" / "demo")
    os.environ["MEDIAPROV_DATA"] = str(data)
    config._mediaprov_data = data  # removed at the end of the session


def pytest_unconfigure(config) -> None:  # noqa: ANN001
    """Remove the temporary data folder made by :func:`pytest_configure`."""
    data = getattr(config, "_mediaprov_data", None)
    if data is not None:
        os.environ.pop("MEDIAPROV_DATA", None)
        shutil.rmtree(data, ignore_errors=True)
