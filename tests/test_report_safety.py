r"""Hostile text never runs as script in the HTML reports, and never breaks them (issue 12).

A small fictional corpus whose titles, outlet ids and names, camps, quotes, speakers' and actors'
names (a corpus ``entities.csv``), body text, URLs and event labels carry script payloads
(``<script>``, ``onerror=``, ``onload=``, ``javascript:``), mathtext (``$$``, ``$x^2$``) and
template syntax (``{{7*7}}``). It is run through every stage and the four notebooks
(:func:`mediaprov.report.run_notebooks`, interactive plotly figures included). Then:

* no notebook cell errored (the report raises otherwise), and the payloads appear in the HTML only
  escaped: no live ``<script>``, ``onerror``/``onload`` attribute or ``javascript:`` link comes
  from the data, anywhere in the file (plotly's JSON escapes ``<`` as ``\u003c``);
* every page, loaded in headless Chromium, with mouse-move events over a grid of points inside
  every plotly figure and ``Plotly.Fx.hover`` on points of every trace (hover labels are where
  plotly writes data text into the DOM), never sets ``window.__xss``, opens no dialog, throws no
  uncaught error and has no element with an ``on*`` attribute or a ``javascript:`` link; it asks
  nothing of the network either (the report is self-contained, issue 14: see also
  ``test_report_offline.py``) and draws every plotly figure.

The checker is shown to fail on small pages that do set ``window.__xss`` on load and on hover.
Chromium is installed by ``make test`` (``make chromium``); the browser checks skip, saying why,
when it is absent.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from browser import Browser  # the browser and serve fixtures come from conftest.py

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CORPUS = "hostile_report"
PAYLOADS = {
    "script": "<script>window.__xss=1</script>",
    "img": '<img src=x onerror="window.__xss=1">',
    "svg": '"><svg onload=window.__xss=1>',
    "dollars": "$$",
    "math": "$x^2$",
    "template": "{{7*7}}",
    "link": "javascript:window.__xss=1",
}
OUTLETS = [  # id, name, camp: registered ids are any text (unregistered ones become slugs)
    ("harbor-gazette", f"Harbor Gazette {PAYLOADS['img']}", f"tide camp {PAYLOADS['script']}"),
    (f"lantern{PAYLOADS['svg']}", f"Lantern Post {PAYLOADS['svg']}", f"tide camp {PAYLOADS['script']}"),
    (f"quay {PAYLOADS['img']} {PAYLOADS['math']}", f"Quay Courier {PAYLOADS['math']} {PAYLOADS['dollars']}",
     f"reef camp {PAYLOADS['svg']}"),
    (f"ferry {PAYLOADS['template']} {PAYLOADS['link']} {PAYLOADS['dollars']}",
     f"Ferry Ledger {PAYLOADS['template']} {PAYLOADS['link']}", f"reef camp {PAYLOADS['math']}"),
]
ENTITIES = [  # entity_id, kind, canonical_name, aliases: speakers and actors shown by their names
    ("orrin", "person", f"Orrin Calloway {PAYLOADS['svg']}", "Orrin Calloway"),
    ("tessaly", "person", f"Tessaly Brun {PAYLOADS['img']} {PAYLOADS['dollars']}", "Tessaly Brun"),
    ("harbor-union", "org", f"Ferry Union {PAYLOADS['script']} {PAYLOADS['template']}", "ferry union|Ferry Union"),
]
EVENTS = [
    ("2023-03-04", f"Pier vote {PAYLOADS['script']}", "ev-x1"),
    ("2023-03-18", f"Ferry strike {PAYLOADS['img']} {PAYLOADS['dollars']}", "ev-x2"),
    ("2023-04-01", f"Lighthouse audit {PAYLOADS['svg']} {PAYLOADS['math']}", "ev-x3"),
    ("2023-04-15", f"Harbor fund {PAYLOADS['template']} {PAYLOADS['link']}", "ev-x4"),
]
SPEAKERS = ["Mirelle Vantosk", "Orrin Calloway", "Tessaly Brun", "Davik Oremund"]
SHARED = ("The harbor board of Port Almera said the pier repairs would cost more than the fund "
          "could carry before the winter storms.")


def _article(index: int) -> dict:
    _, outlet, _ = OUTLETS[index % len(OUTLETS)]
    payload = list(PAYLOADS.values())[index % len(PAYLOADS)]
    speaker = SPEAKERS[index % len(SPEAKERS)]
    other = SPEAKERS[(index + 1) % len(SPEAKERS)]
    day = 1 + (index * 3) % 27
    month = 3 + index % 2
    text = (f"{SHARED} Officials of the ferry union met on day {index} to discuss the pier {payload}.\n\n"
            f"\"We will not let the harbor fund run dry {payload},\" said {speaker}, the union's "
            f"spokesperson, on the quay. {other} told reporters: \"The lighthouse stays lit {payload} "
            f"whatever the board decides.\"\n\n"
            f"The Port Almera harbor board meets again in week {index + 2}; {payload} was written on "
            f"the notice board beside the ferry timetable number {index * 11}.\n")
    return {"title": f"Harbor story {index} {payload}", "text": text,
            "date": f"2023-{month:02d}-{day:02d}", "outlet": outlet,
            "url": f"https://outlet{index % len(OUTLETS)}.example/{index}?q={payload}"}


def write_corpus(data: Path) -> str:
    """The hostile fictional corpus and its reference tables under ``data`` (a MEDIAPROV_DATA)."""
    raw = data / "raw" / CORPUS
    raw.mkdir(parents=True)
    lines = [json.dumps(_article(i), ensure_ascii=False) for i in range(16)]
    (raw / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    reference = data / "reference"
    source = PROJECT_ROOT / "data" / "reference"
    reference.mkdir(parents=True)
    for csv in source.glob("*.csv"):
        shutil.copy(csv, reference / csv.name)
    shutil.copytree(source / "lexicons", reference / "lexicons")
    local = reference / CORPUS
    local.mkdir()
    import csv as csv_module

    with open(local / "outlets.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv_module.writer(handle)
        writer.writerow(["outlet_id", "name", "camp", "affiliation_citation"])
        for outlet_id, name, camp in OUTLETS:
            writer.writerow([outlet_id, name, camp, f"fictional test camp {PAYLOADS['img']}"])
    with open(local / "entities.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv_module.writer(handle)
        writer.writerow(["entity_id", "kind", "canonical_name", "aliases", "citation"])
        for row in ENTITIES:
            writer.writerow([*row, "fictional test entity"])
    with open(local / "events.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv_module.writer(handle)
        writer.writerow(["date", "label", "citation", "event_id"])
        for date, label, event_id in EVENTS:
            writer.writerow([date, label, f"fictional event {PAYLOADS['svg']}", event_id])
    return CORPUS


# --------------------------------------------------------------------------- the markup check

LIVE = {
    "script tag from data": re.compile(r"<script>window\.__xss", re.I),
    "img onerror from data": re.compile(r"<img src=x onerror", re.I),
    "svg onload from data": re.compile(r"<svg onload=", re.I),
    "javascript: link": re.compile(r"(?:href|src)\s*=\s*[\"']?\s*javascript:", re.I),
}


def live_markup(html: str) -> list[str]:
    r"""Payloads present as live markup anywhere in ``html``.

    Plotly's JSON (inside ``<script>``) is not left out: there the payloads must be escaped too
    (``\u003c``), or a ``</script>`` in data would end the script and start live markup.

    Example:
        >>> live_markup('<p>&lt;script&gt;window.__xss=1&lt;/script&gt;</p>')
        []
        >>> live_markup('<p><img src=x onerror="window.__xss=1"></p>')
        ['img onerror from data']
    """
    return [name for name, pattern in LIVE.items() if pattern.search(html)]


# --------------------------------------------------------------------------- the browser check

LISTEN_JS = """window.__hovered = 0;
document.querySelectorAll('.js-plotly-plot').forEach(
  d => d.on && d.on('plotly_hover', () => { window.__hovered += 1; }));
0"""
LIVE_DOM_JS = """JSON.stringify([...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
  .filter(a => /^on/i.test(a.name)
    || (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /^\\s*javascript:/i.test(a.value)))
  .map(a => e.tagName + ' ' + a.name + '=' + a.value.slice(0, 80))))"""
HOVER_BOXES_JS = """JSON.stringify([...document.querySelectorAll('.js-plotly-plot')].map(d => {
  d.scrollIntoView({block: 'center'});
  const box = (d.querySelector('.nsewdrag') || d).getBoundingClientRect();
  return {x: box.left, y: box.top, w: box.width, h: box.height};
}))"""
FX_HOVER_JS = """(async () => {
  const d = document.querySelectorAll('.js-plotly-plot')[%d];
  const each = %d, wait = ms => new Promise(r => setTimeout(r, ms));
  let points = 0, labels = 0, hostile = 0, failed = 0;
  for (const [curve, trace] of (d.data || []).entries()) {
    const n = ((d.calcdata || [])[curve] || []).length;  // one entry per drawn point
    const step = Math.max(1, Math.ceil(n / each));
    const subplot = (trace.xaxis || 'x') + (trace.yaxis || 'y');
    for (let point = 0; point < n; point += step) {
      try { Plotly.Fx.hover(d, [{curveNumber: curve, pointNumber: point}], subplot); } catch (e) { failed++; continue; }
      await wait(60);  // plotly throttles hover to one every 50 ms
      points++;
      labels += d.querySelectorAll('.hoverlayer > *').length ? 1 : 0;
      hostile += [...d.querySelectorAll('.hoverlayer text')].some(t => /__xss|\\$|\\{\\{/.test(t.textContent)) ? 1 : 0;
    }
  }
  Plotly.Fx.unhover(d);
  return JSON.stringify({points, labels, hostile, failed});
})()"""
SCROLL_JS = "document.querySelectorAll('.js-plotly-plot')[%d].scrollIntoView({block: 'center'}); 0"


def hostile_check(chrome: Browser, url: str, *, grid: int = 9, points: int = 8, settle: float = 20.0) -> dict:
    """Load ``url``, hover over every plotly figure; say what ran.

    Each figure gets mouse-move events on a ``grid`` x ``grid`` lattice inside its plot area (real
    input, as a reader's pointer), then ``Plotly.Fx.hover`` on about ``points`` points of every trace
    (spread along it), which draws that point's hover label (small markers the lattice misses).

    Returns:
        ``{"xss": value of window.__xss or None, "dialogs": [...], "errors": [...], "plots": n,
        "hovers": mouse moves, "hovered": plotly_hover events, "labels": hover labels drawn,
        "hostile_labels": labels showing payload text,
        "live": [elements with on* attributes or javascript: links],
        "external": [requests outside the page's server], "undrawn": [figures with no svg]}``.
    """
    report = chrome.check(url, origin=url.rsplit("/", 1)[0] + "/", settle=settle)
    undrawn = report.get("plotsWithoutSvg", [])
    plots = json.loads(chrome.evaluate(HOVER_BOXES_JS) or "[]")
    chrome.evaluate(LISTEN_JS)
    hovers = labels = hostile = 0
    for index in range(len(plots)):
        chrome.evaluate(SCROLL_JS % index)
        time.sleep(0.05)
        box = json.loads(chrome.evaluate(HOVER_BOXES_JS))[index]
        if box["w"] <= 0 or box["h"] <= 0:
            continue
        for i in range(grid):
            for j in range(grid):
                x = box["x"] + box["w"] * (i + 0.5) / grid
                y = box["y"] + box["h"] * (j + 0.5) / grid
                chrome.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
                hovers += 1
        time.sleep(0.1)  # plotly draws hover labels on a throttled timer
        fx = json.loads(chrome.call("Runtime.evaluate", expression=FX_HOVER_JS % (index, points),
                                    awaitPromise=True, returnByValue=True)["result"]["value"])
        labels += fx["labels"]
        hostile += fx["hostile"]
    time.sleep(0.3)
    deadline = time.monotonic() + 10.0  # on a loaded machine plotly's throttled hovers come late
    while plots and not chrome.evaluate("window.__hovered > 0") and time.monotonic() < deadline:
        time.sleep(0.1)
    chrome.call("Runtime.evaluate", expression="0")  # drain events
    origin = url.rsplit("/", 1)[0] + "/"
    errors = [e for e in report["errors"] if not e.endswith(origin + "favicon.ico")]  # the browser's own ask
    dialogs = []
    for event in chrome.events:
        params = event.get("params", {})
        if event["method"] == "Page.javascriptDialogOpening":
            dialogs.append(params.get("message", ""))
        elif event["method"] == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            message = "exception: " + details.get("exception", {}).get("description", details.get("text", ""))
            if message not in errors:
                errors.append(message)
    xss = chrome.evaluate("window.__xss === undefined ? null : String(window.__xss)")
    return {"xss": xss, "dialogs": dialogs, "errors": errors, "plots": len(plots), "hovers": hovers,
            "labels": labels, "hostile_labels": hostile, "hovered": chrome.evaluate("window.__hovered"),
            "live": json.loads(chrome.evaluate(LIVE_DOM_JS)), "external": report["external"],
            "undrawn": undrawn}




# --------------------------------------------------------------------------- the reports

@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four notebooks run on the hostile corpus and rendered to HTML (the report folder)."""
    pytest.importorskip("nbformat", reason="the notebooks extra is needed to render the reports")
    from mediaprov import report

    data = tmp_path_factory.mktemp("hostile-data")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("MEDIAPROV_DATA", str(data))
        corpus = write_corpus(data)
        out = data / "reports"
        written = report.run_notebooks(corpus=corpus, out=out)  # raises when a cell errors
    pages = [p for p in written if p.suffix == ".html"]
    assert len(pages) == len(report.notebook_paths()) >= 4
    return out / corpus


@pytest.mark.slow
def test_reports_show_hostile_text_escaped(reports: Path) -> None:
    """Every payload reaches the pages, escaped; no notebook cell errored."""
    import nbformat

    kept = {name: 0 for name in ("script", "img", "svg", "template")}
    for page in sorted(reports.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert not live_markup(html), f"{page.name}: {live_markup(html)}"
        kept["script"] += html.count("&lt;script&gt;window.__xss=1&lt;/script&gt;")
        kept["img"] += html.count("&lt;img src=x onerror=")
        kept["svg"] += html.count("&lt;svg onload=window.__xss=1&gt;")
        kept["template"] += html.count("{{7*7}}")
        notebook = nbformat.read(page.with_suffix(".ipynb"), as_version=4)
        errors = [cell.source[:60] for cell in notebook.cells if cell.cell_type == "code"
                  for output in cell.outputs if output.output_type == "error"]
        assert not errors, f"{page.name}: {errors}"
    assert all(kept.values()), kept  # the payloads reached the pages, escaped


@pytest.mark.slow
def test_reports_run_no_script_on_load_or_hover(reports: Path, browser: Browser, serve) -> None:
    """In Chromium no payload runs on load or hover, nothing remote loads, every figure draws."""
    base = serve(reports)
    results = {page.name: hostile_check(browser, base + page.name) for page in sorted(reports.glob("*.html"))}
    wrong = {name: r for name, r in results.items()
             if r["xss"] or r["dialogs"] or r["errors"] or r["live"] or r["external"] or r["undrawn"]}
    assert not wrong, json.dumps(wrong, indent=1)[:4000]
    plots = sum(r["plots"] for r in results.values())
    assert plots >= 4, results  # timelines, narratives... were drawn
    assert sum(r["hovers"] for r in results.values()) >= 81 * plots
    labels = {name: r["labels"] for name, r in results.items() if r["plots"]}
    assert all(labels.values()), labels  # hover labels (data text in the DOM) were drawn on every page
    assert sum(r["hostile_labels"] for r in results.values()) >= 5, results  # ... showing the payloads


# --------------------------------------------------------------------------- the checker fails when it should



def _plotly_src() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def test_checker_flags_script_on_load_and_on_hover(tmp_path: Path, browser: Browser, serve) -> None:
    """The browser check catches script run on load, on hover and in a dialog; a clean page passes."""
    (tmp_path / "plotly.min.js").write_text(_plotly_src(), encoding="utf-8")
    (tmp_path / "on_load.html").write_text(
        '<!doctype html><html><body><p>a</p><img src=x onerror="window.__xss=1"></body></html>')
    (tmp_path / "on_hover.html").write_text(
        '<!doctype html><html><head><script src="plotly.min.js"></script></head><body>'
        '<div id="p" style="width:500px;height:400px"></div><script>'
        "Plotly.newPlot('p', [{x: [1, 2, 3], y: [2, 1, 3], type: 'scatter', mode: 'markers+lines',"
        " hovertemplate: '<b>%{y}</b>'}]).then(d => d.on('plotly_hover', () => { window.__xss = 2; }));"
        "</script></body></html>")
    (tmp_path / "dialog.html").write_text('<!doctype html><html><body><svg onload="alert(1)"></svg></body></html>')
    (tmp_path / "good.html").write_text(
        '<!doctype html><html><head><script src="plotly.min.js"></script></head><body>'
        '<div id="p" style="width:500px;height:400px"></div><script>'
        "Plotly.newPlot('p', [{x: [1, 2, 3], y: [2, 1, 3], type: 'scatter',"
        " text: ['&lt;script&gt;window.__xss=1&lt;/script&gt;', 'b', 'c']}]);"
        "</script></body></html>")
    base = serve(tmp_path)
    results = {name: hostile_check(browser, base + name, settle=3) for name in
               ("on_load.html", "on_hover.html", "dialog.html", "good.html")}
    assert results["on_load.html"]["xss"] == "1"
    assert results["on_load.html"]["live"] == ['IMG onerror=window.__xss=1']
    assert results["on_hover.html"]["xss"] == "2" and results["on_hover.html"]["plots"] == 1
    assert results["on_hover.html"]["hovered"] > 0 and not results["on_hover.html"]["live"]
    assert results["dialog.html"]["dialogs"] == ["1"]
    good = results["good.html"]
    assert not (good["xss"] or good["dialogs"] or good["errors"] or good["live"]) and good["hovers"] == 81, good
    assert good["hovered"] > 0, good


def test_markup_checker_flags_live_payloads() -> None:
    """The markup check catches live payloads and lets escaped ones pass."""
    assert live_markup("<p>&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;</p>") == []
    assert live_markup('<script>var f = {"name": "\\u003cscript\\u003ewindow.__xss=1"};</script>') == []
    breakout = '<script>var f = {"name": "</script><script>window.__xss=1</script>"};</script>'
    assert live_markup(breakout) == ["script tag from data"]
    assert live_markup('<a href="javascript:window.__xss=1">x</a>') == ["javascript: link"]
    assert live_markup('"><svg onload=window.__xss=1>') == ["svg onload from data"]


def test_bar_figure_draws_data_labels_literally() -> None:
    """The bug this test found: ``bar_figure`` drew its labels (outlet ids) as mathtext."""
    import io

    import pandas as pd

    from mediaprov import plots

    figure = plots.bar_figure(pd.Series({"ferry {{7*7}} $$": 2, "quay $x^2$": 1}), title="$$ outlets")
    figure.savefig(io.BytesIO(), format="png")  # mathtext raised ValueError on "$$"
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == ["quay \\$x^2\\$", "ferry {{7*7}} \\$\\$"]
