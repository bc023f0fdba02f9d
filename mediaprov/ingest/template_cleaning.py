r"""Blanking the template spans of one article, given the learnt templates.

Applying, per article and per line: a repeated copy of a substantial line (``REPEAT_MIN_WORDS``
words or more) already seen in the same article is blanked (a crawler that repeated the body:
``body_copies`` counts the copies when ``REPEAT_MIN_LINES`` lines or more repeat); template lines
are blanked; a line where one sentence recurs three times or more is either a body repeated within
one line (its sentences repeat as a block, ``BODY_REPEAT_SHARE`` of them in period: later copies
blanked, first kept) or a photo gallery with its "Hide Caption 3 of 25" markers (blanked whole);
curated ``where=any`` lines of ``boilerplate.csv`` are blanked wherever they stand; credit lines
("The Associated Press contributed to this report.", "Contributing: ...", a dateline's "(AP)") are
blanked and kept as credit evidence (``credit_line``, ``credited_source``); template segments,
prefixes and bigram runs are blanked, and a short line whose template words reach
``SHORT_LINE_SHARE`` (segments) or ``GRAM_LINE_SHARE`` (bigrams) of it, or that holds three
template segments or more, is blanked whole. Blanking replaces characters by spaces (newlines
kept), so offsets into the clean text are offsets into the text.

Example:
    >>> from mediaprov.ingest.template_learning import learn
    >>> texts = ["Rain fell.", "Sun shone.", "Wind blew.", "Snow came."]
    >>> model = learn([(str(i), "x", f"{t}\nSign up now for our letter") for i, t in enumerate(texts)])
    >>> cleaned = clean_article("Hail hit.\nSign up now for our letter", "x", model)
    >>> [(start, end, kind) for start, end, kind, *_ in cleaned.spans]
    [(10, 36, 'line')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from xxhash import xxh3_64_intdigest as _hash

from mediaprov.ingest.template_learning import GLOBAL, TemplateModel
from mediaprov.ingest.template_units import (LONG_WORDS, PREFIX_LENGTHS, SHORT_LINE_WORDS, WIDGET_WORDS, _MASK,
                                             _TOKEN, _fold_text, _gram_line, _heads, _key, _plain_lines, _may_hold_segment, _norm,
                                             _segments, _signature, _text_post_lines, _unit_key)

SHORT_LINE_SHARE = 0.15
GRAM_LINE_SHARE = 0.2
REPEAT_MIN_LINES = 3
BODY_REPEAT_SHARE = 0.8
SELF_REPEAT_WORDS = 25
REPEAT_MIN_WORDS = 6
_HEAD_MISSES = 200_000

_CREDIT_HINT = re.compile(r"contribut|wire|based|\(|^with |reporting", re.I)
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


@dataclass
class _Context:
    """The learnt templates that apply to one article's outlet."""

    templates: set[int]
    segment_sigs: set[int] | None
    prefix_sigs: set[int] | None
    gram_sigs: set[int] | None
    recurring: set[int]
    curated: re.Pattern[str] | None
    head_misses: set[str] = field(default_factory=set)  # words that open no template segment here


@dataclass
class _Tally:
    """What the lines of one article have added up to so far."""

    spans: list[tuple[int, int, str, str, int]]
    seen_lines: dict[int, int]
    copies: int = 1
    repeated_lines: int = 0
    credit_line: str | None = None
    credit_who: str | None = None
    leftover: int = 0
    tokens: int = 0


def clean_article(text: str, outlet: str | None, model: TemplateModel, *,
                  curated: re.Pattern[str] | None = None) -> Cleaned:
    r"""Blank the template spans of one article (see the module docstring for the rules).

    Args:
        text: ``articles.text``.
        outlet: the article's ``outlet_id`` (``None`` is read as ``""``).
        model: learnt templates (:func:`learn`).
        curated: one regular expression of the curated ``where=any`` line patterns
            (:func:`curated_regex`); matching lines are blanked anywhere in the body.

    Returns:
        A :class:`Cleaned` whose ``clean_text`` has the length of ``text``.

    Example:
        >>> from mediaprov.ingest.template_learning import learn
        >>> texts = ["Rain fell.", "Sun shone.", "Wind blew.", "Snow came."]
        >>> model = learn([(str(i), "x", f"{t}\nSign up now for our letter") for i, t in enumerate(texts)])
        >>> clean_article("Other story.\nSign up now for our letter", "x", model).clean_text.rstrip()
        'Other story.'
    """
    context = _context(model, outlet or "", curated)
    templates, recurring, prefix_sigs = context.templates, context.recurring, context.prefix_sigs
    tally = _Tally([], {})
    spans, seen = tally.spans, tally.seen_lines
    folded = _fold_text(text)
    segment_sigs, heads = context.segment_sigs, _head_words(folded, context)
    posts = _text_post_lines(text)
    plain = _plain_lines(folded)  # every line printable, no double space
    position = 0
    for index, line in enumerate(folded.split("\n")):  # lines of text and folded text have the same bounds
        base = position
        position += len(line) + 1
        if not line or index in posts:
            continue
        if (plain or (line.isprintable() and "  " not in line)) and line[0] != " " and line[-1] != " ":
            norm, start, end = line, base, base + len(line)  # already normal: no split and join
            spaced = heads  # its only whitespace is single spaces: a word after a break is spaced
        else:
            norm = " ".join(line.split())
            if not norm:
                continue
            start, end = base + len(line) - len(line.lstrip()), base + len(line.rstrip())
            spaced = None
        words = norm.count(" ") + 1
        first_signature = _hash(norm.partition(" ")[0]) & 0xFFF
        key = ((_hash("l" + norm) & _MASK) | (words <= WIDGET_WORDS) | ((words > LONG_WORDS) << 1)
               | (first_signature << 4))  # _key("line", norm, words), inlined
        if words >= REPEAT_MIN_WORDS:  # a substantial line already seen in the article: a repeated body
            times = seen[key] = seen.get(key, 0) + 1
            if times > 1:
                tally.copies = max(tally.copies, times)
                tally.repeated_lines += times == 2
                spans.append((start, end, "repeat", norm, key))
                continue
        if key in templates:
            spans.append((start, end, "line", norm, key))
            continue
        if (words > SHORT_LINE_WORDS and (words < SELF_REPEAT_WORDS or line.count(line.lstrip()[:24]) < 3)
                and not (segment_sigs and (first_signature in segment_sigs or (heads and (
                    any(w in line for w in heads[0]) if spaced is None
                    else any(w in line for w in heads[1]) or line.endswith(heads[2])))))
                and not (prefix_sigs and first_signature in prefix_sigs)
                and (curated is None or len(text[base:position - 1].strip()) > 120)):
            # A plain long line: none of the rules of _clean_line can blank any of it (the same
            # tests, cheaper: no segment can open with a word that the line does not hold).
            tally.tokens += words
            tally.leftover += words if key in recurring else 0
            continue
        _clean_line(context, tally, text[base:position - 1], line, base, norm, start, end, words, first_signature, key)
    clean = _blank(text, tally.spans)
    copies = tally.copies
    if tally.repeated_lines < REPEAT_MIN_LINES:
        copies = 1  # a pull quote or a repeated caption, not a repeated body (still blanked)
    return Cleaned(clean, tally.spans, copies, tally.credit_line, tally.credit_who, tally.leftover, tally.tokens)


def _context(model: TemplateModel, outlet: str, curated: re.Pattern[str] | None) -> _Context:
    """The templates that apply to ``outlet``'s articles, built once per outlet and kept on the model."""
    cached = model._contexts.get(outlet)
    if cached is None or cached.curated is not curated:  # (a pattern's hash is not cheap: not a key)
        signatures = model.signatures.get(outlet, model.signatures.get(GLOBAL, {}))
        cached = model._contexts[outlet] = _Context(
            model.applicable(outlet), signatures.get("segment"), signatures.get("prefix"), signatures.get("gram"),
            model.recurring_lines.get(outlet, set()), curated)
    return cached


def _head_words(folded: str, context: _Context) -> tuple[tuple[str, ...], ...]:
    """The article's words after a segment break that may open one of its outlet's template segments.

    A line may hold a template segment only when its first word's signature is one of the
    outlet's segment signatures or when it holds one of these words: one scan of the whole text
    instead of one per line. Words whose signature is not one of them are remembered (up to
    ``_HEAD_MISSES`` per outlet), so most words are tested once per outlet, not once per article.

    Args:
        folded: the article's folded text (:func:`_fold_text`).
        context: the templates that apply to the article's outlet.

    Returns:
        ``(words, " word ", " word")``, the forms a line whose only whitespace is single spaces
        must hold (inside or at its end) when a word follows a break in it; ``()`` when there are
        no such words.
    """
    signatures = context.segment_sigs
    if not signatures:
        return ()
    heads = _heads(folded)
    misses = context.head_misses
    heads -= misses
    found = []
    for word in heads:
        if _hash(word) & 0xFFF in signatures:
            found.append(word)
        elif len(misses) < _HEAD_MISSES:
            misses.add(word)
    if not found:
        return ()
    return tuple(found), tuple(f" {word} " for word in found), tuple(f" {word}" for word in found)


def _clean_line(context: _Context, tally: _Tally, raw: str, line: str, base: int, norm: str, start: int,
                end: int, words: int, first_signature: int, key: int) -> None:
    """Blank the template spans of one line into ``tally`` (the rules, in the module docstring's order).

    The repeated lines and the template lines are already blanked (by :func:`clean_article`).

    Args:
        context: the templates that apply to the article's outlet.
        tally: the article's spans and counts so far, updated in place.
        raw: the line as it stands in the text.
        line: the folded line (:func:`_fold_text`), as long as ``raw``.
        base: offset of the line in the text.
        norm: the line's words joined by single spaces.
        start: offset in the text of the line's first non-space character.
        end: offset in the text past the line's last non-space character.
        words: the line's number of words.
        first_signature: signature of the line's first word.
        key: the line's template key.
    """
    spans = tally.spans
    self_repeat, segments = _line_segments(context, line, words, first_signature)
    if self_repeat and segments and _blank_self_repeat(tally, segments, base, start, end, norm, key):
        return
    stripped = raw.strip()
    if context.curated is not None and len(stripped) <= 120 and context.curated.fullmatch(stripped):
        spans.append((start, end, "curated", norm, key))
        return
    if words <= 20 and _CREDIT_HINT.search(line) and _blank_credit(tally, stripped, start, end, norm, key):
        return
    hits = _segment_hits(context.templates, segments, base) if context.segment_sigs and segments else []
    if hits and (len(hits) >= 3 or (words <= SHORT_LINE_WORDS
                                    and sum(h[4] for h in hits) >= SHORT_LINE_SHARE * words)):
        spans.append((start, end, "segment", hits[0][2], hits[0][3]))
        return
    run_words = 0
    if context.gram_sigs and 1 < words <= SHORT_LINE_WORDS and _gram_line(line, words):
        whole, run_words = _blank_grams(context.templates, context.gram_sigs, spans, line, norm, words, base, start, end)
        if whole:
            return
    if hits:
        spans.extend((h[0], h[1], "segment", h[2], h[3]) for h in hits)
    if context.prefix_sigs and words > PREFIX_LENGTHS[0] and first_signature in context.prefix_sigs:
        _blank_prefix(context.templates, spans, line, norm, words, base, start, hits)
    tally.tokens += words - run_words
    if key in context.recurring:
        tally.leftover += words - run_words


def _line_segments(context: _Context, line: str, words: int,
                   first_signature: int) -> tuple[bool, list[tuple[int, int, str, int, int]]]:
    """Whether a line repeats its own opening three times or more, and its segments to look up.

    Args:
        context: the templates that apply to the article's outlet.
        line: the folded line.
        words: the line's number of words.
        first_signature: signature of the line's first word.

    Returns:
        ``(self_repeat, segments)``: all the line's segments when it repeats itself, else those
        whose first word has a template segment signature (none for lines of 3 words or fewer).
    """
    self_repeat = False
    if words >= SELF_REPEAT_WORDS:  # cheap test first: does the line's opening recur in it?
        opening = line.lstrip()[:24]
        self_repeat = len(opening) == 24 and line.count(opening) >= 3
    if self_repeat:
        return True, _segments(line)
    segment_sigs = context.segment_sigs
    segments = (_segments(line, segment_sigs) if segment_sigs and words > 3
                and _may_hold_segment(line, first_signature, segment_sigs) else [])
    return False, segments


def _blank_self_repeat(tally: _Tally, segments: list[tuple[int, int, str, int, int]], base: int,
                       start: int, end: int, norm: str, key: int) -> bool:
    """Blank a line where one sentence recurs three times or more.

    Later copies of a body repeated within the line are blanked, or the whole line of a photo gallery.

    Args:
        tally: the article's spans and counts so far, updated in place.
        segments: the line's segments (:func:`_segments`, offsets into the line).
        base: offset of the line in the text.
        start: offset in the text of the line's first non-space character.
        end: offset in the text past the line's last non-space character.
        norm: the line's words joined by single spaces.
        key: the line's template key.

    Returns:
        True when the line was handled (no sentence recurs three times: False, nothing blanked).
    """
    seen = Counter(seg[2] for seg in segments)
    if max(seen.values()) < 3:
        return False
    if _periodic(segments):
        # One line holding the body several times over: keep the first copy.
        first: set[str] = set()
        for s_start, s_end, s_norm, *_ in segments:
            if s_norm in first:
                tally.spans.append((base + s_start, base + s_end, "repeat", s_norm, 0))
            first.add(s_norm)
        tally.copies = max(tally.copies, max(seen.values()))
        tally.repeated_lines += REPEAT_MIN_LINES
    else:
        tally.spans.append((start, end, "gallery", norm, key))
    return True


def _blank_credit(tally: _Tally, stripped: str, start: int, end: int, norm: str, key: int) -> bool:
    """Blank a credit line, or the agency of a dateline, and keep the article's first credit.

    Args:
        tally: the article's spans and counts so far, updated in place.
        stripped: the raw line without its surrounding whitespace.
        start: offset in the text of the line's first non-space character.
        end: offset in the text past the line's last non-space character.
        norm: the line's words joined by single spaces.
        key: the line's template key.

    Returns:
        True when the whole line was blanked (a dateline's credit leaves the rest of the line).
    """
    credit = _credit(stripped)
    if credit is None:
        return False
    who, span = credit
    if span is None:
        tally.spans.append((start, end, "credit", norm, key))
        if tally.credit_line is None:
            tally.credit_line, tally.credit_who = stripped, who
        return True
    tally.spans.append((start + span[0], start + span[1], "credit", _norm(stripped[span[0]:span[1]]), 0))
    if tally.credit_line is None:
        tally.credit_line, tally.credit_who = stripped[:span[1]].strip(), who
    return False


def _segment_hits(templates: set[int], segments: list[tuple[int, int, str, int, int]],
                  base: int) -> list[tuple[int, int, str, int, int]]:
    """``(start, end, norm, key, words)`` of the template segments of a line, offsets into the text.

    Args:
        templates: the keys of the templates that apply.
        segments: the line's segments (:func:`_segments`, offsets into the line).
        base: offset of the line in the text.
    """
    hits = []
    for s_start, s_end, s_norm, s_words, s_signature in segments:
        s_key = _unit_key("s", 1, s_norm, s_words, s_signature)
        if s_key in templates:
            hits.append((base + s_start, base + s_end, s_norm, s_key, s_words))
    return hits


def _blank_grams(templates: set[int], gram_sigs: set[int], spans: list[tuple[int, int, str, str, int]], line: str, norm: str,
                 words: int, base: int, start: int, end: int) -> tuple[bool, int]:
    """Blank the template bigram runs of a short line, or the whole line when they cover enough of it.

    Args:
        templates: the keys of the templates that apply.
        gram_sigs: the signatures of the first words of the template bigrams.
        spans: the article's spans so far, appended to.
        line: the folded line.
        norm: the line's words joined by single spaces.
        words: the line's number of words.
        base: offset of the line in the text.
        start: offset in the text of the line's first non-space character.
        end: offset in the text past the line's last non-space character.

    Returns:
        ``(whole, run_words)``: whether the whole line was blanked, and the words in the runs.
    """
    runs = _gram_runs(line, norm.split(" "), templates, gram_sigs)
    run_words = sum(r[3] for r in runs)
    if runs and run_words >= GRAM_LINE_SHARE * words:
        spans.append((start, end, "gram", runs[0][2], runs[0][4]))
        return True, run_words
    spans.extend((base + r_start, base + r_end, "gram", r_norm, r_key)
                 for r_start, r_end, r_norm, _, r_key in runs)
    return False, run_words


def _blank_prefix(templates: set[int], spans: list[tuple[int, int, str, str, int]], line: str, norm: str,
                  words: int, base: int, start: int, hits: list[tuple[int, int, str, int, int]]) -> None:
    """Blank the longest template prefix of a line, unless a template segment already starts the line.

    Args:
        templates: the keys of the templates that apply.
        spans: the article's spans so far, appended to.
        line: the folded line.
        norm: the line's words joined by single spaces.
        words: the line's number of words.
        base: offset of the line in the text.
        start: offset in the text of the line's first non-space character.
        hits: the line's template segments (:func:`_segment_hits`).
    """
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


def _periodic(segments: list[tuple[int, int, str, int, int]]) -> bool:
    """Tell a line's sentences repeating as a block from one recurring marker in a gallery.

    True when the sentences repeat as a block (the body several times over), not merely one
    recurring marker between different captions (a gallery).
    """
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
