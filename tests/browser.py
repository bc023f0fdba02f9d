"""Headless Chromium driven through the DevTools protocol, and a local HTTP server.

For the tests that load pages in a real browser (``test_docs.py``, ``test_report_safety.py``).

``chromium_path()`` finds the browser (``None`` when absent: callers skip with a reason), ``Browser``
loads one page at a time and reports script errors, external requests and figures, and the
``serve`` fixture serves a folder over HTTP on a free local port.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--remote-allow-origins=*", "--remote-debugging-port=0")
PAGE_TIMEOUT = 60.0
FIGURES_JS = """(() => {
  const plots = [...document.querySelectorAll('.mediaprov-plotly, .plotly-graph-div')];
  const images = [...document.images];
  return JSON.stringify({
    plots: plots.length,
    plotsWithoutSvg: plots.filter(d => !d.querySelector('svg.main-svg')).map(d => d.id || d.className),
    images: images.length,
    brokenImages: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 120)),
    ready: document.readyState,
  });
})()"""


def chromium_path() -> str | None:
    """The Chromium executable, or ``None`` when none is installed."""
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


class Browser:
    """Headless Chromium with one page, driven through the DevTools protocol (websocket)."""

    def __init__(self, executable: str) -> None:
        import websocket

        self.profile = Path(tempfile.mkdtemp(prefix="mediaprov-chromium-"))
        self.process = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"{executable} did not start (exit code {self.process.poll()})")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        targets = self._json(f"http://127.0.0.1:{port}/json/list")
        page = next(t for t in targets if t.get("type") == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=PAGE_TIMEOUT,
                                                  suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []
        self.pending: set[int] = set()
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    @staticmethod
    def _json(url: str) -> list[dict]:
        from urllib.request import urlopen

        for _ in range(50):
            try:
                with urlopen(url, timeout=5) as response:
                    return json.loads(response.read())
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"no DevTools endpoint at {url}")

    def call(self, method: str, **params: object) -> dict:
        self.next_id += 1
        own = self.next_id
        self.socket.send(json.dumps({"id": own, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") in self.pending:  # a dialog dismissed: nothing to return
                self.pending.discard(message["id"])
                continue
            if message.get("id") == own:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self._event(message)

    def _event(self, message: dict) -> None:
        """Record an event; dismiss a JavaScript dialog at once (it would block the page)."""
        self.events.append(message)
        if message["method"] == "Page.javascriptDialogOpening":
            self.next_id += 1
            self.pending.add(self.next_id)
            self.socket.send(json.dumps({"id": self.next_id, "method": "Page.handleJavaScriptDialog",
                                         "params": {"accept": False}}))

    def _wait_event(self, method: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(e["method"] == method for e in self.events):
                return True
            self.socket.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                message = json.loads(self.socket.recv())
            except Exception:  # websocket timeout
                break
            if "method" in message:
                self._event(message)
        self.socket.settimeout(PAGE_TIMEOUT)
        return any(e["method"] == method for e in self.events)

    def evaluate(self, expression: str) -> object:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def check(self, url: str, *, origin: str, settle: float = 20.0) -> dict:
        """Load ``url`` and report what went wrong on it.

        Args:
            url: the page.
            origin: requests to URLs that do not start with this are reported as external.
            settle: seconds to wait after the load event for figures to draw and images to load.

        Returns:
            ``{"errors": [...], "external": [...], "plots": n, "plotsWithoutSvg": [...],
            "images": n, "brokenImages": [...]}``.
        """
        self.events = []
        self.call("Page.navigate", url=url)
        loaded = self._wait_event("Page.loadEventFired", PAGE_TIMEOUT)
        figures: dict = {}
        deadline = time.monotonic() + settle
        while time.monotonic() < deadline:  # plotly draws after the load event
            figures = json.loads(self.evaluate(FIGURES_JS))
            if not figures["plotsWithoutSvg"] and not [s for s in figures["brokenImages"] if s]:
                break
            time.sleep(0.25)
        time.sleep(0.2)
        self.call("Runtime.evaluate", expression="0")  # drain events that arrived meanwhile
        errors = [] if loaded else [f"no load event within {PAGE_TIMEOUT:.0f} s"]
        external = []
        for event in self.events:
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                errors.append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))
            elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") == "error":
                errors.append("console.error: " + " ".join(str(a.get("value", a.get("description", "")))
                                                           for a in params.get("args", [])))
            elif event["method"] == "Log.entryAdded" and params["entry"].get("level") == "error":
                entry = params["entry"]
                errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip())
            elif event["method"] == "Network.requestWillBeSent":
                requested = params["request"]["url"]
                if not requested.startswith((origin, "data:", "blob:", "about:")):
                    external.append(requested)
        return {"errors": errors, "external": external, **figures}

    def close(self) -> None:
        socket_ = getattr(self, "socket", None)
        if socket_ is not None:
            socket_.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def serve() -> Iterator:
    """``serve(folder) -> base URL`` of a local HTTP server for that folder."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium for one test module; skips, saying why, when it cannot be started."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is not installed (`make test` installs it with `make chromium`, apt-get "
                    "as root); pages cannot be checked in a browser")
    pytest.importorskip("websocket", reason="websocket-client (test extra) is needed to drive Chromium")
    chrome = Browser(executable)
    yield chrome
    chrome.close()
