"""Fictional prose for the demo corpus: sentences and paragraphs with their ground truth.

Bodies are composed from many short sentence frames whose slots are filled from large word banks,
numbers and fictional names, so two unrelated articles share no long word sequence while articles
about one event share its actors and its label. Every paragraph carries what was planted in it:
entity surface forms, direct quotes with their speaker, scare quotes and camp labels.

Example:
    >>> import random
    >>> writer = ProseWriter(random.Random(1), camp="international", event=None)
    >>> paragraph = writer.paragraph()
    >>> paragraph.text.endswith(".")
    True
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from datetime import date, timedelta

from mediaprov.demo.world import (
    ENTITY_BY_ID, INSIDERS, LABELS, PLACES, QUOTED_BY_CAMP, SCARE_QUOTES, Event,
)

MONTHS: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July",
                           "August", "September", "October", "November", "December")
WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                             "Sunday")

NOUNS = (
    "report", "hearing", "inquiry", "statement", "dossier", "archive", "letter", "petition",
    "complaint", "ruling", "budget", "network", "convoy", "meeting", "briefing", "campaign",
    "interview", "survey", "memo", "tribunal", "committee", "mandate", "border post", "warehouse",
    "registry", "transcript", "appeal", "visa scheme", "radio segment", "audit", "ledger",
    "broadcast", "delegation", "workshop", "protocol", "seminar", "tender", "payment trail",
    "courier route", "shelter", "clinic", "school", "compound", "checkpoint", "census",
    "manifesto", "license", "charter", "verdict", "motion",
)
NOUNS_PL = (
    "documents", "witnesses", "families", "volunteers", "lawyers", "officials", "donors",
    "couriers", "students", "diplomats", "residents", "veterans", "reporters", "clerks",
    "translators", "bloggers", "envoys", "auditors", "lawmakers", "inspectors", "photographs",
    "recordings", "invoices", "emails", "bank transfers", "phone logs", "leaflets", "banners",
    "satellite images", "visa files", "court filings", "flight records", "contracts", "receipts",
    "minutes", "surveys", "teachers", "nurses", "farmers", "drivers",
)
ADJS = (
    "lengthy", "sealed", "disputed", "confidential", "overdue", "provisional", "detailed",
    "contested", "brief", "partial", "unsigned", "revised", "leaked", "formal", "hurried",
    "fresh", "second", "regional", "bilateral", "technical", "private", "public", "quarterly",
    "belated", "joint", "draft", "surprising", "routine", "sweeping", "narrow", "costly",
    "handwritten", "translated", "redacted", "urgent", "modest", "careful", "heated", "tense",
    "muted",
)
VERBS = (
    "reviewed", "questioned", "described", "raised", "disputed", "welcomed", "criticised",
    "documented", "examined", "recorded", "rejected", "backed", "challenged", "summarised",
    "published", "circulated", "compared", "revisited", "outlined", "flagged", "postponed",
    "amended", "translated", "archived", "funded", "blocked", "cited", "contested", "praised",
    "doubted", "requested", "delayed", "drafted", "signed", "investigated", "leaked", "traced",
    "shelved", "audited", "mapped",
)
VERBS_INF = (
    "review", "question", "describe", "raise", "dispute", "welcome", "document", "examine",
    "record", "reject", "back", "challenge", "publish", "compare", "revisit", "outline", "flag",
    "postpone", "amend", "translate", "fund", "block", "cite", "contest", "request", "delay",
    "draft", "sign", "investigate", "trace", "audit", "map", "hide", "report", "copy", "deliver",
)
GERUNDS = (
    "hiding", "inventing", "exaggerating", "funding", "staging", "distorting", "spreading",
    "fabricating", "concealing", "recycling", "orchestrating", "inflating",
)
LOADED_VERBS = ("accused", "condemned", "denounced", "exposed", "blamed", "attacked")
TADVS = (
    "soon", "later", "again", "today", "recently", "eventually", "quietly", "publicly",
    "separately", "overnight", "afterwards", "twice", "abroad", "anyway", "instead", "meanwhile",
)
PREPS = ("in", "near", "outside", "north of", "south of", "beyond", "across", "around")
OPENERS = (
    "Earlier that week", "By late evening", "Within hours", "Two days earlier", "At dawn",
    "Before the vote", "Over the weekend", "In a rare move", "Without warning", "Shortly after",
    "Later that month", "For the first time", "Throughout the spring", "Despite the weather",
)
SECTIONS = ("News", "World", "Politics", "Analysis", "Opinion", "Europe", "Rights", "Security",
            "Exile", "Region", "Features", "Briefing")
TAGS = ("politics", "human rights", "security", "exile news", "weekly digest", "analysis",
        "region", "press review", "courts", "diplomacy", "opinion", "families")
HASHTAGS = ("Veskaria", "FreeVeskaria", "Orlet", "PUV", "BSS", "HaldenNews", "Brevant", "Exile",
            "Families", "Truth")
POST_ID_CHARS = "".join(c for c in string.ascii_letters + string.digits if c not in "AEIOUaeiou")
"""Characters of fake picture ids: no vowels, so no id can spell a real name."""
MANNERS = ("partly", "widely", "briefly", "first", "reportedly", "hastily", "carefully",
           "never", "rarely", "jointly", "formally", "only")
EVENT_OPENERS = ("Coverage of", "Reports on", "Debate over", "Commentary on", "Questions about",
                 "Footage from", "Rumours about", "Filings on", "Editorials on")
INTENSIFIERS = ("repeatedly", "openly", "again", "loudly", "formally", "bitterly", "angrily",
                "publicly", "quickly", "falsely", "rightly", "once more")
OUTLETS_TOLD = ("the Daily Meridian", "the Northsea Post", "the Harbour Times",
                "the Continental Review", "Global Wire Service")


def month_day_year(day: date) -> str:
    """Format a date as ``January 22, 2022`` (no leading zero).

    Example:
        >>> month_day_year(date(2022, 1, 2))
        'January 2, 2022'
    """
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


@dataclass
class Paragraph:
    """One body paragraph and the ground truth planted in it.

    Attributes:
        text: the paragraph exactly as written (without any ``++ `` prefix).
        mentions: ``(entity_id, surface)`` in order of appearance.
        quotes: ``(speaker_id, quoted text)`` of direct quotes.
        scare_quotes: words in scare quotes.
        labels: ``(actor_id, label)`` of camp labels.
        post: ``(author, handle, date)`` when the paragraph is an embedded post's signature line.
        editable: the paragraph ends in a plain narrative sentence whose last word may be swapped.
    """

    text: str
    mentions: list[tuple[str, str]] = field(default_factory=list)
    quotes: list[tuple[str, str]] = field(default_factory=list)
    scare_quotes: list[str] = field(default_factory=list)
    labels: list[tuple[str, str]] = field(default_factory=list)
    post: tuple[str, str, str] | None = None
    editable: bool = False


def swap_last_word(paragraph: Paragraph, rng: random.Random) -> Paragraph:
    """Return a copy of an editable paragraph with its final adverb replaced (a one-word edit).

    Example:
        >>> p = Paragraph("They met later.", editable=True)
        >>> swap_last_word(p, random.Random(0)).text != p.text
        True
    """
    head, last = paragraph.text[:-1].rsplit(" ", 1)
    replacement = rng.choice([w for w in TADVS if w != last])
    return Paragraph(f"{head} {replacement}.", list(paragraph.mentions), list(paragraph.quotes),
                     list(paragraph.scare_quotes), list(paragraph.labels), paragraph.post, True)


class ProseWriter:
    """Writes the paragraphs of one article in the voice of one camp."""

    def __init__(self, rng: random.Random, *, camp: str, event: Event | None,
                 curly: bool = False) -> None:
        """Start an article.

        Args:
            rng: the generator's random source (shared, so output is deterministic).
            camp: the outlet's camp; selects labels, scare quotes and quoted sources.
            event: the event the article covers, or ``None`` for background articles.
            curly: write quotes with curly marks instead of straight ones.
        """
        self.rng = rng
        self.camp = camp
        self.event = event
        self.open_q, self.close_q = ("\u201c", "\u201d") if curly else ('"', '"')
        self.seen: set[str] = set()
        self._random = rng.random
        self._current: Paragraph | None = None

    def _pick(self, options: Sequence[Any]) -> Any:
        """Return one element of ``options`` (faster than ``Random.choice``; same seed, same pick)."""
        return options[int(self._random() * len(options))]

    def _int(self, low: int, high: int) -> int:
        """Return an integer in ``[low, high]`` (faster than ``Random.randint``)."""
        return low + int(self._random() * (high - low + 1))

    # -- mentions -------------------------------------------------------------------------
    def mention(self, entity_id: str) -> str:
        """Return a surface form for an entity (with ``the`` outside the surface for orgs)."""
        entity = ENTITY_BY_ID[entity_id]
        if entity.kind == "person":
            if entity_id not in self.seen:
                surface = entity.variants[0] if self._random() < 0.1 else entity.canonical_name
            else:
                roll = self._random()
                surface = (entity.canonical_name if roll < 0.4 else
                           entity.variants[0] if roll < 0.48 else self._pick(entity.aliases))
            prefix = ""
        else:
            if entity_id not in self.seen and len(entity.aliases[0]) <= 5 and self._random() < 0.5:
                surface = f"{entity.canonical_name} ({entity.aliases[0]})"
            else:
                surface = self._pick((entity.canonical_name,) + entity.aliases)
            prefix = "the "
        self.seen.add(entity_id)
        assert self._current is not None
        self._current.mentions.append((entity_id, surface))
        return prefix + surface

    def _actor(self) -> str:
        if self.event is not None and self._random() < 0.55:
            return self.mention(self._pick(self.event.actors))
        if self._random() < 0.3:
            return self.mention(self._pick(("puv", "bss", "gov-veskaria", "nafv", "fws",
                                            "council-of-nations", "yara-quennel", "hollis-brandt",
                                            "ottilie-ferrand", "harnholm-institute")))
        return self._people()

    # -- phrase banks -----------------------------------------------------------------------
    def _people(self) -> str:
        roll = self._random()
        if roll < 0.35:
            return f"{self._int(2, 480)} {self._pick(NOUNS_PL)}"
        if roll < 0.7:
            return f"{self._pick(ADJS)} {self._pick(NOUNS_PL)} from {self._pick(PLACES)}"
        return f"several {self._pick(NOUNS_PL)}"

    def _object(self) -> str:
        roll = self._random()
        if roll < 0.4:
            return f"the {self._pick(ADJS)} {self._pick(NOUNS)}"
        if roll < 0.7:
            return f"{self._int(3, 950)} {self._pick(ADJS)} {self._pick(NOUNS_PL)}"
        noun = self._pick(NOUNS)
        return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun} on {self._pick(NOUNS_PL)}"

    def _place(self) -> str:
        return f"{self._pick(PREPS)} {self._pick(PLACES)}"

    def _end(self) -> str:
        return f" {self._pick(TADVS)}."

    # -- sentences -----------------------------------------------------------------------------
    def narrative(self) -> str:
        """A plain sentence ending in a one-word adverb (no quotes, no speech cue)."""
        frame = int(self._random() * 8)
        if frame == 0:
            s = f"{self._actor()} {self._pick(VERBS)} {self._object()} {self._place()}"
        elif frame == 1:
            s = f"{self._pick(OPENERS)}, {self._actor()} {self._pick(VERBS)} {self._object()}"
        elif frame == 2:
            s = (f"{self._actor()} {self._pick(VERBS)} {self._object()} and "
                 f"{self._pick(VERBS)} {self._object()}")
        elif frame == 3:
            s = f"There were {self._int(2, 700)} {self._pick(NOUNS_PL)} {self._place()}"
        elif frame == 4:
            s = (f"{self._actor()} {self._pick(VERBS)} {self._object()}, while "
                 f"{self._people()} {self._pick(VERBS)} {self._object()}")
        elif frame == 5 and self.event is not None:
            s = (f"{self._pick(EVENT_OPENERS)} the {self.event.label} {self._pick(VERBS)} "
                 f"{self._object()} {self._place()}")
        elif frame == 6:
            s = (f"{self._pick(NOUNS_PL).capitalize()} {self._pick(VERBS)} by "
                 f"{self._actor()} {self._pick(('were', 'had been', 'are', 'were later'))} "
                 f"{self._pick(MANNERS)} {self._pick(VERBS)} {self._place()}")
        else:
            s = (f"In {self._pick(MONTHS)} {self._int(2015, 2020)}, {self._actor()} "
                 f"{self._pick(VERBS)} {self._object()}")
        return s[0].upper() + s[1:] + self._end()

    def bare_date(self) -> str:
        """A sentence that opens with a day and month but no year (never a publication date)."""
        return (f"On {self._pick(MONTHS)} {self._int(1, 28)}, {self._actor()} "
                f"{self._pick(VERBS)} {self._object()}{self._end()}")

    def _quote_text(self) -> str:
        frame = int(self._random() * 5)
        if frame == 0:
            text = (f"{self._pick(('We', 'They', 'I', 'Staff'))} "
                    f"{self._pick(('were', 'had been', 'was', 'got'))} "
                    f"{self._pick(('told', 'asked', 'ordered', 'pressed', 'urged', 'paid'))} to "
                    f"{self._pick(VERBS_INF)} {self._object()} "
                    f"{self._place()}")
        elif frame == 1:
            text = (f"{self._pick(('Nobody', 'No one', 'Hardly anyone', 'Only one clerk'))} "
                    f"{self._pick(VERBS)} the {self._pick(NOUNS_PL)} "
                    f"{self._pick(('I saw', 'we kept', 'I counted', 'they hid', 'we sent'))} "
                    f"{self._place()}")
        elif frame == 2:
            text = (f"I {self._pick(VERBS)} {self._object()} myself and it was "
                    f"{self._pick(ADJS)}")
        elif frame == 3:
            text = (f"They will {self._pick(VERBS_INF)} every {self._pick(NOUNS)} "
                    f"that mentions {self._int(2, 90)} {self._pick(NOUNS_PL)}")
        else:
            text = (f"What happened {self._place()} was {self._pick(ADJS)} and "
                    f"{self._pick(ADJS)}")
        return text

    def quote(self) -> str:
        """A direct quote with a speech cue; the speaker is one this camp quotes."""
        pool = QUOTED_BY_CAMP[self.camp]
        speaker = self._pick(INSIDERS) if self._random() < 0.5 else self._pick(pool)
        if speaker not in pool:
            speaker = self._pick(pool)
        q = self._quote_text()
        name = self.mention(speaker)
        o, c = self.open_q, self.close_q
        form = int(self._random() * 5)
        if form == 0:
            sentence, said = f"{name} said, {o}{q}.{c}", q + "."
        elif form == 1:
            sentence, said = f"{o}{q},{c} {name} said.", q
        elif form == 2:
            sentence, said = f"According to {name}, {o}{q}.{c}", q + "."
        elif form == 3:
            sentence, said = f"{name} told {self._pick(OUTLETS_TOLD)}: {o}{q}.{c}", q + "."
        else:
            low = q if q.startswith("I ") else q[0].lower() + q[1:]
            sentence, said = f"{name} declared that {o}{low}.{c}", low + "."
        assert self._current is not None
        self._current.quotes.append((speaker, said))
        return sentence

    def label_sentence(self) -> str:
        """A sentence that names an actor by this camp's label for it."""
        actor = self._pick(sorted(LABELS[self.camp]))
        label = self._pick(LABELS[self.camp][actor])
        assert self._current is not None
        self._current.labels.append((actor, label))
        frame = int(self._random() * 4)
        if frame == 0:
            s = (f"{self._people()} {self._pick(VERBS)} the {self._pick(NOUNS_PL)} of "
                 f"{label}{self._end()}")
        elif frame == 1:
            s = f"Critics of {label} {self._pick(VERBS)} {self._object()}{self._end()}"
        elif frame == 2:
            s = (f"{self._actor()} {self._pick(INTENSIFIERS)} {self._pick(LOADED_VERBS)} "
                 f"{label} of "
                 f"{self._pick(GERUNDS)} {self._object()}{self._end()}")
        else:
            s = f"Supporters of {label} {self._pick(VERBS)} {self._object()}{self._end()}"
        return s[0].upper() + s[1:]

    def scare_sentence(self) -> str:
        """A sentence with a quoted word or short label and no speech cue."""
        word = self._pick(SCARE_QUOTES[self.camp])
        assert self._current is not None
        self._current.scare_quotes.append(word)
        o, c = self.open_q, self.close_q
        if self._random() < 0.5:
            s = (f"{self._people()} {self._pick(VERBS)} the so-called {o}{word}{c} "
                 f"{self._place()}{self._end()}")
        else:
            s = (f"These {o}{word}{c} {self._pick(VERBS)} {self._object()}"
                 f"{self._end()}")
        return s[0].upper() + s[1:]

    # -- paragraphs ------------------------------------------------------------------------------
    def paragraph(self, *, bare_date: bool = False) -> Paragraph:
        """Return a paragraph of 3-5 sentences that ends with a plain narrative sentence."""
        self._current = paragraph = Paragraph("", editable=True)
        sentences: list[str] = []
        if bare_date:
            sentences.append(self.bare_date())
        partisan = self.camp != "international"
        for _ in range(self._int(2, 4)):
            roll = self._random()
            if roll < 0.16:
                sentences.append(self.quote())
            elif roll < 0.26 and (partisan or roll < 0.2):
                sentences.append(self.label_sentence())
            elif roll < 0.31 and partisan:
                sentences.append(self.scare_sentence())
            else:
                sentences.append(self.narrative())
        sentences.append(self.narrative())
        paragraph.text = " ".join(sentences)
        self._current = None
        return paragraph

    def embedded_post(self, published: date | None, *, fallback: date) -> list[Paragraph]:
        """An embedded social-media post: its text line and its signature line.

        The post's date is 1-300 days before the publication date (``fallback`` when the article
        shows none), so it can never be mistaken for it.
        """
        camp_people = {"opposition-aligned": ("lena-dravik", "davor-lisken", "nafv", "puv"),
                       "government-aligned": ("anselm-vorak", "greta-mallin", "mattis-grell",
                                              "fws"),
                       "international": ("imre-solvang", "ruth-arden", "petra-halloran",
                                         "jonas-arden")}[self.camp]
        author = ENTITY_BY_ID[self._pick(camp_people)]
        posted = (published or fallback) - timedelta(days=self._int(1, 300))
        self._current = text_paragraph = Paragraph("")
        body = self.narrative()[:-1]
        text = f"{body} #{self._pick(HASHTAGS)}"
        if self._random() < 0.5:
            text += " pic.twitter.com/" + "".join(
                self._pick(POST_ID_CHARS) for _ in range(10))
        text_paragraph.text = text
        name = author.canonical_name
        signature = Paragraph(f"\u2014 {name} ({author.handle}) {month_day_year(posted)}",
                              mentions=[(author.entity_id, name)],
                              post=(name, author.handle, posted.isoformat()))
        self._current = None
        return [text_paragraph, signature]

    def title(self) -> str:
        """A headline (unique enough: built from several random slots)."""
        if self.event is not None and self._random() < 0.6:
            return (f"{self.event.label[0].upper()}{self.event.label[1:]}: {self._pick(NOUNS_PL)} "
                    f"{self._pick(VERBS)} {self._place()}")
        return (f"{self._pick(ADJS).capitalize()} {self._pick(NOUNS)} "
                f"{self._pick(VERBS)} {self._place()}")

    def subtitle(self) -> str:
        """A one-sentence standfirst (its mentions are not tracked: it is not body text)."""
        return (f"{self._int(2, 60)} {self._pick(NOUNS_PL)} {self._pick(VERBS)} the "
                f"{self._pick(ADJS)} {self._pick(NOUNS)} {self._place()}")
