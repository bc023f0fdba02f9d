"""SpeakerFinder: the quotes of one article attributed, in order, by the rules of the subpackage.

:mod:`mediaprov.quotes` finds a quote and its cue and asks :class:`SpeakerFinder` who speaks
it: through the cue (:meth:`SpeakerFinder.attribute`, :meth:`SpeakerFinder.according_to`),
through the paragraph before (:meth:`SpeakerFinder.paragraph_opening`), or, without a cue, from
the sentence around it (:meth:`SpeakerFinder.context`). Each attributed quote is recorded, so a
later pronoun or a continued quotation resolves to its speaker. The layers below it find the
names (:mod:`~mediaprov.speakers.article_names`), the subjects
(:mod:`~mediaprov.speakers.subjects`) and resolve them (:mod:`~mediaprov.speakers.resolution`).

Example:
    >>> from mediaprov.entities import Gazetteer
    >>> text = "“We stay,” said Ivo Rask."
    >>> f = SpeakerFinder(text, [], Gazetteer.build([]), [(0, len(text))], [(1, 8)])
    >>> f.attribute(1, 8, cue_at=text.index("said"), cue="said", inverted=True).speaker
    'Ivo Rask'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mediaprov.speakers.article_names import NO_NAME, surname_key
from mediaprov.speakers.lexicon import CUE_BEFORE_COLON, PARTICIPLES, POSSESSIVE, WITH_PARTICIPLE
from mediaprov.speakers.resolution import Attribution, SubjectResolver
from mediaprov.speakers.subjects import Subject

if TYPE_CHECKING:
    from mediaprov.quotes import Quote


class SpeakerFinder(SubjectResolver):
    """The names, sentences and paragraphs of one article, to attribute its quotes.

    Args:
        text: the article text.
        mentions: its gazetteer mentions (resolved ones).
        gazetteer: the gazetteer that produced them (for kinds).
        sentences: sentence spans (:func:`mediaprov.quotes.sentence_spans`).
        quotes: all quote spans (without marks), masked when looking for cues.

    Example:
        >>> from mediaprov.entities import Gazetteer
        >>> g = Gazetteer.build([])
        >>> text = "Ivo Rask spoke. “We stay,” he said."
        >>> finder = SpeakerFinder(text, [], g, [(0, 15), (16, 35)], [(17, 25)])
        >>> finder.attribute(17, 25, cue_at=30, cue="said").speaker
        'Ivo Rask'
    """

    def attribute(self, start: int, end: int, *, cue_at: int, cue: str,
                  inverted: bool = False) -> Attribution:
        """Attribute the quote ``[start, end)`` through the cue verb found at ``cue_at``.

        Args:
            start: quote start (without marks).
            end: quote end.
            cue_at: offset of the cue verb (or phrase).
            cue: the cue as written.
            inverted: the cue is followed by its subject (``said X``).

        Returns:
            The attribution.

        Example: see the class docstring.
        """
        index = self.sentence_of(cue_at)
        low, high = self.sentences[index]
        if cue_at > end:
            low = end + 1  # a cue after the quote: its subject lies between quote and cue
        if inverted:
            subject = self.subject_after(cue_at + len(cue), high)
        elif cue.lower() in PARTICIPLES and WITH_PARTICIPLE.search(
                self.masked, max(low, cue_at - 120), cue_at) and (self._name_ending(
                len(self.masked[:cue_at].rstrip())) or NO_NAME).kind in ("person", "unknown"):
            # "with former president Ivo Rask saying ...": the absolute construction's subject
            subject = Subject("name", name=self._name_ending(len(self.masked[:cue_at].rstrip())))
        elif cue.lower() in PARTICIPLES:
            earlier = self.cue_subjects(self.sentences[index][0], cue_at)
            subject = Subject("name", name=earlier[-1][1]) if earlier else \
                self.clause_subject(self.sentences[index][0], cue_at)
        else:
            subject = self.subject_before(cue_at, low)
            if subject.kind == "none" and cue_at > end:
                subject = self.subject_after(cue_at + len(cue), high)
                inverted = True
        return self.resolve(subject, cue_at, method="cue-subject")

    def according_to(self, position: int, high: int) -> Attribution:
        """Attribute through ``according to`` + the name at ``position``.

        Args:
            position: offset right after ``according to``.
            high: end of the sentence.

        Returns:
            The attribution.

        Example:
            >>> from mediaprov.entities import Gazetteer
            >>> text = "It failed, according to Nela Brun."
            >>> f = SpeakerFinder(text, [], Gazetteer.build([]), [(0, len(text))], [])
            >>> f.according_to(text.index("Nela"), len(text)).speaker
            'Nela Brun'
        """
        subject = self.subject_after(position, high)
        attribution = self.resolve(subject, position, method="according-to")
        return attribution

    def context(self, start: int, end: int) -> Attribution:
        """A quote without a cue: the named subject of its clause or of the sentence before.

        Args:
            start: quote start (without its mark).
            end: quote end.

        Returns:
            The attribution (``context``), or empty when someone else is named in the way.

        Example:
            >>> from mediaprov.entities import Gazetteer
            >>> text = "Nela Brun wrote a letter. “The valley is closed to us.”"
            >>> f = SpeakerFinder(text, [], Gazetteer.build([]), [(0, 26), (26, 55)],
            ...                   [(27, 54)])
            >>> f.context(27, 54).speaker
            'Nela Brun'
        """
        index = self.sentence_of(start)
        low = self.sentences[index][0]
        left = self.masked[low:max(low, start - 1)]
        if left.strip():
            subject = self.clause_subject(low, start - 1)
            if subject.kind not in ("inanimate", "none"):
                return self.resolve(subject, low, method="context")
            if any(n.kind in ("person", "org", "unknown") for n in self.names_in(low, start)):
                # Someone is named in the sentence, but not as its subject: no guess.
                return Attribution(None, None, "unclear-no-cue")
        if index == 0:
            return Attribution(None, None, "unclear-no-cue")
        previous_low, previous_high = self.sentences[index - 1]
        if "\n" in self.text[previous_high - 1:low] or "\n" in self.text[previous_low:low].strip():
            return Attribution(None, None, "unclear-no-cue")
        spoken = self._speaker_in(previous_low, previous_high)
        if spoken is not None:
            return self._named(spoken, "continuation")
        subject = self.clause_subject(previous_low, previous_high)
        if subject.kind in ("name", "pronoun", "title"):
            attribution = self.resolve(subject, previous_low, method="context")
            if attribution.speaker is not None:
                return Attribution(attribution.speaker, attribution.speaker_id, "context",
                                   attribution.name)
            return attribution
        if subject.kind in ("unnamed", "several", "place"):
            return self.resolve(subject, previous_low, method="context")
        return Attribution(None, None, "unclear-no-cue")

    def paragraph_opening(self, paragraph_start: int, start: int, end: int,
                          last_direct: Quote | None) -> Attribution | None:
        r"""A quote that opens a paragraph, without cue: the paragraph before may introduce it.

        Either the paragraph before ends with a cue and a colon (``Ivo Rask said:``), or its
        last quote is attributed and this paragraph is nothing but the quote, which goes on.

        Args:
            paragraph_start: offset of this paragraph.
            start: quote start.
            end: quote end.
            last_direct: the last direct quote before (a :class:`mediaprov.quotes.Quote`).

        Returns:
            The attribution, or None when the paragraph before says nothing about it.

        Example:
            >>> from mediaprov.entities import Gazetteer
            >>> text = "Ivo Rask said:\n\n“We will stay in the valley.”"
            >>> f = SpeakerFinder(text, [], Gazetteer.build([]), [(0, 16), (16, 46)], [(17, 45)])
            >>> f.paragraph_opening(16, 17, 45, None).speaker
            'Ivo Rask'
        """
        before = self.text[:paragraph_start].rstrip()
        if not before:
            return None
        if before.endswith(":"):
            index = self.sentence_of(len(before) - 1)
            low = self.sentences[index][0]
            cues = list(CUE_BEFORE_COLON.finditer(self.masked, low, len(before)))
            if cues:
                cue = cues[-1]
                return self.attribute(start, end, cue_at=cue.start(), cue=cue.group())
            return None
        rest = self.text[end + 1:self.text.find("\n", end) if "\n" in self.text[end:] else None]
        if rest.strip() or last_direct is None or last_direct.speaker is None:
            return None
        previous_paragraph = before.rfind("\n") + 1
        last_end = last_direct.end
        if last_end < previous_paragraph:
            return None
        if self.other_subject_between(last_end, len(before), last_direct.speaker):
            return None
        if self._speaker_in(last_direct.start, last_end + 1) is None:
            return None
        name = self._speaker_in(last_direct.start, last_end + 1)
        return Attribution(last_direct.speaker, last_direct.speaker_id, "continuation", name)

    def record(self, start: int, attribution: Attribution) -> None:
        """Remember an attributed quote, so later pronouns can resolve to its speaker.

        Example:
            >>> from mediaprov.entities import Gazetteer
            >>> f = SpeakerFinder("x", [], Gazetteer.build([]), [(0, 1)], [])
            >>> f.record(0, Attribution(None, None, "unclear-no-cue")); f.attributed
            []
        """
        if attribution.name is not None:
            self.attributed.append((start, attribution.name))

    def record_continuation(self, start: int) -> None:
        """Remember that the quote at ``start`` goes on with the last attributed speaker.

        Example:
            >>> from mediaprov.entities import Gazetteer
            >>> f = SpeakerFinder("x", [], Gazetteer.build([]), [(0, 1)], [])
            >>> f.record_continuation(0); f.attributed
            []
        """
        if self.attributed:
            self.attributed.append((start, self.attributed[-1][1]))

    def other_subject_between(self, low: int, high: int, speaker: str) -> bool:
        """Whether a sentence inside ``[low, high)`` has a named subject other than ``speaker``.

        Example:
            >>> from mediaprov.entities import Gazetteer
            >>> text = "“A,” Ivo Rask said. Nela Brun left. “B.”"
            >>> f = SpeakerFinder(text, [], Gazetteer.build([]), [(0, 20), (20, 36), (36, 40)],
            ...                   [(1, 3), (37, 39)])
            >>> f.other_subject_between(4, 36, "Ivo Rask")
            True
        """
        key = surname_key(POSSESSIVE.sub("", speaker))
        for s, e in self.sentences:
            if s < low or s >= high:
                continue
            subject = self.clause_subject(s, min(e, high))
            if subject.kind == "name" and subject.name is not None and subject.name.key != key:
                return True
            if subject.kind in ("unnamed", "title", "several", "inanimate"):
                return True
        return False
