"""A griffe extension for the API pages: read mediaprov's docstrings as the site expects.

mediaprov's docstrings are Google style with a reStructuredText flavour. Without touching the
package, this extension (listed in ``mkdocs.yml``) rewrites, for the site only:

* ``Example:`` section headers to ``Examples:``, so doctests render as code blocks (griffe reads
  only the plural as an examples section; the singular became a note whose ``>>>`` lines were
  read as Markdown quotes and ``['a', 'b']`` outputs as broken links);
* Sphinx roles (``:func:`name```, ``:data:`~x.y```) and double backticks to Markdown code;
* reStructuredText simple tables (rows between ``=====  ====`` borders) to Markdown tables.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE = re.compile(r"^(\s*)Example:\s*$", re.M)
_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_BORDER = re.compile(r"^(\s*)=+(?: +=+)+\s*$")


def simple_tables(text: str) -> str:
    r"""Rewrite the reStructuredText simple tables in ``text`` as Markdown tables.

    Example:
        >>> print(simple_tables("== ===\na  b\n== ===\nx  y z\n== ==="))
        | a | b |
        | --- | --- |
        | x | y z |
    """
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        border = _BORDER.match(lines[index])
        ends = [i for i in range(index + 1, len(lines)) if _BORDER.match(lines[i])][:2] if border else []
        if len(ends) < 2 or lines[ends[0]].strip() != lines[index].strip():
            out.append(lines[index])
            index += 1
            continue
        starts = [m.start() for m in re.finditer(r"=+", lines[index])]
        indent = border.group(1)
        header = _cells(lines[index + 1], starts)
        out.append(indent + "| " + " | ".join(header) + " |")
        out.append(indent + "| " + " | ".join("---" for _ in header) + " |")
        out += [indent + "| " + " | ".join(_cells(line, starts)) + " |" for line in lines[ends[0] + 1:ends[1]] if line.strip()]
        index = ends[1] + 1
    return "\n".join(out)


def _cells(line: str, starts: list[int]) -> list[str]:
    """The cells of one row of a simple table whose columns begin at ``starts``."""
    bounds = [*starts[1:], None]
    return [line[start:end].strip().replace("|", "\\|") for start, end in zip(starts, bounds, strict=True)]


def rewrite(text: str) -> str:
    r"""The docstring as the site renders it.

    Example:
        >>> rewrite("Uses :func:`validate`.\n\nExample:\n    >>> 1\n    1")
        'Uses `validate`.\n\nExamples:\n    >>> 1\n    1'
    """
    text = simple_tables(_EXAMPLE.sub(r"\1Examples:", text))
    text = _ROLE.sub(r"`\1`", text)
    return re.sub(r"``([^`]+)``", r"`\1`", text)


class MediaprovDocstrings(griffe.Extension):
    """Rewrite every docstring with :func:`rewrite` once the object tree is built."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:  # noqa: D102
        if obj.docstring is not None:
            obj.docstring.value = rewrite(obj.docstring.value)

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:  # noqa: D102
        self.on_object(obj=pkg)  # the top package is not passed to on_object
