"""Walking an input folder: every entry read, quarantined or skipped, in a fixed order.

:func:`walk` lists what :func:`mediaprov.ingest.readers.iter_records` reads: files to read, inputs
that cannot be read (dangling links, special files, links outside the input) and entries that are
no input at all (hidden, reference files, ground truth, a folder already walked), each with why.

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "a.txt").write_text("x")
    >>> [(e.raw_path, e.skipped, e.error) for e in walk(folder)]
    [('a.txt', None, None)]
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SKIPPED_FOLDERS", "SKIPPED_NAMES", "WalkEntry", "safe_name", "walk"]

SKIPPED_NAMES: frozenset[str] = frozenset({"readme.md", "manifest.json"})
"""File names (case-insensitive) that document a corpus rather than belong to it."""

SKIPPED_FOLDERS: frozenset[str] = frozenset({"truth"})
"""Folder names whose contents are ground truth, not input."""


def safe_name(name: str) -> str:
    r"""A file name as a valid UTF-8 string: undecodable bytes become ``\xNN`` escapes.

    File names are bytes on POSIX; Python keeps undecodable ones as lone surrogates, which no
    table can store. The escaped form is stable, readable and never fails to encode.

    Example:
        >>> safe_name("caf\udce9.txt")
        'caf\\xe9.txt'
        >>> safe_name("café.txt")
        'café.txt'
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", errors="backslashreplace")


@dataclass(frozen=True)
class WalkEntry:
    """One entry met while walking the input: a file to read, or why it is not read.

    Attributes:
        path: the path to open (a symlink is opened through its link).
        raw_path: the entry relative to the input root, POSIX separators, bytes-safe.
        folder: the name of the folder that holds it (``None`` at the root).
        skipped: why the entry is not an input at all (hidden, reference file, ground truth,
            a folder already walked); such entries are listed in the run's summary.
        error: why an input cannot be read (dangling link, special file, link outside the
            input); it becomes one quarantined record.
        size: the file's size in bytes when the walk saw it (``None``: not known).
    """

    path: Path
    raw_path: str
    folder: str | None = None
    skipped: str | None = None
    error: str | None = None
    size: int | None = None


def walk(root: Path, *, follow_outside_links: bool = False) -> list[WalkEntry]:
    """Every entry under ``root`` that is read, quarantined or skipped, sorted by ``raw_path``.

    Hidden entries, ``README.md``, ``MANIFEST.json``, datasheets (``datasheet*``) and folders
    named ``truth`` are skipped with a reason. Symbolic links to folders are followed, with a
    guard against loops (a folder reached twice is skipped, naming where it was walked);
    links whose target lies outside ``root`` are refused unless ``follow_outside_links``;
    dangling links and special files (FIFOs, sockets, devices) are inputs that cannot be read.

    Args:
        root: the input folder.
        follow_outside_links: read links that point outside ``root``.

    Returns:
        The entries, sorted by ``raw_path``.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "a.txt").write_text("x")
        >>> _ = (folder / "README.md").write_text("about")
        >>> [(e.raw_path, e.skipped) for e in walk(folder)]
        [('README.md', 'reference file (documents the corpus, not part of it)'), ('a.txt', None)]
    """
    root = Path(root)
    real_root = os.path.realpath(root)
    entries: list[WalkEntry] = []
    visited: dict[tuple[int, int], str] = {}
    root_stat = os.stat(root)
    visited[(root_stat.st_dev, root_stat.st_ino)] = "."
    queue: list[tuple[Path, str]] = [(root, "")]
    linked: list[tuple[Path, str]] = []  # folders reached through a link: walked after real ones
    while queue or linked:
        if queue:
            folder, prefix = queue.pop()
        else:
            folder, prefix = linked.pop(0)
            try:
                info = os.stat(folder)
            except OSError as error:
                entries.append(WalkEntry(folder, prefix, error=(
                    f"cannot open linked folder: {error.strerror or error}")))
                continue
            key = (info.st_dev, info.st_ino)
            if key in visited:
                entries.append(WalkEntry(folder, prefix, skipped=(
                    f"symlink to a folder already walked as {visited[key]}/ "
                    "(a loop or a second link): its files are read once")))
                continue
            visited[key] = prefix.rstrip("/")
        try:
            children = sorted(os.scandir(folder), key=lambda item: item.name)
        except OSError as error:
            entries.append(WalkEntry(folder, prefix or ".", error=(
                f"cannot list folder: {error.strerror or error}")))
            continue
        holder = prefix.rstrip("/").rsplit("/", 1)[-1] or None
        for child in children:
            name = safe_name(child.name)
            relative = prefix + name
            path = Path(child.path)
            if name.startswith("."):
                entries.append(WalkEntry(path, relative + ("/" if _is_dir(child) else ""),
                                         holder, skipped="hidden entry"))
                continue
            is_link = child.is_symlink()
            if is_link:
                problem = _link_problem(path, real_root, follow_outside_links)
                if problem:
                    entries.append(WalkEntry(path, relative, holder, error=problem))
                    continue
            if _is_dir(child):
                if name.lower() in SKIPPED_FOLDERS:
                    entries.append(WalkEntry(path, relative + "/", holder,
                                             skipped="ground-truth folder, not input"))
                    continue
                if is_link:
                    linked.append((path, relative + "/"))
                else:
                    info = child.stat()
                    visited.setdefault((info.st_dev, info.st_ino), relative)
                    queue.append((path, relative + "/"))
                continue
            kind = _special_kind(child)
            if kind:
                entries.append(WalkEntry(path, relative, holder,
                                         error=f"special file ({kind}), not read"))
                continue
            lower = name.lower()
            if lower in SKIPPED_NAMES or lower.startswith("datasheet"):
                entries.append(WalkEntry(path, relative, holder, skipped=(
                    "reference file (documents the corpus, not part of it)")))
                continue
            entries.append(WalkEntry(path, relative, holder, size=child.stat().st_size))  # stat cached
    return sorted(entries, key=lambda entry: entry.raw_path)


def _is_dir(child: os.DirEntry) -> bool:
    try:
        return child.is_dir()
    except OSError:
        return False


def _special_kind(child: os.DirEntry) -> str | None:
    """The kind of a non-regular file (``FIFO``, ``socket``, ``device``), else ``None``."""
    try:
        mode = child.stat().st_mode
    except OSError:
        return "unreadable"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "not a regular file"


def _link_problem(path: Path, real_root: str, follow_outside_links: bool) -> str | None:
    """Why a symbolic link is not followed (dangling, looping, outside the input), or ``None``."""
    try:
        target = os.readlink(path)
    except OSError as error:
        return f"unreadable symlink: {error.strerror or error}"
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return f"symlink loop ({safe_name(target)}), not followed"
        return f"dangling symlink to {safe_name(target)}: its target does not exist"
    real = os.path.realpath(path)
    inside = real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)
    if not inside and not follow_outside_links:
        return (f"symlink to {safe_name(real)}, outside the input folder: not read "
                "(pass --follow-outside-links to read it)")
    return None
