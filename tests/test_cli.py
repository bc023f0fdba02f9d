"""The command line a person meets: --version, help for every command and option, logging."""

from __future__ import annotations

import logging
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
            assert re.search(r"\(default:\s", text), f"{command}: defaults are not shown"  # wrapped or not


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


def test_workers_and_scheduler_are_offered_where_stages_are_partitioned(capsys) -> None:
    parser = _parser()
    choices = next(a for a in parser._subparsers._group_actions if a.dest == "command").choices
    for command in COMMANDS:
        options = {o for a in choices[command]._actions for o in a.option_strings}
        partitioned = command in ("ingest", "features", "reuse", "stories")
        assert ("--workers" in options) == partitioned and ("--scheduler" in options) == partitioned
    with pytest.raises(SystemExit):  # one or the other
        main(["features", "somewhere", "--workers", "2", "--scheduler", "tcp://h:1"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_zero_workers_is_a_one_line_error(tmp_path, capsys) -> None:
    from mediaprov.io import write_table
    from mediaprov.schema import ARTICLES

    write_table(ARTICLES.empty(), tmp_path / "articles.parquet", ARTICLES)
    assert main(["reuse", str(tmp_path), "--workers", "0"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err


def test_the_dask_clusters_own_info_lines_are_shown_only_with_verbose(tmp_path, monkeypatch,
                                                                      capsys) -> None:
    import mediaprov.cli as cli

    def stage_that_logs(args) -> int:  # what a stage on a local cluster logs, by logger
        logging.getLogger("distributed.scheduler").info("Register worker addr: tcp://w:1")
        logging.getLogger("distributed.nanny").warning("Worker exceeded 95% memory budget")
        logging.getLogger("mediaprov.engine").info("dask: 8 partitions of verify_pairs done")
        return 0

    monkeypatch.setattr(cli, "_run", stage_that_logs)
    assert main(["reuse", str(tmp_path), "--workers", "2"]) == 0
    quiet = capsys.readouterr().err
    assert "Register worker" not in quiet
    assert "exceeded 95% memory" in quiet and "partitions of verify_pairs" in quiet
    assert main(["-v", "reuse", str(tmp_path), "--workers", "2"]) == 0
    assert "Register worker addr" in capsys.readouterr().err


def test_engine_options_are_not_recorded_as_stage_parameters(tmp_path, monkeypatch) -> None:
    from mediaprov import provenance
    from mediaprov.io import write_table
    from mediaprov.schema import ARTICLES

    monkeypatch.delenv("MEDIAPROV_SCHEDULER", raising=False)
    write_table(ARTICLES.empty(), tmp_path / "articles.parquet", ARTICLES)
    assert main(["-q", "reuse", str(tmp_path), "--workers", "1"]) == 0  # no candidates: no cluster
    recorded = provenance.read_records(tmp_path)["reuse"]
    assert "workers" not in str(recorded) and "scheduler" not in str(recorded)


def test_stories_quote_window_is_a_recorded_parameter_and_its_default_matches_the_library(
        tmp_path) -> None:
    from mediaprov import provenance, workflow
    from mediaprov.io import write_table
    from mediaprov.schema import ARTICLES

    write_table(ARTICLES.empty(), tmp_path / "articles.parquet", ARTICLES)
    assert main(["-q", "stories", str(tmp_path)]) == 0
    defaults = {k: v for k, v in workflow.resolved_parameters("stories").items() if v is not None}
    recorded = provenance.read_records(tmp_path)["stories"]["parameters"]
    assert recorded == defaults  # a later `mediaprov report` does not see the stage as stale
    assert main(["-q", "stories", str(tmp_path), "--quote-window", "7"]) == 0
    assert provenance.read_records(tmp_path)["stories"]["parameters"]["quote_window_days"] == 7.0


def test_a_negative_quote_window_is_a_one_line_error(tmp_path, capsys) -> None:
    from mediaprov.io import write_table
    from mediaprov.schema import ARTICLES

    write_table(ARTICLES.empty(), tmp_path / "articles.parquet", ARTICLES)
    assert main(["stories", str(tmp_path), "--quote-window", "-5"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("mediaprov stories: the quote window must be") and "\n" not in err
    assert not (tmp_path / "stories.parquet").exists()


def test_stories_event_max_span_is_recorded_and_a_negative_one_is_a_one_line_error(tmp_path, capsys) -> None:
    from mediaprov import provenance
    from mediaprov.io import write_table
    from mediaprov.schema import ARTICLES

    write_table(ARTICLES.empty(), tmp_path / "articles.parquet", ARTICLES)
    assert main(["-q", "stories", str(tmp_path)]) == 0
    assert provenance.read_records(tmp_path)["stories"]["parameters"].get("event_max_span_days") is None
    assert main(["-q", "stories", str(tmp_path), "--event-max-span", "30"]) == 0
    assert provenance.read_records(tmp_path)["stories"]["parameters"]["event_max_span_days"] == 30.0
    (tmp_path / "stories.parquet").unlink()
    assert main(["stories", str(tmp_path), "--event-max-span", "-1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("mediaprov stories: the event span limit must be 0 days or more") and "\n" not in err
    assert not (tmp_path / "stories.parquet").exists()


def test_ingest_runs_on_workers_from_the_command_line(tmp_path, capsys) -> None:
    pytest.importorskip("distributed", reason="needs the [parallel] extra")
    root = tmp_path / "in"
    root.mkdir()
    for n in range(3):
        (root / f"{n}.txt").write_text(f"Title {n}\n\nA fictional body number {n} for the test.\n")
    assert main(["ingest", str(root), "--out", str(tmp_path / "out"), "--workers", "2",
                 "--as-of", "2026-11-30"]) == 0
    out, err = capsys.readouterr()
    assert "inputs 3 = ingested 3" in out
    assert "1 partition of parse_files done" in err, "the files were not read on the workers"
