"""One atomic commit per stage.

Tables published together, a lock per output folder, stale temporaries cleaned, loading checks
that the tables belong to one run, and kill -9 at random moments leaves the previous complete
output or the new one, never a mix.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from mediaprov import io
from mediaprov.io import (
    OutputLockedError, RunMismatchError, check_run, recover, stage_output, stage_writer,
    write_table,
)


def _table(value: str) -> pd.DataFrame:
    return pd.DataFrame({"a": [value]})


def test_stage_output_publishes_every_table_at_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with stage_output(out, "demo") as staging:
        write_table(_table("x"), out / "one.parquet")  # redirected into the staging folder
        write_table(_table("y"), staging / "two.parquet")
        assert not (out / "one.parquet").exists() and (staging / "one.parquet").exists()
    assert {p.name for p in out.iterdir()} == {"one.parquet", "two.parquet", "demo_run.json",
                                               io.LOCK_NAME}
    manifest = json.loads((out / "demo_run.json").read_text())
    assert set(manifest["outputs"]) == {"one.parquet", "two.parquet"}
    assert check_run(out, ["one", "two"]) == {"demo": manifest["run"]}


def test_a_failing_stage_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with stage_output(out, "demo"):
        write_table(_table("old"), out / "t.parquet")
    before = (out / "t.parquet").read_bytes()
    with pytest.raises(KeyError):
        with stage_output(out, "demo"):
            write_table(_table("new"), out / "t.parquet")
            raise KeyError("boom")
    assert (out / "t.parquet").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith((".tmp", ".ready"))]


def test_a_half_published_run_is_finished_and_stale_temporaries_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with stage_output(out, "demo"):
        write_table(_table("old"), out / "a.parquet")
        write_table(_table("old"), out / "b.parquet")
    # a run killed after its commit point: a.parquet moved, b.parquet and the manifest not yet
    with stage_output(tmp_path / "elsewhere", "demo"):
        write_table(_table("new"), tmp_path / "elsewhere" / "a.parquet")
        write_table(_table("new"), tmp_path / "elsewhere" / "b.parquet")
    ready = out / ".demo.ready"
    ready.mkdir()
    for name in ("b.parquet", "demo_run.json"):
        os.replace(tmp_path / "elsewhere" / name, ready / name)
    os.replace(tmp_path / "elsewhere" / "a.parquet", out / "a.parquet")
    (out / ".demo.1234.tmp").mkdir()  # a run killed before its commit point
    (out / ".c.parquet.99.tmp").write_bytes(b"partial")
    check_run(out)  # finishes the publication first
    assert pd.read_parquet(out / "b.parquet").a.tolist() == ["new"]
    assert not [p for p in out.iterdir() if p.name.endswith((".tmp", ".ready"))]
    assert recover(out) == []


def test_check_run_names_a_table_from_another_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with stage_output(out, "demo"):
        write_table(_table("x"), out / "a.parquet")
        write_table(_table("x"), out / "b.parquet")
    write_table(_table("changed"), out / "b.parquet")  # written outside any stage
    with pytest.raises(RunMismatchError, match="b.parquet"):
        check_run(out, ["a", "b"])
    assert check_run(out, ["a"])  # a itself is intact


def test_check_run_names_a_stale_downstream_stage(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with stage_output(out, "ingest"):
        write_table(_table("articles 1"), out / "articles.parquet")
    with stage_output(out, "features", reads=["ingest"]):
        write_table(_table("mentions of 1"), out / "mentions.parquet")
    with stage_output(out, "reuse", reads=["ingest"]):
        write_table(_table("pairs of 1"), out / "reuse.parquet")
    with stage_output(out, "features", reads=["ingest"]):  # features rerun: reuse does not read it
        write_table(_table("mentions of 1, again"), out / "mentions.parquet")
    assert check_run(out, ["articles", "mentions", "reuse"])
    with stage_output(out, "ingest"):  # an upstream rerun never makes ingest itself stale
        write_table(_table("articles 2"), out / "articles.parquet")
    with pytest.raises(RunMismatchError, match="features was computed from ingest run"):
        check_run(out, ["articles", "mentions"])


def test_stage_writer_decorator_and_out_that_is_a_file(tmp_path: Path) -> None:
    @stage_writer("demo")
    def run_demo(dir: Path) -> Path:  # noqa: A002
        return write_table(_table("x"), Path(dir) / "t.parquet")

    assert run_demo(tmp_path / "d") == tmp_path / "d" / "t.parquet"
    assert (tmp_path / "d" / "demo_run.json").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match="is a file"):
        run_demo(tmp_path / "file")


def test_a_second_writer_is_refused_while_the_lock_is_held(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from mediaprov.io import output_lock\n"
         f"with output_lock(Path({str(out)!r})):\n    print('held', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputLockedError, match="another mediaprov run"):
            with stage_output(out, "demo"):
                pass
    finally:
        holder.kill()
        holder.wait()
    with stage_output(out, "demo"):  # a killed holder leaves no stale lock
        pass


# --- kill -9 -----------------------------------------------------------------------------------

def _corpus(root: Path, *, seed: int, files: int) -> Path:
    rng = random.Random(seed)
    words = "harbor council vote plan almera veskaria minister budget pier works".split()
    root.mkdir(parents=True, exist_ok=True)
    for index in range(files):
        body = " ".join(rng.choice(words) for _ in range(120))
        (root / f"story{index:04d}.txt").write_text(f"Fictional story {seed}-{index}\n\n{body}.\n")
    return root


def _state(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in
            ("articles.parquet", "ingest_log.parquet", "embeds.parquet", "ingest_manifest.json")
            if (out / name).exists()}


def kill_runs(tmp_path: Path, *, kills: int, seed: int = 7, files: int = 300) -> dict[str, int]:
    """Ingest two corpora alternately into one folder, killing runs at random moments.

    After each kill the folder must hold one complete output (the previous or the new), never a
    mix.

    Returns:
        Counts: ``kills``, ``previous`` and ``new`` (which output each kill left).
    """
    corpora = [_corpus(tmp_path / f"c{i}", seed=i, files=files) for i in (0, 1)]
    out = tmp_path / "out"
    command = [sys.executable, "-m", "mediaprov.cli", "ingest", "--no-progress", "--out", str(out)]
    references = []
    for corpus in corpora:
        subprocess.run(command + [str(corpus)], check=True, capture_output=True)
        references.append(_state(out))
    assert references[0] != references[1]
    rng = random.Random(seed)
    started = time.perf_counter()
    subprocess.run(command + [str(corpora[0])], check=True, capture_output=True)
    duration = time.perf_counter() - started
    counts = {"kills": 0, "previous": 0, "new": 0}
    current = 0
    for _ in range(kills):
        target = 1 - current
        process = subprocess.Popen(command + [str(corpora[target])], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.1) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        counts["kills"] += 1
        check_run(out)  # finishes a publication the kill interrupted after its commit point
        state = _state(out)
        assert state in (references[current], references[target]), "a mix of two runs"
        if state == references[target]:
            counts["new"] += 1
            current = target
        else:
            counts["previous"] += 1
    subprocess.run(command + [str(corpora[0])], check=True, capture_output=True)
    assert _state(out) == references[0]
    assert not [p for p in out.iterdir() if p.name.endswith((".tmp", ".ready"))]
    return counts


def test_kill_9_during_ingest_leaves_one_complete_output(tmp_path: Path) -> None:
    counts = kill_runs(tmp_path, kills=3, files=80)
    assert counts["kills"] == 3


FEATURE_FILES = ("mentions.parquet", "quotes.parquet", "citations.parquet",
                 "ambiguous_mentions.parquet", "features_run.json")

#: Per stage: the stages whose outputs it reads (run first, in order), the files it publishes
#: (its ``<stage>_run.json`` included) and the subfolder it writes into (``None``: DIR itself).
KILL_STAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str | None]] = {
    "features": (("ingest",), FEATURE_FILES, None),
    "reuse": (("ingest",), ("reuse.parquet", "reuse_common_sources.parquet",
                            "reuse_coordination.parquet", "reuse_run.json"), None),
    "stories": (("ingest", "features", "reuse"), ("stories.parquet", "stories_run.json"), None),
    "timelines": (("ingest", "features", "reuse", "stories"), (), "timelines"),
}

_OUTLETS = (("Almera Herald", "almera-herald.example"), ("Veskaria Post", "veskaria-post.example"),
            ("Pier Gazette", "pier-gazette.example"))


def _reuse_corpus(root: Path, *, seed: int, files: int) -> Path:
    """A fictional corpus with named outlets, dates, quotes and copied text.

    One paragraph is copied between the articles of two outlets (text reuse), plus ``files``
    filler stories.
    """
    _corpus(root, seed=seed, files=files)
    rng = random.Random(1000 + seed)
    words = ("harbor council vote plan almera veskaria minister budget pier works ferry levy "
             "tender dredging quay mayor").split()
    shared = " ".join(rng.choice(words) for _ in range(90))  # the reused paragraph
    records = []
    for index in range(12):
        name, domain = _OUTLETS[index % len(_OUTLETS)]
        body = " ".join(rng.choice(words) for _ in range(80))
        text = (f"{body}.\n\nMinister Veskar said \"the pier works on the Almera harbor will go "
                f"ahead as planned this year\" ({seed}-{index}).")
        if index in (0, 1, 4):  # three outlets carry the same paragraph
            text = f"{text}\n\n{shared}."
        records.append({"title": f"Almera pier plan {seed}-{index}", "text": text,
                        "outlet": name, "url": f"https://{domain}/news/{seed}-{index}",
                        "date": f"2031-03-{1 + index % 5:02d}"})
    (root / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return root


def _run_in_process(stage: str, folder: Path, corpus: Path) -> None:
    if stage == "ingest":
        from mediaprov.ingest.pipeline import ingest

        ingest(corpus, out=folder)
    elif stage == "features":
        from mediaprov.features import run_features

        run_features(folder)
    elif stage == "reuse":
        from mediaprov.reuse import run_reuse

        run_reuse(folder)
    elif stage == "stories":
        from mediaprov.stories import run_stories

        run_stories(folder)
    else:  # pragma: no cover
        raise ValueError(stage)


def _outputs(folder: Path, stage: str) -> list[str]:
    """The files a published run of ``stage`` in ``folder`` consists of (manifest included)."""
    manifest = json.loads((folder / f"{stage}_run.json").read_text())
    return sorted(manifest["outputs"]) + [f"{stage}_run.json"]


def _which(now: bytes | None, previous: bytes, new: bytes) -> str:
    return ("missing" if now is None else "previous" if now == previous else "new" if now == new
            else "neither")


def kill_stage(tmp_path: Path, stage: str, *, kills: int, seed: int = 8,
               files: int = 80) -> dict[str, int]:
    """Like :func:`kill_runs`, for a stage after ingest.

    Two fictional corpora are prepared (the stages upstream of ``stage`` run on each, in ``tmp_path/in0`` and ``in1``, reused when
    already there); the inputs of ``stage`` in one folder then alternate between the two while
    ``python -m mediaprov.cli <stage> DIR`` is killed at random moments. After each kill the
    stage's files must be the previous complete output or the new one, never a mix, and
    :func:`check_run` must pass; after the next complete run no temporary is left.

    Returns:
        Counts: ``kills``, ``previous`` and ``new`` (which output each kill left).
    """
    import shutil

    upstream, expected, subfolder = KILL_STAGES[stage]
    sources = []
    for i in (0, 1):
        source = tmp_path / f"in{i}"
        corpus = tmp_path / f"c{i}"
        if not corpus.exists():
            _reuse_corpus(corpus, seed=10 + i, files=files)
        for up in upstream:
            if not (source / f"{up}_run.json").exists():
                _run_in_process(up, source, corpus)
        sources.append(source)
    work = tmp_path / f"work-{stage}"
    work.mkdir()
    out = work / subfolder if subfolder else work
    upstream_files = [[name for up in upstream for name in _outputs(source, up)]
                      for source in sources]

    def use(index: int) -> None:
        for name in upstream_files[index]:
            shutil.copy(sources[index] / name, work / name)

    def state() -> dict[str, bytes]:
        return {n: (out / n).read_bytes() for n in names if (out / n).exists()}

    command = [sys.executable, "-m", "mediaprov.cli", stage, str(work)]
    references: list[dict[str, bytes]] = []
    durations = []
    names: list[str] = []
    for index in (0, 1):
        use(index)
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        durations.append(time.perf_counter() - started)
        names = sorted(set(names) | set(_outputs(out, stage)))
        references.append(state())
    assert set(expected) <= set(names), f"{stage} no longer writes {set(expected) - set(names)}"
    assert references[0].keys() == references[1].keys() == set(names)
    differing = [n for n in names if not n.endswith("_run.json")
                 and references[0][n] != references[1][n]]
    assert differing, f"the two corpora give the same {stage} tables: the test would prove nothing"
    tables = [n for n in names if not n.endswith("_run.json")]
    duration = max(durations)
    rng = random.Random(seed)
    counts = {"kills": 0, "previous": 0, "new": 0}
    current = 1
    for _ in range(kills):
        target = 1 - current
        use(target)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.1) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        counts["kills"] += 1
        check_run(out, tables)  # finishes a publication the kill interrupted after its commit
        now = state()
        assert now in (references[current], references[target]), (
            f"a mix of two {stage} runs: " + ", ".join(
                f"{n}: {_which(now.get(n), references[current][n], references[target][n])}"
                for n in names))
        if now == references[target]:
            counts["new"] += 1
            current = target
        else:
            counts["previous"] += 1
            use(current)
        if not subfolder:  # the inputs now present are the ones the output was computed from
            check_run(work, [n for n in upstream_files[current] if not n.endswith(".json")]
                      + tables)
    use(0)
    subprocess.run(command, check=True, capture_output=True)
    assert state() == references[0]
    check_run(out, tables)
    stray = [path for folder in {work, out} for path in folder.iterdir()
             if path.name.endswith((".tmp", ".ready"))]
    assert not stray, f"stray temporaries after the next {stage} run: {stray}"
    return counts


def kill_features(tmp_path: Path, *, kills: int, seed: int = 8, files: int = 80) -> dict[str, int]:
    """:func:`kill_stage` for the features stage (kept for callers of the older name)."""
    return kill_stage(tmp_path, "features", kills=kills, seed=seed, files=files)


@pytest.fixture(scope="module")
def kill_corpora(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pair of prepared corpora shared by the kill tests of the stages after ingest."""
    return tmp_path_factory.mktemp("kill-stages")


@pytest.mark.parametrize("stage", ["features", "reuse", "stories", "timelines"])
def test_kill_9_during_a_stage_leaves_one_complete_output(kill_corpora: Path, stage: str) -> None:
    kills = 2 if stage in ("features", "timelines") else 3
    counts = kill_stage(kill_corpora, stage, kills=kills, files=40)
    assert counts["kills"] == kills == counts["previous"] + counts["new"]
