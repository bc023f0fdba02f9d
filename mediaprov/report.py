"""Execute the notebooks top to bottom on any corpus and render them to HTML (the report).

Every notebook has one cell tagged ``parameters`` (``CORPUS``, ``DATA_DIR``, camps...). Running a
notebook on a corpus inserts a cell tagged ``injected-parameters`` after it, as papermill does, with
the corpus name, the parameters the corpus carries in ``data/reference/<corpus>/corpus.json``
(:func:`mediaprov.reference.corpus_settings`) and any the caller gives. Three uses:

* ``mediaprov report --corpus NAME`` (``make demo`` runs it for the demo): builds the missing
  stages of the corpus, executes copies of ``notebooks/*.ipynb`` in order with
  ``MEDIAPROV_REPORT=1`` (interactive plotly figures too) and writes ``reports/NAME/<nb>.ipynb``
  and ``.html``. The committed notebooks are not touched.
* ``mediaprov report --corpus NAME --case-study``: the same with static figures only, written to
  ``notebooks/case_studies/NAME/`` to be committed and checked by nbval.
* ``mediaprov report --inplace`` (``make notebooks``): re-executes the committed demo notebooks in
  place, top to bottom, with static figures only, so that their stored outputs are deterministic
  and nbval can check them.

The HTML pages work offline (:func:`render_html`): reviewers read them on machines that reach no
CDN, so nothing is loaded from the network. The page template drops nbconvert's require.js,
MathJax, Mermaid and widget loaders (the notebooks use none of them), plotly.js is inlined once
per page by plotly's ``notebook`` renderer, and the MathJax ``<script src>`` plotly adds to every
figure is removed (no figure uses LaTeX; ``$`` in data stays plain text).

Example:
    >>> [p.name for p in notebook_paths()][:1]
    ['01_ingestion.ipynb']
"""

from __future__ import annotations

import copy
import logging
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mediaprov import paths, reference
from mediaprov.io import atomic_write

if TYPE_CHECKING:  # nbformat comes with the notebooks extra, imported where it is used
    from nbformat import NotebookNode

log = logging.getLogger(__name__)

REPORT_ENV = "MEDIAPROV_REPORT"
"""Set to ``1`` while rendering the HTML report: notebooks then add interactive figures."""

TIMEOUT_SECONDS = 1200
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
CASE_STUDIES = "case_studies"


def notebook_parameters(corpus: str, **overrides: object) -> dict[str, object]:
    """The parameters a notebook runs with on ``corpus``: its name, its settings, then overrides.

    Args:
        corpus: the corpus name.
        overrides: parameter values that win over the corpus's own.

    Returns:
        ``{"CORPUS": corpus, ...}``.

    Example:
        >>> notebook_parameters("allsides_iran")["CAMP_FIELD"]
        'bias_text'
    """
    settings = reference.corpus_settings(corpus).get("parameters") or {}
    return {"CORPUS": corpus, **settings, **overrides}


def inject_parameters(notebook: NotebookNode, parameters: dict[str, object], *, name: str = "notebook") -> None:
    """Insert a cell tagged ``injected-parameters`` after the ``parameters`` cell (in place).

    An earlier injected cell is replaced, so a notebook can be re-run on another corpus.

    Args:
        notebook: an ``nbformat`` notebook.
        parameters: names and values (written with ``repr``).
        name: the notebook's name, for the error message.

    Raises:
        ValueError: the notebook has no cell tagged ``parameters``.

    Example:
        >>> import nbformat
        >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        ...     'CORPUS = "demo"', metadata={"tags": ["parameters"]})])
        >>> inject_parameters(nb, {"CORPUS": "allsides_iran"})
        >>> nb.cells[1].source.splitlines()
        ['# Parameters of this run', "CORPUS = 'allsides_iran'"]
    """
    import nbformat

    cells = [c for c in notebook.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    where = [i for i, c in enumerate(cells) if PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])]
    if not where:
        raise ValueError(f"{name} has no cell tagged 'parameters': tag the cell that sets CORPUS")
    source = "# Parameters of this run\n" + "\n".join(f"{key} = {value!r}" for key, value in parameters.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": [INJECTED_TAG]})
    cell["id"] = INJECTED_TAG  # a fixed id: the committed notebook changes only with its content
    cells.insert(where[0] + 1, cell)
    notebook.cells = cells


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


NOTES_TAG = "case-study-notes"

OFFLINE_TEMPLATE = "mediaprov_offline.html.j2"
"""Name of the page template of the HTML report (nbconvert's ``lab`` page with no CDN script)."""

_OFFLINE_TEMPLATE_SOURCE = """\
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""
_REMOTE_SCRIPT = re.compile(
    r"""<script\b[^>]*\bsrc\s*=\s*["']?https?://[^>]*>\s*</script\s*>""", re.IGNORECASE)


def insert_notes(notebook: NotebookNode, notes: str) -> None:
    """Put a corpus's reading notes (markdown) right after the notebook's title cell (in place).

    Case studies explain what their figures show and cannot show on that corpus; the notes live in
    the corpus's ``corpus.json`` (``"notes": {"01_ingestion": "..."}``), not in the shared notebook.

    Example:
        >>> import nbformat
        >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")])
        >>> insert_notes(nb, "On this corpus ...")
        >>> nb.cells[1].source
        'On this corpus ...'
    """
    import nbformat

    cells = [c for c in notebook.cells if NOTES_TAG not in c.get("metadata", {}).get("tags", [])]
    cell = nbformat.v4.new_markdown_cell(notes, metadata={"tags": [NOTES_TAG]})
    cell["id"] = NOTES_TAG
    cells.insert(1 if cells else 0, cell)
    notebook.cells = cells


def offline_notebook(notebook: NotebookNode) -> NotebookNode:
    """A copy of an executed notebook whose HTML outputs load no script from the network.

    Every ``<script src="http(s)://...">`` element is removed from ``text/html`` outputs: plotly's
    ``notebook`` renderer adds one per figure (MathJax from cdnjs), which cannot load offline and
    which no figure needs. Inline scripts (plotly.js itself, the figures) stay.

    Args:
        notebook: an executed ``nbformat`` notebook (left unchanged).

    Returns:
        The copy.

    Example:
        >>> import nbformat
        >>> html = ('<script src="https://cdn.example/m.js"></script>'
        ...         '<div id="f"></div><script>draw("f")</script>')
        >>> output = nbformat.v4.new_output("display_data", data={"text/html": html})
        >>> cell = nbformat.v4.new_code_cell("fig", outputs=[output])
        >>> offline = offline_notebook(nbformat.v4.new_notebook(cells=[cell]))
        >>> offline.cells[0].outputs[0].data["text/html"]
        '<div id="f"></div><script>draw("f")</script>'
    """
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            value = data.get("text/html")
            if value is None:
                continue
            text = "".join(value) if isinstance(value, list) else value
            data["text/html"] = _REMOTE_SCRIPT.sub("", text)
    return notebook


def render_html(notebook: NotebookNode) -> str:
    """Render an executed notebook to one self-contained HTML page that needs no network.

    The page is nbconvert's ``lab`` page without its CDN scripts (require.js, MathJax, Mermaid,
    widgets: :data:`OFFLINE_TEMPLATE`), of the outputs of :func:`offline_notebook`. Plotly figures
    draw with the plotly.js that plotly's ``notebook`` renderer inlined once in the notebook.

    Args:
        notebook: an executed ``nbformat`` notebook.

    Returns:
        The HTML text.

    Example:
        >>> import nbformat
        >>> title = nbformat.v4.new_markdown_cell("# Hi")
        >>> page = render_html(nbformat.v4.new_notebook(cells=[title]))
        >>> "<h1" in page, "cdnjs" in page, "<script src=" in page
        (True, False, False)
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    loader = DictLoader({OFFLINE_TEMPLATE: _OFFLINE_TEMPLATE_SOURCE})
    exporter = HTMLExporter(extra_loaders=[loader], template_file=OFFLINE_TEMPLATE)
    html, _ = exporter.from_notebook_node(offline_notebook(notebook))
    return html


def execute_notebook(path: Path, *, report: bool = False,
                     parameters: dict[str, object] | None = None) -> NotebookNode:
    """Execute one notebook top to bottom in its own folder and return the executed notebook.

    Args:
        path: the ``.ipynb`` file.
        report: run with ``MEDIAPROV_REPORT=1`` (interactive figures).
        parameters: inject these after the ``parameters`` cell (see :func:`inject_parameters`).

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
    if parameters is not None:
        inject_parameters(notebook, parameters, name=path.name)
    executor = ExecutePreprocessor(timeout=TIMEOUT_SECONDS, kernel_name="python3", record_timing=False)
    settings = {REPORT_ENV: "1" if report else "0", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    if report:  # plotly figures carry their HTML and plotly.js, so the HTML report works offline
        settings["PLOTLY_RENDERER"] = "notebook"
    with _environment(**settings):
        executor.preprocess(notebook, {"metadata": {"path": str(path.parent)}})
    return notebook


def run_notebooks(*, corpus: str | None = None, out: Path | None = None, folder: Path | None = None,
                  case_study: bool = False, parameters: dict[str, object] | None = None,
                  build: bool = True) -> list[Path]:
    """Execute every notebook in order on a corpus; write executed copies (and HTML) or in place.

    Args:
        corpus: the corpus (``None``: the notebooks' own default, the demo).
        out: report folder (default ``reports/<corpus>``); ignored with ``case_study``. With
            ``corpus=None`` and ``out=None`` the committed notebooks are re-executed in place.
        folder: where the notebooks are (default ``notebooks/``).
        case_study: static figures only, written to ``notebooks/case_studies/<corpus>/`` (no HTML),
            to be committed and checked by nbval.
        parameters: extra notebook parameters (win over the corpus's own).
        build: build the corpus's missing stages first (see :func:`mediaprov.workflow.build`).

    Returns:
        The files written.

    Raises:
        ModuleNotFoundError: the ``notebooks`` extra is not installed (the message says how).
    """
    try:
        import nbformat
        import nbconvert  # noqa: F401 - checked here, used by render_html
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(f"mediaprov report needs the notebooks extra ({error.name} is missing): "
                                  "pip install 'mediaprov[notebooks]'") from None

    values = notebook_parameters(corpus, **(parameters or {})) if corpus is not None else None
    if corpus is not None and build:
        from mediaprov import workflow

        workflow.build(corpus, [t for tables, _ in workflow.STAGES.values() for t in tables])
    study: tuple[str, Path] | None = None  # a case study's corpus and folder
    if case_study:
        if corpus is None:
            raise ValueError("a case study needs --corpus NAME")
        study = corpus, paths.PROJECT_ROOT / "notebooks" / CASE_STUDIES / corpus
        out = study[1]
    elif out is not None and corpus is not None and Path(out).name != corpus:
        out = Path(out) / corpus
    elif out is None and corpus is not None:
        out = Path("reports") / corpus
    written: list[Path] = []
    paths_to_run = notebook_paths(folder)
    for number, path in enumerate(paths_to_run, start=1):
        log.info("notebook %d/%d: executing %s on %s", number, len(paths_to_run), path.name, corpus or "demo")
        started = time.perf_counter()
        notebook = execute_notebook(path, report=out is not None and not case_study, parameters=values)
        log.info("notebook %d/%d: %s done in %.0f s", number, len(paths_to_run), path.name,
                 time.perf_counter() - started)
        if study is not None:
            study_corpus, target = study
            target.mkdir(parents=True, exist_ok=True)
            notes = (reference.corpus_settings(study_corpus).get("notes") or {}).get(path.stem)
            if notes:
                insert_notes(notebook, notes if isinstance(notes, str) else "\n".join(notes))
            with atomic_write(target / path.name, "w", encoding="utf-8") as handle:
                nbformat.write(notebook, handle)
            written.append(target / path.name)
            continue
        if out is None:
            with atomic_write(path, "w", encoding="utf-8") as handle:
                nbformat.write(notebook, handle)
            written.append(path)
            continue
        target = Path(out)
        target.mkdir(parents=True, exist_ok=True)
        with atomic_write(target / path.name, "w", encoding="utf-8") as handle:
            nbformat.write(notebook, handle)
        html = render_html(notebook)
        with atomic_write(target / f"{path.stem}.html", "w", encoding="utf-8") as handle:
            handle.write(html)
        written += [target / path.name, target / f"{path.stem}.html"]
    return written
