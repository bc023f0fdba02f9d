"""The command line a person meets: --version, help for every command and option, logging."""

from __future__ import annotations

import re

import pytest

from mediaprov import __version__
from mediaprov.cli import _parser, main

COMMANDS = ("demo", "ingest", "features", "reuse", "stories", "timelines", "report")


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"mediaprov {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_of_every_command_has_help(command, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    parser = _parser()
    sub = next(a for a in parser._subparsers._group_actions if a.dest == "command").choices[command]
    for action in sub._actions:
        if action.dest != "help":
            assert action.help, f"{command} {action.option_strings or action.dest} has no help"
        if action.dest != "help" and action.default not in (None, False, []) and action.option_strings:
            assert re.search(r"\(default: ", text), f"{command}: defaults are not shown"


def test_quiet_hides_stage_progress_and_verbose_shows_it(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("MEDIAPROV_DATA", str(tmp_path))
    raw = tmp_path / "raw" / "tiny"
    raw.mkdir(parents=True)
    (raw / "a.txt").write_text("A headline\n\nBody of the article about the harbour.\n", encoding="utf-8")
    from mediaprov import workflow

    assert main(["-q", "ingest", str(raw), "--no-progress"]) == 0
    capsys.readouterr()
    main(["-v", "stories", str(tmp_path / "processed" / "tiny")])
    workflow.build("tiny", ["stories"], rebuild=True)
    assert "tiny: running stories (rebuild asked)" in capsys.readouterr().err
