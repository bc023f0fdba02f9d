"""Reading and writing tables and manifests, atomically.

Every write goes to a temporary file in the destination folder and is then renamed over the
target, so a crash never leaves a half-written table behind.

A stage that writes several tables commits them together with :func:`stage_output` (or the
:func:`stage_writer` decorator): it takes a lock on the output folder, writes every table into a
temporary folder, and publishes them with one rename (the commit point) followed by moves that a
later run finishes if a kill interrupts them. :func:`check_run` tells whether the tables of a
folder belong to one published run.

Example:
    >>> import tempfile, pandas as pd
    >>> from mediaprov.schema import STORIES
    >>> folder = Path(tempfile.mkdtemp())
    >>> table = pd.DataFrame({"article_id": ["a"], "story_id": ["s1"], "joined_by": ["seed"]})
    >>> _ = write_table(table, folder / "stories.parquet", STORIES)
    >>> read_table(folder / "stories.parquet", STORIES).story_id.tolist()
    ['s1']
"""

from __future__ import annotations

import contextvars
import errno
import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import pandas as pd

from mediaprov.schema import Schema, validate


def sha256_bytes(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``.

    Example:
        >>> sha256_bytes(b"")[:8]
        'e3b0c442'
    """
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path, *, chunk_size: int = 1 << 20) -> str:
    """Return the hex SHA-256 of a file, read in chunks.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "x"; _ = p.write_bytes(b"")
        >>> sha256_file(p)[:8]
        'e3b0c442'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def default_mode(path: str) -> None:
    """Give a temporary file the permissions a normal ``open`` would (mkstemp makes it 0600).

    Example:
        >>> import tempfile
        >>> handle, name = tempfile.mkstemp(); os.close(handle)
        >>> default_mode(name); oct(os.stat(name).st_mode & 0o777) == oct(0o666 & ~_umask())
        True
    """
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


@contextmanager
def atomic_write(path: Path, mode: str = "wb", **open_kwargs: object) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    Args:
        path: the final destination; its folder is created if needed.
        mode: ``"wb"`` or ``"w"``.
        open_kwargs: passed to :func:`open` (e.g. ``encoding="utf-8"``, ``newline=""``).

    Example:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "a.txt"
        >>> with atomic_write(target, "w", encoding="utf-8") as handle:
        ...     _ = handle.write("done")
        >>> target.read_text()
        'done'
    """
    path = staged_path(Path(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    default_mode(temporary)
    try:
        with os.fdopen(descriptor, mode, **open_kwargs) as handle:  # type: ignore[call-overload]
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write_table(table: pd.DataFrame, path: Path, schema: Schema | None = None) -> Path:
    """Validate ``table`` against ``schema`` (when given) and write it to Parquet atomically.

    Args:
        table: the DataFrame.
        path: destination ``.parquet`` file.
        schema: the table's schema; the table is validated and its columns ordered first.

    Returns:
        The path written.

    Example: see the module docstring.
    """
    if schema is not None:
        table = validate(table, schema, where=str(path))
    with atomic_write(Path(path), "wb") as handle:
        table.to_parquet(handle, index=False)
    return Path(path)


def read_table(path: Path, schema: Schema | None = None, *,
               columns: Iterable[str] | None = None,
               categorical: Iterable[str] = ()) -> pd.DataFrame:
    """Read a Parquet table and validate it against ``schema`` (when given).

    Args:
        path: the ``.parquet`` file (a table the running stage wrote already is read back from
            its staging folder).
        schema: the table's schema; its columns are checked and cast.
        columns: read only these columns (a stage that needs ``article_id`` and ``text`` of a
            million articles leaves the rest on disk); checked against ``schema``'s dtypes.
        categorical: text columns read as pandas ``Categorical`` (Parquet's dictionary
            encoding): an integer code per row and each distinct value once. The thirty million
            mentions of a million articles take 0.25 GB so instead of 1.4 GB. Each must be one
            of the columns read.

    Returns:
        The table, columns in the schema's order (or in ``columns``' order).

    Raises:
        FileNotFoundError: with a hint about which command writes the table.
        SchemaError: the file does not match ``schema`` (or lacks one of ``columns``).
        ValueError: ``categorical`` names a column that is not read.

    Example: see the module docstring; ``read_table(path, STORIES, columns=["story_id"])``
    reads one column, ``read_table(path, MENTIONS, columns=["article_id", "entity_id"],
    categorical=["article_id", "entity_id"])`` two coded ones.
    """
    path = readable_path(path)
    wanted = list(columns) if columns is not None else None
    categorical = list(categorical)
    coded: dict[str, list[str]] = {}
    if categorical:  # the file's schema read once for them
        coded["read_dictionary"] = _present(path, categorical)
        unknown = [c for c in categorical if c not in (wanted if wanted is not None else coded["read_dictionary"])]
        if unknown:
            raise ValueError(f"categorical names columns that are not read: {unknown}")
    if wanted is None:
        table = pd.read_parquet(path, **coded)
        return validate(table, schema, where=str(path), categorical=categorical) if schema is not None else table
    narrowed = schema.select(wanted) if schema is not None else None  # unknown names first
    table = pd.read_parquet(path, columns=_present(path, wanted) if narrowed is not None else wanted,
                            **coded)
    return (validate(table, narrowed, where=str(path), categorical=categorical)
            if narrowed is not None else table)


def readable_path(path: Path) -> Path:
    """The file to read for ``path``: its staged copy while a stage writes it, else ``path``.

    Args:
        path: a table's path.

    Returns:
        The path to open.

    Raises:
        FileNotFoundError: neither exists; the message says which command writes tables.

    Example:
        >>> readable_path(Path("nowhere/articles.parquet"))
        Traceback (most recent call last):
        ...
        FileNotFoundError: nowhere/articles.parquet does not exist: run `mediaprov ingest` (or the notebook that writes it) first
    """
    path = Path(path)
    staged = staged_path(path)
    if staged != path and staged.exists():  # a table this stage wrote already: read it back
        path = staged
    if not path.exists():
        raise FileNotFoundError(
            f"{path} does not exist: run `mediaprov ingest` (or the notebook that writes it) first"
        )
    return path


def _present(path: Path, columns: list[str]) -> list[str]:
    """The ``columns`` a Parquet file holds (a file may lack optional columns; validate adds them)."""
    import pyarrow.parquet as pq

    names = set(pq.read_schema(path).names)
    return [c for c in columns if c in names]


def write_manifest(files: Iterable[Path], root: Path, path: Path) -> Path:
    """Write a JSON manifest of ``files`` (relative to ``root``) with their SHA-256 and sizes.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp()); _ = (root / "a.txt").write_text("x")
        >>> _ = write_manifest([root / "a.txt"], root, root / "MANIFEST.json")
        >>> json.loads((root / "MANIFEST.json").read_text())["files"][0]["path"]
        'a.txt'
    """
    entries = [
        {"path": Path(f).relative_to(root).as_posix(), "sha256": sha256_file(Path(f)),
         "bytes": Path(f).stat().st_size}
        for f in sorted(files, key=lambda p: Path(p).relative_to(root).as_posix())
    ]
    with atomic_write(Path(path), "w", encoding="utf-8") as handle:
        json.dump({"files": entries}, handle, indent=1, sort_keys=True)
        handle.write("\n")
    return Path(path)


# --- one atomic commit per stage ----------------------------------------------------------------

LOCK_NAME = ".mediaprov.lock"
"""The lock file a stage holds in its output folder while it writes."""

_ACTIVE: contextvars.ContextVar[tuple[Path, Path] | None] = contextvars.ContextVar(
    "mediaprov_stage", default=None)
_HELD: dict[str, int] = {}  # output folders this process holds the lock of -> depth
_F = TypeVar("_F", bound=Callable[..., Any])


class OutputLockedError(RuntimeError):
    """Another run is writing into the same output folder."""


class RunMismatchError(ValueError):
    """The tables of a folder do not belong to one published run."""


def staged_path(path: Path) -> Path:
    """Where a write to ``path`` goes.

    Into the active stage's temporary folder (:func:`stage_output`) when ``path`` is in that
    stage's output folder, else ``path`` itself.

    Example:
        >>> staged_path(Path("outside/any.parquet"))  # no stage is writing here
        PosixPath('outside/any.parquet')
    """
    active = _ACTIVE.get()
    if active is None:
        return path
    out_dir, temporary = active
    try:
        if Path(os.path.abspath(path.parent)) == out_dir:
            return temporary / path.name
    except (OSError, ValueError):
        pass
    return path


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold the lock of an output folder (re-entrant within one process).

    Raises:
        OutputLockedError: another process holds it; the message names its pid.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> with output_lock(folder):
        ...     (folder / LOCK_NAME).exists()
        True
    """
    import fcntl

    out_dir = Path(out_dir)
    key = os.path.abspath(out_dir)
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    descriptor = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            holder = os.pread(descriptor, 200, 0).decode("utf-8", "replace").strip() or "?"
            raise OutputLockedError(
                f"{out_dir} is being written by another mediaprov run ({holder}): wait for it to "
                "finish, or write to another --out folder") from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"pid {os.getpid()}".encode(), 0)
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def _fsync_dir(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def recover(out_dir: Path) -> list[str]:
    """Finish publications a killed run left half done, and remove stale temporaries.

    Call with the folder's lock held (:func:`stage_output` and :func:`check_run` do). A
    ``.<stage>.ready`` folder is a complete, committed output: its remaining files are moved
    into place (run manifests last). A ``.<stage>.*.tmp`` folder, or a ``.*.tmp`` file, is the
    unfinished work of a killed run: it is removed.

    Returns:
        What was done, one line per entry (empty when the folder was clean).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp()); (folder / ".ingest.x.tmp").mkdir()
        >>> recover(folder)
        ['removed stale temporary .ingest.x.tmp']
    """
    out_dir = Path(out_dir)
    done: list[str] = []
    if not out_dir.is_dir():
        return done
    for entry in sorted(out_dir.iterdir()):
        name = entry.name
        if name.startswith(".") and name.endswith(".ready") and entry.is_dir():
            _move_all(entry, out_dir)
            done.append(f"finished publishing {name}")
        elif name.startswith(".") and name.endswith(".tmp"):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            done.append(f"removed stale temporary {name}")
    return done


def _move_all(ready: Path, out_dir: Path) -> None:
    """Move every file of a committed ``ready`` folder into ``out_dir``; run manifests last."""
    files = sorted(ready.iterdir(), key=lambda p: (p.name.endswith("_run.json"), p.name))
    for file in files:
        os.replace(file, out_dir / file.name)
    _fsync_dir(out_dir)
    os.rmdir(ready)
    _fsync_dir(out_dir)


@contextmanager
def stage_output(out_dir: Path, stage: str, *, reads: Iterable[str] = ()) -> Iterator[Path]:
    """Write a stage's tables into a temporary folder; publish them all together on success.

    Takes the output folder's lock, finishes or removes what killed runs left
    (:func:`recover`), and yields a temporary folder inside ``out_dir``. Writes through
    :func:`write_table`, :func:`atomic_write` and :class:`ChunkedTableWriter` to
    ``out_dir/<name>`` inside the block go there too. On success a run manifest
    ``<stage>_run.json`` (SHA-256 and size of every file, and the runs of the stages it ``reads``
    that are present) is added, the folder is renamed to ``.<stage>.ready`` (the commit point: from then
    on the new output is the one that counts) and its files are moved into ``out_dir``. On an
    exception, or a kill, nothing in ``out_dir`` changes.

    Args:
        out_dir: the output folder (created if needed).
        stage: the stage's name (``ingest``, ``features``...).
        reads: the stages whose tables this one reads (features reads ingest's): their current
            runs are recorded, so :func:`check_run` can tell when they changed since.

    Raises:
        NotADirectoryError: ``out_dir`` exists and is not a folder.
        OutputLockedError: another run writes into ``out_dir``.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> with stage_output(folder, "demo") as temporary:
        ...     _ = (temporary / "a.txt").write_text("x")
        >>> sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        ['a.txt', 'demo_run.json']
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(
            f"output folder {out_dir} is a file, not a folder: choose another output folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    with output_lock(out_dir):
        recover(out_dir)
        upstream = {name: run for name, run in _runs(out_dir).items() if name in set(reads) and name != stage}
        temporary = Path(tempfile.mkdtemp(dir=out_dir, prefix=f".{stage}.", suffix=".tmp"))
        token = _ACTIVE.set((Path(os.path.abspath(out_dir)), temporary))
        try:
            try:
                yield temporary
            finally:
                _ACTIVE.reset(token)
            _publish(temporary, out_dir, stage, upstream)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise


def _publish(temporary: Path, out_dir: Path, stage: str, upstream: dict[str, str]) -> None:
    files = sorted(p for p in temporary.iterdir() if p.is_file())
    outputs = {}
    for file in files:
        with open(file, "rb") as handle:
            os.fsync(handle.fileno())
        outputs[file.name] = {"sha256": sha256_file(file), "bytes": file.stat().st_size}
    run_id = sha256_bytes(json.dumps(outputs, sort_keys=True).encode())[:16]
    manifest = {"stage": stage, "run": run_id, "outputs": outputs, "upstream": upstream}
    with open(temporary / f"{stage}_run.json", "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    default_mode(str(temporary / f"{stage}_run.json"))
    _fsync_dir(temporary)
    ready = out_dir / f".{stage}.ready"
    os.replace(temporary, ready)  # the commit point
    _fsync_dir(out_dir)
    _move_all(ready, out_dir)


def _runs(out_dir: Path) -> dict[str, str]:
    """Stage -> run id of the run manifests published in ``out_dir``."""
    runs = {}
    for manifest in sorted(Path(out_dir).glob("*_run.json")):
        try:
            content = json.loads(manifest.read_text(encoding="utf-8"))
            runs[str(content["stage"])] = str(content["run"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return runs


def stage_writer(stage: str, *, subfolder: str | None = None, reads: Iterable[str] = ()) -> Callable[[_F], _F]:
    """Decorate a ``run_<stage>(dir, ...)`` function to commit its outputs at once.

    All it writes into ``dir`` (or ``dir/subfolder``) is committed at once by
    :func:`stage_output`.

    Example:
        >>> import tempfile
        >>> @stage_writer("demo")
        ... def run_demo(dir):
        ...     return write_table(pd.DataFrame({"a": [1]}), Path(dir) / "a.parquet")
        >>> folder = Path(tempfile.mkdtemp())
        >>> run_demo(folder).name, (folder / "demo_run.json").exists()
        ('a.parquet', True)
    """
    def decorate(function: _F) -> _F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            folder = Path(args[0] if args else kwargs["dir"])
            with stage_output(folder / subfolder if subfolder else folder, stage, reads=reads):
                return function(*args, **kwargs)
        return wrapper  # type: ignore[return-value]
    return decorate


def check_run(folder: Path, tables: Iterable[str] | None = None, *,
              verify_hashes: bool = True) -> dict[str, str]:
    """Check that the tables of a folder belong to one published run of each stage.

    Finishes a publication a killed run left half done first (:func:`recover`). Each table
    listed in a run manifest (``<stage>_run.json``) must have the size and SHA-256 recorded
    there; and a stage that was run on the output of another (features on ingest's articles)
    must have been run on the output present now. Tables no manifest lists (written before
    manifests existed) are not checked.

    Args:
        folder: a processed corpus folder.
        tables: table names (``articles``, ``mentions``...) or file names; default all.
        verify_hashes: compare SHA-256 (else sizes only, faster on big tables).

    Returns:
        Stage -> run id of the stages involved.

    Raises:
        RunMismatchError: a table was changed after its run, or comes from another run; the
            message says which and what to rerun.
        OutputLockedError: a run is writing into the folder now.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> with stage_output(folder, "demo") as temporary:
        ...     _ = (temporary / "a.parquet").write_bytes(b"x")
        >>> list(check_run(folder, ["a"]))
        ['demo']
    """
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    with output_lock(folder):
        recover(folder)
    manifests: dict[str, dict] = {}
    owner: dict[str, str] = {}
    for path in sorted(folder.glob("*_run.json")):
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
            stage = str(content["stage"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise RunMismatchError(f"{path}: unreadable run manifest ({error}): rerun the stage "
                                   "that writes it") from error
        manifests[stage] = content
        for name in content.get("outputs", {}):
            owner[name] = stage
    wanted = list(owner) if tables is None else [
        name if "." in name else f"{name}.parquet" for name in tables]
    stages: dict[str, str] = {}
    problems = []
    for name in wanted:
        writer = owner.get(name)
        if writer is None:
            continue
        recorded = manifests[writer]["outputs"][name]
        path = folder / name
        stages[writer] = manifests[writer]["run"]
        if not path.exists():
            problems.append(f"{name} is missing (stage {writer})")
        elif path.stat().st_size != recorded["bytes"] or (
                verify_hashes and sha256_file(path) != recorded["sha256"]):
            problems.append(f"{name} is not the one {writer} run {manifests[writer]['run']} wrote")
    for stage in list(stages):
        for upstream, run in manifests[stage].get("upstream", {}).items():
            if upstream in stages and stages[upstream] != run:
                problems.append(f"{stage} was computed from {upstream} run {run}, but the "
                                f"{upstream} tables now come from run {stages[upstream]}")
    if problems:
        raise RunMismatchError(
            f"tables in {folder} do not belong to one run: " + "; ".join(problems)
            + ": rerun the stages named (e.g. `mediaprov features DIR`)")
    return stages
