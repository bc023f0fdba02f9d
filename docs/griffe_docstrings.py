"""A griffe extension for the API pages: read mediaprov's docstrings as the site expects.

mediaprov's docstrings are Google style with a reStructuredText flavour. Without touching the
package, this extension (listed in ``mkdocs.yml``) rewrites, for the site only:

* ``Example:`` section headers to ``Examples:``, so doctests render as code blocks (griffe reads
  only the plural as an examples section; the singular became a note whose ``>>>`` lines were
  read as Markdown quotes and ``['a', 'b']`` outputs as broken links);
* Sphinx roles (``:func:`name```, ``:data:`~x.y```) and double backticks to Markdown code.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE = re.compile(r"^(\s*)Example:\s*$", re.M)
_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")


def rewrite(text: str) -> str:
    """The docstring as the site renders it.

    Example:
        >>> rewrite("Uses :func:`validate`.\\n\\nExample:\\n    >>> 1\\n    1")
        'Uses `validate`.\\n\\nExamples:\\n    >>> 1\\n    1'
    """
    text = _EXAMPLE.sub(r"\1Examples:", text)
    text = _ROLE.sub(r"`\1`", text)
    return re.sub(r"``([^`]+)``", r"`\1`", text)


class MediaprovDocstrings(griffe.Extension):
    """Rewrite every docstring with :func:`rewrite` once the object tree is built."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:  # noqa: D102
        if obj.docstring is not None:
            obj.docstring.value = rewrite(obj.docstring.value)

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:  # noqa: D102
        self.on_object(obj=pkg)  # the top package is not passed to on_object
