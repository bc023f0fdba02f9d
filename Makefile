# mediaprov: two commands for users (make demo, make test); the rest are for developers.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install lock notebooks bench fuzz clean docs chromium

# Create the virtual environment and install the package with exact versions from constraints.txt.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[notebooks,test,docs]'
	touch $(STAMP)

install: $(STAMP)

# The main job: the whole pipeline on the bundled demo corpus, then every notebook executed
# top to bottom (copies under reports/, the committed notebooks stay untouched) and rendered to HTML.
demo: $(STAMP)
	$(BIN)/mediaprov demo --check
	$(BIN)/mediaprov ingest data/raw/demo
	$(BIN)/mediaprov features data/processed/demo
	$(BIN)/mediaprov reuse data/processed/demo
	$(BIN)/mediaprov stories data/processed/demo
	$(BIN)/mediaprov timelines data/processed/demo
	$(BIN)/mediaprov report --corpus demo --out reports

# Every test: the quality gates (lint), then unit and integration tests, plus nbval on the
# committed notebooks.
test: $(STAMP) chromium lint
	$(BIN)/python -m pytest --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --doctest-modules mediaprov tests notebooks

# Quality gates (issue 14): ruff (pyflakes, bugbear, complexity, docstrings) on the package, tests,
# benchmarks, tools and docs scripts; mypy on the package. Configured in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check
	$(BIN)/mypy

# The documentation site in site/ (open site/index.html): hand-written pages in docs/, tables and API
# pages generated from the code, the notebooks (report-executed ones from reports/demo/ when present,
# with interactive figures in place of their static twins).
docs: $(STAMP)
	$(BIN)/python docs/build.py --site site

# Headless Chromium from the system packages for tests/test_docs.py (installed when missing and
# possible; the test skips with the reason otherwise).
chromium:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  { command -v apt-get >/dev/null 2>&1 && test "$$(id -u)" = 0 && \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	    echo "chromium not installed (needs apt-get and root): tests/test_docs.py will skip"; }

# Re-execute the committed notebooks in place (top to bottom) after a change; commit the result.
notebooks: $(STAMP)
	$(BIN)/mediaprov report --inplace

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_ingest.py

# Hostile input (issue 12): 10,000 seeded fuzz cases through ingest, then 20 kill -9 during each of
# ingest, features, reuse, stories and timelines.
# Prints cases, tracebacks, aborted runs, good records lost and reconciliation failures.
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz_ingest.py --cases 10000 --kills 20

# Regenerate constraints.txt from a fresh resolve (run after changing pyproject.toml).
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet -e '.[notebooks,test,docs]'
	.venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt
	$(PYTHON) tools/write_environment.py
	rm -rf .venv-lock

clean:
	rm -rf data/processed reports
