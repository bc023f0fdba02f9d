"""The project's install files agree with each other."""

from __future__ import annotations

import importlib.util
import re
import tomllib

from mediaprov.paths import PROJECT_ROOT


def _pypi_names() -> dict[str, str]:
    """conda-forge -> PyPI names where they differ (tools/write_environment.py's, reversed)."""
    spec = importlib.util.spec_from_file_location("write_environment",
                                                  PROJECT_ROOT / "tools" / "write_environment.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {conda: pypi for pypi, conda in module.CONDA_NAMES.items()}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_requirements() -> set[str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    names = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        names |= {_name(r) for r in extra}
    return names


def _environment_requirements() -> set[str]:
    pypi_names = _pypi_names()
    names = set()
    text = (PROJECT_ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        match = re.match(r"^\s+-\s+([A-Za-z][\w.-]*)", line)
        if match and match.group(1) not in {"python", "pip"}:
            names.add(pypi_names.get(match.group(1), _name(match.group(1))))
    return names


def test_environment_yml_lists_the_same_dependencies_as_pyproject() -> None:
    assert _environment_requirements() == _pyproject_requirements()


def test_environment_yml_ends_with_editable_install() -> None:
    lines = [line.strip() for line in (PROJECT_ROOT / "environment.yml").read_text().splitlines() if line.strip()]
    assert lines[-1] == "- -e ."


def test_every_dependency_is_pinned_in_constraints() -> None:
    pinned = {_name(line) for line in (PROJECT_ROOT / "constraints.txt").read_text().splitlines()
              if "==" in line}
    missing = _pyproject_requirements() - pinned
    assert not missing, f"add exact versions to constraints.txt (make lock): {sorted(missing)}"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (PROJECT_ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert "make test" in readme and "make demo" in readme


def test_environment_yml_is_pinned_to_the_constraints() -> None:
    import subprocess
    import sys

    run = subprocess.run([sys.executable, str(PROJECT_ROOT / "tools" / "write_environment.py"), "--check"])
    assert run.returncode == 0, "environment.yml is out of date: run `python tools/write_environment.py`"
    pins = dict(line.split("==") for line in (PROJECT_ROOT / "constraints.txt").read_text().splitlines()
                if "==" in line)
    pins = {_name(k): v for k, v in pins.items()}
    pypi_names = _pypi_names()
    for line in (PROJECT_ROOT / "environment.yml").read_text().splitlines():
        match = re.match(r"^\s+-\s+([A-Za-z][\w.-]*)=([^=\s]+)$", line)
        if match and match.group(1) != "python":
            assert pins[pypi_names.get(match.group(1), _name(match.group(1)))] == match.group(2), line
