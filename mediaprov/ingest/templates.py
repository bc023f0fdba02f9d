"""Page templates learnt from the corpus, blanked out of the text that analyses read.

A scrape keeps whatever the page showed around the article: gallery captions, "Replay More
Videos" strips, newsletter sign-up widgets with a country list, licence and copyright lines,
contributor bios, "Advertisement" slots. Curated patterns (``data/reference/boilerplate.csv``)
catch the generic ones at the top and bottom of a page; this module learns the rest from the
corpus itself, **per outlet**: what recurs across many articles of one outlet is that outlet's
template; what recurs across *different* outlets is reuse (a wire story in forty outlets) and is
never learnt here.

``articles.text`` stays the extracted article. :func:`clean_frame` adds ``clean_text``: ``text``
with every template span replaced by spaces of the same length (newlines kept), so an offset into
``clean_text`` is an offset into ``text`` and evidence still points at the original. What was
blanked is recorded: the ``templates`` table (one row per learnt pattern, with its support and an
example) and the ``template_spans`` table (one row per blanked span of an article).

Units learnt (normalised: folded case and typography, digits as ``0``, whitespace collapsed):

* ``line``: a whole line;
* ``segment``: a sentence-like piece of a line (split after ``. ! ? : …``), at least 3 words;
* ``prefix``: the first 3 to 9 words of a longer line ("Media playback is unsupported on your
  device Media caption ...");
* ``gram``: word bigrams of short lines (at most ``SHORT_LINE_WORDS`` words) that do not end like a
  sentence (captions, video strips, attribution lines: "Replay More Videos").

A unit is a template of an outlet when it occurs in at least ``max(min_support, share * n)`` of the
outlet's ``n`` articles (long units, prefixes and bigrams need more) and when it is concentrated in
that outlet (at least ``concentration`` of all the articles holding it are the outlet's: a phrase
every outlet uses, or a quoted sentence that several outlets carry, is not a template). Short units
(at most ``WIDGET_WORDS`` words) learnt by two or more outlets, and shown by one of them in at least
``widget_share`` of its articles ("Advertisement"), are cross-outlet widgets (``outlet_id == "*"``)
applied everywhere; long text shared across outlets never is. Articles whose outlet is unknown
get every outlet's whole template lines. See :class:`TemplateConfig`. Learning
reads at most ``sample_per_outlet`` articles of each outlet (a deterministic spread), so memory and
time stay linear and bounded. Embedded posts (the signature line and the post text above it) are
never templates.

Applying, per article and per line: a repeated copy of a substantial line (``REPEAT_MIN_WORDS``
words or more) already seen in the same article is blanked (a crawler that repeated the body:
``body_copies`` counts the copies when ``REPEAT_MIN_LINES`` lines or more repeat); template lines
are blanked; a line where one sentence recurs three times or more is either a body repeated within
one line (its sentences repeat as a block, ``BODY_REPEAT_SHARE`` of them in period: later copies
blanked, first kept) or a photo gallery with its "Hide Caption 3 of 25" markers (blanked whole); curated ``where=any`` lines of ``boilerplate.csv`` are
blanked wherever they stand; credit lines ("The Associated Press contributed to this report.",
"Contributing: ...", a dateline's "(AP)") are blanked and kept as credit evidence (``credit_line``,
``credited_source``); template segments, prefixes and bigram runs are blanked, and a short line
whose template words reach ``SHORT_LINE_SHARE`` (segments) or ``GRAM_LINE_SHARE`` (bigrams) of it,
or that holds three template segments or more, is blanked whole.

Review and override: the ``templates`` table is written beside ``articles``. To keep a learnt
pattern in the text, add a row to ``data/reference/template_overrides.csv`` (columns ``outlet_id``,
``kind``, ``pattern``, ``action``) with ``action=keep`` and the ``outlet_id``, ``kind`` and
``pattern`` as the table shows them; ``action=remove`` adds a pattern that was not learnt.
``outlet_id`` ``*`` applies to every outlet.

Example:
    >>> import pandas as pd
    >>> body = "The {n} story about the harbour.\\n\\nReplay More Videos ...\\n\\nAdvertisement"
    >>> words = ["first", "second", "third", "fourth", "fifth"]
    >>> arts = pd.DataFrame({"article_id": [str(n) for n in range(5)], "outlet_id": ["x"] * 5,
    ...                      "text": [body.format(n=w) for w in words]})
    >>> cleaned = clean_frame(arts)
    >>> cleaned.articles.loc[0, "clean_text"].split()
    ['The', 'first', 'story', 'about', 'the', 'harbour.']
    >>> len(cleaned.articles.loc[0, "clean_text"]) == len(arts.loc[0, "text"])
    True
    >>> sorted(cleaned.templates["pattern"])
    ['advertisement', 'replay more videos ...']
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress, islice
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mediaprov import paths
from mediaprov.text import fold

KINDS: tuple[str, ...] = ("line", "segment", "prefix", "gram", "gallery", "curated", "credit", "repeat")
LEARNT_KINDS: tuple[str, ...] = ("line", "segment", "prefix", "gram")
WIDGET_WORDS = 8
LONG_WORDS = 25
SHORT_LINE_WORDS = 30
SHORT_LINE_SHARE = 0.15
GRAM_LINE_SHARE = 0.2
REPEAT_MIN_LINES = 3
BODY_REPEAT_SHARE = 0.8
SELF_REPEAT_WORDS = 25
REPEAT_MIN_WORDS = 6
PREFIX_LENGTHS: tuple[int, ...] = (3, 4, 5, 6, 7, 8, 9)
GLOBAL = "*"

_DIGITS = str.maketrans("0123456789", "0000000000")
_LINE = re.compile(r"[^\n]+")
_TOKEN = re.compile(r"\S+")
_SEGMENT_BREAK = re.compile(r"[.!?:…]\s+")  # a segment ends after the punctuation
_HEADS = re.compile(r"[.!?:…]\s+(?=(\S+))")  # the first word of each segment after the first
_EMBED_SIGNATURE = re.compile(r"^[—–-]{1,2}\s*[^()@\n]{1,80}?\s*\(@\w{1,30}\)")
_CREDIT_HINT = re.compile(r"contribut|wire|based|\(|^with |reporting", re.I)
_SENTENCE_END = re.compile(r"[.!?…;,'\")\]]$")
_CREDIT_LINES = (
    re.compile(r"^(?:[-–—•*]\s*)?(?P<who>(?:The )?[A-Z][\w.&' -]{1,60}?)(?: staff| writers?| reporters?)?"
               r" contributed(?: reporting)?(?: to this (?:report|story|article))?\.?$"),
    re.compile(r"^(?:Contributing|Contributors?|Additional reporting(?: by)?)\s*:?\s*(?P<who>[A-Z][^.!?]{1,80})\.?$"),
    re.compile(r"^With (?P<who>[A-Z][\w .&'-]{0,40}?) wires\.?$"),
    re.compile(r"^(?:[-–—•*]\s*)?This (?:article|story|report) (?:is|was) based (?:in part )?on "
               r"(?:wire service|(?P<who>[A-Z][\w .&'-]{1,40}?)) reports\.?$"),
)
_DATELINE = re.compile(r"^[A-Z][A-Z .,'/-]{1,40}\s*\((?P<who>AP|AFP|UPI|Reuters|[A-Z][\w.&' -]{1,30})\)\s*(?=[-–—])")
_AGENCIES = {"ap": "Associated Press", "afp": "Agence France-Presse", "upi": "United Press International",
             "reuters": "Reuters"}


@dataclass(frozen=True)
class TemplateConfig:
    """Thresholds of template learning.

    Attributes:
        min_support: a template occurs in at least this many articles of its outlet.
        share: ... and in at least this share of the outlet's (sampled) articles.
        long_support / long_share: the same for units of more than ``LONG_WORDS`` words.
        prefix_support / prefix_share: the same for line prefixes and word bigrams of short lines
            (prose lines of one outlet can open alike, so these need more).
        concentration: ... and a template must be this outlet's for at least this share of all
            the articles (of every outlet) that hold it: "according to the" or "X told Y:" is
            everyone's, "replay more videos" one site's (not checked when the corpus has a single
            outlet; with a single outlet, prefixes and bigrams are not used). Short units learnt by two or more outlets are exempt (cross-outlet widgets)
            when at least one outlet shows them in ``widget_share`` of its articles or more.
        sample_per_outlet: articles of each outlet read for learning, at most.
    """

    min_support: int = 4
    share: float = 0.02
    long_support: int = 5
    long_share: float = 0.05
    prefix_support: int = 5
    prefix_share: float = 0.25
    concentration: float = 0.5
    widget_share: float = 0.10
    sample_per_outlet: int = 500


class _FoldTable(dict):
    """``str.translate`` table: :func:`mediaprov.text.fold` of each character (one for one), except
    that newlines stay newlines and digits become ``0``."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = "\n" if char == "\n" else "0" if char.isdigit() and char.isascii() else fold(char)
        self[code] = folded
        return folded


_FOLD = _FoldTable()
_KIND_BITS = {"line": 0, "segment": 1, "prefix": 2, "gram": 3}
_KIND_CHARS = {"line": "l", "segment": "s", "prefix": "p", "gram": "g"}
_KIND_NAMES = {v: k for k, v in _KIND_BITS.items()}
_MASK = 0x7FFF_FFFF_FFFF_0000


_DIGIT = re.compile(r"[0-9]")


def _fold_text(text: str) -> str:
    """Lower case, digits as ``0``, same length as ``text`` (newlines kept). Fast path: ``lower``
    and ``replace``; the per-character fold only when lowering changes lengths."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return text.translate(_FOLD)
    for digit in "123456789":  # nine C-speed passes beat one regular-expression pass
        lowered = lowered.replace(digit, "0")
    return lowered


def _norm(text: str) -> str:
    """Normalised form of a unit: lower case, digits as 0, whitespace collapsed."""
    return " ".join(_fold_text(text).split())


def _key(kind: str, norm: str, words: int) -> int:
    """A 63-bit key of a unit. Low bits: 1 = short (at most ``WIDGET_WORDS`` words), 2 = long
    (more than ``LONG_WORDS``), bits 2-3 = the kind (line, segment, prefix, gram), bits 4-15 =
    :func:`_signature` of the first word (cleaning looks a unit up only when its first word's
    signature is one of the outlet's)."""
    return _unit_key(_KIND_CHARS[kind], _KIND_BITS[kind], norm, words, _signature(norm.split(" ", 1)[0]))


def _unit_key(char: str, bits: int, norm: str, words: int, signature: int) -> int:
    """:func:`_key` with the kind as its letter and bits and the first word's signature already
    known (the loops over lines call this, or inline it, to hash each word once)."""
    return ((hash(char + norm) & _MASK) | (words <= WIDGET_WORDS) | ((words > LONG_WORDS) << 1)
            | (bits << 2) | (signature << 4))


def _signature(word: str) -> int:
    return hash(word) & 0xFFF


def _kind_of(key: int) -> str:
    return _KIND_NAMES[(key >> 2) & 3]


def _is_signature(raw_line: str) -> bool:
    return "(@" in raw_line and _EMBED_SIGNATURE.match(raw_line.strip()) is not None


def _segments(folded_line: str, signatures: set[int] | None = None) -> list[tuple[int, int, str, int, int]]:
    """``(start, end, norm, words, signature of the first word)`` of the sentence-like pieces (3
    words or more) of a line; with ``signatures``, only the pieces whose first word has one of them."""
    out: list[tuple[int, int, str, int, int]] = []
    cursor = 0
    stop = -1
    for brk in _SEGMENT_BREAK.finditer(folded_line):
        stop = brk.start() + 1  # the break is one punctuation character, then the whitespace
        _piece(folded_line, cursor, stop, signatures, out)
        cursor = brk.end()
    if stop < 0:
        return out  # no break: the line is one piece, already a line unit
    _piece(folded_line, cursor, len(folded_line), signatures, out)
    return out


def _piece(folded_line: str, start: int, stop: int, signatures: set[int] | None,
           out: list[tuple[int, int, str, int, int]]) -> None:
    """Append the piece ``folded_line[start:stop]`` to ``out`` when it is a segment."""
    tokens = folded_line[start:stop].split()
    if len(tokens) < 3:
        return
    signature = hash(tokens[0]) & 0xFFF
    if signatures is not None and signature not in signatures:
        return
    while folded_line[start].isspace():  # only the first piece of a line can start with spaces
        start += 1
    out.append((start, stop, " ".join(tokens), len(tokens), signature))


def _may_hold_segment(folded_line: str, first_signature: int, signatures: set[int]) -> bool:
    """Cheap test before :func:`_segments` with ``signatures``: does any piece of the line open
    with a word whose signature is one of them? (One regular-expression scan for the words that
    follow a break, instead of cutting the line into pieces.)"""
    if first_signature in signatures:
        return True
    for word in _HEADS.findall(folded_line):
        if hash(word) & 0xFFF in signatures:
            return True
    return False


def _gram_line(folded_line: str, words: int) -> bool:
    """Bigrams are taken from short lines that do not end like a sentence."""
    return 1 < words <= SHORT_LINE_WORDS and not _SENTENCE_END.search(folded_line.rstrip())


def _post_lines(raw_lines: list[str]) -> set[int]:
    """Indices of embedded-post signature lines and of the post text above each (evidence of a
    post, never page chrome, however often an outlet embeds the same post)."""
    out: set[int] = set()
    for i, raw in enumerate(raw_lines):
        if _is_signature(raw):
            out.add(i)
            j = i - 1
            while j >= 0 and not raw_lines[j].strip():
                j -= 1
            if j >= 0:
                out.add(j)
    return out


def _article_keys(text: str) -> set[int]:
    """Unique unit keys of one article (for learning): :func:`_key` of each unit, inlined."""
    keys: set[int] = set()
    add = keys.add
    posts = _post_lines(text.split("\n")) if "(@" in text else ()
    mask, short, long_ = _MASK, WIDGET_WORDS, LONG_WORDS
    for index, line in enumerate(_fold_text(text).split("\n")):
        tokens = line.split()
        if not tokens or index in posts:
            continue
        words = len(tokens)
        first = (hash(tokens[0]) & 0xFFF) << 4
        add((hash("l" + " ".join(tokens)) & mask) | (words <= short) | ((words > long_) << 1) | first)
        if words > 3:
            for _, _, norm, n, signature in _segments(line):
                add((hash("s" + norm) & mask) | (n <= short) | ((n > long_) << 1) | 4 | (signature << 4))
            for length in PREFIX_LENGTHS:
                if length >= words:
                    break
                add((hash("p" + " ".join(tokens[:length])) & mask) | (length <= short) | 8 | first)
        if _gram_line(line, words):
            signatures = [hash(token) & 0xFFF for token in tokens]
            for i in range(words - 1):
                add((hash("g" + tokens[i] + " " + tokens[i + 1]) & mask) | 13 | (signatures[i] << 4))
    return keys


def _rates(outlet_sizes: dict[str | None, int] | None, config: TemplateConfig) -> dict[str, float]:
    """Share of each outlet's articles that learning reads (at most ``config.sample_per_outlet``)."""
    return {o or "": min(1.0, config.sample_per_outlet / n) for o, n in (outlet_sizes or {}).items() if n}


def _sampled(article_id: str, rate: float) -> bool:
    if rate >= 1.0:
        return True
    digest = hashlib.blake2b(str(article_id).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < rate


@dataclass
class TemplateModel:
    """Learnt templates: unit keys per outlet (thresholds already applied), cross-outlet widgets,
    and the counts behind them. Build one with :func:`learn`; clean with :func:`clean_article`."""

    config: TemplateConfig
    keys: dict[str, set[int]] = field(default_factory=dict)  # outlet -> template unit keys
    widgets: set[int] = field(default_factory=set)  # cross-outlet short templates
    support: dict[tuple[str, int], int] = field(default_factory=dict)  # (outlet, key) -> articles
    sampled: dict[str, int] = field(default_factory=dict)  # outlet -> articles read for learning
    recurring_lines: dict[str, set[int]] = field(default_factory=dict)  # outlet -> line keys seen twice+
    kinds: dict[str, set[str]] = field(default_factory=dict)  # outlet -> kinds it has templates of
    kept: dict[str, set[int]] = field(default_factory=dict)  # outlet -> keys reviewed as "keep"
    signatures: dict[str, dict[str, set[int]]] = field(default_factory=dict)  # outlet -> kind -> first-word signatures
    _applicable: dict[str, set[int]] = field(default_factory=dict, repr=False, compare=False)

    def templates_of(self, outlet: str | None) -> set[int]:
        """Template keys that apply to ``outlet`` (its own and the cross-outlet widgets)."""
        own = self.keys.get(outlet or "", set())
        return own | self.widgets if self.widgets else own

    def applicable(self, outlet: str | None) -> set[int]:
        """:meth:`templates_of` minus the keys reviewed as "keep" for ``outlet``: what cleaning
        looks lines up in (computed once per outlet; learn first, then clean)."""
        outlet = outlet or ""
        found = self._applicable.get(outlet)
        if found is None:
            found = self.templates_of(outlet)
            if outlet in self.kept:
                found = found - self.kept[outlet]
            self._applicable[outlet] = found
        return found


def _passes(config: TemplateConfig, key: int, support: int, total: int, n: int, outlets: int) -> bool:
    """The thresholds of :class:`TemplateConfig` for one unit of one outlet."""
    if outlets > 1 and support < config.concentration * total:
        return False  # shared with other outlets: reuse or common phrasing, not this outlet's page
    if (key >> 2) & 3 >= 2:  # prefix, gram
        return outlets > 1 and support >= max(config.prefix_support, math.ceil(config.prefix_share * n))
    if key & 2:  # long
        return support >= max(config.long_support, math.ceil(config.long_share * n))
    return True


def learn(items: Iterable[tuple[str, str | None, str]], *, outlet_sizes: dict[str | None, int] | None = None,
          config: TemplateConfig | None = None, overrides: pd.DataFrame | None = None) -> TemplateModel:
    """Learn per-outlet templates from ``(article_id, outlet_id, text)`` triples.

    Args:
        items: the articles (any iterable; read once).
        outlet_sizes: articles per outlet, when known, to sample at most
            ``config.sample_per_outlet`` of each outlet (deterministically, by article id).
        config: thresholds (default :class:`TemplateConfig`).
        overrides: reviewed rows (``outlet_id``, ``kind``, ``pattern``, ``action`` keep|remove).

    Returns:
        A :class:`TemplateModel`.

    Example:
        >>> texts = ["Rain fell.", "Sun shone.", "Wind blew.", "Snow came."]
        >>> model = learn([(str(i), "x", f"{t}\\nSign up now for our letter") for i, t in enumerate(texts)])
        >>> sorted(model.sampled.items()), sorted(model.kinds["x"])
        ([('x', 4)], ['line'])
    """
    config = config or TemplateConfig()
    rates = _rates(outlet_sizes, config)
    collected: dict[str, list[np.ndarray]] = defaultdict(list)
    sampled: Counter = Counter()
    for article_id, outlet, text in items:
        outlet = outlet or ""
        if not text or not _sampled(article_id, rates.get(outlet, 1.0)):
            continue
        sampled[outlet] += 1
        keys = _article_keys(text)
        collected[outlet].append(np.fromiter(keys, dtype=np.int64, count=len(keys)))
    model = TemplateModel(config=config, sampled=dict(sampled))
    counted = {outlet: np.unique(np.concatenate(arrays), return_counts=True)
               for outlet, arrays in collected.items()}
    collected.clear()
    if counted:
        every, inverse = np.unique(np.concatenate([k for k, _ in counted.values()]), return_inverse=True)
        totals = np.bincount(inverse, weights=np.concatenate([c for _, c in counted.values()]))
    widget_outlets: Counter = Counter()
    widget_share: dict[int, float] = {}
    outlets = len(counted)
    for outlet, (keys, counts) in counted.items():
        n = sampled[outlet]
        line_keys = (keys >> 2) & 3 == 0
        model.recurring_lines[outlet] = set(keys[line_keys & (counts >= 2)].tolist())
        chosen = counts >= max(config.min_support, math.ceil(config.share * n))
        keys, counts = keys[chosen], counts[chosen]
        found = totals[np.searchsorted(every, keys)]
        final = set()
        for k, c, t in zip(keys.tolist(), counts.tolist(), found.tolist()):
            if k & 1 and (k >> 2) & 3 <= 1:  # short line or segment: a widget candidate
                widget_outlets[k] += 1
                widget_share[k] = max(widget_share.get(k, 0.0), c / n)
            if _passes(config, k, c, int(t), n, outlets):
                final.add(k)
                model.support[(outlet, k)] = c
        model.keys[outlet] = final
    model.widgets = {k for k, o in widget_outlets.items() if o >= 2 and widget_share[k] >= config.widget_share}
    if overrides is not None and len(overrides):
        for row in overrides.itertuples(index=False):
            kind, norm = str(row.kind).strip(), _norm(str(row.pattern))
            if kind not in _KIND_BITS:
                raise ValueError(f"template override: kind {kind!r} is not one of {sorted(_KIND_BITS)}")
            key = _key(kind, norm, norm.count(" ") + 1)
            scope = str(row.outlet_id).strip()
            target = model.widgets if scope == GLOBAL else model.keys.setdefault(scope, set())
            if str(row.action).strip().lower() == "keep":
                target.discard(key)
                model.kept.setdefault(scope, set()).add(key)
                if scope == GLOBAL:
                    for keys in model.keys.values():
                        keys.discard(key)
            else:
                target.add(key)
    if "" in model.sampled and len(model.keys) > 1:
        # Articles whose outlet is unknown: any outlet's whole template lines apply (a page of
        # outlet X with an unrecognised outlet still shows X's chrome).
        model.keys[""] = model.keys.get("", set()) | {k for o, keys in model.keys.items() if o
                                                      for k in keys if (k >> 2) & 3 == 0}
    widget_kinds = {_kind_of(k) for k in model.widgets}
    model.kinds = {o: {_kind_of(k) for k in keys} | widget_kinds for o, keys in model.keys.items()}
    model.kinds[GLOBAL] = widget_kinds
    for outlet in list(model.keys) + [GLOBAL]:
        signatures: dict[str, set[int]] = defaultdict(set)
        for k in model.keys.get(outlet, set()) | model.widgets:
            signatures[_kind_of(k)].add((k >> 4) & 0xFFF)
        model.signatures[outlet] = dict(signatures)
    return model


@dataclass
class Cleaned:
    """What :func:`clean_article` found in one article."""

    clean_text: str
    spans: list[tuple[int, int, str, str, int]]  # start, end, kind, pattern, key
    body_copies: int = 1
    credit_line: str | None = None
    credit_who: str | None = None
    leftover_tokens: int = 0
    tokens: int = 0


def clean_article(text: str, outlet: str | None, model: TemplateModel, *,
                  curated: re.Pattern[str] | None = None) -> Cleaned:
    """Blank the template spans of one article (see the module docstring for the rules).

    Args:
        text: ``articles.text``.
        outlet: the article's ``outlet_id``.
        model: learnt templates (:func:`learn`).
        curated: one regular expression of the curated ``where=any`` line patterns
            (:func:`curated_regex`); matching lines are blanked anywhere in the body.

    Returns:
        A :class:`Cleaned` whose ``clean_text`` has the length of ``text``.

    Example:
        >>> texts = ["Rain fell.", "Sun shone.", "Wind blew.", "Snow came."]
        >>> model = learn([(str(i), "x", f"{t}\\nSign up now for our letter") for i, t in enumerate(texts)])
        >>> clean_article("Other story.\\nSign up now for our letter", "x", model).clean_text.rstrip()
        'Other story.'
    """
    outlet = outlet or ""
    templates = model.applicable(outlet)
    signatures = model.signatures.get(outlet, model.signatures.get(GLOBAL, {}))
    segment_sigs, prefix_sigs = signatures.get("segment"), signatures.get("prefix")
    gram_sigs = signatures.get("gram")
    recurring = model.recurring_lines.get(outlet, set())
    spans: list[tuple[int, int, str, str, int]] = []
    seen_lines: Counter = Counter()
    copies = 1
    repeated_lines = 0
    credit_line = credit_who = None
    leftover = tokens_total = 0
    position = 0
    raw_lines = text.split("\n")
    posts = _post_lines(raw_lines) if "(@" in text else ()
    for index, (raw, line) in enumerate(zip(raw_lines, _fold_text(text).split("\n"), strict=True)):
        base = position
        position += len(raw) + 1
        if not line or index in posts:
            continue
        if line.isprintable() and "  " not in line and line[0] != " " and line[-1] != " ":
            norm, start, end = line, base, base + len(line)  # already normal: no split and join
        else:
            norm = " ".join(line.split())
            if not norm:
                continue
            start = base + len(line) - len(line.lstrip())
            end = base + len(line.rstrip())
        words = norm.count(" ") + 1
        first_signature = hash(norm.partition(" ")[0]) & 0xFFF
        key = ((hash("l" + norm) & _MASK) | (words <= WIDGET_WORDS) | ((words > LONG_WORDS) << 1)
               | (first_signature << 4))  # _key("line", norm, words), inlined
        if words >= REPEAT_MIN_WORDS:  # repeated body: a substantial line already seen here
            seen_lines[key] += 1
            if seen_lines[key] > 1:
                copies = max(copies, seen_lines[key])
                repeated_lines += seen_lines[key] == 2
                spans.append((start, end, "repeat", norm, key))
                continue
        if key in templates:
            spans.append((start, end, "line", norm, key))
            continue
        self_repeat = False
        if words >= SELF_REPEAT_WORDS:  # cheap test first: does the line's opening recur in it?
            opening = line.lstrip()[:24]
            self_repeat = len(opening) == 24 and line.count(opening) >= 3
        if self_repeat:
            segments = _segments(line)
        else:
            segments = (_segments(line, segment_sigs) if segment_sigs and words > 3
                        and _may_hold_segment(line, first_signature, segment_sigs) else [])
        if self_repeat and segments:
            seen = Counter(seg[2] for seg in segments)
            if max(seen.values()) >= 3:
                if _periodic(segments):
                    # One line holding the body several times over: keep the first copy.
                    first: set[str] = set()
                    for s_start, s_end, s_norm, *_ in segments:
                        if s_norm in first:
                            spans.append((base + s_start, base + s_end, "repeat", s_norm, 0))
                        first.add(s_norm)
                    copies = max(copies, max(seen.values()))
                    repeated_lines += REPEAT_MIN_LINES
                else:
                    spans.append((start, end, "gallery", norm, key))
                continue
        stripped = raw.strip()
        if curated is not None and len(stripped) <= 120 and curated.fullmatch(stripped):
            spans.append((start, end, "curated", norm, key))
            continue
        if words <= 20 and _CREDIT_HINT.search(line):
            credit = _credit(stripped)
            if credit is not None:
                who, span = credit
                if span is None:
                    spans.append((start, end, "credit", norm, key))
                    if credit_line is None:
                        credit_line, credit_who = stripped, who
                    continue
                spans.append((start + span[0], start + span[1], "credit", _norm(stripped[span[0]:span[1]]), 0))
                if credit_line is None:
                    credit_line, credit_who = stripped[:span[1]].strip(), who
        hits = []
        if segment_sigs and segments:
            for s_start, s_end, s_norm, s_words, s_signature in segments:
                s_key = _unit_key("s", 1, s_norm, s_words, s_signature)
                if s_key in templates:
                    hits.append((base + s_start, base + s_end, s_norm, s_key, s_words))
        if hits and (len(hits) >= 3 or (words <= SHORT_LINE_WORDS
                                        and sum(h[4] for h in hits) >= SHORT_LINE_SHARE * words)):
            spans.append((start, end, "segment", hits[0][2], hits[0][3]))
            continue
        run_words = 0
        if gram_sigs and _gram_line(line, words):
            runs = _gram_runs(line, norm.split(" "), templates, gram_sigs)
            run_words = sum(r[3] for r in runs)
            if runs and run_words >= GRAM_LINE_SHARE * words:
                spans.append((start, end, "gram", runs[0][2], runs[0][4]))
                continue
            spans.extend((base + r_start, base + r_end, "gram", r_norm, r_key)
                         for r_start, r_end, r_norm, _, r_key in runs)
        if hits:
            spans.extend((h[0], h[1], "segment", h[2], h[3]) for h in hits)
        if prefix_sigs and words > PREFIX_LENGTHS[0] and first_signature in prefix_sigs:
            tokens = norm.split(" ", PREFIX_LENGTHS[-1])
            for length in reversed(PREFIX_LENGTHS):
                if length >= words:
                    continue
                p_norm = " ".join(tokens[:length])
                p_key = _key("prefix", p_norm, length)
                if p_key in templates:
                    p_end = list(islice(_TOKEN.finditer(line), length))[-1].end()
                    if not any(h[0] <= start < h[1] for h in hits):
                        spans.append((start, base + p_end, "prefix", p_norm, p_key))
                    break
        tokens_total += words - run_words
        if key in recurring:
            leftover += words - run_words
    clean = _blank(text, spans)
    if repeated_lines < REPEAT_MIN_LINES:
        copies = 1  # a pull quote or a repeated caption, not a repeated body (still blanked)
    return Cleaned(clean, spans, copies, credit_line, credit_who, leftover, tokens_total)


def _periodic(segments: list[tuple[int, int, str, int]]) -> bool:
    """True when a line's sentences repeat as a block (the body several times over), not merely
    one recurring marker between different captions (a gallery)."""
    norms = [segment[2] for segment in segments]
    try:
        period = norms.index(norms[0], 1)
    except ValueError:
        return False
    same = sum(norms[i] == norms[i % period] for i in range(len(norms)))
    return same >= BODY_REPEAT_SHARE * len(norms)


def _gram_runs(line: str, tokens: list[str], templates: set[int],
               signatures: set[int]) -> list[tuple[int, int, str, int, int]]:
    """Runs of template bigrams in a folded line: ``(start, end, first bigram, words, its key)``."""
    hit = [_signature(tokens[i]) in signatures and _key("gram", tokens[i] + " " + tokens[i + 1], 2) in templates
           for i in range(len(tokens) - 1)]
    if not any(hit):
        return []
    spans = [m.span() for m in _TOKEN.finditer(line)]
    runs: list[tuple[int, int, str, int, int]] = []
    i = 0
    while i < len(hit):
        if not hit[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(hit) and hit[j + 1]:
            j += 1
        first = tokens[i] + " " + tokens[i + 1]
        runs.append((spans[i][0], spans[j + 1][1], first, j - i + 2, _key("gram", first, 2)))
        i = j + 1
    return runs


def curated_regex(patterns: Iterable[Any]) -> re.Pattern[str] | None:
    """One case-insensitive regular expression of the curated ``where=any`` line patterns.

    Example:
        >>> from mediaprov.ingest.scrape import load_boilerplate
        >>> bool(curated_regex(load_boilerplate()).fullmatch("Advertisement"))
        True
    """
    parts = [p.regex.pattern for p in patterns if p.where == "any"]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.I) if parts else None


def _credit(line: str) -> tuple[str | None, tuple[int, int] | None] | None:
    """``(who, None)`` for a whole credit line, ``(who, (start, end))`` for a dateline credit."""
    for pattern in _CREDIT_LINES:
        found = pattern.match(line)
        if found:
            return (found.group("who") or None), None
    dateline = _DATELINE.match(line)
    if dateline:
        return dateline.group("who"), (dateline.start("who") - 1, dateline.end("who") + 1)
    return None


def _blank(text: str, spans: list[tuple[int, int, str, str, int]]) -> str:
    """``text`` with each span replaced by spaces (newlines kept), same length."""
    if not spans:
        return text
    pieces: list[str] = []
    cursor = 0
    for start, end, *_ in sorted(spans):
        start = max(start, cursor)
        if end <= start:
            continue
        pieces.append(text[cursor:start])
        chunk = text[start:end]
        pieces.append(" " * len(chunk) if "\n" not in chunk else re.sub(r"[^\n]", " ", chunk))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _template_id(scope: str, kind: str, pattern: str) -> str:
    return hashlib.sha1(f"{scope}|{kind}|{pattern}".encode()).hexdigest()[:12]


@dataclass
class _Collector:
    """Accumulates the template and span rows, and the per-outlet figures, while cleaning."""

    model: TemplateModel
    spans: list[tuple] = field(default_factory=list)
    examples: dict[tuple[str, str, str], list] = field(default_factory=dict)
    leftover: Counter = field(default_factory=Counter)
    tokens: Counter = field(default_factory=Counter)
    repeated_bodies: int = 0
    blanked_chars: int = 0
    credits: int = 0

    def add(self, article_id: str, outlet: str | None, cleaned: Cleaned, text: str) -> None:
        outlet = outlet or ""
        own = self.model.keys.get(outlet, set())
        for start, end, kind, pattern, key in sorted(cleaned.spans):
            if kind in LEARNT_KINDS:
                scope = outlet if key in own else GLOBAL
            else:
                scope = ""
            entry = (scope, kind, pattern)
            example = self.examples.get(entry)
            if example is None:
                example = self.examples[entry] = [article_id, start, end, 0,
                                                  self.model.support.get((outlet, key)), None]
            if example[5] != article_id:
                example[3] += 1
                example[5] = article_id
            self.spans.append((article_id, _template_id(*entry), kind, start, end))
        self.leftover[outlet] += cleaned.leftover_tokens
        self.tokens[outlet] += cleaned.tokens
        self.repeated_bodies += cleaned.body_copies > 1
        self.credits += cleaned.credit_line is not None

    def templates(self) -> pd.DataFrame:
        from mediaprov.schema import TEMPLATES, validate

        rows = []
        for (scope, kind, pattern), (article, start, end, applied, support, _) in self.examples.items():
            if kind not in LEARNT_KINDS:
                continue
            if scope == GLOBAL:
                support = sum(self.model.support.get((o, k), 0) for o in self.model.keys
                              for k in (_key(kind, pattern, pattern.count(" ") + 1),))
            rows.append({"template_id": _template_id(scope, kind, pattern), "outlet_id": scope,
                         "kind": kind, "pattern": pattern, "support": support,
                         "sampled": self.model.sampled.get(scope) if scope != GLOBAL
                         else sum(self.model.sampled.values()),
                         "articles": applied, "example_article": article, "example_start": start,
                         "example_end": end})
        table = pd.DataFrame(rows, columns=list(TEMPLATES.columns))
        table = table.sort_values(["outlet_id", "kind", "articles", "pattern"],
                                  ascending=[True, True, False, True], kind="stable")
        return validate(table.reset_index(drop=True), TEMPLATES, where="templates")

    def span_table(self) -> pd.DataFrame:
        from mediaprov.schema import TEMPLATE_SPANS, validate

        table = pd.DataFrame(self.spans, columns=["article_id", "template_id", "kind", "start", "end"])
        return validate(table, TEMPLATE_SPANS, where="template_spans")

    def leftover_by_outlet(self) -> pd.Series:
        """Share of clean tokens in lines that recur within the outlet, per outlet."""
        outlets = sorted(o for o in self.tokens if self.tokens[o])
        return pd.Series({o or "(unknown)": round(self.leftover[o] / self.tokens[o], 4) for o in outlets},
                         name="leftover_template_share", dtype=float)


def _clean_rows(frame: pd.DataFrame, model: TemplateModel, collector: _Collector, *,
                curated: re.Pattern[str] | None, registry: Any = None, copy: bool = True) -> pd.DataFrame:
    """Add ``clean_text``, ``template_chars``, ``body_copies`` (and credits) to a chunk of articles
    (to a copy of ``frame`` unless ``copy`` is false)."""
    clean, blanked, copies = [], [], []
    credit_lines = frame["credit_line"].tolist() if "credit_line" in frame else [None] * len(frame)
    credited = frame["credited_source"].tolist() if "credited_source" in frame else [None] * len(frame)
    outlets = frame["outlet_id"].tolist() if "outlet_id" in frame else [None] * len(frame)
    rows = zip(frame["article_id"].tolist(), outlets, frame["text"].tolist(), strict=True)
    for i, (article_id, outlet, text) in enumerate(rows):
        text = "" if text is None or text is pd.NA else str(text)
        outlet = None if outlet is None or outlet is pd.NA else str(outlet)
        cleaned = clean_article(text, outlet, model, curated=curated)
        collector.add(str(article_id), outlet, cleaned, text)
        clean.append(cleaned.clean_text)
        blanked.append(sum(e - s for s, e, *_ in cleaned.spans))
        copies.append(cleaned.body_copies)
        if cleaned.credit_line is not None and (credit_lines[i] is None or credit_lines[i] is pd.NA):
            credit_lines[i] = cleaned.credit_line
            who = cleaned.credit_who
            if who and (credited[i] is None or credited[i] is pd.NA):
                name = _AGENCIES.get(who.lower().removeprefix("the ").strip(), who)
                resolved = registry.resolve(name) if registry is not None else None
                if resolved is None and (who.lower() in _AGENCIES or "press" in who.lower()
                                         or "reuters" in who.lower()):
                    from mediaprov.ingest.outlets import provisional_outlet_id

                    resolved = provisional_outlet_id(name)
                credited[i] = resolved
    out = frame.copy() if copy else frame
    out["clean_text"] = clean
    out["template_chars"] = blanked
    out["body_copies"] = copies
    out["credit_line"] = credit_lines
    out["credited_source"] = credited
    return out


@dataclass
class CleanResult:
    """The result of :func:`clean_frame`: the articles with ``clean_text``, the learnt templates,
    the blanked spans and the leftover-template share per outlet."""

    articles: pd.DataFrame
    templates: pd.DataFrame
    spans: pd.DataFrame
    leftover: pd.Series
    repeated_bodies: int = 0


def clean_frame(articles: pd.DataFrame, *, curated: tuple[Any, ...] = (), registry: Any = None,
                config: TemplateConfig | None = None, overrides: pd.DataFrame | None = None) -> CleanResult:
    """Learn templates from an in-memory ``articles`` table and add ``clean_text`` to it.

    Args:
        articles: at least ``article_id``, ``outlet_id`` and ``text``.
        curated: curated line patterns (:func:`mediaprov.ingest.scrape.load_boilerplate`).
        registry: outlet registry, to resolve credit lines to outlets.
        config: learning thresholds.
        overrides: reviewed template rows (see the module docstring).

    Returns:
        A :class:`CleanResult`.

    Example: see the module docstring.
    """
    sizes = articles["outlet_id"].fillna("").value_counts().to_dict() if len(articles) else {}
    model = learn(zip(articles["article_id"].astype(str), articles["outlet_id"], articles["text"].fillna("")),
                  outlet_sizes=sizes, config=config, overrides=overrides)
    collector = _Collector(model)
    cleaned = _clean_rows(articles, model, collector, curated=curated_regex(curated), registry=registry)
    return CleanResult(cleaned, collector.templates(), collector.span_table(), collector.leftover_by_outlet(),
                       collector.repeated_bodies)


def load_overrides(path: Path | None = None) -> pd.DataFrame | None:
    """Read reviewed template overrides (``data/reference/template_overrides.csv``), if present.

    Example:
        >>> load_overrides(Path("/nonexistent.csv")) is None
        True
    """
    csv_path = Path(path) if path else paths.reference_dir() / "template_overrides.csv"
    if not csv_path.exists():
        return None
    table = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    missing = {"outlet_id", "kind", "pattern", "action"} - set(table.columns)
    if missing:
        raise ValueError(f"{csv_path}: missing columns {sorted(missing)}; expected outlet_id, kind, pattern, "
                         f"action (keep | remove)")
    return table


def clean_ingested(folder: Path, *, registry: Any = None, curated: tuple[Any, ...] = (),
                   config: TemplateConfig | None = None, batch_size: int = 5_000) -> dict[str, Any]:
    """The ingest hook: learn templates from ``folder/articles.parquet``, rewrite it with
    ``clean_text`` (atomically), and write ``templates.parquet`` and ``template_spans.parquet``.

    Streams the table twice in batches (learn, then clean), so memory stays bounded.

    Args:
        folder: an ingest output folder.
        registry: outlet registry (credit lines).
        curated: curated line patterns.
        config: learning thresholds.
        batch_size: rows per batch.

    Returns:
        Figures for the ingest summary: ``templates``, ``blanked_spans``, ``repeated_bodies``,
        ``credit_lines`` and ``leftover`` (share per outlet).

    Example:
        >>> import tempfile
        >>> from mediaprov.ingest.pipeline import ingest
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.txt").write_text("A Title\\n\\nThe body of a short article, here.\\n")
        >>> figures = ingest(folder, out=folder / "out").summary.templates
        >>> figures["templates"], (folder / "out" / "templates.parquet").exists()
        (0, True)
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from mediaprov.io import ChunkedTableWriter, write_table
    from mediaprov.schema import ARTICLES, TEMPLATE_SPANS, TEMPLATES

    path = Path(folder) / "articles.parquet"
    outlets = pq.read_table(path, columns=["outlet_id"]).column(0).to_pylist()
    sizes = Counter(o or "" for o in outlets)
    del outlets

    rates = _rates(dict(sizes), config or TemplateConfig())

    def triples() -> Iterator[tuple[str, str | None, str]]:
        """The rows that learning samples (only their text becomes Python strings)."""
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size,
                                                        columns=["article_id", "outlet_id", "text"]):
            ids, outlets = batch.column(0).to_pylist(), batch.column(1).to_pylist()
            keep = [_sampled(a, rates.get(o or "", 1.0)) for a, o in zip(ids, outlets, strict=True)]
            if any(keep):
                texts = batch.column(2).filter(pa.array(keep)).to_pylist()
                yield from zip(compress(ids, keep), compress(outlets, keep), (t or "" for t in texts),
                               strict=True)

    model = learn(triples(), outlet_sizes=dict(sizes), config=config, overrides=load_overrides())
    collector = _Collector(model)
    curated_rx = curated_regex(curated)
    reader = pq.ParquetFile(path)
    with ChunkedTableWriter(path, ARTICLES) as writer:
        for batch in reader.iter_batches(batch_size=batch_size):
            frame = batch.to_pandas()
            writer.write(_clean_rows(frame, model, collector, curated=curated_rx, registry=registry, copy=False))
    templates = collector.templates()
    write_table(templates, Path(folder) / "templates.parquet", TEMPLATES)
    write_table(collector.span_table(), Path(folder) / "template_spans.parquet", TEMPLATE_SPANS)
    leftover = collector.leftover_by_outlet()
    return {"templates": len(templates), "blanked_spans": len(collector.spans),
            "repeated_bodies": collector.repeated_bodies, "credit_lines": collector.credits,
            "leftover": {k: float(v) for k, v in leftover.items()}}


def summary_lines(figures: dict[str, Any], *, top: int = 5) -> list[str]:
    """Lines of the ingest summary for the template pass (empty when it did not run).

    Example:
        >>> summary_lines({"templates": 2, "blanked_spans": 9, "repeated_bodies": 1, "credit_lines": 0,
        ...                "leftover": {"a": 0.01, "b": 0.2}})[1]
        'leftover template share (tokens of clean_text in lines that recur within the outlet): b 0.200, a 0.010'
    """
    if not figures:
        return []
    leftover = sorted(figures.get("leftover", {}).items(), key=lambda item: (-item[1], item[0]))
    return [
        f"page templates learnt: {figures['templates']}; spans blanked in clean_text: {figures['blanked_spans']}; "
        f"credit lines: {figures['credit_lines']}; repeated bodies collapsed: {figures['repeated_bodies']}",
        "leftover template share (tokens of clean_text in lines that recur within the outlet): "
        + (", ".join(f"{o} {v:.3f}" for o, v in leftover[:top]) or "none"),
    ]
