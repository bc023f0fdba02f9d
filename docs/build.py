"""Build the documentation site: ``python docs/build.py [--site DIR]`` (``make docs``).

The hand-written pages in ``docs/`` are copied to a staging folder together with pages generated
from the code, then MkDocs (``mkdocs.yml``: material, mkdocstrings, mkdocs-jupyter) renders the
staging folder into ``site/``:

* ``pipeline.md``: every table of :mod:`mediaprov.schema` (columns, dtypes, meaning), read from
  the ``Schema`` objects, so the page cannot drift from the code.
* ``reference-tables.md``: every reference table of :data:`mediaprov.reference.TABLES`.
* ``api/*.md``: one API page per subpackage or group of modules (mkdocstrings reads docstrings).
* ``notebooks/*.ipynb``: the demo notebooks and the case studies. A report-executed notebook
  (``reports/demo/NAME.ipynb``, written by ``mediaprov report --corpus demo``; ``reports/X/`` for
  the case study ``notebooks/case_studies/X/``) is used when it exists and was executed from the
  same cells as the committed one; otherwise the committed notebook. A cell whose source starts with ``if in_report():`` is the interactive twin of the
  static figure in the cell before it: when the twin has outputs, the static figure is dropped
  (printed text of that cell stays). Plotly figures are re-emitted to use the site's own
  ``plotly.min.js`` (copied from the installed plotly), so no page loads anything from the network.

Nothing under ``notebooks/`` or ``mediaprov/`` is modified.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import html
import importlib.util
import json
import re
import shutil
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PACKAGE = Path(importlib.util.find_spec("mediaprov").origin).parent  # the package documented (installed)
TWIN_PREFIX = "if in_report():"
PLOTLY_JS = "assets/javascripts/plotly.min.js"
PLOTLY_CLASS = "mediaprov-plotly"
GENERATED_MARK = "<!-- generated: {name} -->"

# Flat modules of the package grouped into API pages (subpackages get a page each). A module that
# is not listed lands on "Other modules", so a new module is documented without editing this file.
API_GROUPS: dict[str, tuple[str, list[str]]] = {
    "core": ("Core: package, paths, schema, I/O, text, dates",
             ["mediaprov", "mediaprov.paths", "mediaprov.schema", "mediaprov.io", "mediaprov.parquet", "mediaprov.spool", "mediaprov.arrays", "mediaprov.text",
              "mediaprov.dating"]),
    "reference": ("Reference tables", ["mediaprov.reference"]),
    "features": ("Features: names, quotes, citations, embeds, evidence",
                 ["mediaprov.features", "mediaprov.names", "mediaprov.name_merge", "mediaprov.quotes",
                  "mediaprov.citations", "mediaprov.embeds", "mediaprov.passages"]),
    "stories": ("Stories", ["mediaprov.stories", "mediaprov.quote_links", "mediaprov.story_events"]),
    "evaluate": ("Evaluation against ground truth", ["mediaprov.evaluate"]),
    "workflow": ("Workflow, engine, provenance, report and command line",
                 ["mediaprov.workflow", "mediaprov.engine", "mediaprov.provenance",
                  "mediaprov.report", "mediaprov.notebook", "mediaprov.cli"]),
}
SUBPACKAGE_TITLES = {
    "ingest": "Ingestion", "reuse": "Text reuse", "narratives": "Narratives", "plots": "Figures",
    "demo": "Demo corpus", "overlap": "Source overlap", "timelines": "Timelines",
    "entities": "Entities", "speakers": "Speakers",
}
API_ORDER = ["core", "reference", "ingest", "features", "entities", "speakers", "reuse", "stories",
             "timelines", "overlap", "narratives", "plots", "evaluate", "workflow", "demo"]


# --------------------------------------------------------------------------- notebooks

def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _is_figure(output: dict) -> bool:
    data = output.get("data", {})
    return output.get("output_type") in {"display_data", "execute_result"} and (
        any(key.startswith("image/") for key in data) or _plotly_call(_html(output)) is not None)


def _html(output: dict) -> str:
    value = output.get("data", {}).get("text/html", "")
    return "".join(value) if isinstance(value, list) else value


def _plotly_call(text: str) -> tuple[list, dict, dict] | None:
    """``(data, layout, config)`` of the ``Plotly.newPlot(id, data, layout, config)`` in ``text``."""
    start = text.find("Plotly.newPlot(")
    if start < 0:
        return None
    decoder = json.JSONDecoder()
    position = start + len("Plotly.newPlot(")
    values = []
    for _ in range(4):
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            if len(values) == 3:  # no config argument
                values.append({})
                break
            return None
        values.append(value)
    _, data, layout, config = values
    return data, layout, config


def _is_plotly_loader(output: dict) -> bool:
    """The output plotly's notebook renderer emits once: the whole plotly.js bundle, no figure."""
    text = _html(output)
    return "window.PlotlyConfig" in text and "Plotly.newPlot(" not in text


def _plotly_output(figure: tuple[list, dict, dict], *, number: int, plotly_src: str | None) -> dict:
    """A display_data output that draws one figure with the site's own plotly.js."""
    data, layout, config = figure
    config = {**config, "responsive": True, "displaylogo": False}
    layout = {key: value for key, value in layout.items() if key != "width"}  # fit the page's width
    height = layout.get("height") or 525
    div_id = f"mediaprov-figure-{number}"
    spec = json.dumps({"data": data, "layout": layout, "config": config}).replace("</", "<\\/")
    loader = f'<script src="{html.escape(plotly_src)}"></script>\n' if plotly_src else ""
    body = (f'{loader}<div id="{div_id}" class="{PLOTLY_CLASS}" style="height:{int(height)}px; width:100%;"></div>\n'
            f'<script>(function () {{ var spec = {spec};\n'
            f'Plotly.newPlot("{div_id}", spec.data, spec.layout, spec.config); }})();</script>')
    return {"output_type": "display_data", "metadata": {}, "data": {"text/html": body}}


def prepare_notebook(notebook: dict, *, plotly_src: str) -> dict:
    """Return a copy of ``notebook`` ready for the site.

    * the static figure before each ``if in_report():`` cell that has outputs is dropped (its
      interactive twin replaces it; printed text of that cell stays);
    * plotly's one-off plotly.js loader output is dropped, and every plotly figure is re-emitted
      to draw with the site's ``plotly.min.js`` (loaded once per page, from ``plotly_src``)
      instead of the CDN MathJax and require.js logic of plotly's notebook renderer.

    Args:
        notebook: a notebook as a JSON dict (nbformat 4).
        plotly_src: URL of plotly.min.js relative to the page.

    Returns:
        The prepared copy; ``notebook`` is not modified.
    """
    notebook = copy.deepcopy(notebook)
    cells = notebook.get("cells", [])
    for index, cell in enumerate(cells):
        if (index > 0 and cell.get("cell_type") == "code" and _source(cell).lstrip().startswith(TWIN_PREFIX)
                and any(_is_figure(o) for o in cell.get("outputs", []))):
            static = cells[index - 1]
            if static.get("cell_type") == "code":
                static["outputs"] = [o for o in static.get("outputs", []) if not _is_figure(o)]
    number = 0
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            if _is_plotly_loader(output):
                continue
            figure = _plotly_call(_html(output)) if output.get("output_type") in {
                "display_data", "execute_result"} else None
            if figure is not None:
                number += 1
                output = _plotly_output(figure, number=number, plotly_src=plotly_src if number == 1 else None)
            outputs.append(output)
        cell["outputs"] = outputs
    return notebook


def _code_sources(notebook: dict) -> list[str]:
    """The code the notebook runs, without papermill-style injected parameters."""
    return [_source(c) for c in notebook.get("cells", [])
            if c.get("cell_type") == "code" and "injected-parameters" not in c.get("metadata", {}).get("tags", [])]


def choose_notebook(committed: Path, reports: Path | None) -> tuple[dict, str]:
    """The notebook to render for ``committed``: the report-executed one when it is current.

    Returns:
        ``(notebook, origin)``; origin is ``"report"`` or ``"committed"``.
    """
    notebook = json.loads(committed.read_text(encoding="utf-8"))
    if reports is not None:
        candidate = reports / committed.name
        if candidate.is_file():
            executed = json.loads(candidate.read_text(encoding="utf-8"))
            if _code_sources(executed) == _code_sources(notebook):
                return executed, "report"
            print(f"docs: {candidate} was executed from other cells than {committed.name}; "
                  "using the committed notebook (rerun `mediaprov report --corpus demo`)", file=sys.stderr)
    return notebook, "committed"


def _note_origin(notebook: dict, origin: str, source: str, corpus: str) -> None:
    if origin == "report":
        text = (f'!!! note "Interactive figures"\n    Rendered from `{source}`, executed by '
                "`mediaprov report`: interactive figures replace their static twins.")
    else:
        text = (f'!!! note "Static figures"\n    Rendered from the committed `{source}`. Run '
                f"`mediaprov report --corpus {corpus} --out reports` before `make docs` for interactive figures.")
    cells = notebook.setdefault("cells", [])
    first = 1 if cells and cells[0].get("cell_type") == "markdown" and _source(cells[0]).startswith("#") else 0
    cells.insert(first, {"cell_type": "markdown", "id": "mediaprov-docs-origin", "metadata": {}, "source": text})


def stage_notebooks(stage: Path, *, notebooks: Path, reports: Path | None) -> list:
    """Write the prepared notebooks under ``stage/notebooks/`` and return their nav entries.

    The demo notebooks prefer ``reports/<name>``; a case study ``notebooks/case_studies/X/``
    prefers ``X`` beside ``reports`` (``reports/X/``, what ``mediaprov report --corpus X`` writes).
    """
    nav: list = []
    case_studies: list = []
    for path in sorted(notebooks.glob("*.ipynb")):
        nav.append({_title(path): _write_notebook(stage, path, Path("notebooks") / path.name, reports,
                                                  corpus=reports.name if reports is not None else "demo")})
    for folder in sorted(p for p in (notebooks / "case_studies").glob("*") if p.is_dir()):
        own = reports.parent / folder.name if reports is not None else None
        entries = [{_title(p): _write_notebook(stage, p, Path("notebooks/case_studies") / folder.name / p.name, own,
                                               corpus=folder.name)}
                   for p in sorted(folder.glob("*.ipynb"))]
        if entries:
            case_studies.append({f"Case study: {folder.name}": entries})
    return nav + case_studies


def _write_notebook(stage: Path, path: Path, relative: Path, reports: Path | None, *, corpus: str) -> str:
    notebook, origin = choose_notebook(path, reports)
    depth = len(relative.parts) - 1
    prepared = prepare_notebook(notebook, plotly_src="../" * depth + PLOTLY_JS)
    used = reports / path.name if origin == "report" and reports is not None else path
    _note_origin(prepared, origin, _shown(used), corpus)
    target = stage / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(prepared, ensure_ascii=False), encoding="utf-8")
    return relative.as_posix()


def _shown(path: Path) -> str:
    """``path`` relative to the project when it is inside it, else its name."""
    path = path.resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def _title(path: Path) -> str:
    """``03_source_overlap_clustering.ipynb`` -> ``03 Source overlap clustering``."""
    number, _, rest = path.stem.partition("_")
    return f"{number} {rest.replace('_', ' ').capitalize()}" if number.isdigit() else path.stem


# --------------------------------------------------------------------------- tables

def _attribute_docs(module_path: Path) -> dict[str, str]:
    """``NAME -> docstring`` of module-level assignments followed by a string literal."""
    tree = ast.parse(module_path.read_text(encoding="utf-8"))
    docs = {}
    body = tree.body
    for node, following in pairwise(body):
        if (isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant) and isinstance(following.value.value, str)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    docs[target.id] = " ".join(following.value.value.split())
    return docs


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _inline_rst(text: str) -> str:
    """Sphinx roles (``:func:`x```) and double backticks as Markdown code."""
    text = re.sub(r":[a-z]+:`~?([^`]+)`", r"`\1`", text)
    return text.replace("``", "`")


def schema_markdown() -> str:
    """Markdown for every table of :mod:`mediaprov.schema`, read from its Schema objects."""
    from mediaprov import schema

    try:
        from mediaprov import workflow
        stages = {t: stage for stage, (tables, *_) in getattr(workflow, "STAGES", {}).items() for t in tables}
    except Exception:  # the tables page must not depend on the workflow's shape
        stages = {}
    names = {value.name: name for name, value in vars(schema).items() if isinstance(value, schema.Schema)}
    docs = _attribute_docs(Path(schema.__file__))
    lines = []
    for table in schema.ALL.values():
        lines += [f"### `{table.name}`", ""]
        constant = names.get(table.name)
        if constant and constant in docs:
            lines += [_inline_rst(docs[constant]), ""]
        facts = [f"Schema object: `mediaprov.schema.{constant}`" if constant else ""]
        if table.name in stages:
            facts.append(f"written by the `{stages[table.name]}` stage "
                         f"(`mediaprov.workflow.load(corpus, \"{table.name}\")`)")
        lines += ["; ".join(f for f in facts if f) + ".", ""]
        lines += ["| column | dtype | status | meaning |", "| --- | --- | --- | --- |"]
        for column, dtype in table.columns.items():
            status = "required" if column in table.required else "optional" if column in table.optional else ""
            lines.append(f"| `{column}` | `{dtype}` | {status} | {_cell(_inline_rst(table.doc.get(column, '')))} |")
        lines.append("")
    return "\n".join(lines)


def reference_markdown() -> str:
    """Markdown for every reference table of :data:`mediaprov.reference.TABLES`."""
    from mediaprov import reference

    def columns(values: object) -> str:
        return ", ".join(f"`{c}`" for c in values) if values else ""

    lines = ["| table | file | required columns | optional columns | key | cells that may not be empty |",
             "| --- | --- | --- | --- | --- | --- |"]
    for name, spec in reference.TABLES.items():
        key = f"`{spec.key}`" if getattr(spec, "key", None) else ""
        lines.append(f"| `{name}` | `{spec.file}` | {columns(spec.required)} | {columns(getattr(spec, 'optional', ()))} "
                     f"| {key} | {columns(getattr(spec, 'not_empty', ()))} |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- API pages

def api_pages() -> dict[str, tuple[str, list[str]]]:
    """``slug -> (title, modules)``: one page per subpackage or group of flat modules."""
    pages = {slug: (title, list(modules)) for slug, (title, modules) in API_GROUPS.items()}
    grouped = {m for _, modules in API_GROUPS.values() for m in modules}
    other = []
    for path in sorted(PACKAGE.iterdir()):
        if path.is_dir() and (path / "__init__.py").is_file():
            modules = [f"mediaprov.{path.name}"] + [f"mediaprov.{path.name}.{p.stem}" for p in sorted(path.glob("*.py"))
                                                    if not p.stem.startswith("_")]
            pages[path.name] = (SUBPACKAGE_TITLES.get(path.name, f"mediaprov.{path.name}"), modules)
        elif path.suffix == ".py" and not path.stem.startswith("_") and f"mediaprov.{path.stem}" not in grouped:
            other.append(f"mediaprov.{path.stem}")
    for slug, (title, modules) in list(pages.items()):  # modules removed by a refactor drop out
        pages[slug] = (title, [m for m in modules if _module_exists(m)])
    if other:
        pages["other"] = ("Other modules", other)
    order = {slug: i for i, slug in enumerate(API_ORDER)}
    return dict(sorted(((s, p) for s, p in pages.items() if p[1]), key=lambda item: order.get(item[0], len(order))))


def _module_exists(module: str) -> bool:
    parts = module.split(".")[1:]
    base = PACKAGE.joinpath(*parts)
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file() or not parts


def _reexports_only(module: str) -> bool:
    """True for a subpackage whose ``__init__`` defines no function or class of its own."""
    init = PACKAGE.joinpath(*module.split(".")[1:], "__init__.py")
    if module == "mediaprov" or not init.is_file():
        return False
    tree = ast.parse(init.read_text(encoding="utf-8"))
    return not any(isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for node in tree.body)


def stage_api(stage: Path) -> list:
    """Write one API reference page per subpackage into ``stage``; returns their nav entries."""
    nav = []
    for slug, (title, modules) in api_pages().items():
        lines = [f"# {title}", ""]
        for module in modules:
            lines += [f"::: {module}", ""]
            if _reexports_only(module):  # its names are documented in the submodules that define them
                lines[-1:] = ["    options:", "      members: false", ""]
        (stage / "api").mkdir(parents=True, exist_ok=True)
        (stage / "api" / f"{slug}.md").write_text("\n".join(lines), encoding="utf-8")
        nav.append({title: f"api/{slug}.md"})
    return nav


# --------------------------------------------------------------------------- build

def stage_docs(stage: Path, *, notebooks: Path, reports: Path | None) -> list:
    """Fill ``stage`` with every page and asset; return the generated part of the nav."""
    shutil.copytree(DOCS, stage, dirs_exist_ok=True, ignore=shutil.ignore_patterns("build.py", "griffe_docstrings.py", "__pycache__"))
    for page, text in {"pipeline.md": schema_markdown(), "reference-tables.md": reference_markdown()}.items():
        path = stage / page
        mark = GENERATED_MARK.format(name=Path(page).stem)
        content = path.read_text(encoding="utf-8")
        if mark not in content:
            raise ValueError(f"docs/{page} needs the line {mark!r} where the generated tables go")
        path.write_text(content.replace(mark, text), encoding="utf-8")
    import plotly

    js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    (stage / PLOTLY_JS).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(js, stage / PLOTLY_JS)
    return [{"Notebooks": stage_notebooks(stage, notebooks=notebooks, reports=reports)},
            {"API reference": stage_api(stage)}]


def build(site: Path, *, notebooks: Path = ROOT / "notebooks", reports: Path | None = ROOT / "reports" / "demo",
          config: Path = ROOT / "mkdocs.yml", strict: bool = False, quiet: bool = False) -> Path:
    """Build the site into ``site`` and return it.

    Args:
        site: output folder (replaced).
        notebooks: the committed notebooks (``notebooks/``, with ``case_studies/``).
        reports: folder of report-executed notebooks; ``None`` renders the committed ones only.
        config: the MkDocs configuration.
        strict: fail on MkDocs warnings.
        quiet: only warnings and errors from MkDocs.
    """
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.WARNING if quiet else logging.INFO)
    with tempfile.TemporaryDirectory(prefix="mediaprov-docs-") as folder, contextlib.chdir(ROOT):
        stage = Path(folder) / "docs"
        generated = stage_docs(stage, notebooks=notebooks, reports=reports)
        import yaml

        nav = yaml.safe_load(config.read_text(encoding="utf-8"))["nav"]
        split = next((i for i, e in enumerate(nav) if "extend.md" in json.dumps(e)), len(nav))
        cfg = load_config(str(config), docs_dir=str(stage), site_dir=str(Path(site).resolve()),
                          nav=nav[:split] + generated + nav[split:], strict=strict)
        cfg.plugins["mkdocs-jupyter"].config["cache_dir"] = str(Path(folder) / "cache")
        mkdocs_build(cfg)
    return Path(site)


def main(argv: list[str] | None = None) -> int:
    """Build the site (command line: ``--site``, ``--reports``, ``--committed-only``, ``--strict``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="output folder (default site/)")
    parser.add_argument("--reports", type=Path, default=ROOT / "reports" / "demo",
                        help="report-executed notebooks to prefer (default reports/demo)")
    parser.add_argument("--committed-only", action="store_true", help="render the committed notebooks only")
    parser.add_argument("--strict", action="store_true", help="fail on MkDocs warnings")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    build(args.site, reports=None if args.committed_only else args.reports, strict=args.strict)
    print(f"docs: site written to {args.site} in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
