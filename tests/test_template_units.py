"""The fast paths of template learning and cleaning (mediaprov.ingest.template_units) agree with their plain definitions.

The inlined keys of an article, segments cut without offsets, and the cheap test that decides
whether a line is cut into segments at all.

All text here is fictional and generated.
"""

from __future__ import annotations

import random

import pandas as pd

from mediaprov.ingest.template_units import (_FOLD, _HEADS, PREFIX_LENGTHS, _article_keys, _fold_text,
                                             _gram_line, _heads, _key, _may_hold_segment, _plain_lines,
                                             _is_signature, _segment_tokens, _segments, _signature,
                                             _text_post_lines)
from mediaprov.ingest.templates import clean_frame

WORDS = ["the", "council", "of", "Varnholm", "voted", "rebuild", "harbour", "İstanbul", "Édith", "3,200",
         "replay", "more", "videos", "sign", "up", "now", "—", "-", "(AP)", "said:", "why?", "yes!", "end…",
         "on", "Tuesday.", "day", "12"]
SPACES = [" ", " ", " ", " ", "  ", "\t", "\u00a0", " \u2009"]


def _random_text(rng: random.Random) -> str:
    """A fictional article of a few lines with odd spacing, punctuation, digits and non-ASCII."""
    lines = []
    for _ in range(rng.randint(1, 8)):
        n = rng.randint(0, 40)
        line = "".join(rng.choice(WORDS) + rng.choice(SPACES) for _ in range(n))
        if rng.random() < 0.3:
            line = rng.choice(["  ", " ", "\t"]) + line
        if rng.random() < 0.1:
            line = "— Ada Wren (@adawren) March 3, 2024"
        lines.append(line.rstrip() if rng.random() < 0.7 else line)
    return "\n".join(lines)


def _post_lines(raw_lines: list[str]) -> set[int]:
    """Embedded-post lines as defined, line by line: the reference for ``_text_post_lines``."""
    out: set[int] = set()
    for i, raw in enumerate(raw_lines):
        if "(@" in raw and _is_signature(raw):
            out.add(i)
            j = i - 1
            while j >= 0 and not raw_lines[j].strip():
                j -= 1
            if j >= 0:
                out.add(j)
    return out


def _reference_keys(text: str) -> set[int]:
    """The unit keys of an article as defined (one :func:`_key` call per unit)."""
    keys: set[int] = set()
    posts = _post_lines(text.split("\n")) if "(@" in text else ()
    for index, line in enumerate(_fold_text(text).split("\n")):
        tokens = line.split()
        if not tokens or index in posts:
            continue
        words = len(tokens)
        keys.add(_key("line", " ".join(tokens), words))
        if words > 3:
            for _, _, norm, n, _ in _segments(line):
                keys.add(_key("segment", norm, n))
            for length in PREFIX_LENGTHS:
                if length >= words:
                    break
                keys.add(_key("prefix", " ".join(tokens[:length]), length))
        if _gram_line(line, words):
            for i in range(words - 1):
                keys.add(_key("gram", tokens[i] + " " + tokens[i + 1], 2))
    return keys


def test_inlined_article_keys_are_the_defined_keys() -> None:
    rng = random.Random(7)
    for _ in range(300):
        text = _random_text(rng)
        assert _article_keys(text) == _reference_keys(text), repr(text)


def test_segments_without_offsets_are_the_segments() -> None:
    rng = random.Random(11)
    for _ in range(300):
        for line in _fold_text(_random_text(rng)).split("\n"):
            assert [p.split(" ") for _, _, p, _, _ in _segments(line)] == _segment_tokens(line), repr(line)
            for start, end, norm, words, signature in _segments(line):
                assert " ".join(line[start:end].split()) == norm and words == norm.count(" ") + 1
                assert signature == _signature(norm.split(" ")[0]) and not line[start].isspace()


def test_the_cheap_segment_test_never_skips_a_segment() -> None:
    rng = random.Random(13)
    for _ in range(300):
        for line in _fold_text(_random_text(rng)).split("\n"):
            tokens = line.split()
            if len(tokens) <= 3:
                continue
            signatures = {_signature(rng.choice(tokens)), _signature("council")}
            if _segments(line, signatures):
                assert _may_hold_segment(line, _signature(tokens[0]), signatures), repr(line)


def test_oddly_spaced_copies_of_a_template_line_are_blanked_like_the_others() -> None:
    chrome = "Get the Morning Lantern. Sign up to receive the stories you need"
    variants = [chrome, "  " + chrome, chrome.replace(" ", "  "), chrome.replace(" ", "\t"), chrome + " ",
                chrome.replace(" ", "\u00a0")]
    names = [a + b for a in "bdfkmlnprst" for b in "aeiou"]  # digits fold alike: words tell stories apart
    texts = [f"Story {names[i]} about the ferry, officials said.\n\n{variants[i % len(variants)]}"
             for i in range(30)]
    arts = pd.DataFrame({"article_id": [str(i) for i in range(30)], "outlet_id": ["x"] * 30, "text": texts})
    cleaned = clean_frame(arts).articles
    for text, clean in zip(cleaned["text"], cleaned["clean_text"], strict=True):
        assert "Lantern" not in clean and clean.split("\n")[0] == text.split("\n")[0]


def _reference_fold(text: str) -> str:
    """:func:`_fold_text` as defined: lower case, ASCII digits as 0, a lone surrogate as U+FFFD."""
    text = "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in text)
    lowered = text.lower()
    if len(lowered) != len(text):
        return text.translate(_FOLD)
    for digit in "123456789":
        lowered = lowered.replace(digit, "0")
    return lowered


def test_the_byte_fold_is_the_defined_fold() -> None:
    rng = random.Random(17)
    odd = ["“Quoted”", "Élan", "ΣΟΦΙΑ", "straße", "İzmir", "١٢٣", "\ud800", "naïve", "…"]
    for _ in range(300):
        text = _random_text(rng)
        if rng.random() < 0.5:
            text += " " + rng.choice(odd)
        assert _fold_text(text) == _reference_fold(text), repr(text)


def test_heads_posts_and_plain_lines_of_a_text_are_those_of_its_lines() -> None:
    rng = random.Random(19)
    for _ in range(300):
        text = _random_text(rng)
        if rng.random() < 0.3:
            text = text.replace("\n", "\n \n", 2)
        folded = _fold_text(text)
        assert _heads(folded) == set(_HEADS.findall(folded)), repr(text)
        assert _heads(folded) >= {w for line in folded.split("\n") for w in _HEADS.findall(line)}
        assert _text_post_lines(text) == (_post_lines(text.split("\n")) if "(@" in text else set()), repr(text)
        plain = all(line.isprintable() and "  " not in line for line in folded.split("\n"))
        assert _plain_lines(folded) == plain, repr(text)


def test_a_lone_surrogate_is_learnt_and_cleaned_like_any_character() -> None:
    """The keys' hash encodes UTF-8, which a lone surrogate is not: folding makes it U+FFFD."""
    from mediaprov.ingest.templates import clean_article, learn

    model = learn([(str(n), "x", f"Story {n} of the fictional harbour.\nHail \ud800 the pier.")
                   for n in range(6)])
    cleaned = clean_article("Another fictional story.\nHail \ud800 the pier.", "x", model, curated=None)
    assert cleaned.clean_text.startswith("Another fictional story.")
    assert cleaned.clean_text.endswith(" " * len("Hail \ud800 the pier.")), "the learnt line is blanked"
