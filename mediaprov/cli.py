"""The ``mediaprov`` command: each subcommand calls one library function.

Subcommands::

    mediaprov demo      [--out DIR] [--articles N] [--seed S] [--check]
    mediaprov ingest    PATH [--out DIR] [--format auto|text|html|jsonl|csv|warc] [--columns PRESET_OR_MAPPING]
                        [--follow-outside-links] [--max-record-mb MB] [--record-timeout S]
    mediaprov features  DIR [--entities FILE] [--outlets FILE]
    mediaprov reuse     DIR [--threshold T] [--shingle K] [--window DAYS]
    mediaprov stories   DIR
    mediaprov timelines DIR
    mediaprov report    [--out DIR] [--inplace]

Exit status: 0 when the run completed (even if some inputs were quarantined); 2 with a one-line
reason on standard error when it could not run (missing path, unknown format, bad mapping, an
output folder that is a file or is locked by another run, a missing optional extra...).

Example:
    >>> main(["ingest", "/no/such/folder"])
    2
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mediaprov", description="Media provenance: who published what, when, and from whom.")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="write (or check) the bundled synthetic demo corpus")
    demo.add_argument("--out", type=Path, default=None, help="folder (default data/raw/demo)")
    demo.add_argument("--articles", type=int, default=None, help="number of articles (scales to 1,000,000)")
    demo.add_argument("--seed", type=int, default=None, help="random seed")
    demo.add_argument("--check", action="store_true",
                      help="regenerate in a temporary folder and compare with the committed corpus")

    ingest = commands.add_parser("ingest", help="raw files -> articles.parquet + ingest_log.parquet")
    ingest.add_argument("path", type=str)  # a str: Path("") would silently be "."
    ingest.add_argument("--out", type=Path, default=None, help="output folder (default data/processed/<name>)")
    ingest.add_argument("--format", default="auto", help="auto, text, html, jsonl, csv or warc")
    ingest.add_argument("--columns", default=None,
                        help="column preset (mediacloud, allsides, default) or mapping 'title=headline,text=body'")
    ingest.add_argument("--no-progress", action="store_true", help="no progress bar")
    ingest.add_argument("--follow-outside-links", action="store_true",
                        help="read symbolic links that point outside PATH (refused by default)")
    ingest.add_argument("--max-record-mb", type=float, default=None,
                        help="the most one record may hold, in MB (default 8.4); larger ones are quarantined")
    ingest.add_argument("--record-timeout", type=float, default=None,
                        help="seconds to read and parse one record (default 30); slower ones are quarantined")

    features = commands.add_parser("features", help="mentions, quotes and citations with offsets")
    features.add_argument("dir", type=Path)
    features.add_argument("--entities", type=Path, default=None)
    features.add_argument("--outlets", type=Path, default=None)

    reuse = commands.add_parser("reuse", help="text reuse between articles")
    reuse.add_argument("dir", type=Path)
    reuse.add_argument("--threshold", type=float, default=None)
    reuse.add_argument("--shingle", type=int, default=None)
    reuse.add_argument("--window", type=float, default=None, help="co-publication window in days")

    stories = commands.add_parser("stories", help="group articles into stories")
    stories.add_argument("dir", type=Path)
    timelines = commands.add_parser("timelines", help="tables behind the timeline figures")
    timelines.add_argument("dir", type=Path)

    report = commands.add_parser("report", help="execute the notebooks and render them to HTML")
    report.add_argument("--out", type=Path, default=Path("reports"))
    report.add_argument("--inplace", action="store_true",
                        help="re-execute the committed notebooks in place instead")
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.command == "demo":
        from mediaprov import demo, paths

        out = args.out or paths.raw_dir("demo")
        options = {k: v for k, v in (("articles", args.articles), ("seed", args.seed)) if v is not None}
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
        result = ingest(args.path, out=args.out, format=args.format, columns=args.columns,
                        progress=not args.no_progress and sys.stderr.isatty(), **options)
        print(f"wrote {result.out_dir}/articles.parquet and ingest_log.parquet")
        print(result.summary.render())
        return 0
    if args.command == "features":
        from mediaprov.features import run_features

        written = run_features(args.dir, entities_path=args.entities, outlets_path=args.outlets)
        print("wrote " + ", ".join(str(p) for p in written.values()))
        return 0
    if args.command == "reuse":
        from mediaprov.reuse import run_reuse

        options = {k: v for k, v in (("threshold", args.threshold), ("shingle", args.shingle),
                                     ("window_days", args.window)) if v is not None}
        print(f"wrote {run_reuse(args.dir, **options)}")
        return 0
    if args.command == "stories":
        from mediaprov.stories import run_stories

        print(f"wrote {run_stories(args.dir)}")
        return 0
    if args.command == "timelines":
        from mediaprov.timelines import run_timelines

        print("wrote " + ", ".join(str(p) for p in run_timelines(args.dir).values()))
        return 0
    if args.command == "report":
        from mediaprov.report import run_notebooks

        for written in run_notebooks(out=None if args.inplace else args.out):
            print(f"wrote {written}")
        return 0
    raise AssertionError(args.command)  # argparse rejects unknown commands


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
    try:
        return _run(args)
    except ModuleNotFoundError as error:
        print(f"mediaprov {args.command}: the optional package {error.name!r} is not installed: "
              "install the extras with `pip install 'mediaprov[notebooks]'` (or `make install`)",
              file=sys.stderr)
        return 2
    except (OSError, ValueError, OutputLockedError) as error:
        message = " ".join(str(error).split())  # one line, whatever the message holds
        print(f"mediaprov {args.command}: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
