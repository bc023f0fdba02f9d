"""Units of page-template learning and their keys: what a line of a scrape is cut into.

A unit is normalised (folded case and typography, digits as ``0``, whitespace collapsed) and kept
as a 63-bit key, never as text, so learning over a large sample stays small:

* ``line``: a whole line;
* ``segment``: a sentence-like piece of a line (split after ``. ! ? : …``), at least 3 words;
* ``prefix``: the first 3 to 9 words of a longer line ("Media playback is unsupported on your
  device Media caption ...");
* ``gram``: word bigrams of short lines (at most ``SHORT_LINE_WORDS`` words) that do not end like a
  sentence (captions, video strips, attribution lines: "Replay More Videos").

Keys use xxHash (XXH3, 64 bits) of the text, the same in every process, so templates learnt in
one process clean articles on the workers of a cluster
(:func:`mediaprov.ingest.templates.clean_ingested`); Python's own string hash, which this used
before, is salted per process. Keys are not stored: the tables record patterns and SHA-1 ids.

Example:
    >>> _norm("Replay  More Videos … 02:41")
    'replay more videos … 00:00'
    >>> _kind_of(_key("segment", "sign up to receive the stories", 6)), _key("line", "a b", 2) & 1
    ('segment', 1)
    >>> sorted(_kind_of(k) for k in _article_keys("Sign up now. Read the news today."))
    ['line', 'prefix', 'prefix', 'prefix', 'prefix', 'segment', 'segment']
"""

from __future__ import annotations

import re

from xxhash import xxh3_64_intdigest as _hash

from mediaprov.text import fold

WIDGET_WORDS = 8
LONG_WORDS = 25
SHORT_LINE_WORDS = 30
PREFIX_LENGTHS: tuple[int, ...] = (3, 4, 5, 6, 7, 8, 9)

_TOKEN = re.compile(r"\S+")
_SEGMENT_BREAK = re.compile(r"[.!?:…]\s+")  # a segment ends after the punctuation
_SEGMENT_SPLIT = re.compile(r"([.!?:…])\s+")  # the same breaks, the punctuation kept apart
_HEADS = re.compile(r"[.!?:…]\s+(?=(\S+))")  # the first word of each segment after the first
_BREAK_HEADS = tuple((char, re.compile(re.escape(char) + r"\s+(?=(\S+))")) for char in ".!?:…")
""":data:`_HEADS` one break character at a time: a literal first character is scanned faster."""
_EMBED_SIGNATURE = re.compile(r"^[—–-]{1,2}\s*[^()@\n]{1,80}?\s*\(@\w{1,30}\)")
_SENTENCE_END = re.compile(r"[.!?…;,'\")\]]$")


class _FoldTable(dict):
    """``str.translate`` table: :func:`mediaprov.text.fold` of each character (one for one).

    Except that newlines stay newlines and ASCII digits become ``0``.
    """

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


_ASCII_FOLD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ123456789", b"abcdefghijklmnopqrstuvwxyz000000000")
_ASCII = bytes(range(128))
_SURROGATE = re.compile("[\ud800-\udfff]")


def _fold_text(text: str) -> str:
    """Lower case, digits as ``0``, same length as ``text`` (newlines kept).

    Fast path: ``text.lower()`` with ASCII digits replaced, done as one byte translation of the
    UTF-8 text when no character outside ASCII changes under ``lower`` (curly quotes and dashes do
    not; a Unicode ``lower`` is several times slower). Otherwise ``lower`` and ``replace``; the
    per-character fold only when lowering changes lengths. A lone surrogate (which UTF-8, and so
    the keys' hash, cannot encode) becomes U+FFFD, one character for one.

    Example:
        >>> _fold_text("Hail " + chr(0xD800) + " Hit 42") == "hail " + chr(0xFFFD) + " hit 00"
        True
    """
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD).decode("ascii")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        text = _SURROGATE.sub("\ufffd", text)
        data = text.encode("utf-8")
    if data:
        others = data.translate(None, _ASCII).decode("utf-8")  # the characters outside ASCII
        if others.lower() == others:
            return data.translate(_ASCII_FOLD).decode("utf-8")
    lowered = text.lower()
    if len(lowered) != len(text):
        return text.translate(_FOLD)
    for digit in "123456789":  # nine C-speed passes beat one regular-expression pass
        lowered = lowered.replace(digit, "0")
    return lowered


_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\n"


def _plain_lines(folded: str) -> bool:
    r"""Whether every line of ``folded`` is printable and holds no double space.

    Then a line is its own normal form (words joined by single spaces) unless it starts or ends
    with a space: one test of the text instead of one per line (printable ASCII and newlines are
    dropped from the UTF-8 bytes by one translation; what is left is tested with ``isprintable``).

    Example:
        >>> _plain_lines("a b\n\nc “d”"), _plain_lines("a  b"), _plain_lines("a\tb"), _plain_lines("a\u00a0b")
        (True, False, False, False)
    """
    if "  " in folded:
        return False
    try:
        rest = folded.encode("utf-8").translate(None, _PRINTABLE)
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return not rest or rest.decode("utf-8").isprintable()


def _norm(text: str) -> str:
    """Normalised form of a unit: lower case, digits as 0, whitespace collapsed."""
    return " ".join(_fold_text(text).split())


def _key(kind: str, norm: str, words: int) -> int:
    """A 63-bit key of a unit.

    Low bits: 1 = short (at most ``WIDGET_WORDS`` words), 2 = long (more than ``LONG_WORDS``),
    bits 2-3 = the kind (line, segment, prefix, gram), bits 4-15 = :func:`_signature` of the first
    word (cleaning looks a unit up only when its first word's signature is one of the outlet's).
    """
    return _unit_key(_KIND_CHARS[kind], _KIND_BITS[kind], norm, words, _signature(norm.split(" ", 1)[0]))


def _unit_key(char: str, bits: int, norm: str, words: int, signature: int) -> int:
    """:func:`_key` with the kind as its letter and bits and the first word's signature already known.

    The loops over lines call this, or inline it, to hash each word once.
    """
    return ((_hash(char + norm) & _MASK) | (words <= WIDGET_WORDS) | ((words > LONG_WORDS) << 1)
            | (bits << 2) | (signature << 4))


def _signature(word: str) -> int:
    return _hash(word) & 0xFFF


def _kind_of(key: int) -> str:
    return _KIND_NAMES[(key >> 2) & 3]


def _is_signature(raw_line: str) -> bool:
    return "(@" in raw_line and _EMBED_SIGNATURE.match(raw_line.strip()) is not None


def _segments(folded_line: str, signatures: set[int] | None = None) -> list[tuple[int, int, str, int, int]]:
    """``(start, end, norm, words, signature of the first word)`` of the sentence-like pieces of a line.

    Pieces have 3 words or more; with ``signatures``, only the pieces whose first word has one of them.
    """
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
    signature = _hash(tokens[0]) & 0xFFF
    if signatures is not None and signature not in signatures:
        return
    while folded_line[start].isspace():  # only the first piece of a line can start with spaces
        start += 1
    out.append((start, stop, " ".join(tokens), len(tokens), signature))


def _segment_tokens(folded_line: str) -> list[list[str]]:
    """The tokens of each segment of a line: :func:`_segments` without offsets (for learning)."""
    parts = _SEGMENT_SPLIT.split(folded_line)  # piece, its closing punctuation, piece, ...
    if len(parts) == 1:
        return []
    out = [tokens for i in range(0, len(parts) - 1, 2) if len(tokens := (parts[i] + parts[i + 1]).split()) >= 3]
    last = parts[-1].split()
    if len(last) >= 3:
        out.append(last)
    return out


def _may_hold_segment(folded_line: str, first_signature: int, signatures: set[int]) -> bool:
    """Cheap test before :func:`_segments` with ``signatures``.

    Does any piece of the line open with a word whose signature is one of them? (One
    regular-expression scan for the words that follow a break, instead of cutting the line into pieces.)
    """
    if first_signature in signatures:
        return True
    for word in _HEADS.findall(folded_line):
        if _hash(word) & 0xFFF in signatures:
            return True
    return False


def _heads(folded: str) -> set[str]:
    r"""The distinct words after a segment break anywhere in ``folded``: ``set(_HEADS.findall(folded))``.

    A break is one character followed by whitespace, so the breaks of each character are found
    apart (a scan for a literal character is about twice as fast as one for a character class),
    and characters that the text does not hold are not scanned for.

    Args:
        folded: a folded text (:func:`_fold_text`), one line or many.

    Returns:
        The words (``\S+``) that open a segment after the first, of every line.

    Example:
        >>> sorted(_heads("yes: no. maybe!  so…\nend. ok"))
        ['end.', 'maybe!', 'no.', 'ok', 'so…']
    """
    found: set[str] = set()
    for char, pattern in _BREAK_HEADS:
        if char in folded:
            found.update(pattern.findall(folded))
    return found


def _gram_line(folded_line: str, words: int) -> bool:
    """Bigrams are taken from short lines that do not end like a sentence."""
    return 1 < words <= SHORT_LINE_WORDS and not _SENTENCE_END.search(folded_line.rstrip())


def _text_post_lines(text: str) -> set[int]:
    r"""Indices of the embedded-post signature lines of a text and of the post text above each.

    They are evidence of a post, never page chrome, however often an outlet embeds the same post.
    Only the lines that hold ``(@`` are looked at.

    Example:
        >>> sorted(_text_post_lines("Intro\n\nA post text\n\n— Ada Wren (@adawren) March 3, 2024\nMore"))
        [2, 4]
    """
    out: set[int] = set()
    if "@" not in text:  # one fast scan for a rare character first
        return out
    found = text.find("(@")
    while found >= 0:
        line_start = text.rfind("\n", 0, found) + 1
        line_end = text.find("\n", found)
        line_end = len(text) if line_end < 0 else line_end
        if _is_signature(text[line_start:line_end]):
            index = text.count("\n", 0, line_start)
            out.add(index)
            end = line_start - 1  # the newline that ends the line above
            while index > 0:
                index -= 1
                start = text.rfind("\n", 0, end) + 1
                if text[start:end].strip():
                    out.add(index)
                    break
                end = start - 1
        found = text.find("(@", line_end)
    return out


def _article_keys(text: str) -> set[int]:
    """Unique unit keys of one article (for learning): :func:`_key` of each unit, inlined."""
    keys: set[int] = set()
    add = keys.add
    posts = _text_post_lines(text)
    mask, short, long_ = _MASK, WIDGET_WORDS, LONG_WORDS
    for index, line in enumerate(_fold_text(text).split("\n")):
        tokens = line.split()
        if not tokens or index in posts:
            continue
        words = len(tokens)
        first = (_hash(tokens[0]) & 0xFFF) << 4
        add((_hash("l" + " ".join(tokens)) & mask) | (words <= short) | ((words > long_) << 1) | first)
        if words > 3:
            for piece in _segment_tokens(line):
                n = len(piece)
                add((_hash("s" + " ".join(piece)) & mask) | (n <= short) | ((n > long_) << 1) | 4
                    | ((_hash(piece[0]) & 0xFFF) << 4))
            prefix = "p" + " ".join(tokens[:PREFIX_LENGTHS[0] - 1])  # grown one word at a time
            for length in PREFIX_LENGTHS:
                if length >= words:
                    break
                prefix += " " + tokens[length - 1]
                add((_hash(prefix) & mask) | (length <= short) | 8 | first)
        if _gram_line(line, words):
            signatures = [_hash(token) & 0xFFF for token in tokens]
            for i in range(words - 1):
                add((_hash("g" + tokens[i] + " " + tokens[i + 1]) & mask) | 13 | (signatures[i] << 4))
    return keys
