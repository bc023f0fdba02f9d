"""The case-study notebooks run on real corpora read from ../shared: skip them cleanly without it.

nbval re-executes every committed notebook under ``notebooks/``; the case studies rebuild their
corpus from the source named in ``data/reference/<corpus>/corpus.json`` (under ``../shared``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mediaprov import reference
from mediaprov.paths import shared_dir

HERE = Path(__file__).parent


def _source_missing(corpus: str) -> bool:
    source = reference.corpus_settings(corpus).get("source")
    return shared_dir() is None or not source or not Path(source).exists()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the cells of a case study whose corpus is not beside the project as skipped."""
    for item in items:
        path = Path(str(item.fspath)).resolve()
        if path.suffix == ".ipynb" and HERE in path.parents:
            corpus = path.relative_to(HERE).parts[0]
            if _source_missing(corpus):
                item.add_marker(pytest.mark.skip(reason=f"case study {corpus}: its corpus (../shared/corpora) "
                                                        "is absent"))
