"""The tables that flow between mediaprov's stages: the single source of truth for column names.

Every stage validates what it writes and what it reads with :func:`validate`, so a table that is
missing a column, or holds a column of the wrong type, fails at the boundary with a message that
names the table and the column instead of deep inside an analysis.

Tables (see ``DESIGN.md``):

* ``articles``: one row per ingested article (clean body in ``text``).
* ``ingest_log``: one row per input record: ``ingested``, ``duplicate`` or ``quarantined``.
* ``embeds``: social-media posts embedded in an article, with offsets into ``articles.text``.
* ``mentions``, ``quotes``, ``citations``: features with character offsets into ``articles.text``.
* ``reuse``, ``stories``: derived links between articles.

Example:
    >>> import pandas as pd
    >>> table = validate(pd.DataFrame({"article_id": ["a"], "author": ["X"], "handle": ["@x"],
    ...     "posted": [pd.NaT], "start": [0], "end": [3]}), EMBEDS)
    >>> list(table.columns) == list(EMBEDS.columns)
    True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

import pandas as pd

UTC_TIME = "datetime64[ns, UTC]"
TEXT = "string"
INT = "Int64"
FLOAT = "float64"
LIST = "object"  # a list of strings per row (Parquet list<string>)
BOOL = "boolean"

INGEST_STATUSES: tuple[str, ...] = ("ingested", "duplicate", "quarantined")
DATE_SOURCES: tuple[str, ...] = (
    "marker", "byline", "footer", "html-meta", "html-byline", "structured", "url", "page-chrome", "none",
)


@dataclass(frozen=True)
class Schema:
    """A named table: ordered columns with their pandas dtypes, and what each column means.

    Args:
        name: the table's name, used in error messages and file names.
        columns: column name -> pandas dtype, in the order tables are written.
        doc: column name -> one-line meaning (the data dictionary).
        required: columns that must never be missing.
        optional: columns a producer may leave out; :func:`validate` adds them, empty.
    """

    name: str
    columns: dict[str, str]
    doc: dict[str, str] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    def empty(self) -> pd.DataFrame:
        """Return an empty table with the right columns and dtypes.

        Example:
            >>> list(INGEST_LOG.empty().columns)[:2]
            ['raw_path', 'record']
        """
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in self.columns.items()})

    def select(self, columns: list[str]) -> Schema:
        """This schema restricted to ``columns``, in that order (to read part of a table).

        Raises:
            SchemaError: a column is not in the schema.

        Example:
            >>> list(STORIES.select(["story_id", "article_id"]).columns)
            ['story_id', 'article_id']
        """
        unknown = [c for c in columns if c not in self.columns]
        if unknown:
            raise SchemaError(f"table '{self.name}' has no columns {unknown}; "
                              f"expected some of {list(self.columns)}")
        return dataclasses.replace(self, columns={c: self.columns[c] for c in columns},
                                   required=tuple(c for c in self.required if c in columns),
                                   optional=tuple(c for c in self.optional if c in columns))


class SchemaError(ValueError):
    """A table does not match its schema; the message names the table and the columns."""


ARTICLES = Schema(
    "articles",
    {
        "article_id": TEXT, "outlet_id": TEXT, "outlet_evidence": TEXT, "url": TEXT,
        "title": TEXT, "subtitle": TEXT, "published": UTC_TIME, "date_source": TEXT,
        "date_confidence": FLOAT, "date_flag": TEXT, "page_date": UTC_TIME, "byline": TEXT,
        "credited_source": TEXT, "credit_line": TEXT, "language": TEXT, "text": TEXT,
        "chrome_lines": LIST, "format": TEXT, "raw_path": TEXT, "record": INT, "raw_sha256": TEXT,
        "source_fields": TEXT, "clean_text": TEXT, "template_chars": INT, "body_copies": INT,
    },
    doc={
        "article_id": "stable id: a hash of the raw file's content, its path in the corpus and the record's position",
        "outlet_id": "publisher, an id of data/reference/outlets.csv (missing when unknown)",
        "outlet_evidence": "how the outlet was found: site-label, breadcrumb, url, credit, folder, "
                           "manifest, field",
        "url": "canonical URL when the input gives one",
        "title": "headline", "subtitle": "standfirst under the headline, if any (content: text scrapes keep it as the "
                                   "first paragraph of text too)",
        "published": "publication time in UTC; missing when no trustworthy date is in the input",
        "date_source": "where the date came from: " + ", ".join(DATE_SOURCES),
        "date_confidence": "0..1, how much the date source is trusted",
        "date_flag": "why a date in the input was rejected (unparseable, implausible year...)",
        "page_date": "a date seen only in page chrome (crawl-time header): never the publication date",
        "byline": "author line", "credited_source": "outlet id the text credits as its origin",
        "credit_line": "the credit line as written (e.g. 'Source » ncr-iran')",
        "language": "ISO 639-1 code when known", "text": "clean body: site chrome removed",
        "chrome_lines": "lines removed as site chrome (navigation, header dates, trailers)",
        "format": "input format: text, html, jsonl, csv, warc",
        "raw_path": "input file, relative to the ingested folder",
        "record": "position of the record inside its file (0 for single-article files)",
        "raw_sha256": "SHA-256 of the raw input file",
        "source_fields": "JSON object of the input's own fields that are not article columns, kept "
                         "because the column mapping names them (an outlet rating such as AllSides "
                         "bias_text or MBFC mbfc, camp=..., an input id); read with "
                         "mediaprov.reference.source_field",
        "clean_text": "the text analyses read (mediaprov.text.analysis_text): text with learnt page "
                      "templates, credit lines and repeated body copies replaced by spaces of the same "
                      "length (newlines kept), so offsets into it are offsets into text; the blanked spans "
                      "are in template_spans (mediaprov.ingest.templates)",
        "template_chars": "characters of text blanked in clean_text",
        "body_copies": "how many times the crawler repeated the body (1 = once; > 1: the repeats are "
                       "blanked in clean_text, and the article is flagged in the ingest summary)",
    },
    required=("article_id", "text", "raw_path", "raw_sha256"),
    optional=("clean_text", "template_chars", "body_copies"),
)

TEMPLATES = Schema(
    "templates",
    {"template_id": TEXT, "outlet_id": TEXT, "kind": TEXT, "pattern": TEXT, "support": INT,
     "sampled": INT, "articles": INT, "example_article": TEXT, "example_start": INT, "example_end": INT},
    doc={"template_id": "stable id: a hash of outlet_id, kind and pattern",
         "outlet_id": "the outlet whose articles repeat it, or '*' for a short widget learnt in two or more "
                      "outlets and applied to all",
         "kind": "line (a whole line), segment (a sentence-like piece of a line) or prefix (the opening "
                 "words of a line)",
         "pattern": "the normalised text (folded case and typography, digits as 0, whitespace collapsed)",
         "support": "articles of the learning sample that contain it",
         "sampled": "articles of the outlet read for learning (at most TemplateConfig.sample_per_outlet)",
         "articles": "articles of the corpus where it was blanked",
         "example_article": "an article where it was blanked", "example_start": "offset in articles.text",
         "example_end": "end offset (exclusive)"},
    required=("template_id", "outlet_id", "kind", "pattern"),
)
"""Learnt page templates, one row per pattern (``templates.parquet`` beside ``articles``): the
reviewable table of :mod:`mediaprov.ingest.templates`; override rows in
``data/reference/template_overrides.csv``."""

TEMPLATE_SPANS = Schema(
    "template_spans",
    {"article_id": TEXT, "template_id": TEXT, "kind": TEXT, "start": INT, "end": INT},
    doc={"template_id": "the templates row (for line, segment, prefix), else a hash of the kind and text",
         "kind": "line, segment, prefix (learnt), curated (boilerplate.csv), credit (a credit line, kept "
                 "as credit_line / credited_source), repeat (a repeated copy of the body)",
         "start": "offset in articles.text", "end": "end offset (exclusive)"},
    required=("article_id", "kind", "start", "end"),
)
"""Every span blanked out of ``articles.clean_text``, with offsets into ``articles.text``."""

INGEST_LOG = Schema(
    "ingest_log",
    {
        "raw_path": TEXT, "record": INT, "raw_sha256": TEXT, "format": TEXT, "status": TEXT,
        "reason": TEXT, "article_id": TEXT, "duplicate_of": TEXT,
    },
    doc={
        "status": "ingested | duplicate | quarantined",
        "reason": "why a record was quarantined or merged (empty for ingested records)",
        "article_id": "the id this record produced (for duplicates: its own id)",
        "duplicate_of": "for duplicates, the article_id it was merged into",
    },
    required=("raw_path", "raw_sha256", "status"),
)

EMBEDS = Schema(
    "embeds",
    {"article_id": TEXT, "author": TEXT, "handle": TEXT, "posted": UTC_TIME, "start": INT, "end": INT},
    doc={"posted": "the post's own date (never the article's)",
         "start": "offset of the post in articles.text", "end": "end offset (exclusive)"},
    required=("article_id", "start", "end"),
)

MENTIONS = Schema(
    "mentions",
    {"article_id": TEXT, "entity_id": TEXT, "surface": TEXT, "start": INT, "end": INT,
     "kind": TEXT, "method": TEXT},
    required=("article_id", "entity_id", "start", "end"),
    doc={"entity_id": "an entities.csv id, or a discovered name 'name:<slug>' (mediaprov.names)",
         "kind": "person, org, place... (discovered names: person, org, place or name)",
         "method": "exact, fuzzy, partial, ambiguous (curated packs); discovered, "
                   "discovered-partial (mediaprov.names)"},
)

QUOTES = Schema(
    "quotes",
    {"article_id": TEXT, "text": TEXT, "start": INT, "end": INT, "speaker": TEXT,
     "speaker_id": TEXT, "cue": TEXT, "kind": TEXT, "speaker_method": TEXT},
    doc={"text": "the quoted words, without quotation marks (articles.text[start:end])",
         "speaker": "who says it, as named in the text; empty when unclear (see speaker_method)",
         "speaker_id": "entities.csv id of the speaker, when known",
         "cue": "the speech verb or phrase that attributes the quote (said, according to, "
                "continuation, context, transcript, a post's handle and date)",
         "kind": "direct | scare | embedded_post",
         "speaker_method": "how the speaker was found (cue-subject, according-to, pronoun, "
                           "title, continuation, context, transcript, post-author) or, when "
                           "speaker is empty, why (unclear-unnamed, unclear-pronoun, "
                           "unclear-title, unclear-several, unclear-no-cue, "
                           "unclear-not-a-speaker); empty for scare quotes. "
                           "See mediaprov.speakers.SPEAKER_METHODS"},
    required=("article_id", "start", "end", "kind"),
    optional=("speaker_method",),
)

CITATIONS = Schema(
    "citations",
    {"article_id": TEXT, "source_id": TEXT, "kind": TEXT, "start": INT, "end": INT},
    required=("article_id", "source_id", "kind"),
)

REUSE = Schema(
    "reuse",
    {"article_a": TEXT, "article_b": TEXT, "similarity": FLOAT, "directed": BOOL,
     "credited": BOOL, "whole_copy": BOOL, "shared_chars": INT, "passages": LIST, "lag": FLOAT},
    doc={"article_a": "the earlier article (or either, when the order is unknown)",
         "article_b": "the later article", "similarity": "estimated Jaccard of word shingles",
         "directed": "True when publication dates order the pair",
         "credited": "True when b credits a's outlet", "whole_copy": "True when b copies all of a",
         "shared_chars": "characters of a covered by shared passages",
         "passages": "list of {a_start, a_end, b_start, b_end} offsets into both texts",
         "lag": "days from a to b (missing when a date is missing)"},
    required=("article_a", "article_b"),
)

STORIES = Schema(
    "stories",
    {"article_id": TEXT, "story_id": TEXT, "joined_by": TEXT, "event_group": TEXT,
     "event_joined_by": TEXT},
    doc={"story_id": "articles that share text, a quote or a duplicate: one story",
         "joined_by": "the links that joined the article to its story (or singleton)",
         "event_group": "coverage of one event however worded (mediaprov.story_events.add_event_groups)",
         "event_joined_by": "time-window, undated-match, story or alone"},
    required=("article_id", "story_id"),
    optional=("event_group", "event_joined_by"),
)

COMMON_SOURCES = Schema(
    "reuse_common_sources",
    {"article_a": TEXT, "article_b": TEXT, "explained": BOOL, "common_source": TEXT,
     "evidence": TEXT},
    doc={"article_a": "as in the reuse table", "article_b": "as in the reuse table",
         "explained": "True when both articles copied common_source (siblings, not a copy)",
         "common_source": "the article both copied (missing when not explained)",
         "evidence": "rules that identified the source, strongest first, joined by '+' "
                     "(date, credit, kind, containment); 'undecided' when the pair looks like "
                     "siblings but no rule decides; missing otherwise"},
    required=("article_a", "article_b", "explained"),
)
"""One row per reuse pair: is it explained by a common source, which, and on what evidence
(:func:`mediaprov.reuse.sources.common_sources`)."""

REUSE_EDGES = Schema(
    "reuse_edges",
    {"source_outlet": TEXT, "target_outlet": TEXT, "directed": BOOL, "pairs": INT,
     "median_lag": FLOAT, "share_credited": FLOAT, "share_whole": FLOAT, "shared_chars": INT},
    doc={"source_outlet": "outlet of the source articles, as mediaprov.reuse.copy_direction "
                          "decides (alphabetically first outlet when undirected)",
         "target_outlet": "outlet of the copies, as mediaprov.reuse.copy_direction decides "
                          "(alphabetically second outlet when undirected)",
         "directed": "True when mediaprov.reuse.copy_direction directs the pairs: credit first "
                     "(exactly one article credits the other's outlet: it is the copy), then "
                     "trusted dates (the strictly earlier one is the source); pairs with neither, "
                     "or whose credit and trusted dates conflict, are undirected",
         "pairs": "article pairs (the edge weight)",
         "median_lag": "median days from source to copy over the directed pairs with both "
                       "dates trusted (missing when none)",
         "share_credited": "share of pairs in which exactly one article credits the other's "
                           "outlet (mediaprov.reuse.copy_direction's evidence credit, "
                           "credit+date or conflict)",
         "share_whole": "share of pairs that are whole copies",
         "shared_chars": "characters of the reuse table's article_a inside shared passages, "
                         "summed"},
    required=("source_outlet", "target_outlet", "directed", "pairs"),
)
"""Outlet -> outlet reuse edges (:func:`mediaprov.reuse.network.reuse_edges`)."""

COORDINATION = Schema(
    "reuse_coordination",
    {"outlet_a": TEXT, "outlet_b": TEXT, "window_days": FLOAT, "co_published": INT,
     "dated_pairs": INT, "share_co_published": FLOAT, "median_gap_days": FLOAT},
    doc={"outlet_a": "first outlet (alphabetical)", "outlet_b": "second outlet",
         "window_days": "the co-publication window",
         "co_published": "reuse pairs between the outlets published within the window",
         "dated_pairs": "reuse pairs between the outlets with both dates known",
         "share_co_published": "co_published / dated_pairs",
         "median_gap_days": "median absolute gap of the co-published pairs, in days"},
    required=("outlet_a", "outlet_b", "co_published"),
)
"""Co-publication of the same content by two outlets (:func:`mediaprov.reuse.network.coordination`)."""

ALL: dict[str, Schema] = {s.name: s for s in
                          (ARTICLES, TEMPLATES, TEMPLATE_SPANS, INGEST_LOG, EMBEDS, MENTIONS, QUOTES, CITATIONS, REUSE, STORIES,
                           COMMON_SOURCES, REUSE_EDGES, COORDINATION)}


def validate(table: pd.DataFrame, schema: Schema, *, where: str = "",
             categorical: Iterable[str] = ()) -> pd.DataFrame:
    """Check a table against its schema and return it with columns ordered and typed.

    Args:
        table: the DataFrame to check. Extra columns are an error: they would be silently lost.
        schema: the expected table.
        where: optional context for error messages (a path, a stage name).
        categorical: text columns that may stay ``Categorical``s of strings (a table read coded,
            :func:`mediaprov.io.read_table`); every other column is cast.

    Returns:
        A new DataFrame with exactly ``schema.columns``, in order, cast to their dtypes (the
        ``categorical`` ones kept as they are when their categories are strings).

    Raises:
        SchemaError: a column is missing or extra, a required column has missing values, or a
            column cannot be cast to its dtype (a number too large for it included).

    Example:
        >>> validate(pd.DataFrame({"article_id": ["a"], "story_id": ["s"],
        ...     "joined_by": ["near-duplicate"]}), STORIES).shape  # optional columns added, empty
        (1, 5)
    """
    place = f" ({where})" if where else ""
    coded = set(categorical)
    absent_optional = [c for c in schema.optional if c not in table.columns]
    if absent_optional:
        table = table.assign(**{c: pd.NA for c in absent_optional})
    missing = [c for c in schema.columns if c not in table.columns]
    extra = [c for c in table.columns if c not in schema.columns]
    if missing or extra:
        raise SchemaError(
            f"table '{schema.name}'{place}: missing columns {missing}, unexpected columns {extra}; "
            f"expected {list(schema.columns)}"
        )
    out = table.loc[:, list(schema.columns)].copy()
    for column, dtype in schema.columns.items():
        try:
            if dtype == UTC_TIME:
                out[column] = pd.to_datetime(out[column], utc=True).astype(UTC_TIME)
            elif dtype == LIST:
                out[column] = out[column].map(_as_list)
            elif dtype == TEXT and column in coded and _text_categories(out[column]):
                pass  # read coded (read_table's categorical): text already, one string per value
            else:
                out[column] = out[column].astype(dtype)
        except (TypeError, ValueError, OverflowError) as error:
            raise SchemaError(
                f"table '{schema.name}'{place}: column '{column}' cannot be read as {dtype}: {error}"
            ) from error
    for column in schema.required:
        if out[column].isna().any():
            rows = out.index[out[column].isna()].tolist()[:5]
            raise SchemaError(
                f"table '{schema.name}'{place}: required column '{column}' is missing in rows {rows}"
            )
    return out.reset_index(drop=True)


def _text_categories(column: pd.Series) -> bool:
    """Whether ``column`` is a ``Categorical`` whose categories are all strings."""
    return (isinstance(column.dtype, pd.CategoricalDtype)
            and pd.api.types.infer_dtype(column.cat.categories, skipna=False) in ("string", "empty"))


def _as_list(value: object) -> list:
    """Return a plain Python list for a list-like cell (None and NaN become an empty list)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return list(cast("Iterable[object]", value))


def require_columns(table: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    """Raise a ValueError naming the table and the columns it lacks (the one column check).

    Args:
        table: any DataFrame.
        columns: the columns it must have.
        name: the table's name, for the message.

    Raises:
        ValueError: a column is missing.

    Example:
        >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "probe")
        Traceback (most recent call last):
        ...
        ValueError: table 'probe' lacks columns ['b']; it has ['a']
    """
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"table '{name}' lacks columns {missing}; it has {list(table.columns)}")
