"""An installed mediaprov works outside the checkout: the wheel carries the reference tables."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mediaprov import paths


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                          "-q", "-w", str(out), str(paths.PROJECT_ROOT)], capture_output=True, text=True)
    if run.returncode != 0:
        pytest.fail(f"building the wheel failed: {run.stderr[-2000:]}")
    return next(out.glob("mediaprov-*.whl"))


def test_the_wheel_ships_the_reference_tables_and_typing_marker(wheel) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("outlets.csv", "entities.csv", "events.csv", "packs.csv", "boilerplate.csv",
                   "lexicons/framing.csv", "lexicons/stopwords.csv"):
        assert f"mediaprov/reference_data/{needed}" in names, needed
    assert "mediaprov/py.typed" in names


def test_the_installed_package_ingests_the_seeds_outside_the_checkout(wheel, tmp_path, seeds_dir) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("MEDIAPROV_DATA", "PYTHONPATH")}
    env["PYTHONPATH"] = str(target)
    script = ("import mediaprov, sys; from mediaprov import paths; from mediaprov.cli import main; "
              "print(mediaprov.__file__); print(paths.reference_dir()); "
              f"sys.exit(main(['ingest', {str(seeds_dir)!r}, '--corpus', 'seeds', '--no-progress']))")
    run = subprocess.run([sys.executable, "-c", script], cwd=work, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    module_file, reference_dir = run.stdout.splitlines()[:2]
    assert module_file.startswith(str(target)), module_file  # the installed copy, not the checkout
    assert reference_dir.startswith(str(target)) and "reference_data" in reference_dir
    assert "inputs 5 = ingested 5" in run.stdout or "inputs 6" in run.stdout
    assert (work / "data" / "processed" / "seeds" / "articles.parquet").exists()
