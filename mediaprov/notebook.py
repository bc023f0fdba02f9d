"""Notebook sections that say why they do not apply to a corpus, instead of failing.

A notebook runs on every corpus that ingests, but not every corpus has what every section needs
(dates, camps, two outlets, quotes, an event covered by several camps). The first code cell of a
section calls :func:`section` with the condition it needs. When the condition fails, the cell prints
one sentence saying what is missing, and every later code cell of the section prints
``(skipped: ...)`` instead of running, until the next :func:`section` call; :func:`skipping`
says whether the current section runs. :func:`section` returns nothing, so its cell shows no
``True`` whichever way a kernel treats a trailing ``;`` (nbval runs cells without storing history,
where IPython does not see it).

Example:
    >>> section("Reuse network", ready=False, needs="two identified outlets")
    Reuse network: skipped on this corpus, which lacks two identified outlets.
    >>> skipping()
    'Reuse network needs two identified outlets'
    >>> section("Volumes")
    >>> skipping() is None
    True
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["section", "skipping"]

_state: dict[str, str | None] = {"skipping": None}
_CALL = "section("


def skipping() -> str | None:
    """The reason the current section is skipped, or ``None`` when it runs.

    Example:
        >>> section("Topics"); skipping() is None
        True
    """
    return _state["skipping"]


def _skip_cell(lines: list[str]) -> list[str]:
    """IPython input transformer: a cell of a skipped section prints why instead of running."""
    source = "".join(lines)
    reason = _state["skipping"]
    if reason is None or _CALL in source or not source.strip() or source.lstrip().startswith("%"):
        return lines
    return [f"print({('(skipped: ' + reason + ')')!r})\n"]


def _install() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the notebooks extra
        return
    shell = get_ipython()
    if shell is None:
        return
    transformers: list[Callable[[list[str]], list[str]]] = shell.input_transformers_post
    if _skip_cell not in transformers:
        transformers.append(_skip_cell)


def section(name: str, *, ready: bool = True, needs: str = "") -> None:
    """Start a notebook section that runs only when the corpus has what it needs.

    Args:
        name: the section's name, as in its heading.
        ready: whether the corpus has what the section needs.
        needs: what the section needs, for the sentence printed when it is skipped.

    Example: see the module docstring.
    """
    _install()
    _state["skipping"] = None if ready else f"{name} needs {needs}" if needs else name
    if not ready:
        print(f"{name}: skipped on this corpus, which lacks {needs or 'what this section needs'}.")
