"""Every notebook runs on every corpus that ingests (issue 9): no cell errors, missing things said.

A fictional corpus with no registered outlet, no camp, no date, no quote of a known person and no
event is the hardest case: every section that needs one of those must say so and move on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

from mediaprov import report  # noqa: E402
from mediaprov.cli import main  # noqa: E402


def _bare_corpus(data: Path) -> str:
    folder = data / "raw" / "bare"
    folder.mkdir(parents=True)
    for i in range(6):
        (folder / f"s{i}.txt").write_text(
            f"Story {i} of the ferry board\n\nThe ferry board of Lune met on day {i} about pier {i * 7}. "
            f"Fares for district {i * 3} stay the same, the board wrote in its notes {i}.\n\n"
            f"Repairs to lighthouse {i * 13} start after winter {i}.\n", encoding="utf-8")
    return "bare"


@pytest.mark.slow
def test_the_four_notebooks_run_without_error_on_a_bare_corpus(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MEDIAPROV_DATA", str(tmp_path))
    corpus = _bare_corpus(tmp_path)
    assert main(["ingest", str(tmp_path / "raw" / corpus), "--no-progress"]) == 0
    parameters = report.notebook_parameters(corpus, DATA_DIR=str(tmp_path))
    skipped = 0
    for path in report.notebook_paths():
        notebook = report.execute_notebook(path, parameters=parameters)
        errors = [cell.source[:80] for cell in notebook.cells if cell.cell_type == "code"
                  for output in cell.outputs if output.output_type == "error"]
        assert not errors, f"{path.name}: {errors}"
        text = "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                       for output in cell.outputs)
        skipped += text.count("skipped on this corpus, which lacks")
    assert skipped >= 5  # sections that need dates, camps or outlets said so


def test_a_skipped_section_runs_none_of_its_cells_until_the_next(tmp_path) -> None:
    cells = [nbformat.v4.new_code_cell(source) for source in (
        "from mediaprov.notebook import section\nran = []",
        'section("Needs dates", ready=False, needs="dated articles")',
        "ran.append('skipped cell')\n1 / 0",
        'section("Always")',
        "ran.append('next section')\nprint(ran)",
    )]
    path = tmp_path / "01_probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    from nbconvert.preprocessors import ExecutePreprocessor

    notebook = nbformat.read(path, as_version=4)
    ExecutePreprocessor(timeout=120, kernel_name="python3").preprocess(notebook, {"metadata": {"path": str(tmp_path)}})
    outputs = ["".join(o.get("text", "") for o in cell.outputs) for cell in notebook.cells]
    assert "skipped on this corpus, which lacks dated articles" in outputs[1]
    assert outputs[2].startswith("(skipped: Needs dates needs dated articles)")
    assert outputs[4].strip() == "['next section']"
