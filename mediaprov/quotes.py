"""Quotes: direct speech with its speaker and cue, scare quotes, and embedded posts.

A *quote* is a span between quotation marks (curly ``“ ”`` and ``‘ ’`` or straight ``" "``) of
one paragraph. Each is classed:

* ``scare``: a short label, not speech. A quote of at most six words right after a determiner or
  a naming word (``a “cult”``, ``the “week of financial support”``, ``so-called “experts”``,
  ``the guise of “former members”``), a quoted title (``its book ‘...’``), and any quote of at
  most four words with no speech cue near it.
* ``direct``: speech: a quote with a speech cue in its sentence (``X said``, ``said X``,
  ``according to X``, ``X told Y``, ``X declared that ...``, ``reportedly``), a quote of five
  words or more, or a quoted full sentence. Who speaks it, and how that was decided, comes from
  :mod:`mediaprov.speakers` (``speaker``, ``speaker_id``, ``speaker_method``): the subject of the
  cue, never a name that is merely mentioned or the object of the sentence; pronouns and titles
  resolved to the nearest named subject; a quote that goes on (same paragraph, or a paragraph
  that is nothing but the quote) keeps its speaker, with cue ``continuation``; a quote without
  cue takes the named subject of its clause or of the sentence before, with cue ``context``.
  When the speaker is unclear it stays empty and ``speaker_method`` says why.
* ``embedded_post``: a social-media post pasted into the article, recognised by its attribution
  line ``— Author (@handle) Month D, YYYY``; the post body is the paragraph above that line.

Offsets: ``start``/``end`` are the quoted words without the quotation marks, so
``text == articles.text[start:end]``; for embedded posts they cover the body.

Example:
    >>> import pandas as pd
    >>> from mediaprov.entities import Gazetteer
    >>> g = Gazetteer.build([("jd", "person", "Jan Dorn", [])])
    >>> articles = pd.DataFrame({"article_id": ["a"],
    ...     "text": ["Jan Dorn said, “We will stay here until the end.” "
    ...              "Critics call it a “farce”."]})
    >>> find_quotes(articles, g)[["speaker_id", "cue", "kind"]].values.tolist()
    [['jd', 'said', 'direct'], [<NA>, <NA>, 'scare']]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

import pandas as pd

from mediaprov.embeds import Embed, embed_rows, embeds_table, find_embeds  # noqa: F401  (re-exported)
from mediaprov.entities import Gazetteer, Match
from mediaprov.schema import QUOTES, validate
from mediaprov.speakers import PERSON_ROLES, Attribution, SpeakerFinder

SPEECH_VERBS: tuple[str, ...] = (
    "said", "says", "say", "saying", "told", "tells", "declared", "declares", "stated", "wrote",
    "writes", "added", "adds", "announced", "announces", "warned", "warns", "noted", "explained",
    "explains", "insisted", "insists", "argued", "argues", "highlighted", "stressed",
    "emphasised", "emphasized", "asked", "asks", "replied", "responded", "tweeted", "posted",
    "commented", "remarked", "reiterated", "acknowledged", "admitted", "confirmed", "denied",
    "urged", "concluded", "recalled", "suggested", "claimed", "testified", "quipped",
    "proclaimed", "boasted", "complained", "alleged", "quoted", "affirmed", "observed",
    "put it", "puts it", "tweets", "continued", "recounted", "predicted", "vowed", "cautioned",
    "conceded", "contended", "countered", "pointed out", "joked", "lamented", "mused",
    "pleaded", "promised", "scoffed", "shouted", "exclaimed", "yelled", "wondered", "states",
    "writing", "adding", "telling", "noting", "warning", "arguing", "insisting", "explaining",
    "declaring", "stating", "tweeting", "claiming", "stressing",
)
LABEL_WORDS: frozenset[str] = frozenset({
    "a", "an", "the", "so-called", "so", "as", "called", "dubbed", "named", "name", "names",
    "term", "terms", "word", "words", "label", "labelled", "labeled", "branded", "of", "its",
    "their", "his", "her", "our", "this", "these", "those", "coined", "slogan",
})
TITLE_WORDS: frozenset[str] = frozenset({
    "titled", "entitled", "book", "film", "documentary", "article", "report", "novel", "song",
    "programme", "program", "series", "headline", "essay", "study", "paper",
})
_VERB = re.compile(r"\b(?:" + "|".join(SPEECH_VERBS) + r")\b")
_WEAK_CUE = re.compile(r"\b(?:reportedly|in a statement|in the words of|quoted as saying)\b")
_ACCORDING = re.compile(r"\b(?:[Aa]ccording to|[Aa]s (?:described|explained|summed up|put) by|"
                        r"[Ii]n the words of)\b")
_DOUBLE = re.compile(r"“([^“”\n]{1,3000}?)”|“([^“”\"\n]{1,3000}?)\"|\"([^\"“”\n]{1,3000}?)”|"
                     r"\"([^\"\n]{1,3000}?)\"")
_SINGLE = re.compile(r"(?<!\w)‘((?:[^‘’\n]|’(?=\w)){1,600}?)’(?!\w)")
_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Sen", "Rep", "St", "Jr", "Sr", "Lt",
                  "Col", "Capt", "Gov", "No", "vs", "etc", "Inc", "Ltd", "Co", "U.S", "U.K",
                  "U.N", "e.g", "i.e", "Mt", "Jan", "Feb", "Aug", "Sept", "Sep", "Oct", "Nov",
                  "Dec")
_ABBREVIATION_END = re.compile(
    r"(?:(?:^|[\s(])(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")|(?:^|\s)[A-Z])\.$")
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[“\"‘'(\[]?[A-Z0-9])|\n\s*")
@dataclass(frozen=True)
class Quote:
    """One quote found in a text (offsets into the original text)."""

    start: int
    end: int
    kind: str
    speaker: str | None = None
    speaker_id: str | None = None
    cue: str | None = None
    speaker_method: str | None = None


def sentence_spans(text: str, *, protected: list[tuple[int, int]] | None = None
                   ) -> list[tuple[int, int]]:
    r"""Split ``text`` into sentence spans, never inside a protected span (a quote).

    Args:
        text: the text.
        protected: spans that must not be split (quotes).

    Returns:
        ``(start, end)`` of each sentence, in order, covering the text.

    Example:
        >>> text = "Mrs. Dorn spoke. “It is. Done,” she said.\nNext."
        >>> [text[s:e].strip() for s, e in sentence_spans(text, protected=[(17, 31)])]
        ['Mrs. Dorn spoke.', '“It is. Done,” she said.', 'Next.']
    """
    protected = protected or []
    cuts = [0]
    for match in _BOUNDARY.finditer(text):
        position = match.start()
        tail = position + len(match.group().rstrip())
        if any(s < position < e and tail < e for s, e in protected):
            continue
        if text[position] == "." and _ABBREVIATION_END.search(
                text[max(0, position - 6):position + 1]):
            continue
        cuts.append(match.end())
    cuts.append(len(text))
    spans = []
    for start, end in pairwise(cuts):
        if end > start:
            spans.append((start, end))
    return spans




def quote_spans(text: str, *, skip: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` of the words inside each pair of quotation marks.

    Double quotes come first; single curly quotes count only outside them (nested quotes stay
    part of the outer quote). Spans inside ``skip`` (embedded posts) are left out.

    Example:
        >>> text = "He said “no ‘never’ again” and called it a ‘joke’."
        >>> [text[s:e] for s, e in quote_spans(text)]
        ['no ‘never’ again', 'joke']
    """
    skip = skip or []
    spans = []
    for match in _DOUBLE.finditer(text):
        group = next(g for g in (1, 2, 3, 4) if match.group(g) is not None)
        spans.append((match.start(group), match.end(group)))
    outer = [(s - 1, e + 1) for s, e in spans]
    for match in _SINGLE.finditer(text):
        if any(s <= match.start() < e for s, e in outer):
            continue
        spans.append((match.start(1), match.end(1)))
    spans.extend(_open_paragraphs(text, spans))
    spans = [(s, e) for s, e in spans if e > s and text[s:e].strip()
             and not any(a <= s < b for a, b in skip)]
    return sorted(spans)


def _open_paragraphs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotes left open at the end of a paragraph because the next paragraph goes on with them.

    The convention of multi-paragraph quotations: a paragraph ends without a closing mark and
    the next opens with a quotation mark again. The span runs to the end of the paragraph.
    """
    found = []
    marks = {s - 1 for s, _ in spans} | {e for _, e in spans}
    for match in re.finditer(r"“|(?m:^[ \t]*\")", text):
        mark = match.end() - 1
        if mark in marks or any(s <= mark < e for s, e in spans):
            continue
        paragraph_end = text.find("\n", mark)
        paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
        piece = text[mark + 1:paragraph_end]
        if "”" in piece or '"' in piece or not piece.strip():
            continue
        following = re.match(r"\s*\n\s*[“\"]", text[paragraph_end:paragraph_end + 40])
        if following is None:
            continue
        found.append((mark + 1, mark + 1 + len(piece.rstrip())))
    return found


_TURN = re.compile(r"(?m)^[ \t]*(?P<label>Q|A|[A-Z][A-Z.’'\- ]{0,40}[A-Z.]|"
                   r"(?:[A-Z][a-z’'\-]+[ \t]){0,2}[A-Z][a-z’'\-]+)[ \t]*:[ \t]+(?P<body>\S[^\n]*)")
_NOT_SPEAKERS = frozenset({
    "NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "UPDATE", "UPDATED", "CORRECTION", "WATCH",
    "READ", "READ MORE", "RELATED", "PHOTO", "PHOTOS", "VIDEO", "ADVERTISEMENT", "EXCLUSIVE",
    "BREAKING", "LIVE", "SOURCE", "SOURCES", "CREDIT", "CAPTION", "IMAGE", "CLICK HERE", "LISTEN",
    "SUBSCRIBE", "FOLLOW", "SHARE", "TAGS", "TOPICS", "MORE", "ALSO", "DISCLOSURE", "WARNING",
    "SPOILER", "BOTTOM LINE", "WHY IT MATTERS", "THE BIG PICTURE", "BACKGROUND", "CONTEXT",
    "WHAT'S NEXT", "WHAT’S NEXT", "GO DEEPER", "FLASHBACK", "BETWEEN THE LINES", "SUMMARY",
})


@dataclass(frozen=True)
class Turn:
    """One turn of an interview transcript: ``NAME: words`` or ``Q:`` / ``A:`` at a line start."""

    start: int
    end: int
    label: str


def transcript_turns(text: str, *, skip: list[tuple[int, int]] | None = None) -> list[Turn]:
    r"""Find the turns of an interview or programme transcript in a text.

    A turn is a line that starts with a speaker label and a colon: ``Q:`` / ``A:`` or a name in
    capitals (``KIRA ALN: ...``). A text counts as a transcript only with at least two turns and
    either both ``Q`` and ``A`` or two different name labels; labels such as ``UPDATE`` or
    ``WATCH`` are not speakers. Mixed-case labels (``Kira Aln: ...``) count only when the text
    uses at least two of them.

    Args:
        text: an article text.
        skip: spans to leave out (embedded posts).

    Returns:
        The turns in text order; ``start``/``end`` cover the words after the label. A label
        that names nobody in the text (``HOST``) is returned empty.

    Example:
        >>> text = "Intro.\nKIRA ALN: We stay.\nIVO RASK: We go.\nNote: taped Monday."
        >>> [(t.label, text[t.start:t.end]) for t in transcript_turns(text)]
        [('KIRA ALN', 'We stay.'), ('IVO RASK', 'We go.')]
    """
    skip = skip or []
    found = []
    for match in _TURN.finditer(text):
        label = match.group("label").strip()
        if label.upper() in _NOT_SPEAKERS or any(a <= match.start() < b for a, b in skip):
            continue
        body_end = match.start("body") + len(match.group("body").rstrip())
        found.append(Turn(match.start("body"), body_end, label))
    # A label names a speaker when it is a full name in capitals (AMY ALN) or when the person
    # it names is mentioned in the text outside the labels ("Rask: ..." and "Ivo Rask said").
    label_spans = [(m.start("label"), m.end("label")) for m in _TURN.finditer(text)]
    outside = text
    for a, b in reversed(label_spans):
        outside = outside[:a] + " " * (b - a) + outside[b:]

    def named(label: str) -> bool:
        if label in ("Q", "A") or (label.isupper() and len(label.split()) >= 2):
            return True
        if label.split()[0] in ("The", "THE"):
            return False  # "The Ledger: ...": a source line, not a speaker
        last = label.split()[-1].strip(".")
        last = last.title() if last.isupper() else last
        # Capitalised inside a sentence, so a name and not a sentence's first word.
        return re.search(r"(?<=[^\s.!?:“\"(\[])[ \t]+" + re.escape(last) + r"\b",
                         outside) is not None

    capitals = {t.label for t in found if t.label.isupper() and t.label not in ("Q", "A")}
    mixed = {t.label for t in found if not t.label.isupper() and named(t.label)}
    keep = set()
    if {"Q", "A"} <= {t.label for t in found}:
        keep |= {"Q", "A"}
    if (len(capitals) >= 2 or (capitals and keep)) and any(named(c) for c in capitals):
        keep |= capitals  # HOST may go unnamed beside a named guest
    if len(mixed) >= 2:
        keep |= mixed
    turns = [Turn(t.start, t.end, t.label if named(t.label) else "")
             for t in found if t.label in keep]
    return turns if len(turns) >= 2 else []


_WORD_RUN = re.compile(r"[\w’'\-]+")
_INTERVIEW = re.compile(r"\binterview(?:ed)?[ \t]+(?:with[ \t]+)?")


def _turn_quote(turn: Turn, text: str, finder: SpeakerFinder | None) -> Quote:
    """A transcript turn as a direct quote, spoken by its label (``A``: the one interviewed)."""
    if turn.label in ("Q", ""):
        return Quote(turn.start, turn.end, "direct", None, None, "transcript", "unclear-unnamed")
    if turn.label == "A":
        people = set()
        for match in _INTERVIEW.finditer(text):
            named = finder.name_at(match.end()) if finder is not None else None
            if named is not None:
                people.add(named)
        if len(people) == 1 and finder is not None:
            return _turn_from(turn, finder.speaker_named(people.pop(), "transcript"))
        return Quote(turn.start, turn.end, "direct", None, None, "transcript", "unclear-unnamed")
    label = turn.label.title() if turn.label.isupper() else turn.label
    attribution = finder.speaker_labelled(label) if finder is not None else None
    if attribution is None:
        return Quote(turn.start, turn.end, "direct", label, None, "transcript", "transcript")
    return _turn_from(turn, attribution)


def _turn_from(turn: Turn, attribution: Attribution) -> Quote:
    return Quote(turn.start, turn.end, "direct", attribution.speaker, attribution.speaker_id,
                 "transcript", attribution.method)


def _words(text: str) -> int:
    return len(_WORD_RUN.findall(text))


_NAME_PHRASE_WORDS = frozenset({"of", "the", "for", "and", "former", "senior", "top", "deputy",
                                 "chief", "executive", "national", "acting", "then"})


def _name_phrase(text: str) -> bool:
    """``Republican National Committee co-chair Ivo Rask``: capitalised words and roles only."""
    words = re.findall(r"[\w’'\-.]+", text)
    return 0 < len(words) <= 10 and all(
        w[:1].isupper() or w in PERSON_ROLES or "-" in w or w in _NAME_PHRASE_WORDS
        for w in words)


def _direct(start: int, end: int, attribution: Attribution, cue: str | None,
            finder: SpeakerFinder) -> Quote:
    finder.record(start, attribution)
    return Quote(start, end, "direct", attribution.speaker, attribution.speaker_id, cue,
                 attribution.method)


def _masked_context(text: str, start: int, end: int, sentence: tuple[int, int],
                    quotes: list[tuple[int, int]]) -> tuple[str, str]:
    """The sentence's text before and after the quote ``[start, end)``, other quotes blanked.

    Other quotes are masked so that their words are not taken for cues.
    """
    left = text[sentence[0]:start - 1]
    right_start = end + 1
    for qs, qe in quotes:
        if sentence[0] <= qs - 1 and qe + 1 <= start - 1:
            left = left[:qs - 1 - sentence[0]] + " " * (qe - qs + 2) + left[qe + 1 - sentence[0]:]
    right_masked = text[right_start:sentence[1]]
    for qs, qe in quotes:
        if right_start <= qs - 1 and qe + 1 <= sentence[1]:
            right_masked = (right_masked[:qs - 1 - right_start] + " " * (qe - qs + 2)
                            + right_masked[qe + 1 - right_start:])
    return left, right_masked


def _according_to(start: int, end: int, pieces: tuple[tuple[str, int], ...],
                  finder: SpeakerFinder) -> Quote | None:
    """The quote attributed by "according to X" in one of ``pieces`` (text, offset), if any."""
    for piece, base in pieces:
        for match in _ACCORDING.finditer(piece):
            attribution = finder.according_to(base + match.end(), base + len(piece))
            if attribution.method not in ("unclear-no-cue", "unclear-unnamed"):
                return _direct(start, end, attribution, "according to", finder)
    return None


def _cue_in_next_sentence(text: str, start: int, end: int, sentence: tuple[int, int],
                          finder: SpeakerFinder) -> Quote | None:
    """``“We won!” Ivo Rask shouted.``: the quote attributed by a cue in the next sentence."""
    after = finder.sentences[finder.sentence_of(sentence[1])]
    following = text[sentence[1]:after[1]]
    verb = _VERB.search(following[:160])
    if (verb and "\n" not in text[end:sentence[1]]
            and (_words(following[:verb.start()]) <= 5 or (
                _words(following[:verb.start()]) <= 24
                and following[:verb.start()].count(",") >= 2))):
        attribution = finder.attribute(start, end, cue_at=sentence[1] + verb.start(),
                                       cue=verb.group())
        if attribution.speaker is not None:
            return _direct(start, end, attribution, verb.group(), finder)
    return None


def _classify(text: str, start: int, end: int, sentence: tuple[int, int],
              finder: SpeakerFinder, quotes: list[tuple[int, int]],
              last_direct: Quote | None = None) -> Quote:
    inner = text[start:end]
    n_words = _words(inner)
    stripped = inner.strip()
    full_sentence = bool(stripped[:1].isupper() and stripped[-1:] in ".!?" and n_words >= 3)
    right_start = end + 1
    right = text[right_start:sentence[1]]
    left, right_masked = _masked_context(text, start, end, sentence, quotes)
    left_words = left.split()
    last_word = left_words[-1].lower().strip(",:;(") if left_words else ""
    if not full_sentence and ((last_word in LABEL_WORDS and n_words <= 8)
                              or last_word in TITLE_WORDS):
        return Quote(start, end, "scare")

    # 1. "according to X" anywhere in the sentence (outside the quote).
    according = _according_to(start, end, ((left, sentence[0]), (right_masked, right_start)),
                              finder)
    if according is not None:
        return according
    # 2. a speech verb right after the quote: "…,” X said" / "…,” said X" / "…,” he said".
    head = right_masked[:240]
    verb = _VERB.search(head)
    if verb and (_words(head[:verb.start()]) <= 5 or _name_phrase(head[:verb.start()]) or (
            _words(head[:verb.start()]) <= 20 and "," in head[:verb.start()]
            and _name_phrase(head[:verb.start()].rsplit(",", 1)[1])) or (
            _words(head[:verb.start()]) <= 24 and head[:verb.start()].count(",") >= 2
            and not re.search(r"[!?;]", head[:verb.start()]))):
        attribution = finder.attribute(start, end, cue_at=right_start + verb.start(),
                                       cue=verb.group())
        return _direct(start, end, attribution, verb.group(), finder)
    # 3. a speech verb before the quote in its sentence: "X, ..., said: “…”".
    verbs = list(_VERB.finditer(left))
    if verbs and (n_words > 2 or _words(left[verbs[-1].end():]) <= 4):
        # The last cue whose subject can be found ("X stressed that Y, if confirmed, ...").
        found: Attribution | None = None
        later = len(left)
        for before in reversed(verbs[-3:]):
            if found is not None and re.search(r"[“”\"]", left[before.end():later]):
                break  # an earlier cue belongs to an earlier quote
            found = finder.attribute(start, end, cue_at=sentence[0] + before.start(),
                                     cue=before.group())
            if found.method != "unclear-no-cue":
                break
            later = before.start()
        assert found is not None  # verbs is not empty
        return _direct(start, end, found, before.group(), finder)
    if not right.strip() and stripped[-1:] in "!?" and sentence[1] < len(text):
        # “We won!” Ivo Rask shouted. (the splitter ends the sentence at the mark)
        shouted = _cue_in_next_sentence(text, start, end, sentence, finder)
        if shouted is not None:
            return shouted
    weak = _WEAK_CUE.search(left) or _WEAK_CUE.search(right_masked)
    if weak or n_words >= 5 or full_sentence:
        if (last_direct is not None and last_direct.speaker and not weak
                and "\n" not in text[last_direct.end:start] and start - last_direct.end < 400
                and not finder.other_subject_between(last_direct.end, start - 1,
                                                     last_direct.speaker)):
            # A quote that goes on after an attributed one, in the same paragraph.
            finder.record_continuation(start)
            return Quote(start, end, "direct", last_direct.speaker, last_direct.speaker_id,
                         "continuation", "continuation")
        paragraph_start = text.rfind("\n", 0, start) + 1
        if not weak and not text[paragraph_start:start - 1].strip():
            opening = finder.paragraph_opening(paragraph_start, start, end, last_direct)
            if opening is not None:
                return _direct(start, end, opening, opening.method, finder)
        attribution = finder.context(start, end)
        return _direct(start, end, attribution, weak.group() if weak else "context", finder)
    return Quote(start, end, "scare")


def quotes_in_text(text: str, gazetteer: Gazetteer, *, mentions: list[Match] | None = None
                   ) -> tuple[list[Quote], list[Embed]]:
    """Find and class the quotes and embedded posts of one text.

    Args:
        text: an article text.
        gazetteer: compiled entity names (speakers are resolved to its ids).
        mentions: the text's mentions, when already computed (:meth:`Gazetteer.match`).

    Returns:
        The quotes (sorted by start) and the embedded posts.

    Example:
        >>> g = Gazetteer.build([("ka", "person", "Kira Aln", [])])
        >>> [q.kind for q in quotes_in_text("Kira Aln called it a “sham”.", g)[0]]
        ['scare']
    """
    if mentions is None:
        mentions = gazetteer.match(text)
    embeds = find_embeds(text)
    skip = [(e.start, e.attribution_start) for e in embeds]
    spans = quote_spans(text, skip=skip)
    sentences = sentence_spans(text, protected=[(s - 1, e + 1) for s, e in spans])
    turns = transcript_turns(text, skip=skip)
    finder = SpeakerFinder(text, mentions, gazetteer, sentences, spans) if spans or turns \
        else None
    out: list[Quote] = [_turn_quote(turn, text, finder) for turn in turns]
    last_direct: Quote | None = None
    index = 0
    for start, end in spans:
        while index + 1 < len(sentences) and sentences[index][1] <= start:
            index += 1
        sentence = sentences[index] if sentences else (0, len(text))
        assert finder is not None  # made when there are spans
        quote = _classify(text, start, end, sentence, finder, spans, last_direct)
        if quote.kind == "direct":
            last_direct = quote
        out.append(quote)
    # A paragraph left open goes on in the next one: it takes the speaker found there.
    for index in range(len(out) - 2, -1, -1):
        quote, after = out[index], out[index + 1]
        if (quote.kind == "direct" and quote.speaker is None and after.kind == "direct"
                and after.speaker is not None and text[quote.end:quote.end + 1] in ("\n", "")
                and re.fullmatch(r"\s*[“\"]", text[quote.end:after.start])):
            out[index] = Quote(quote.start, quote.end, "direct", after.speaker, after.speaker_id,
                               "continuation", "continuation")
    by_alias = {m.start: m for m in mentions}
    for embed in embeds:
        author_at = text.find(embed.author, embed.attribution_start)
        m = by_alias.get(author_at)
        speaker_id = m.ids[0] if m is not None and len(m.ids) == 1 else None
        if speaker_id is None:
            found = gazetteer.match(embed.author, fuzzy=False)
            if len(found) == 1 and len(found[0].ids) == 1:
                speaker_id = found[0].ids[0]
        cue = embed.handle + (f" {embed.posted.date().isoformat()}" if embed.posted else "")
        out.append(Quote(embed.start, embed.end, "embedded_post", embed.author, speaker_id, cue,
                         "post-author" if embed.author else "unclear-no-cue"))
    return sorted(out, key=lambda q: (q.start, q.end)), embeds


def find_quotes(articles: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    """Find the quotes of every article.

    Args:
        articles: ``article_id`` and ``text``.
        gazetteer: compiled entity names.

    Returns:
        A ``quotes`` table (mediaprov.schema.QUOTES) sorted by article and start.

    Example: see the module docstring.
    """
    rows = []
    for article_id, text in zip(articles["article_id"], articles["text"], strict=True):
        if not isinstance(text, str) or not text:
            continue
        quotes, _ = quotes_in_text(text, gazetteer)
        rows.extend(quote_rows(article_id, text, quotes))
    return quotes_table(rows)


def quote_rows(article_id: str, text: str, quotes: list[Quote]) -> list[tuple]:
    """Return ``quotes`` table rows (tuples in QUOTES column order) for one article.

    Example:
        >>> quote_rows("a", "x “y” z", [Quote(3, 4, "scare")])[0][:4]
        ('a', 'y', 3, 4)
    """
    return [(article_id, text[q.start:q.end], q.start, q.end, q.speaker, q.speaker_id, q.cue,
             q.kind, q.speaker_method) for q in quotes]


def quotes_table(rows: list[tuple]) -> pd.DataFrame:
    """Build and validate a ``quotes`` table from :func:`quote_rows` rows.

    Example:
        >>> len(quotes_table([]))
        0
    """
    table = pd.DataFrame(rows, columns=list(QUOTES.columns))
    table = table.sort_values(["article_id", "start", "end"], kind="stable")
    return validate(table, QUOTES, where="quotes")
