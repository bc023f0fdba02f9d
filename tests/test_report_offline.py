"""The HTML report works offline (issue 14): no script from the network, every figure drawn.

Reviewers read ``reports/*.html`` on machines that reach no CDN. A notebook with two plotly figures
is executed the way the report executes notebooks (:func:`mediaprov.report.execute_notebook` with
``report=True``: plotly's ``notebook`` renderer) and rendered with
:func:`mediaprov.report.render_html`. Then:

* no ``<script>``, ``<link>``, ``<img>`` or ``<iframe>`` of the page names an ``http(s)://`` URL
  (the page is parsed, so URLs inside the inlined plotly.js do not count), and plotly.js is
  inlined exactly once;
* loaded in headless Chromium from a local server, the page requests nothing outside that server,
  throws no script error and draws both figures (an ``svg.main-svg`` in each).

The real notebooks are checked the same way on a hostile corpus in ``test_report_safety.py``.
Chromium is installed by ``make test`` (``make chromium``); the browser check skips, saying why,
when it is absent.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser import Browser  # the browser and serve fixtures come from conftest.py

NEEDS_NOTEBOOKS = "the notebooks extra is needed to render reports"
FIGURES = (
    "import plotly.express as px\n"
    "px.bar(x=['harbor', 'ferry'], y=[3, 1], title='Costs in $ and $$: plain text').show()",
    "from IPython.display import display\n"
    "display(px.scatter(x=[1, 2, 3], y=[3, 1, 2], title='Second figure'))",
)


class _RemoteLoads(HTMLParser):
    """The ``http(s)://`` URLs a page's elements would load (``src``/``href`` of loading tags)."""

    LOADING = {"script": "src", "img": "src", "iframe": "src", "link": "href", "embed": "src",
               "source": "src", "audio": "src", "video": "src"}

    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = self.LOADING.get(tag)
        for name, value in attrs:
            remote = value and value.strip().lower().startswith(("http:", "https:", "//"))
            if name == wanted and remote:
                self.remote.append(f"<{tag} {name}={value}>")


def remote_loads(html: str) -> list[str]:
    """Elements of ``html`` that load from the network.

    Example:
        >>> page = ('<script src="https://cdn.example/a.js"></script>'
        ...         '<script>"<img src=http://x>"</script>')
        >>> remote_loads(page)
        ['<script src=https://cdn.example/a.js>']
    """
    parser = _RemoteLoads()
    parser.feed(html)
    parser.close()
    return parser.remote


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-figure notebook executed and rendered as the report renders notebooks."""
    nbformat = pytest.importorskip("nbformat", reason=NEEDS_NOTEBOOKS)
    from mediaprov import report

    folder = tmp_path_factory.mktemp("offline-report")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Offline report\n\nPrices of $5 and $10: no maths."),
        *(nbformat.v4.new_code_cell(source) for source in FIGURES),
    ])
    path = folder / "figures.ipynb"
    nbformat.write(notebook, path)
    executed = report.execute_notebook(path, report=True)
    page = folder / "figures.html"
    page.write_text(report.render_html(executed), encoding="utf-8")
    return page


def test_remote_loads_sees_tags_not_text() -> None:
    """Loading tags count; a URL in a script's text does not."""
    page = ('<link rel="stylesheet" href="//fonts.example/a.css">'
            '<img src="data:image/png;base64,AA">'
            '<script>var s = \'<script src="https://cdn.example/x.js"></scr\' + \'ipt>\';</script>')
    assert remote_loads(page) == ["<link href=//fonts.example/a.css>"]


def test_render_html_drops_cdn_scripts_of_nbconvert_and_plotly() -> None:
    """The page has no CDN script (nbconvert's or a figure's); inline scripts stay."""
    nbformat = pytest.importorskip("nbformat", reason=NEEDS_NOTEBOOKS)
    from mediaprov.report import render_html

    figure = ('<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/3.2.2/es5/tex-svg.min.js'
              '"></script><div id="f"></div><script>window.drawn = "f";</script>')
    cell = nbformat.v4.new_code_cell("fig", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": figure})])
    notebook = nbformat.v4.new_notebook(cells=[cell])
    html = render_html(notebook)
    assert remote_loads(html) == []
    assert 'window.drawn = "f";' in html
    assert "cdnjs" in cell.outputs[0].data["text/html"]  # the notebook itself is left unchanged


def test_report_page_loads_nothing_from_the_network(report_page: Path) -> None:
    """An executed report page names no remote script and inlines plotly.js once."""
    html = report_page.read_text(encoding="utf-8")
    assert remote_loads(html) == []
    assert html.count("window.PlotlyConfig") == 1  # plotly.js inlined once per page
    assert html.count("Plotly.newPlot(") == len(FIGURES)


def test_report_page_draws_its_figures_offline(report_page: Path, browser: Browser, serve) -> None:
    """In Chromium the page requests nothing remote, throws nothing and draws every figure."""
    base = serve(report_page.parent)
    result = browser.check(base + report_page.name, origin=base)
    assert result["external"] == [], result
    # the browser asks for a favicon by itself: that 404 is no error of the page
    errors = [e for e in result["errors"] if not e.endswith(base + "favicon.ico")]
    assert errors == [], result
    assert result["plots"] == len(FIGURES) and result["plotsWithoutSvg"] == [], result
