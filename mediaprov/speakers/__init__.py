"""Speakers of direct quotes: who said it, found from the syntax around the quote, precision first.

:mod:`mediaprov.quotes` finds the quotes; this module says who speaks each direct quote and how
that was decided (``speaker_method`` in :data:`mediaprov.schema.QUOTES`). The rules, in order:

1. **A cue in the quote's sentence.** A speech verb or phrase
   (:data:`mediaprov.quotes.SPEECH_VERBS`, ``according to``, ``in a statement``) attributes
   the quote to its *subject*: ``“…,” X said``, ``“…,” said X``, ``X said: “…”``,
   ``X, who …, said “…”``, ``X told Y “…”``, ``according to X``. The subject is the noun phrase
   right before the verb (an appositive between commas is skipped) or right after it in
   ``said X``. With a participle (``saying``, ``adding``) the subject is the one of the cue
   before it in the sentence, else of the main clause (``with X saying``: X). A name after a
   preposition (``a spokesman for X``), a possessor (``X’s spokesman``) or an object
   (``Y told X``) is never the subject; a document speaks for the author it was introduced
   with (``a report by X`` ... ``the report said``: X).
2. **Pronouns and titles** (``he``, ``she``, ``they``, ``it``, ``the president``, ``the
   spokesman``, ``the group``) resolve to the nearest named person (or organisation) that is the
   subject of an earlier sentence or the speaker of an earlier quote, walking back sentence by
   sentence. A title must fit the name (``President X``, ``X, the spokesman``). The walk stops,
   and the speaker stays empty, at an unnamed subject (``Officials``), or at a sentence whose only
   named person is not its subject: an object is never taken for the pronoun.
3. **Quotes without a cue.** A quote that goes on after an attributed one (same paragraph, or a
   quotation continued in the next paragraph) keeps its speaker; a quoted sentence after a
   sentence whose subject is named takes that subject (``context``).
4. **Transcripts** (``Q:`` / ``A:``, ``NAME:`` turns) and embedded posts (the account holder) are
   attributed by :mod:`mediaprov.quotes` and recorded here as methods.

When none of this names someone the speaker is empty and ``speaker_method`` says why (values
starting with ``unclear-``): an unnamed speaker (``officials said``), a pronoun or title that does
not resolve, several subjects, or no cue at all. Speakers are named as the text names them,
without titles (``Mr. Tolan`` -> ``Tolan``), in the one fuller form the text gives when there is
exactly one (``Kerry`` -> ``John F. Kerry``); ``speaker_id`` is the gazetteer id when known.

No dependency parser is used: on the AllSides development set (``tests/test_speakers_devset.py``)
these rules give the right speaker for 86% of gold quotes and a wrong one for under 1%, at a
throughput far above what a parser allows (``benchmarks/bench_features.py``). Names are found
lazily, one sentence at a time, only where a quote needs them.

The subpackage, one idea per module, each layer standing on the one before:

* :mod:`~mediaprov.speakers.lexicon`: word lists and cue grammar (roles, titles, cues);
* :mod:`~mediaprov.speakers.article_names`: the names of an article, sentence by sentence;
* :mod:`~mediaprov.speakers.subjects`: the subject of a cue or a clause;
* :mod:`~mediaprov.speakers.resolution`: subjects made speakers, pronouns and titles resolved;
* :mod:`~mediaprov.speakers.finder`: :class:`SpeakerFinder`, the rules applied to a quote.

Example:
    >>> from mediaprov.entities import Gazetteer
    >>> g = Gazetteer.build([("nb", "person", "Nela Brun", []), ("tlf", "org", "Tarsa Front", [])])
    >>> text = "Officials condemned the Tarsa Front, saying “It is a danger to us all.”"
    >>> from mediaprov.quotes import quotes_in_text
    >>> q = quotes_in_text(text, g)[0][0]
    >>> (q.speaker, q.speaker_method)
    (None, 'unclear-unnamed')
"""

from mediaprov.speakers.article_names import Name
from mediaprov.speakers.finder import SpeakerFinder
from mediaprov.speakers.lexicon import (ANIMATE, DOCUMENTS, ORG_ROLES, ORG_WORDS, PARTICIPLES,
                                        PERSON_ROLES, PERSON_TITLES, SPEAKER_KINDS)
from mediaprov.speakers.resolution import SPEAKER_METHODS, Attribution
from mediaprov.speakers.subjects import Subject

__all__ = ["ANIMATE", "DOCUMENTS", "ORG_ROLES", "ORG_WORDS", "PARTICIPLES", "PERSON_ROLES",
           "PERSON_TITLES", "SPEAKER_KINDS", "SPEAKER_METHODS", "Attribution", "Name", "Subject",
           "SpeakerFinder"]
