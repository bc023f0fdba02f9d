"""Resolution: a subject made a speaker, pronouns and titles walked back to a named person.

A named subject speaks as the text names it, without titles and in the one fuller form the
text gives (``Kerry`` -> ``John F. Kerry``). A pronoun (``he``, ``they``) or a title (``the
president``, ``the group``) resolves to the nearest named person or organisation that is the
subject of an earlier sentence or the speaker of an earlier quote, walking back sentence by
sentence; a title must fit the name (``President X``, ``X, the spokesman``). The walk stops,
and the speaker stays empty, at an unnamed subject or at a sentence whose only named person is
not its subject. A document (``the report said``) speaks for the author it was introduced with
(``a report by X``). Every outcome is an :class:`Attribution` whose ``method`` is one of
:data:`SPEAKER_METHODS`.

Example:
    >>> from mediaprov.entities import Gazetteer
    >>> text = "Ivo Rask spoke. He left."
    >>> r = SubjectResolver(text, [], Gazetteer.build([]), [(0, 15), (16, 24)], [])
    >>> subject = r.clause_subject(16, 24)
    >>> subject.word, r.resolve(subject, 16, method="cue-subject").speaker
    ('he', 'Ivo Rask')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mediaprov.entities import Gazetteer, Match
from mediaprov.speakers.article_names import Name, display_name, surname_key
from mediaprov.speakers.lexicon import COORDINATED, DOCUMENTS, ORG_ROLES, PERSON_ROLES, PRONOUNS
from mediaprov.speakers.subjects import ClauseSubjects, Subject

SPEAKER_METHODS: dict[str, str] = {
    "cue-subject": "the named subject of a speech cue in the quote's sentence",
    "according-to": "the name after 'according to'",
    "pronoun": "a pronoun subject of the cue, resolved to the nearest named subject before it",
    "title": "a title subject of the cue (the president), resolved to the nearest fitting name",
    "continuation": "a quote that goes on after an attributed one keeps its speaker",
    "context": "a quote without cue takes the named subject of its sentence or the one before",
    "transcript": "the speaker label of an interview transcript turn",
    "post-author": "the account holder of an embedded post",
    "unclear-unnamed": "the subject of the cue is not named (officials, a source, critics)",
    "unclear-pronoun": "a pronoun whose nearest person is not a subject, or none",
    "unclear-title": "a title that no earlier named subject carries",
    "unclear-several": "several subjects (X and Y said) or several candidates",
    "unclear-no-cue": "no cue and no named subject in reach",
    "unclear-not-a-speaker": "the only name in subject position is a place",
}
"""``speaker_method`` values: how the speaker was found, or (``unclear-*``) why it is empty."""


@dataclass(frozen=True)
class Attribution:
    """Who speaks a quote and how that was decided (``speaker_method``)."""

    speaker: str | None
    speaker_id: str | None
    method: str
    name: Name | None = None


class SubjectResolver(ClauseSubjects):
    """Subjects of one article turned into speakers, remembering who spoke each quote.

    Args: as :class:`mediaprov.speakers.article_names.ArticleNames`.

    Attributes:
        attributed: ``(quote start, speaker name)`` of the quotes attributed so far, in text
            order (pronouns resolve to them too).

    Example:
        >>> from mediaprov.entities import Gazetteer
        >>> text = "John F. Kerry spoke. Later Kerry left."
        >>> r = SubjectResolver(text, [], Gazetteer.build([]), [(0, 20), (21, 38)], [])
        >>> r.speaker_named(r.name_at(text.index("Kerry", 15)), "cue-subject").speaker
        'John F. Kerry'
    """

    def __init__(self, text: str, mentions: list[Match], gazetteer: Gazetteer,
                 sentences: list[tuple[int, int]], quotes: list[tuple[int, int]]) -> None:
        super().__init__(text, mentions, gazetteer, sentences, quotes)
        self.attributed: list[tuple[int, Name]] = []  # (quote start, speaker) in text order

    def _speaker_in(self, low: int, high: int) -> Name | None:
        found = [name for at, name in self.attributed if low <= at < high]
        return found[-1] if found else None

    def resolve(self, subject: Subject, position: int, *, method: str) -> Attribution:
        """Turn a subject into an attribution, resolving pronouns and titles backwards.

        Args:
            subject: from :meth:`subject_before`, :meth:`subject_after` or
                :meth:`clause_subject`.
            position: where the subject stands (pronouns look back from there).
            method: the ``speaker_method`` of a named subject.

        Returns:
            The attribution; an empty speaker with an ``unclear-*`` method when unresolved.

        Example:
            >>> from mediaprov.entities import Gazetteer
            >>> f = SubjectResolver("x", [], Gazetteer.build([]), [(0, 1)], [])
            >>> f.resolve(Subject("unnamed", word="officials"), 0, method="cue-subject").method
            'unclear-unnamed'
        """
        if subject.kind == "name" and subject.name is not None:
            return self._named(subject.name, method)
        if subject.kind == "pronoun":
            return self._resolve_back(position, pronoun=subject.word)
        if subject.kind == "title" and subject.word in DOCUMENTS:
            return self._resolve_document(position, subject.word)
        if subject.kind == "title":
            return self._resolve_back(position, title=subject.word)
        if subject.kind == "several":
            return Attribution(None, None, "unclear-several")
        if subject.kind == "place":
            return Attribution(None, None, "unclear-not-a-speaker")
        if subject.kind == "unnamed":
            return Attribution(None, None, "unclear-unnamed")
        return Attribution(None, None, "unclear-no-cue")

    def name_at(self, position: int) -> Name | None:
        """The speaking name (person or organisation) that starts at ``position``, if any.

        Example:
            >>> from mediaprov.entities import Gazetteer
            >>> f = SubjectResolver("An interview with Ivo Rask.", [], Gazetteer.build([]),
            ...                     [(0, 27)], [])
            >>> f.name_at(18).surface
            'Ivo Rask'
        """
        name = self._name_starting(position)
        return name if name is not None and name.kind != "place" else None

    def speaker_named(self, name: Name, method: str) -> Attribution:
        """The attribution to ``name`` (in its fuller form when the text has one).

        Example:
            >>> from mediaprov.entities import Gazetteer
            >>> f = SubjectResolver("Ivo Rask came.", [], Gazetteer.build([]), [(0, 14)], [])
            >>> f.speaker_named(f.name_at(0), "transcript").speaker
            'Ivo Rask'
        """
        return self._named(name, method)

    def speaker_labelled(self, label: str) -> Attribution | None:
        """A transcript label (``Rask``, ``Ivo Rask``) as a speaker: the name it stands for.

        Example:
            >>> from mediaprov.entities import Gazetteer
            >>> f = SubjectResolver("Ivo Rask came.", [], Gazetteer.build([]), [(0, 14)], [])
            >>> f.speaker_labelled("Rask").speaker
            'Ivo Rask'
        """
        key = surname_key(label)
        fuller = self.fuller.get(key)
        if fuller is not None and (" " not in label or display_name(fuller).endswith(label)):
            return self._named(fuller, "transcript")
        matches = [n for n in self.names if display_name(n) == label and n.kind != "place"]
        if matches:
            return self._named(matches[0], "transcript")
        return None

    def _resolve_document(self, position: int, document: str) -> Attribution:
        """``the report said``: the named author of the nearest report introduced before.

        The report must have been introduced with its author: ``a report by X``, ``X’s report``,
        ``X published a report``. Otherwise the speaker stays empty.
        """
        text = self.masked
        best: tuple[int, Name] | None = None
        by = re.compile(r"\b" + document
                        + r"s?[ \t]+(?:\w+[ \t]+)?(?:by|from|of)[ \t]+(?:the[ \t]+)?")
        for match in by.finditer(text, 0, position):
            name = self._name_starting(match.end())
            if name is not None and name.kind != "place":
                best = (match.start(), name)
        owner = re.compile(r"(?:[’']s|s[’'])[ \t]+(?:[\w\-]+[ \t]+){0,2}" + document + r"\b")
        for match in owner.finditer(text, 0, position):
            name = self._name_ending(match.start() + (2 if text[match.start()] in "’'" else 1)) \
                or self._name_ending(match.start())
            if name is not None and name.kind != "place" and (best is None
                                                              or match.start() > best[0]):
                best = (match.start(), name)
        issued = re.compile(r"(?:published|released|issued|presented|produced)[ \t]+(?:a|an|its|"
                            r"the)[ \t]+(?:[\w\-]+[ \t]+){0,3}" + document + r"\b")
        for match in issued.finditer(text, 0, position):
            sentence = self.sentences[self.sentence_of(match.start())]
            subject = self.clause_subject(sentence[0], match.start())
            if subject.kind == "name" and subject.name is not None and (
                    best is None or match.start() > best[0]):
                best = (match.start(), subject.name)
        if best is None:
            return Attribution(None, None, "unclear-title")
        return self._named(best[1], "title")

    def _named(self, name: Name, method: str) -> Attribution:
        display = display_name(name)
        if " " not in display and name.entity_id is None:
            # "Kerry" -> "John F. Kerry", "the Navy" -> "U.S. Navy": the one fuller form of
            # the same name in the text (none when two differ: Bill and Hillary Clinton).
            fuller = self.fuller.get(name.key)
            if fuller is not None and fuller.kind in (name.kind, "unknown") or (
                    fuller is not None and name.kind == "unknown"):
                return Attribution(display_name(fuller), fuller.entity_id, method, fuller)
        if name.kind in ("org", "unknown") and " " not in display and re.search(
                r"\bthe[ \t]+$", self.text[max(0, name.start - 5):name.start]):
            display = "the " + display  # "the Independent wrote": a title with its article
        return Attribution(display, name.entity_id, method, name)

    def _resolve_back(self, position: int, *, pronoun: str = "",
                      title: str = "") -> Attribution:
        wanted = PRONOUNS.get(pronoun, "person") if pronoun else (
            "org" if title in ORG_ROLES and title not in PERSON_ROLES else "person")
        failure = "unclear-pronoun" if pronoun else "unclear-title"
        if wanted == "unresolved":
            return Attribution(None, None, failure)
        index = self.sentence_of(position)
        low = self.sentences[index][0]
        high = position
        paragraphs = 0
        fallback: Name | None = None
        for step in range(8 if title else 6):
            if step:
                index -= 1
                if index < 0:
                    break
                low, high = self.sentences[index]
                if "\n" in self.text[high:self.sentences[index + 1][0] + 1] or \
                        "\n" in self.text[low:high].strip():
                    paragraphs += 1
                    if paragraphs > 2:
                        break
            candidates, subject = self._back_candidates(low, high, earlier=bool(step))
            for candidate in candidates:
                if self._fits(candidate, wanted, title):
                    return self._named(candidate, "pronoun" if pronoun else "title")
            if title and fallback is None and step <= 2 and wanted == "person" and candidates:
                # "Mr. Kerry told lawmakers ... “...,” the secretary of state said": the
                # nearest speaking person, when no other role is known for him.
                fallback = candidates[0]
            if candidates and not title:
                return Attribution(None, None, failure)
            if subject.kind == "pronoun" and (
                    PRONOUNS.get(subject.word) == wanted or subject.word == pronoun):
                continue
            if title:
                continue
            if subject.kind in ("unnamed", "title", "several"):
                return Attribution(None, None, failure)
            if any(n.kind in ("person", "org", "unknown") for n in self.names_in(low, high)):
                return Attribution(None, None, failure)
        return self._title_fallback(fallback, failure)

    def _title_fallback(self, fallback: Name | None, failure: str) -> Attribution:
        """The nearest speaking person for a title, when no other role is known for them."""
        if fallback is not None and (fallback.kind == "person" or self.full.get(
                fallback.key, fallback).kind == "person") and not (
                self.roles.get(fallback.key, set()) & PERSON_ROLES):
            return self._named(fallback, "title")
        return Attribution(None, None, failure)

    def _back_candidates(self, low: int, high: int, *, earlier: bool) -> tuple[list[Name], Subject]:
        """Names a pronoun or title may refer back to in the sentence ``[low, high)``, and its subject.

        Speakers attributed there and subjects of its cues come first (the latest first), then the
        clause subject; a subject after a coordinating conjunction goes ahead of them all.
        ``earlier``: a sentence before the quote's own (whose subject is read even when empty).
        """
        spoken = [(at, name) for at, name in self.attributed if low <= at < high]
        spoken += self.cue_subjects(low, high) if high - low < 1500 else []
        candidates: list[Name] = [name for _, name in sorted(spoken, key=lambda p: -p[0])]
        subject = self.clause_subject(low, high) if (earlier or self.text[low:high].strip()) \
            else Subject("none")
        if subject.kind == "name" and subject.name is not None:
            candidates.append(subject.name)
        for clause in COORDINATED.finditer(self.masked, low, high):
            # "The image was offensive, and Ivo Rask agreed to remove it."
            later = self.clause_subject(clause.end(), high)
            if later.kind == "name" and later.name is not None:
                candidates.insert(0, later.name)
                subject = later
        return candidates, subject

    def _fits(self, name: Name, wanted: str, title: str) -> bool:
        kind = self.full.get(name.key, name).kind if name.kind == "unknown" else name.kind
        if title:
            roles = self.roles.get(name.key, set())
            return title in roles
        if wanted == "person":
            return kind in ("person", "unknown")
        if wanted == "org":
            return kind == "org"
        return kind == "org"  # "they" stands for an organisation, never for one person
