"""Subjects of cues and clauses: the noun phrase a speech verb or a sentence is about.

:class:`ClauseSubjects` reads the syntax around a speech cue without a parser: the subject
right before the verb (``X said``, an appositive between commas skipped: ``X, the chair of Y,
said``), right after it (``said X``, ``said attorney X``), or at the start of the main clause
(introductory phrases up to a comma skipped). It says what stands there (:class:`Subject`): a
name, a pronoun, a title (``the president``), an unnamed speaker (``officials``, ``a
spokesman for X``), several, a place, or nothing that speaks. A name after a preposition or a
possessor is never the subject. Resolving pronouns and titles is
:mod:`mediaprov.speakers.resolution`'s job.

Example:
    >>> from mediaprov.entities import Gazetteer
    >>> text = "A spokesman for Ivo Rask said it."
    >>> f = ClauseSubjects(text, [], Gazetteer.build([]), [(0, len(text))], [])
    >>> f.subject_before(text.index("said"), 0)
    Subject(kind='unnamed', name=None, word='of-name')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mediaprov.speakers.article_names import ArticleNames, Name
from mediaprov.speakers.lexicon import (ACRONYM_PAREN, ADVERBS, ANIMATE, CUE, DOCUMENTS,
                                        INTRO_WORDS, ORG_ROLES, PERSON_ROLES, POSSESSIVE,
                                        PREPOSITIONS, PRONOUNS, TIME_PHRASE, TITLE_PHRASE, VERBS,
                                        WHEN, WORD)


@dataclass(frozen=True)
class Subject:
    """What stands in subject position of a cue or a clause.

    Attributes:
        kind: ``name`` (a named person or organisation), ``pronoun``, ``title`` (``the
            president``, ``the report``), ``unnamed`` (``officials``, ``a spokesman for X``),
            ``inanimate`` (``the plan``), ``several`` (``X and Y``), ``place`` or ``none``.
        name: the name, for ``name`` (and ``several``, ``place``).
        word: the pronoun, title or head noun.
    """

    kind: str
    name: Name | None = None
    word: str = ""


def _noun_phrase(words: list[str]) -> list[str]:
    """The last words of ``words`` back to a determiner (or to a word that is not one)."""
    phrase = []
    for w in reversed(words):
        if not re.match(r"[A-Za-z’'\-]+$", w):
            break
        phrase.append(w)
        if w.lower() in ("the", "a", "an", "his", "her", "its", "their", "our", "this",
                         "that", "another", "one", "two", "several", "some", "many",
                         "both") or POSSESSIVE.search(w):
            break
    phrase.reverse()
    return phrase


def _apposition_comma(words: list[re.Match[str]], index: int) -> re.Match[str] | None:
    """The comma closing the phrase that starts at ``words[index]``, when no verb comes before it."""
    comma = next((x for x in words[index:index + 12] if x.group() == ","), None)
    if comma is not None and not any(
            _verb_like(x.group()) for x in words[index:words.index(comma)]
            if x.group().islower() and x.group() not in PREPOSITIONS
            and not POSSESSIVE.search(x.group())):
        return comma
    return None


class ClauseSubjects(ArticleNames):
    """What stands in subject position of the cues and clauses of one article.

    Args: as :class:`mediaprov.speakers.article_names.ArticleNames`.

    Example:
        >>> from mediaprov.entities import Gazetteer
        >>> text = "Ivo Rask and Nela Brun said it."
        >>> f = ClauseSubjects(text, [], Gazetteer.build([]), [(0, len(text))], [])
        >>> f.clause_subject(0, len(text)).kind
        'several'
    """

    def _words_before(self, low: int, high: int, count: int) -> list[tuple[int, int, str]]:
        piece = self.masked[max(low, high - 30 * count):high]
        base = max(low, high - 30 * count)
        return [(base + m.start(), base + m.end(), m.group()) for m in WORD.finditer(piece)
                ][-count:]

    def subject_before(self, position: int, low: int) -> Subject:
        """The noun phrase that is the subject of a verb starting at ``position``.

        Args:
            position: offset of the verb.
            low: where to stop looking back (the sentence start, or the end of a quote).

        Returns:
            The subject; an appositive between commas is skipped.

        Example:
            >>> text = "Ivo Rask, the chair of the council, said it."
            >>> from mediaprov.entities import Gazetteer
            >>> f = ClauseSubjects(text, [], Gazetteer.build([]), [(0, len(text))], [])
            >>> f.subject_before(text.index("said"), 0).name.surface
            'Ivo Rask'
        """
        text = self.masked
        j = position
        for _ in range(8):
            piece = text[low:j].rstrip()
            j = low + len(piece)
            time_phrase = TIME_PHRASE.search(text, max(low, j - 40), j)
            if time_phrase is not None:
                j = time_phrase.start()
                continue
            word = re.search(r"([A-Za-z’']+)$", piece)
            if word and word.group(1).lower() in ADVERBS:
                j = low + word.start(1)
                continue
            break
        piece = text[low:j].rstrip()
        j = low + len(piece)
        if not piece or piece[-1] in "”\"’":
            return Subject("none")  # “...,” said X: the subject follows the verb
        if piece[-1] in ",—–)" or piece.endswith("--"):
            # An appositive or a relative clause: "X, the chair of Y, said" / "X, who ..., said"
            # (several: "X, a former director of Y, a division of Z, said").
            opener = piece[-1]
            pair = {"—": "—", "–": "–", ")": "(", "-": "-"}.get(opener, ",")
            inner_end = j - 1
            first_try: Subject | None = None
            for _ in range(3):
                k = self.masked.rfind(pair, low, inner_end)
                if k < 0 or j - k > 260:
                    break
                segment = text[k + 1:inner_end]
                candidate = self._phrase_ending(low + len(text[low:k].rstrip()), low)
                named = self._name_ending(k + 1 + len(segment.rstrip()))
                if named is not None and named.start == k + 1 + len(segment) - len(
                        segment.lstrip()) and named.kind in ("person", "unknown") \
                        and not POSSESSIVE.search(named.surface) and first_try is None \
                        and candidate.kind in ("title", "unnamed"):
                    return Subject("name", name=named)  # "the secretary, Ivo Rask, said"
                if first_try is None:
                    first_try = candidate
                if candidate.kind in ("name", "pronoun", "title", "several"):
                    return candidate
                if pair != ",":
                    break
                inner_end = k
            if first_try is not None and first_try.kind != "none":
                return first_try
            piece = text[low:j - 1].rstrip()
            j = low + len(piece)
        who = re.search(r"(?:^|[\s,])(who|which)$", piece)
        if who:
            piece = text[low:low + who.start(1)].rstrip().rstrip(",").rstrip()
            j = low + len(piece)
        return self._phrase_ending(j, low)

    def _phrase_ending(self, j: int, low: int) -> Subject:
        text = self.masked
        acronym = re.search(r"\([^()\n]{1,15}\)$", text[low:j])
        if acronym:
            j = low + acronym.start()
            j = low + len(text[low:j].rstrip())
        title = TITLE_PHRASE.search(text, max(low, j - 80), j)
        if title is not None and title.end() == j:
            role = title.group("role").lower()
            return Subject("title", word=role)
        name = self._name_ending(j)
        if name is not None:
            return self._check_name(name, low)
        owner = self._document_owner(low, j)
        if owner is not None:
            return Subject("name", name=owner)
        words = self._words_before(low, j, 6)
        if not words:
            return Subject("none")
        last = words[-1][2]
        lower = last.lower()
        if lower in ORG_ROLES:
            # "Save the Children charity said": an organisation named before its kind.
            subject = self._org_before_kind(low, words[-1][0])
            if subject is not None:
                return subject
        if lower in PRONOUNS:
            return Subject("pronoun", word=lower)
        if last[:1].isupper():
            return Subject("none")
        # A common noun phrase: find its determiner.
        phrase = _noun_phrase([w for _, _, w in words])
        head = lower
        determiner = phrase[0].lower() if phrase else ""
        before_phrase = self._words_before(low, words[-len(phrase)][0] if phrase else j, 1)
        if before_phrase and before_phrase[0][2].lower() in PREPOSITIONS:
            return Subject("unnamed", word=head)
        if determiner == "the" and (head in PERSON_ROLES or head in ORG_ROLES
                                    or head in DOCUMENTS):
            return Subject("title", word=head)
        if head in ANIMATE or head.endswith("ers") or head.endswith("ists"):
            return Subject("unnamed", word=head)
        return Subject("inanimate", word=head)

    def _document_owner(self, low: int, j: int) -> Name | None:
        """``the Council's report`` ending at ``j``: the organisation owning the document."""
        text = self.masked
        document = re.search(r"([\w’'\-]+(?:[’']s|s[’']))[ \t]+(?:[a-z\-]+[ \t]+)?([a-z]+)$",
                             text[max(low, j - 80):j])
        if document is not None and document.group(2) in DOCUMENTS:
            cut = 2 if document.group(1)[-2:] in ("’s", "'s") else 1
            owner = self._name_ending(max(low, j - 80) + document.end(1)) or \
                self._name_ending(max(low, j - 80) + document.end(1) - cut)
            if owner is not None and owner.kind == "org":
                return owner
        return None

    def _org_before_kind(self, low: int, kind_start: int) -> Subject | None:
        """The subject when a name ends before the organisation word at ``kind_start``, as an org."""
        text = self.masked
        owner = self._name_ending(low + len(text[low:kind_start].rstrip()))
        if owner is not None and owner.kind != "place" and not \
                POSSESSIVE.search(owner.surface):
            subject = self._check_name(owner, low)
            if subject.kind == "name" and subject.name is not None:
                name = subject.name
                return Subject("name", name=Name(name.start, name.end, name.surface,
                                                  name.entity_id, "org", name.key))
            return subject
        return None

    def _head_name(self, name: Name, high: int) -> Name:
        """``State Department spokesman Ivo Rask``: the person after an organisation and a role."""
        following = re.match(
            r"(?:[ \t]+(?:[a-z][a-z\-]*|[A-Z][a-z]+))?[ \t]+(?:[a-z][a-z\-]*[ \t]+){0,3}",
            self.masked[name.end:name.end + 80])
        if following is None:
            return name
        words = following.group().split()
        if not words or not any(w.lower() in PERSON_ROLES for w in words):
            return name
        if any(w in PREPOSITIONS or _verb_like(w) for w in words if w.islower()):
            return name
        later = self._name_starting(name.end + following.end())
        if later is not None and later.end <= high and later.kind != "place":
            return later
        return name

    def _check_name(self, name: Name, low: int) -> Subject:
        """A name ending where the subject should end: is it the head of the subject?"""
        before = self._words_before(low, name.start, 3)
        if POSSESSIVE.search(name.surface):
            return Subject("unnamed", word="possessed")
        if " " not in name.surface and name.surface.lower() in ANIMATE and \
                name.surface.endswith("s"):
            return Subject("unnamed", word=name.surface.lower())  # "Republicans said"
        words_back = [w for _, _, w in reversed(self._words_before(low, name.start, 5))]
        for position, word in enumerate(words_back):
            if word.lower() in ("a", "an"):
                return Subject("unnamed", word="description")  # "a former Director of Y"
            if word in PREPOSITIONS:
                if all(w == "the" for w in words_back[:position]):
                    break  # right before the name: decided below
                return Subject("unnamed", word="of-name")  # "one of the Senate’s leading X"
            if not (word.islower() or POSSESSIVE.search(word)) or word in ("and", "or"):
                break
        while before and before[-1][2].lower() in ("the", "a", "an"):
            before = before[:-1]
        if before:
            word = before[-1][2].lower()
            if word in PREPOSITIONS:
                if word in ("from", "of", "at", "with"):
                    # "Ivo Rask from the Tarsa Front said": the name before the preposition.
                    gap = self.masked[low:before[-1][0]].rstrip()
                    gap = re.sub(r"[ \t]*\([^()\n]{1,15}\)$", "", gap)
                    owner = self._name_ending(low + len(gap))
                    if owner is not None and owner.kind in ("person", "unknown"):
                        return self._check_name(owner, low)
                return Subject("unnamed", word="of-name")
            if word in ("and", "&", "or") and len(before) > 1 and before[-2][2] not in ".!?":
                return Subject("several", name=name)
        if name.kind == "place":
            return Subject("place", name=name)
        return Subject("name", name=name)

    def subject_after(self, position: int, high: int) -> Subject:
        """The subject of an inverted cue: ``said X`` (``position`` is after the verb).

        Args:
            position: offset right after the verb.
            high: end of the sentence.

        Returns:
            The subject.

        Example:
            >>> text = "“Go,” said attorney Ivo Rask."
            >>> from mediaprov.entities import Gazetteer
            >>> f = ClauseSubjects(text, [], Gazetteer.build([]), [(0, len(text))], [(1, 4)])
            >>> f.subject_after(text.index("said") + 4, len(text)).name.surface
            'Ivo Rask'
        """
        text = self.masked
        gap = text[position:high]
        offset = len(gap) - len(gap.lstrip(" \t"))
        start = position + offset
        name = self._name_starting(start)
        article = re.match(r"[Tt]he[ \t]+(?=[A-Z])", text[start:start + 5])
        if name is None and article is not None:
            name = self._name_starting(start + article.end())  # "according to The Times"
        if name is not None and name.end <= high:
            name = self._head_name(name, high)
            tail = text[name.end:name.end + 3]
            if tail.startswith(("’s", "'s")) or POSSESSIVE.search(name.surface):
                return Subject("unnamed", word="possessed")
            if name.kind == "place":
                return Subject("place", name=name)
            if re.match(r"[ \t]+and[ \t]+[A-Z]", text[name.end:name.end + 8]):
                return Subject("several", name=name)
            return Subject("name", name=name)
        words = [m.group() for m in WORD.finditer(text[start:min(high, start + 80)])][:6]
        if not words:
            return Subject("none")
        described = re.match(r"((?:[a-z\-]+[ \t]+){1,4})(?=[A-Z])", text[start:start + 80])
        if described and not any(w in PREPOSITIONS or w in ("a", "an", "the") or w in VERBS
                                 for w in described.group(1).split()):
            # "said attorney Ivo Rask", "tweeted former Orlet Council adviser Nela Brun"
            named = self._name_starting(start + described.end())
            if named is not None:
                named = self._head_name(named, high)
            if named is not None and named.end <= high and (named.kind == "person" or (
                    named.kind == "unknown"
                    and any(w in PERSON_ROLES for w in described.group(1).split()))):
                return Subject("name", name=named)
        first = words[0].lower()
        if first in PRONOUNS:
            return Subject("pronoun", word=first)
        if first == "the" and len(words) > 1:
            head = None
            for w in words[1:]:
                if not re.match(r"[a-z\-]+$", w):
                    break
                head = w
            if head and (head in PERSON_ROLES or head in ORG_ROLES or head in DOCUMENTS):
                return Subject("title", word=head)
        return Subject("unnamed", word=first)

    def clause_subject(self, low: int, high: int) -> Subject:
        """The subject of the main clause of the text ``[low, high)`` (a sentence start).

        Args:
            low: start of the clause (introductory phrases up to a comma are skipped).
            high: where to stop.

        Returns:
            The subject.

        Example:
            >>> text = "On Monday, officials condemned Ivo Rask."
            >>> from mediaprov.entities import Gazetteer
            >>> f = ClauseSubjects(text, [], Gazetteer.build([]), [(0, len(text))], [])
            >>> f.clause_subject(0, len(text)).kind
            'unnamed'
        """
        position = self._clause_start(low, high)
        if position is None:
            return Subject("none")
        text = self.masked
        name = self._name_starting(position)
        possessor: Name | None = None
        if name is not None and name.end <= high and (
                POSSESSIVE.search(name.surface) or text[name.end:name.end + 2] in ("’s", "'s")):
            possessor, name = name, None  # "Tehran’s foreign ministry spokesman, X, said"
        if name is not None and name.end <= high:
            return self._named_subject(name, high)
        return self._noun_phrase_subject(position, high, possessor)

    def _clause_start(self, low: int, high: int) -> int | None:
        """Where the clause ``[low, high)`` has its subject: past conjunctions and introductory phrases.

        ``None`` when the clause has no word or its introductory phrase does not end.
        """
        text = self.masked
        position = low
        for _ in range(3):
            gap = text[position:high]
            position += len(gap) - len(gap.lstrip(" \t\n“\"‘'(["))
            first = re.match(r"[A-Za-z’']+", text[position:high])
            if first is None:
                return None
            if first.group().lower() in ("and", "but", "so", "yet", "or"):
                position += first.end()
                continue
            when = WHEN.match(text, position, high)
            if when is not None:
                position = when.end()  # "Earlier this week a statement said"
                continue
            if first.group().lower() in INTRO_WORDS and not self._name_starting(position):
                comma = text.find(",", position, high)
                if comma < 0 or _words_count(text[position:comma]) > 25:
                    return None
                position = comma + 1
                continue
            break
        gap = text[position:high]
        position += len(gap) - len(gap.lstrip(" \t"))
        return position

    def _named_subject(self, name: Name, high: int) -> Subject:
        """The subject of a clause that starts with ``name`` (several, a place or a name, or none)."""
        text = self.masked
        name = self._head_name(name, high)
        rest = text[name.end:high]
        if re.match(r"[ \t]+(?:and|&|or)[ \t]", rest):
            return Subject("several", name=name)
        paren = ACRONYM_PAREN.match(rest)
        after = name.end + (paren.end() if paren else 0)
        rest = text[after:high]
        if rest.lstrip().startswith(","):
            # Skip an appositive "X, the chair of Y, said".
            k = text.find(",", after + rest.index(",") + 1, high)
            if 0 <= k and not re.search(r"[.!?]\s", text[after:k]):
                rest = text[k + 1:high]
            else:
                return Subject("none")
        verb = re.match(r"[ \t]*([a-z’'\-]+)", rest)
        if verb is None or not _verb_like(verb.group(1)) or (
                name.kind == "unknown" and name.entity_id is None
                and verb.group(1) not in VERBS and not verb.group(1).endswith("ed")):
            return Subject("none")
        if name.kind == "place":
            return Subject("place", name=name)
        return Subject("name", name=name)

    def _called_subject(self, words: list[re.Match[str]], index: int, position: int) -> Subject:
        """``... known as / called / named / dubbed (as) (the) X``: X when it is a name, not a place."""
        nxt = words[index + 1] if index + 1 < len(words) else None
        if nxt is not None and nxt.group().lower() == "as":
            nxt = words[index + 2] if index + 2 < len(words) else None
        if nxt is not None and nxt.group().lower() == "the":
            nxt = words[words.index(nxt) + 1] if words.index(nxt) + 1 < len(words) \
                else None
        if nxt is not None:
            named = self._name_starting(position + nxt.start())
            if named is not None and named.kind != "place":
                return Subject("name", name=named)
        return Subject("none")

    def _name_before_verb(self, start: int, high: int) -> Name | None:
        """The name starting at ``start`` when it ends before ``high`` and a verb follows it."""
        named = self._name_starting(start)
        if named is not None and named.end < high:
            following = self.masked[named.end:named.end + 30]
            verb = re.match(r"[ \t]+([a-z’'\-]+)", following)
            if verb and _verb_like(verb.group(1)) and not POSSESSIVE.search(named.surface):
                return named
        return None

    def _name_in_commas(self, after: int, high: int) -> Name | None:
        """The person (or unknown) name right after ``after`` when a comma follows it."""
        text = self.masked
        gap = text[after:high]
        named = self._name_starting(after + len(gap) - len(gap.lstrip(" \t")))
        if named is not None and named.kind in ("person", "unknown") and re.match(
                r"[ \t]*,", text[named.end:high]):
            return named
        return None

    def _noun_phrase_subject(self, position: int, high: int, possessor: Name | None) -> Subject:
        """The subject of a clause that starts with a noun phrase at ``position`` (not a name)."""
        text = self.masked
        words = list(WORD.finditer(text[position:min(high, position + 300)]))[:16]
        if not words:
            return Subject("none")
        first = words[0].group()
        if first.lower() in PRONOUNS:
            return Subject("pronoun", word=first.lower())
        # A noun phrase up to the first verb-like word.
        head = None
        stop = None
        for index, w in enumerate(words):
            stop = w
            word = w.group()
            lower = word.lower()
            if index and lower in ("known", "called", "named", "dubbed"):
                return self._called_subject(words, index, position)
            if index and lower in PREPOSITIONS and head in PERSON_ROLES:
                # "The head of the country’s force, Ivo Rask, said": skip to the comma.
                comma = _apposition_comma(words, index)
                if comma is not None:
                    stop = comma
                    break
            if index and (_verb_like(lower) or lower in PREPOSITIONS or word in ",;:"):
                break
            if word[:1].isupper() and index:
                # "The group's leader Ivo Rask said" / "Iran's president Kira Aln".
                named = self._name_before_verb(position + w.start(), high)
                if named is not None:
                    return Subject("name", name=named)
            head = lower
            stop = None
        if head is None:
            return Subject("none")
        if stop is not None and stop.group() == "," and head in PERSON_ROLES:
            # "The group’s spokesman, Ivo Rask, said": the name in apposition to the head.
            named = self._name_in_commas(position + stop.end(), high)
            if named is not None:
                return Subject("name", name=named)
        return self._head_subject(head, first, position, position + (stop.start() if stop else 0),
                                  possessor)

    def _head_subject(self, head: str, first: str, position: int, end: int,
                      possessor: Name | None) -> Subject:
        """The subject a noun phrase ``[position, end)`` names by its head word and first word."""
        if possessor is not None and head in DOCUMENTS:
            return Subject("name", name=possessor)  # "the Council’s report said"
        if head in DOCUMENTS and first.lower() in ("a", "an", "the"):
            inside = [n for n in self.names_in(position, end)
                      if n.kind in ("org", "unknown") and not POSSESSIVE.search(n.surface)]
            if len(inside) == 1:
                return Subject("name", name=inside[0])  # "a White House statement said"
        if first.lower() == "the" and (head in PERSON_ROLES or head in ORG_ROLES
                                       or head in DOCUMENTS):
            return Subject("title", word=head)
        if head in ANIMATE or head.endswith("ers") or head.endswith("ists"):
            return Subject("unnamed", word=head)
        return Subject("inanimate", word=head)

    def cue_subjects(self, low: int, high: int) -> list[tuple[int, Name]]:
        """Named subjects of the speech cues inside ``[low, high)``, with the cue offsets.

        Example:
            >>> text = "Nela Brun spoke, but Ivo Rask said the talks failed."
            >>> from mediaprov.entities import Gazetteer
            >>> f = ClauseSubjects(text, [], Gazetteer.build([]), [(0, len(text))], [])
            >>> [n.surface for _, n in f.cue_subjects(0, len(text))]
            ['Ivo Rask']
        """
        found = []
        for verb in CUE.finditer(self.masked, low, high):
            subject = self.subject_before(verb.start(), low)
            if subject.kind == "none":
                subject = self.subject_after(verb.end(), high)
            if subject.kind == "name" and subject.name is not None:
                found.append((verb.start(), subject.name))
        return found

def _verb_like(word: str) -> bool:
    return word in VERBS or word.endswith("ed") or (word.endswith("s") and len(word) > 3
                                                     and not word.endswith("ss"))


def _words_count(text: str) -> int:
    return len(text.split())


