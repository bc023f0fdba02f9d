"""Column mappings: which input column (CSV) or key (JSONL) fills which canonical field.

A mapping goes from input column to canonical field (``{"headline": "title"}``), as in
:data:`PRESETS`. :func:`resolve_columns` turns a user's ``--columns`` value into such a mapping
restricted to the columns of one file:

* a preset name (``"mediacloud"``, ``"allsides"``, ``"default"``): lenient, keeps the preset's
  columns that the file has;
* a mapping ``{input column: canonical field}``: strict, every input column must exist;
* a string ``"title=headline,text=body"`` (canonical=input, as typed on the command line): strict.

When several input columns map to one field (``media_name`` and ``media_url`` -> ``outlet``),
the first non-empty one, in mapping order, wins.

Example:
    >>> resolve_columns("title=headline,text=body", ["headline", "body", "x"])
    {'headline': 'title', 'body': 'text'}
    >>> guess_preset(["stories_id", "title", "media_name"])
    'mediacloud'

Fields a mapping names that are not article columns (a rating such as AllSides ``bias_text``, a
``camp=rating`` pair typed on the command line, an input id) are kept per article in
``articles.source_fields`` (JSON), so a corpus's own outlet ratings survive ingest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["ARTICLE_FIELDS", "PRESETS", "ColumnsError", "guess_preset", "resolve_columns", "source_fields"]

ARTICLE_FIELDS: frozenset[str] = frozenset({
    "title", "text", "date", "date_source", "page_date", "url", "outlet", "author", "language",
    "credit", "description", "subtitle", "canonical_url",
})
"""Canonical fields that become ``articles`` columns. Any other field a mapping names
(``bias_text``, ``mbfc``, ``camp``, ``source_id``...) is kept as a *source field* in
``articles.source_fields`` (see :func:`source_fields`)."""


def source_fields(fields: Mapping[str, object]) -> dict[str, str]:
    """The fields of a structured record that are kept as source fields, not article columns.

    Args:
        fields: canonical fields of one JSONL object or CSV row.

    Returns:
        ``{field: value as text}`` for every field outside :data:`ARTICLE_FIELDS`, sorted by name.

    Example:
        >>> source_fields({"title": "T", "bias_text": "left", "source_id": 7})
        {'bias_text': 'left', 'source_id': '7'}
    """
    return {name: str(value) for name, value in sorted(fields.items())
            if name not in ARTICLE_FIELDS and value is not None and str(value) != ""}


class ColumnsError(ValueError):
    """A ``--columns`` value names an unknown preset or columns that the input does not have."""


PRESETS: dict[str, dict[str, str]] = {
    # Media Cloud story exports. Old API v2 story lists (stories_id, publish_date, title, url,
    # language, ap_syndicated, themes, media_id, media_name, media_url) and newer search-tool
    # exports (id, indexed_date, language, media_name, media_url, publish_date, title, url and
    # sometimes text). indexed_date is when Media Cloud saw the story: never the publication date.
    "mediacloud": {
        "title": "title",
        "text": "text",
        "publish_date": "date",
        "url": "url",
        "media_name": "outlet",
        "media_url": "outlet",
        "language": "language",
        "stories_id": "source_id",
        "id": "source_id",
        "media_id": "media_id",
        "indexed_date": "indexed_date",
        "ap_syndicated": "ap_syndicated",
    },
    # /work/shared/corpora/allsides_iran/articles.jsonl (Baly et al. 2020, AllSides corpus).
    "allsides": {
        "title": "title",
        "content_original": "text",
        "date": "date",
        "url": "url",
        "source": "outlet",
        "authors": "author",
        "bias_text": "bias_text",
        "ID": "source_id",
    },
    # /work/shared/corpora/narrative_frames/articles_metadata.tsv (Frermann et al. 2023): the
    # outlet's Media Bias/Fact Check rating and the five human frame labels are kept as source fields.
    "narrative_frames": {
        "ID": "source_id",
        "source": "outlet",
        "mbfc": "mbfc",
        "date": "date",
        "text": "text",
        "RE": "frame_resolution",
        "HI": "frame_human_interest",
        "CO": "frame_conflict",
        "MO": "frame_moral",
        "EC": "frame_economic",
    },
    # Canonical names as they are, plus common synonyms.
    "default": {
        "title": "title", "headline": "title",
        "text": "text", "body": "text", "content": "text",
        "date": "date", "published": "date", "publish_date": "date",
        "url": "url", "link": "url",
        "outlet": "outlet", "source": "outlet", "publisher": "outlet", "media_name": "outlet",
        "author": "author", "authors": "author", "byline": "author",
        "language": "language",
        "credit": "credit",
        "description": "description",
    },
}


def guess_preset(header: Iterable[str]) -> str:
    """Pick the preset that fits a file's columns or keys.

    Args:
        header: the CSV header or the keys of the first JSON object.

    Returns:
        ``"mediacloud"`` if ``stories_id`` or ``media_name`` is present, ``"allsides"`` if
        ``content_original`` is, else ``"default"``.

    Example:
        >>> guess_preset(["ID", "content_original"])
        'allsides'
    """
    names = set(header)
    if {"stories_id", "media_name"} & names:
        return "mediacloud"
    if "content_original" in names:
        return "allsides"
    if "mbfc" in names:
        return "narrative_frames"
    return "default"


def resolve_columns(spec: str | Mapping[str, str] | None, header: Iterable[str]) -> dict[str, str]:
    """Return the mapping ``{input column: canonical field}`` for one file.

    Args:
        spec: a preset name, a mapping ``{input column: canonical field}``, a string
            ``"canonical=input,..."``, or ``None`` to guess the preset from ``header``.
        header: the columns (CSV) or keys (JSONL) the file has.

    Returns:
        The mapping restricted to ``header``, in the preset's or the user's order.

    Raises:
        ColumnsError: an unknown preset, a malformed string, an explicit column missing from
            ``header``, or a preset of which no column is in ``header``.

    Example:
        >>> resolve_columns("default", ["headline", "body"])
        {'headline': 'title', 'body': 'text'}
    """
    names = list(header)
    present = set(names)
    if spec is None:
        spec = guess_preset(names)
    if isinstance(spec, str) and "=" not in spec:
        if spec not in PRESETS:
            raise ColumnsError(
                f"unknown column preset {spec!r}: use one of {', '.join(sorted(PRESETS))}, "
                "or a mapping such as 'title=headline,text=body' (canonical=input)"
            )
        mapping = {column: field for column, field in PRESETS[spec].items() if column in present}
        if not mapping:
            raise ColumnsError(
                f"column preset {spec!r} matches none of the columns {names[:20]}: "
                "pass --columns 'title=...,text=...' naming the input columns"
            )
        return mapping
    mapping = _parse_spec(spec) if isinstance(spec, str) else dict(spec)
    missing = [column for column in mapping if column not in present]
    if missing:
        raise ColumnsError(
            f"mapped columns {missing} are not in the input (it has {names[:20]}): "
            "fix the --columns mapping"
        )
    return mapping


def _parse_spec(spec: str) -> dict[str, str]:
    """Parse ``"title=headline,text=body"`` (canonical=input) into ``{input: canonical}``."""
    mapping: dict[str, str] = {}
    for part in (piece.strip() for piece in spec.split(",")):
        if not part:
            continue
        canonical, sep, column = (s.strip() for s in part.partition("="))
        if not sep or not canonical or not column:
            raise ColumnsError(
                f"cannot read column mapping part {part!r} of {spec!r}: "
                "write canonical=input pairs separated by commas, e.g. 'title=headline,text=body'"
            )
        mapping[column] = canonical
    return mapping
