"""The outlet registry: resolve a site label, alias, domain, URL or credit to one outlet id.

The registry is ``data/reference/outlets.csv`` (researchers edit it; the code never hard-codes an
outlet). Columns used here: ``outlet_id``, ``name``, ``aliases`` and ``domains`` (both
``|``-separated). Matching is case-, space- and typography-insensitive. A name or alias that two
outlets share is ambiguous and resolves to nothing rather than to a guess.

Example:
    >>> registry = OutletRegistry.load()
    >>> registry.resolve("Source » ncr-iran")
    'ncri'
    >>> registry.resolve("https://www.iran-interlink.org/wordpress/?p=1")
    'iran-interlink'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mediaprov import paths, reference

_TYPOGRAPHY = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"), ("‐", "-"))
"""Typographic characters and their plain forms (one character each way)."""
_CREDIT_PREFIX = re.compile(
    r"^\s*(?:source|sources|credit|credits|via|originally published (?:by|at|in|on)|republished from)"
    r"\s*[»›:>|\-–—]*\s*", re.I)
_URL = re.compile(r"(?:https?://)?(?:www\d?\.)?(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:[/:?#].*)?$", re.I)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SUFFIX = re.compile(r"\s*\((?:[^)]*)\)\s*$")


def normalise_name(text: str) -> str:
    """Fold case, typography, accents and spacing so that name variants compare equal.

    Example:
        >>> normalise_name("  The  Guardian’s ")
        "the guardian's"
    """
    folded = text
    if not folded.isascii():
        # str.replace scans for one character at C speed; str.translate with a mapping looks up
        # every character of the text (whole article bodies come here: ingest's duplicate check)
        for typographic, plain in _TYPOGRAPHY:
            if typographic in folded:
                folded = folded.replace(typographic, plain)
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return " ".join(folded.lower().split())


def slugify(text: str) -> str:
    """Return a lowercase ASCII slug (``a-z0-9`` and ``-``) for provisional outlet ids.

    Example:
        >>> slugify("CNN (Web News)")
        'cnn-web-news'
    """
    return _NOT_SLUG.sub("-", normalise_name(text)).strip("-")


def registry_path() -> Path:
    """The outlet registry CSV researchers edit: ``data/reference/outlets.csv``.

    Example:
        >>> registry_path().name
        'outlets.csv'
    """
    return paths.reference_dir() / "outlets.csv"


def read_registry(path: Path | None = None, *, corpus: str | None = None) -> pd.DataFrame:
    """Read the outlet registry as strings, empty cells as ``""`` (via :func:`mediaprov.reference.read`).

    Args:
        path: the CSV (default :func:`registry_path`).
        corpus: keep the rows whose pack applies to this corpus and add its own
            ``data/reference/<corpus>/outlets.csv`` (``None``: every row).

    Raises:
        FileNotFoundError: the CSV is missing (the message says which file is expected).

    Example:
        >>> {"outlet_id", "name", "aliases", "domains", "camp"} <= set(read_registry().columns)
        True
    """
    return reference.read("outlets", corpus=corpus, path=path)


def _host(text: str) -> str | None:
    match = _URL.match(text.strip())
    if not match or " " in text.strip():
        return None
    return match.group("host").lower()


@dataclass
class OutletRegistry:
    """Outlets and the lookups that resolve names, aliases and domains to their ids.

    Build it with :meth:`load` (from a CSV) or :meth:`from_table` (from a DataFrame).
    """

    table: pd.DataFrame
    by_name: dict[str, str] = field(default_factory=dict)
    by_domain: dict[str, str] = field(default_factory=dict)
    by_stem: dict[str, str] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path | None = None, *, corpus: str | None = None) -> OutletRegistry:
        """Read the registry CSV (default ``data/reference/outlets.csv``), scoped to ``corpus``.

        Args:
            path: the CSV (default :func:`registry_path`).
            corpus: only outlets whose pack applies to this corpus, plus its own outlets
                (see :mod:`mediaprov.reference`); ``None``: every outlet.

        Raises:
            FileNotFoundError: the CSV is missing (the message says which file is expected).
            ValueError: the CSV lacks ``outlet_id`` or has duplicate ids.

        Example:
            >>> "ncri" in OutletRegistry.load().table.outlet_id.tolist()
            True
        """
        csv_path = Path(path) if path else registry_path()
        return cls.from_table(read_registry(csv_path, corpus=corpus), where=str(csv_path))

    @classmethod
    def from_table(cls, table: pd.DataFrame, *, where: str = "outlets table") -> OutletRegistry:
        """Build the lookups from a DataFrame with ``outlet_id``, ``name``, ``aliases``, ``domains``.

        Example:
            >>> reg = OutletRegistry.from_table(pd.DataFrame({"outlet_id": ["x"], "name": ["X Times"],
            ...     "aliases": ["XT"], "domains": ["xtimes.example"]}))
            >>> reg.resolve("xt"), reg.resolve("https://xtimes.example/a")
            ('x', 'x')
        """
        if "outlet_id" not in table.columns:
            raise ValueError(f"{where}: no 'outlet_id' column")
        duplicated = table.outlet_id[table.outlet_id.duplicated()].tolist()
        if duplicated:
            raise ValueError(f"{where}: duplicate outlet ids {duplicated}")
        registry = cls(table=table.reset_index(drop=True))
        names: dict[str, set[str]] = {}
        for row in table.fillna("").itertuples(index=False):
            outlet = str(row.outlet_id)
            candidates = [outlet, str(getattr(row, "name", ""))]
            candidates += str(getattr(row, "aliases", "")).split("|")
            for candidate in candidates:
                if candidate.strip():
                    names.setdefault(normalise_name(candidate), set()).add(outlet)
            for domain in str(getattr(row, "domains", "")).split("|"):
                domain = domain.strip().lower()
                if domain:
                    registry.by_domain[domain] = outlet
                    names.setdefault(normalise_name(domain), set()).add(outlet)
                    stem = domain.split(".")[-2] if domain.count(".") >= 1 else domain
                    registry.by_stem.setdefault(stem, outlet)
        for name, outlets in names.items():
            if len(outlets) == 1:
                registry.by_name[name] = next(iter(outlets))
            else:
                registry.ambiguous.add(name)
        return registry

    def resolve_name(self, text: str) -> str | None:
        """Resolve an exact name, alias or id (after normalisation); ``None`` if unknown or ambiguous.

        Example:
            >>> OutletRegistry.load().resolve_name("Iran Interlink Weekly Digest")
            'iran-interlink'
        """
        key = normalise_name(text)
        return self.by_name.get(key) or self.by_name.get(key.removeprefix("the "))

    def resolve_url(self, text: str) -> str | None:
        """Resolve a URL or bare domain through the registry's domains (subdomains included).

        Example:
            >>> OutletRegistry.load().resolve_url("en.mehrnews.com/news/1")
            'mehr-news'
        """
        host = _host(text)
        if host is None:
            return None
        labels = host.split(".")
        for start in range(len(labels) - 1):
            outlet = self.by_domain.get(".".join(labels[start:]))
            if outlet:
                return outlet
        return None

    def resolve(self, text: str | None, *, strip_suffix: bool = True) -> str | None:
        """Resolve anything that may name an outlet.

        A name, alias, id, domain, URL, domain stem (``ncr-iran`` for ``ncr-iran.org``) or a
        credit line (``Source » ncr-iran``).

        Args:
            text: what the input says.
            strip_suffix: also try without a trailing parenthetical ("CNN (Web News)" -> "CNN").

        Returns:
            The outlet id, or ``None`` when nothing (or more than one outlet) matches.

        Example:
            >>> OutletRegistry.load().resolve("Via: The Guardian")
            'the-guardian'
        """
        if text is None or not str(text).strip():
            return None
        cleaned = _CREDIT_PREFIX.sub("", str(text)).strip().strip(".,;:")
        if not cleaned:
            return None
        outlet = self.resolve_name(cleaned) or self.resolve_url(cleaned)
        if outlet is None:
            stem = normalise_name(cleaned)
            outlet = self.by_stem.get(stem) if stem not in self.ambiguous else None
        if outlet is None and strip_suffix and _SUFFIX.search(cleaned):
            outlet = self.resolve(_SUFFIX.sub("", cleaned), strip_suffix=False)
        return outlet

    def camp(self, outlet_id: str) -> str | None:
        """Return the researcher-supplied camp of an outlet, or ``None`` when not given.

        Example:
            >>> OutletRegistry.load().camp("vna")
            'government-aligned'
        """
        if "camp" not in self.table.columns:
            return None
        values = self.table.loc[self.table.outlet_id == outlet_id, "camp"].tolist()
        return values[0] if values and values[0] else None


def provisional_outlet_id(name: str) -> str:
    """Id for a publisher the registry does not know: ``unregistered:<slug>``.

    Such ids keep real corpora usable (every article keeps its publisher) while making the gap
    visible; add the outlet to ``outlets.csv`` to give it a curated id.

    Example:
        >>> provisional_outlet_id("Fox Online News")
        'unregistered:fox-online-news'
    """
    return f"unregistered:{slugify(name)}"
