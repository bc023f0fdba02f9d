"""The documentation site builds, and every page works in a real headless browser.

The site is built once (into a temporary folder) from the committed notebooks, plus one
report-executed notebook made here: a copy of notebook 01 whose ``if in_report():`` cell holds a
plotly figure, as ``mediaprov report`` writes it. Then every page is loaded in Chromium from the
system packages, driven through the DevTools protocol, and must show no script error, request
nothing from the network, load every image and draw every plotly figure (its ``svg``). The
checker itself is tested on small broken pages, so it is known to fail when it should.

Chromium is installed by ``make test`` (``make chromium``) when missing; these tests skip, saying
why, only when it is not there.
"""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

import pytest

from browser import Browser  # the browser and serve fixtures come from conftest.py

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _load_build_module():
    spec = importlib.util.spec_from_file_location("mediaprov_docs_build", PROJECT_ROOT / "docs" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_module()


# --------------------------------------------------------------------------- the browser



# --------------------------------------------------------------------------- the site

def _plotly_outputs() -> list[dict]:
    """What plotly's notebook renderer stores: the plotly.js loader once, then the figure."""
    import plotly.graph_objects as go
    import plotly.io as pio

    figure = go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2]), layout={"title": {"text": "synthetic twin"}})
    loader = ("<script type=\"text/javascript\">window.PlotlyConfig = {MathJaxConfig: 'local'};</script>\n"
              "<script type=\"text/javascript\">/* plotly.js bundle */</script>")
    shown = pio.to_html(figure, include_plotlyjs=False, full_html=False)
    return [{"output_type": "display_data", "metadata": {}, "data": {"text/html": loader}},
            {"output_type": "display_data", "metadata": {}, "data": {"text/html": shown, "text/plain": "Figure"}}]


def _with_interactive_twin(notebook: dict) -> dict:
    """``notebook`` as a report run leaves it: its first ``if in_report():`` cell has a figure."""
    notebook = copy.deepcopy(notebook)
    twin = next(c for c in notebook["cells"] if build._source(c).startswith(build.TWIN_PREFIX))
    twin["outputs"] = _plotly_outputs()
    return notebook


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built from the committed notebooks plus a report-executed copy of notebook 01."""
    reports = tmp_path_factory.mktemp("reports")
    first = sorted((PROJECT_ROOT / "notebooks").glob("01_*.ipynb"))[0]
    (reports / first.name).write_text(
        json.dumps(_with_interactive_twin(json.loads(first.read_text(encoding="utf-8")))), encoding="utf-8")
    return build.build(tmp_path_factory.mktemp("site") / "site", reports=reports, quiet=True)


def test_site_has_every_page(site: Path) -> None:
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    for page in ("index.html", "getting-started.html", "pipeline.html", "reference-tables.html", "extend.html"):
        assert page in pages
    notebooks = sorted(p.name for p in (PROJECT_ROOT / "notebooks").glob("*.ipynb"))
    assert {f"notebooks/{Path(n).stem}.html" for n in notebooks} <= pages
    api = [p for p in pages if p.startswith("api/")]
    assert len(api) >= 8, sorted(pages)
    for page in api:  # every API page documents objects (mkdocstrings found the modules)
        assert 'class="doc doc-object' in (site / page).read_text(encoding="utf-8"), page


def test_tables_page_lists_every_schema_column(site: Path) -> None:
    from mediaprov import schema

    text = (site / "pipeline.html").read_text(encoding="utf-8")
    for table in schema.ALL.values():
        for column, dtype in table.columns.items():
            assert f"<code>{column}</code>" in text and f"<code>{dtype}</code>" in text, (table.name, column)


def test_site_loads_nothing_from_the_network_by_markup(site: Path) -> None:
    import re

    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        remote = re.findall(r"<(?:script|link|img)\b[^>]*(?:src|href)=\"(https?:[^\"]+)\"", text)
        assert not remote, f"{page.relative_to(site)} loads {remote[:3]}"


def test_interactive_twin_replaces_static_figure(site: Path) -> None:
    first = sorted((PROJECT_ROOT / "notebooks").glob("01_*.ipynb"))[0]
    page = (site / "notebooks" / f"{first.stem}.html").read_text(encoding="utf-8")
    committed = json.loads(first.read_text(encoding="utf-8"))
    static_images = sum(1 for c in committed["cells"] for o in c.get("outputs", [])
                        if any(k.startswith("image/") for k in o.get("data", {})))
    assert page.count('class="mediaprov-plotly"') == 1
    assert page.count("<img") == static_images - 1
    assert "Interactive figures" in page and "window.PlotlyConfig" not in page


def test_every_page_works_in_the_browser(site: Path, browser: Browser, serve) -> None:
    base = serve(site)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    problems, plots, images = {}, 0, 0
    for page in pages:
        report = browser.check(base + page, origin=base)
        plots += report["plots"]
        images += report["images"]
        wrong = {k: report[k] for k in ("errors", "external", "plotsWithoutSvg", "brokenImages") if report[k]}
        if page.startswith("notebooks/") and report["plots"] + report["images"] == 0:
            wrong["figures"] = "a notebook page with no figure"
        if wrong:
            problems[page] = wrong
    assert not problems, json.dumps(problems, indent=1)[:4000]
    assert plots >= 1 and images >= 10, (plots, images)


# --------------------------------------------------------------------------- the checker fails when it should

BROKEN_PAGES = {
    "script_error.html": "<p>text</p><script>undefinedFunction();</script>",
    "console_error.html": "<script>console.error('boom');</script>",
    "broken_image.html": '<img src="missing.png" alt="missing">',
    "broken_plot.html": '<div class="mediaprov-plotly" id="never-drawn"></div>',
    "external.html": '<img src="http://127.0.0.1:9/tracker.png" alt="remote">',  # another origin
}


def test_checker_catches_broken_pages(tmp_path: Path, browser: Browser, serve) -> None:
    for name, body in BROKEN_PAGES.items():
        (tmp_path / name).write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")
    (tmp_path / "good.html").write_text("<!doctype html><html><body><p>fine</p></body></html>", encoding="utf-8")
    base = serve(tmp_path)
    reports = {name: browser.check(base + name, origin=base, settle=2) for name in [*BROKEN_PAGES, "good.html"]}
    assert any("undefinedFunction" in e for e in reports["script_error.html"]["errors"])
    assert any("boom" in e for e in reports["console_error.html"]["errors"])
    assert reports["broken_image.html"]["brokenImages"]
    assert reports["broken_plot.html"]["plotsWithoutSvg"] == ["never-drawn"]
    assert reports["external.html"]["external"]
    good = reports["good.html"]
    assert not (good["errors"] or good["external"] or good["brokenImages"] or good["plotsWithoutSvg"])


# --------------------------------------------------------------------------- notebook preparation

def _figure_output(kind: str = "image/png") -> dict:
    return {"output_type": "display_data", "metadata": {}, "data": {kind: "iVBORw0KGgo=", "text/plain": "<Figure>"}}


def _code(source: str, outputs: list[dict]) -> dict:
    return {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": source, "outputs": outputs}


def test_prepare_drops_static_twin_only_when_interactive_one_has_output() -> None:
    printed = {"output_type": "stream", "name": "stdout", "text": "13 outlets\n"}
    notebook = {"cells": [
        _code("print('13 outlets'); figure(a)", [printed, _figure_output()]),
        _code("if in_report():\n    display(figure_plotly(a))", _plotly_outputs()),
        _code("figure(b)", [_figure_output()]),
        _code("if in_report():\n    display(figure_plotly(b))", []),  # committed: no output
    ]}
    prepared = build.prepare_notebook(notebook, plotly_src="../assets/javascripts/plotly.min.js")
    cells = prepared["cells"]
    assert cells[0]["outputs"] == [printed]  # the figure goes, the printed text stays
    assert len(cells[1]["outputs"]) == 1  # the plotly.js loader is dropped
    shown = cells[1]["outputs"][0]["data"]["text/html"]
    assert 'src="../assets/javascripts/plotly.min.js"' in shown and "cdn" not in shown.lower()
    assert cells[2]["outputs"] == [_figure_output()]  # no interactive output: the static one stays
    assert notebook["cells"][0]["outputs"] == [printed, _figure_output()]  # input untouched


def test_report_notebook_used_only_when_it_runs_the_same_cells(tmp_path: Path) -> None:
    committed = {"cells": [_code("x = 1", []), _code("if in_report():\n    show()", [])],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    reports = tmp_path / "reports"
    reports.mkdir()
    (tmp_path / "01_a.ipynb").write_text(json.dumps(committed))
    executed = copy.deepcopy(committed)
    executed["cells"].insert(1, {"cell_type": "code", "metadata": {"tags": ["injected-parameters"]},
                                 "source": "CORPUS = 'demo'", "outputs": [], "execution_count": 1})
    (reports / "01_a.ipynb").write_text(json.dumps(executed))
    assert build.choose_notebook(tmp_path / "01_a.ipynb", reports)[1] == "report"
    executed["cells"][0]["source"] = "x = 2"  # executed from an older version of the notebook
    (reports / "01_a.ipynb").write_text(json.dumps(executed))
    assert build.choose_notebook(tmp_path / "01_a.ipynb", reports)[1] == "committed"
    assert build.choose_notebook(tmp_path / "01_a.ipynb", None)[1] == "committed"


def test_case_studies_get_pages_and_their_own_reports(tmp_path: Path) -> None:
    notebooks, reports, stage = tmp_path / "notebooks", tmp_path / "reports", tmp_path / "stage"
    study = notebooks / "case_studies" / "corpus_x"
    study.mkdir(parents=True)
    (reports / "corpus_x").mkdir(parents=True)
    committed = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# 01 · A"},
                           _code("figure(a)", [_figure_output()]),
                           _code("if in_report():\n    display(figure_plotly(a))", [])],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (notebooks / "01_a.ipynb").write_text(json.dumps(committed))
    (study / "01_a.ipynb").write_text(json.dumps(committed))
    executed = copy.deepcopy(committed)
    executed["cells"][2]["outputs"] = _plotly_outputs()
    (reports / "corpus_x" / "01_a.ipynb").write_text(json.dumps(executed))
    nav = build.stage_notebooks(stage, notebooks=notebooks, reports=reports / "demo")
    assert nav == [{"01 A": "notebooks/01_a.ipynb"},
                   {"Case study: corpus_x": [{"01 A": "notebooks/case_studies/corpus_x/01_a.ipynb"}]}]
    demo = (stage / "notebooks" / "01_a.ipynb").read_text()
    assert "Static figures" in demo and "image/png" in demo and "mediaprov-plotly" not in demo
    study_page = (stage / "notebooks" / "case_studies" / "corpus_x" / "01_a.ipynb").read_text()
    assert "Interactive figures" in study_page and "image/png" not in study_page
    assert 'src=\\"../../../assets/javascripts/plotly.min.js\\"' in study_page


def test_docstring_rewrite_for_the_site() -> None:
    import doctest

    spec = importlib.util.spec_from_file_location("mediaprov_griffe_docstrings",
                                                  PROJECT_ROOT / "docs" / "griffe_docstrings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert doctest.testmod(module).failed == 0
    from mediaprov import reference

    rewritten = module.rewrite(reference.__doc__)
    assert "=====" not in rewritten and "| outlets | `outlets.csv` |" in rewritten


def test_generated_pages_follow_the_code() -> None:
    from mediaprov import reference, schema

    tables = build.schema_markdown()
    assert all(f"### `{name}`" in tables for name in schema.ALL)
    assert all(f"`{spec.file}`" in build.reference_markdown() for spec in reference.TABLES.values())
    modules = {m for _, group in build.api_pages().values() for m in group}
    on_disk = {f"mediaprov.{p.stem}" for p in build.PACKAGE.glob("*.py") if not p.stem.startswith("_")}
    assert on_disk <= modules, sorted(on_disk - modules)



def test_citation_and_license_agree_with_pyproject() -> None:
    import tomllib

    import yaml

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    citation = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["type"] == "software"
    assert {"authors", "cff-version", "message", "title"} <= set(citation)
    assert str(citation["version"]) == project["version"]
    license_ = project["license"]
    assert citation["license"] == (license_["text"] if isinstance(license_, dict) else license_) == "MIT"
    assert (PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    changelog = (PROJECT_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog and f"## [{project['version']}]" in changelog
