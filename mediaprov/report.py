"""Execute the notebooks top to bottom and render them to HTML (the report).

Two uses:

* ``mediaprov report --out reports`` (what ``make demo`` runs): executes copies of
  ``notebooks/*.ipynb`` in order, with ``MEDIAPROV_REPORT=1`` so that notebooks also show their
  interactive (plotly) figures, and writes ``reports/<name>.ipynb`` and ``reports/<name>.html``.
  The committed notebooks are not touched.
* ``mediaprov report --inplace`` (``make notebooks``): re-executes the committed notebooks in place,
  top to bottom, with static figures only, so that their stored outputs are deterministic and
  nbval can check them.

Example:
    >>> [p.name for p in notebook_paths()][:1]
    ['01_ingestion.ipynb']
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator

from mediaprov import paths
from mediaprov.io import atomic_write

REPORT_ENV = "MEDIAPROV_REPORT"
"""Set to ``1`` while rendering the HTML report: notebooks then add interactive figures."""

TIMEOUT_SECONDS = 1200


def notebook_paths(folder: Path | None = None) -> list[Path]:
    """Return the analysis notebooks in their run order (``NN_name.ipynb``, sorted).

    Example:
        >>> all(p.suffix == ".ipynb" for p in notebook_paths())
        True
    """
    root = Path(folder) if folder else paths.PROJECT_ROOT / "notebooks"
    return sorted(p for p in root.glob("[0-9][0-9]_*.ipynb"))


def in_report() -> bool:
    """True while the HTML report is being rendered (interactive figures wanted).

    Example:
        >>> isinstance(in_report(), bool)
        True
    """
    return os.environ.get(REPORT_ENV) == "1"


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def execute_notebook(path: Path, *, report: bool = False) -> "object":
    """Execute one notebook top to bottom in its own folder and return the executed notebook.

    Args:
        path: the ``.ipynb`` file.
        report: run with ``MEDIAPROV_REPORT=1`` (interactive figures).

    Returns:
        The executed ``nbformat.NotebookNode``.

    Raises:
        nbconvert.preprocessors.CellExecutionError: a cell failed (the message shows which).
    """
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:  # no execution timestamps: committed notebooks change only with their content
        cell.metadata.pop("execution", None)
    executor = ExecutePreprocessor(timeout=TIMEOUT_SECONDS, kernel_name="python3", record_timing=False)
    settings = {REPORT_ENV: "1" if report else "0", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    if report:  # plotly figures carry their HTML and plotly.js, so the HTML report works offline
        settings["PLOTLY_RENDERER"] = "notebook"
    with _environment(**settings):
        executor.preprocess(notebook, {"metadata": {"path": str(path.parent)}})
    return notebook


def run_notebooks(*, out: Path | None = None, folder: Path | None = None) -> list[Path]:
    """Execute every notebook in order; write executed copies and HTML to ``out``, or in place.

    Args:
        out: report folder (``None``: re-execute the committed notebooks in place).
        folder: where the notebooks are (default ``notebooks/``).

    Returns:
        The files written.
    """
    import nbformat
    from nbconvert import HTMLExporter

    written: list[Path] = []
    for path in notebook_paths(folder):
        notebook = execute_notebook(path, report=out is not None)
        if out is None:
            with atomic_write(path, "w", encoding="utf-8") as handle:
                nbformat.write(notebook, handle)
            written.append(path)
            continue
        target = Path(out)
        target.mkdir(parents=True, exist_ok=True)
        with atomic_write(target / path.name, "w", encoding="utf-8") as handle:
            nbformat.write(notebook, handle)
        html, _ = HTMLExporter().from_notebook_node(notebook)
        with atomic_write(target / f"{path.stem}.html", "w", encoding="utf-8") as handle:
            handle.write(html)
        written += [target / path.name, target / f"{path.stem}.html"]
    return written
