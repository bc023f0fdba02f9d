"""The ``mediaprov`` command: each subcommand calls one library function.

Subcommands::

    mediaprov demo      [--out DIR] [--articles N] [--seed S] [--check]
    mediaprov ingest    PATH [--out DIR] [--format auto|text|html|jsonl|csv|warc] [--columns PRESET_OR_MAPPING]
                        [--follow-outside-links] [--max-record-mb MB] [--record-timeout S] [--as-of YYYY-MM-DD]
                        [--workers N | --scheduler ADDRESS]
    mediaprov features  DIR [--entities FILE] [--outlets FILE] [--workers N | --scheduler ADDRESS]
    mediaprov reuse     DIR [--threshold T] [--shingle K] [--window DAYS] [--workers N | --scheduler ADDRESS]
    mediaprov stories   DIR
    mediaprov timelines DIR
    mediaprov report    [--corpus NAME] [--out DIR] [--param KEY=VALUE ...] [--case-study] [--inplace]

``--workers N`` runs a stage's partitions on a local Dask cluster of N processes, ``--scheduler
ADDRESS`` (or the ``MEDIAPROV_SCHEDULER`` environment variable) on a running Dask cluster
(:mod:`mediaprov.engine`; needs ``pip install 'mediaprov[parallel]'``); the tables are the same.

Exit status: 0 when the run completed (even if some inputs were quarantined); 2 with a one-line
reason on standard error when it could not run (missing path, unknown format, bad mapping, an
output folder that is a file or is locked by another run, a missing optional extra...).

Example:
    >>> main(["ingest", "/no/such/folder"])
    2
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path
from collections.abc import Sequence
from typing import Any


class _Help(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Every option's help ends with its default (an option without one says what it falls back to)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default in (None, False) or isinstance(action.default, list) and not action.default:
            return action.help or ""
        return super()._get_help_string(action) or ""


def _parser() -> argparse.ArgumentParser:
    from mediaprov import __version__

    parser = argparse.ArgumentParser(
        prog="mediaprov", description="Media provenance: who published what, when, and from whom.",
        formatter_class=_Help)
    parser.add_argument("--version", action="version", version=f"mediaprov {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="more messages (-v: every stage and step, and the Dask cluster's "
                             "own; -vv: debugging)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add = commands.add_parser

    def add_parser(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return _add(name, formatter_class=_Help, description=kwargs.get("help"), **kwargs)

    commands.add_parser = add_parser  # type: ignore[method-assign]

    demo = commands.add_parser("demo", help="write (or check) the bundled synthetic demo corpus")
    demo.add_argument("--out", type=Path, default=None, help="folder (if not given: data/raw/demo)")
    demo.add_argument("--articles", type=int, default=1600, help="number of articles, up to 1,000,000")
    demo.add_argument("--seed", type=int, default=20261123, help="random seed (the committed demo's)")
    demo.add_argument("--check", action="store_true",
                      help="regenerate in a temporary folder and compare with the committed corpus")

    ingest = commands.add_parser("ingest", help="raw files -> articles.parquet + ingest_log.parquet")
    ingest.add_argument("path", type=str,  # a str: Path("") would silently be "."
                        help="a file or a folder of scrapes, HTML, JSONL, CSV or WARC")
    ingest.add_argument("--out", type=Path, default=None, help="output folder (if not given: data/processed/<corpus>)")
    ingest.add_argument("--corpus", default=None,
                        help="corpus name: scopes the reference tables and names the default output "
                             "folder (if not given: the folder's name, or a file's folder's name)")
    ingest.add_argument("--format", default="auto", help="auto, text, html, jsonl, csv or warc")
    ingest.add_argument("--columns", default=None,
                        help="column preset (mediacloud, allsides, narrative_frames, default) or mapping "
             "'title=headline,text=body,camp=rating' (fields that are not article columns are kept "
             "in articles.source_fields)")
    ingest.add_argument("--no-progress", action="store_true", help="no progress bar")
    ingest.add_argument("--follow-outside-links", action="store_true",
                        help="read symbolic links that point outside PATH (refused by default)")
    ingest.add_argument("--max-record-mb", type=float, default=None,
                        help="the most one record may hold, in MB (default 8.4); larger ones are quarantined")
    ingest.add_argument("--record-timeout", type=float, default=None,
                        help="seconds to read and parse one record (default 30); slower ones are quarantined")
    ingest.add_argument("--as-of", type=_day, default=None, metavar="YYYY-MM-DD",
                        help="reference day of the date checks: page dates after it are not taken, "
                             "structured dates after the end of the following year are flagged; "
                             "recorded in ingest_manifest.json and reused by rebuilds (if not given: "
                             "today)")
    _add_engine(ingest, workers_also=" (the workers read and parse the input files; a JSONL, CSV "
                                     "or WARC file over 16 MB is read by this process)")

    features = commands.add_parser("features", help="mentions, quotes and citations with offsets")
    features.add_argument("dir", type=Path, help="a processed corpus folder (with articles.parquet)")
    features.add_argument("--entities", type=Path, default=None,
                          help="entities table to use (if not given: data/reference/entities.csv for this corpus)")
    features.add_argument("--outlets", type=Path, default=None,
                          help="outlet registry to use (if not given: data/reference/outlets.csv for this corpus)")

    _add_engine(features)

    reuse = commands.add_parser("reuse", help="text reuse between articles")
    reuse.add_argument("dir", type=Path, help="a processed corpus folder (with articles.parquet)")
    reuse.add_argument("--threshold", type=float, default=0.15,
                       help="least Jaccard similarity of word shingles for a reuse pair")
    reuse.add_argument("--shingle", type=int, default=5, help="words per shingle")
    reuse.add_argument("--window", type=float, default=1.0, help="co-publication window in days")
    _add_engine(reuse)

    stories = commands.add_parser("stories", help="group articles into stories")
    stories.add_argument("dir", type=Path, help="a processed corpus folder (after ingest; reuse and "
                                                  "features are used when present)")
    stories.add_argument("--quote-window", type=float, default=30.0, metavar="DAYS",
                         help="largest gap in days between consecutive articles carrying the same "
                              "quote in one burst; a quote repeated after a longer gap starts a "
                              "new burst and does not join the two stories ('inf': no window)")
    stories.add_argument("--event-max-span", type=float, default=None, metavar="DAYS",
                         help="link an event group of dated articles spanning more than DAYS again "
                              "at a higher similarity, step by step, until none does (30 parts the "
                              "chains of a dense corpus; default: never, with a warning when a "
                              "group spans more than 30 days)")
    _add_engine(stories, workers_also="; the undated articles of event grouping are then matched "
                                      "on N threads")  # the texts are counted on the workers

    timelines = commands.add_parser("timelines", help="tables behind the timeline figures")
    timelines.add_argument("dir", type=Path, help="a processed corpus folder (after stories)")

    report = commands.add_parser(
        "report", help="build a corpus's missing stages, execute the four notebooks on it, render HTML")
    report.add_argument("--corpus", default="demo",
                        help="corpus name: data/processed/NAME (built from data/raw/NAME, the path an "
                             "earlier `mediaprov ingest` recorded, or data/reference/NAME/corpus.json)")
    report.add_argument("--out", type=Path, default=Path("reports"),
                        help="report folder; notebooks and HTML go to OUT/NAME/")
    report.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="a notebook parameter, e.g. CAMP_FIELD=bias_text (repeatable; values are "
                             "read as Python literals, else as text)")
    report.add_argument("--case-study", action="store_true",
                        help="static figures only, written to notebooks/case_studies/NAME/ for committing")
    report.add_argument("--inplace", action="store_true",
                        help="re-execute the committed demo notebooks in place instead")
    return parser


def _day(text: str) -> date:
    """``--as-of`` value: a day written ``YYYY-MM-DD``.

    Example:
        >>> _day("2024-03-05")
        datetime.date(2024, 3, 5)
    """
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day: write YYYY-MM-DD, e.g. 2024-03-05") from None


def _add_engine(command: argparse.ArgumentParser, *, workers_also: str = "") -> None:
    """``--workers`` and ``--scheduler`` (:mod:`mediaprov.engine`), one or the other.

    ``workers_also``: what else ``--workers`` does for this command, added to its help.
    """
    group = command.add_mutually_exclusive_group()
    group.add_argument("--workers", type=int, default=None, metavar="N",
                       help="run on a local Dask cluster of N worker processes (if not given: in this "
                            "process, or on $MEDIAPROV_SCHEDULER when set)" + workers_also
                            + "; same tables either way")
    group.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="run on the running Dask cluster at ADDRESS, e.g. tcp://10.0.0.5:8786 "
                            "(if not given: $MEDIAPROV_SCHEDULER)")


def _engine_options(args: argparse.Namespace) -> dict[str, Any]:
    """The engine options given on the command line (never part of a stage's provenance)."""
    return {k: v for k, v in (("workers", args.workers), ("scheduler", args.scheduler)) if v is not None}


def _parameters(pairs: Sequence[str]) -> dict[str, object]:
    """``["KEY=VALUE", ...]`` -> ``{KEY: value}`` (a Python literal when it reads as one)."""
    import ast

    values: dict[str, object] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key.strip().isidentifier():
            raise ValueError(f"--param {pair!r}: write KEY=VALUE, e.g. CAMP_FIELD=bias_text")
        try:
            values[key.strip()] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            values[key.strip()] = text
    return values


def _run(args: argparse.Namespace) -> int:
    if args.command == "demo":
        from mediaprov import demo, paths

        out = args.out or paths.raw_dir("demo")
        options: dict[str, Any] = {k: v for k, v in (("articles", args.articles), ("seed", args.seed))
                                   if v is not None}
        if args.check:
            differences = demo.check(out, **options)
            if differences:
                print(f"demo corpus at {out} differs from a fresh generation in {len(differences)} files, "
                      f"e.g. {differences[:3]}; regenerate it with `mediaprov demo`", file=sys.stderr)
                return 1
            print(f"demo corpus at {out}: identical to a fresh generation")
            return 0
        summary = demo.generate(out, **options)
        print(f"demo corpus written to {out}: {summary.articles} articles in {summary.records} input "
              f"records ({dict(sorted(summary.by_status.items()))}); datasheet: {out / 'README.md'}")
        return 0
    if args.command == "ingest":
        from mediaprov.ingest.pipeline import ingest

        options = {"follow_outside_links": args.follow_outside_links}
        if args.max_record_mb is not None:
            options["max_record_bytes"] = int(args.max_record_mb * 1e6)
        if args.record_timeout is not None:
            options["record_seconds"] = args.record_timeout
        if args.as_of is not None:
            options["as_of"] = args.as_of
        from mediaprov.engine import Engine

        result = ingest(args.path, out=args.out, format=args.format, columns=args.columns, corpus=args.corpus,
                        progress=not args.no_progress and sys.stderr.isatty(),
                        engine=Engine.resolve(**_engine_options(args)), **options)
        from mediaprov import reference, workflow

        workflow.record_stage("ingest", result.out_dir, corpus=reference.corpus_of(result.out_dir),
                              source=Path(args.path), parameters=options)
        print(f"wrote {result.out_dir}/articles.parquet and ingest_log.parquet")
        print(result.summary.render())
        return 0
    if args.command == "features":
        from mediaprov.features import run_features

        from mediaprov import workflow

        options = {k: str(v) for k, v in (("entities_path", args.entities),
                                          ("outlets_path", args.outlets)) if v}
        written = run_features(args.dir, report=print, **options, **_engine_options(args))
        workflow.record_stage("features", args.dir, parameters=options)
        print("wrote " + ", ".join(str(p) for p in written.values()))
        return 0
    if args.command == "reuse":
        from mediaprov.reuse import run_reuse

        options = {k: v for k, v in (("threshold", args.threshold), ("shingle", args.shingle),
                                     ("window_days", args.window)) if v is not None}
        from mediaprov import workflow

        print(f"wrote {run_reuse(args.dir, **options, **_engine_options(args))}")
        workflow.record_stage("reuse", args.dir, parameters=options)
        return 0
    if args.command == "stories":
        from mediaprov.stories import run_stories

        from mediaprov import workflow

        options = {"quote_window_days": args.quote_window, "event_max_span_days": args.event_max_span}
        print(f"wrote {run_stories(args.dir, **options, **_engine_options(args))}")
        workflow.record_stage("stories", args.dir, parameters=options)
        return 0
    if args.command == "timelines":
        from mediaprov.timelines import run_timelines

        import pandas as pd

        written = run_timelines(args.dir)
        print("wrote " + ", ".join(str(p) for p in written.values()))
        undated = pd.read_parquet(written["undated_outlet"], columns=["total", "undated"]).sum()
        print(f"undated articles (no trusted date; counted apart, never plotted): "
              f"{int(undated['undated'])} of {int(undated['total'])}")
        return 0
    if args.command == "report":
        from mediaprov.report import run_notebooks

        if args.inplace:
            written_files = run_notebooks()
        else:
            written_files = run_notebooks(corpus=args.corpus, out=args.out, case_study=args.case_study,
                                          parameters=_parameters(args.param))
        for notebook_file in written_files:
            print(f"wrote {notebook_file}")
        return 0
    raise AssertionError(args.command)  # argparse rejects unknown commands


def _without_dask_chatter(record: logging.LogRecord) -> bool:
    """False for an INFO (or lower) line of Dask's own loggers: shown only with ``-v``.

    A local cluster logs its whole life (scheduler, nannies, workers registered and removed: about
    30 lines per command) through the root logger, burying the stage's own lines; its warnings
    and errors are kept.

    Example:
        >>> _without_dask_chatter(logging.makeLogRecord(
        ...     {"name": "distributed.scheduler", "levelno": logging.INFO}))
        False
        >>> _without_dask_chatter(logging.makeLogRecord(
        ...     {"name": "mediaprov.engine", "levelno": logging.INFO}))
        True
    """
    dask = record.name == "distributed" or record.name.startswith("distributed.")
    return not dask or record.levelno >= logging.WARNING


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Args:
        argv: arguments without the program name (default ``sys.argv[1:]``).

    Returns:
        0 on success, 1 when a check found differences, 2 when the command could not run.

    Example: see the module docstring.
    """
    from mediaprov.io import OutputLockedError

    args = _parser().parse_args(argv)
    logging.basicConfig(format="%(message)s", stream=sys.stderr, force=True,
                        level=logging.WARNING if args.quiet else logging.DEBUG if args.verbose > 1
                        else logging.INFO)
    if not args.verbose:
        for handler in logging.getLogger().handlers:
            handler.addFilter(_without_dask_chatter)
    try:
        return _run(args)
    except ModuleNotFoundError as error:
        extra = "parallel" if error.name in {"dask", "distributed"} else "notebooks"
        print(f"mediaprov {args.command}: the optional package {error.name!r} is not installed: "
              f"install the extras with `pip install 'mediaprov[{extra}]'` (or `make install`)",
              file=sys.stderr)
        return 2
    except (OSError, ValueError, OutputLockedError) as error:
        message = " ".join(str(error).split())  # one line, whatever the message holds
        print(f"mediaprov {args.command}: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
