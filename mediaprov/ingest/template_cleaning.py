"""Blanking the template spans of one article, given the learnt templates.

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
    >>> model = learn([(str(i), "x", f"{t}\\nSign up now for our letter") for i, t in enumerate(texts)])
    >>> cleaned = clean_article("Hail hit.\\nSign up now for our letter", "x", model)
    >>> [(start, end, kind) for start, end, kind, *_ in cleaned.spans]
    [(10, 36, 'line')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from mediaprov.ingest.template_learning import GLOBAL, TemplateModel
from mediaprov.ingest.template_units import (LONG_WORDS, PREFIX_LENGTHS, SHORT_LINE_WORDS, WIDGET_WORDS, _MASK,
                                             _TOKEN, _fold_text, _gram_line, _key, _may_hold_segment, _norm,
                                             _post_lines, _segments, _signature, _unit_key)

SHORT_LINE_SHARE = 0.15
GRAM_LINE_SHARE = 0.2
REPEAT_MIN_LINES = 3
BODY_REPEAT_SHARE = 0.8
SELF_REPEAT_WORDS = 25
REPEAT_MIN_WORDS = 6

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
        >>> from mediaprov.ingest.template_learning import learn
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
    seen_lines: dict[int, int] = {}
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
            times = seen_lines[key] = seen_lines.get(key, 0) + 1
            if times > 1:
                copies = max(copies, times)
                repeated_lines += times == 2
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
        if gram_sigs and 1 < words <= SHORT_LINE_WORDS and _gram_line(line, words):
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
    one recurring marker between different captions (a gallery).
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
