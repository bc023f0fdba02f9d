"""Word lists and cue grammar of speaker attribution: what counts as a role, a title, a cue.

These are the only vocabularies :mod:`mediaprov.speakers` uses; the other modules of the
subpackage ask them and never spell words themselves.

* **kinds and roles**: :data:`SPEAKER_KINDS` (gazetteer kinds that can speak),
  :data:`PERSON_ROLES`, :data:`ORG_ROLES`, :data:`DOCUMENTS` (``the president``, ``the group``,
  ``the report``), :data:`ANIMATE` (heads of noun phrases that name someone: ``officials``);
* **names**: :data:`PERSON_TITLES` (cut from a displayed name), :data:`ORG_WORDS` (make a
  chunk an organisation), :data:`SKIP_START` (capitalised sentence words that start no name),
  :data:`NAME_CHUNK` (a capitalised chunk), :data:`TITLE_BEFORE` (titles before a name);
* **clause grammar**: :data:`INTRO_WORDS` (introductory phrases), :data:`PREPOSITIONS`,
  :data:`ADVERBS` (between a subject and its verb), :data:`VERBS` (verb-like words),
  :data:`PRONOUNS` (and what they stand for), :data:`PARTICIPLES` (``saying``);
* **cues**: :data:`CUE` (speech verbs), :data:`CUE_BEFORE_COLON` (``X said:``), and the
  patterns of time phrases, appositives and coordinated clauses.

Example:
    >>> from mediaprov.speakers.lexicon import CUE, PRONOUNS
    >>> CUE.search("Ivo Rask said it.").group(), PRONOUNS["they"]
    ('said', 'plural')
"""

from __future__ import annotations

import re

SPEAKER_KINDS: frozenset[str] = frozenset({"person", "org", "group", "organisation",
                                           "organization", "document", "news", "agency",
                                           "broadcaster", "party-site", "press-office", "ngo",
                                           "outlet", "unknown"})
"""Gazetteer kinds that can speak; names of other kinds (places) are never speakers."""

PARTICIPLES: frozenset[str] = frozenset({
    "saying", "adding", "telling", "writing", "noting", "warning", "arguing", "insisting",
    "explaining", "declaring", "stating", "tweeting", "claiming", "stressing", "calling",
    "asking", "urging", "describing", "accusing", "posting", "quoting", "vowing", "suggesting",
})
PERSON_ROLES: frozenset[str] = frozenset({
    "president", "minister", "spokesman", "spokeswoman", "spokesperson", "secretary", "senator",
    "ambassador", "leader", "commander", "envoy", "adviser", "advisor", "general", "governor",
    "chairman", "chairwoman", "chair", "director", "ayatollah", "ruler", "king", "prince",
    "premier", "chancellor", "speaker", "lawmaker", "congressman", "congresswoman",
    "representative", "diplomat", "official", "mayor", "judge", "prosecutor", "candidate",
    "head", "chief", "founder", "author", "analyst", "expert", "professor", "lawyer", "attorney",
    "consultant", "columnist", "commentator", "writer", "historian", "pollster", "husband",
    "negotiator", "cleric", "admiral", "colonel", "officer", "aide", "journalist",
    "reporter", "correspondent", "host", "actor", "activist", "woman", "man", "father",
    "mother", "son", "daughter", "wife", "brother", "sister", "victim", "witness",
    "businessman", "member", "strategist", "economist", "scholar", "researcher", "pastor",
})
ORG_ROLES: frozenset[str] = frozenset({
    "group", "organisation", "organization", "ministry", "agency", "council", "committee",
    "department", "company", "party", "movement", "front", "government", "administration",
    "office", "embassy", "association", "society", "institute", "coalition", "alliance",
    "network", "campaign", "union", "foundation", "court", "militia", "regime", "outlet",
    "newspaper", "paper", "magazine", "channel", "website", "body", "authority",
    "charity", "firm", "think-tank", "watchdog",
})
ANIMATE: frozenset[str] = PERSON_ROLES | ORG_ROLES | frozenset({
    "officials", "critics", "analysts", "experts", "sources", "source", "people", "members",
    "residents", "protesters", "lawmakers", "diplomats", "leaders", "observers", "activists",
    "supporters", "opponents", "officers", "citizens", "witnesses", "families", "authorities",
    "others", "some", "many", "everyone", "someone", "nobody", "democrats", "republicans",
    "conservatives", "liberals", "commentators", "students", "workers", "voters", "users",
    "spokespeople", "aides", "allies", "administration", "government", "statement",
    "readout", "report", "letter", "post", "tweet",
})
PERSON_TITLES: frozenset[str] = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "vice", "secretary", "minister", "prime", "foreign", "defense", "defence",
    "supreme", "leader", "ayatollah", "grand", "sheikh", "senator", "sen", "rep",
    "representative", "congressman", "congresswoman", "gov", "governor", "gen", "general",
    "lt", "col", "colonel", "maj", "major", "capt", "captain", "adm", "admiral", "sgt",
    "ambassador", "speaker", "chairman", "chairwoman", "director", "chief", "justice", "judge",
    "mayor", "king", "queen", "prince", "princess", "crown", "pope", "spokesman",
    "spokeswoman", "commander", "deputy", "state", "attorney", "house", "senate", "majority",
    "minority", "democratic", "republican", "former", "acting", "national", "security",
    "adviser", "advisor", "interior", "intelligence", "chancellor", "emir", "imam", "rabbi",
    "father", "cardinal", "bishop", "sultan", "gen.", "premier", "envoy", "special",
})
ORG_WORDS: frozenset[str] = frozenset({
    "ministry", "agency", "council", "committee", "department", "party", "front", "government",
    "administration", "office", "embassy", "association", "society", "institute", "coalition",
    "alliance", "network", "organization", "organisation", "union", "foundation", "court",
    "guard", "guards", "corps", "force", "forces", "army", "navy", "news", "times", "post",
    "press", "journal", "tribune", "herald", "telegraph", "guardian", "house", "congress",
    "senate", "parliament", "majlis", "bank", "company", "inc", "corp", "group", "center",
    "centre", "university", "commission", "nations", "service", "services", "command",
    "mujahedin", "mojahedin", "mujahideen", "watch", "international", "media", "broadcasting",
    "tv", "radio", "cnn", "bbc", "reuters", "fox", "nbc", "cbs", "abc", "npr",
    "pentagon", "kremlin", "white", "daily", "magazine", "review", "monitor",
})
_SKIP_START_WORDS: frozenset[str] = frozenset({
    "The", "A", "An", "In", "On", "At", "But", "And", "It", "He", "She", "They", "This", "That",
    "As", "After", "When", "While", "If", "We", "I", "His", "Her", "Their", "Its", "Some",
    "Others", "Many", "Our", "My", "Your", "Yet", "So", "Or", "For", "With", "By", "From", "To",
    "Of", "Still", "However", "Meanwhile", "Also", "Then", "Now", "There", "Here", "Since",
    "Although", "Though", "Despite", "During", "Before", "Until", "Because", "Like", "Unlike",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Last", "Earlier", "Later", "Today", "Yesterday", "Asked",
    "Speaking", "Following", "Amid", "What", "Who", "Why", "How", "Where", "These", "Those",
    "Both", "Such", "All", "Most", "Each", "Every", "No", "Not", "Even", "Only", "Just", "Iran",
    "Read", "Watch", "Update", "Note", "Photo", "Click", "Advertisement", "Sign", "Follow",
    "Another", "One", "Two", "Three", "Several", "Few", "Other", "Former", "Late",
    "Whether", "Maybe", "Perhaps", "Instead", "Indeed", "Yes", "Thus", "Hence", "Moreover",
    "Furthermore", "Nevertheless", "Nonetheless", "Finally", "First", "Second", "Again",
    "Already", "Ultimately", "Clearly", "Obviously", "Unfortunately", "Fortunately", "Sadly",
    "Notably", "Specifically", "Overall", "Together", "Besides", "Otherwise", "Rather", "Soon",
    "Eventually", "Recently", "Currently", "Chest-beaters", "Sure", "Well", "Oh", "Thanks",
})
INTRO_WORDS: frozenset[str] = frozenset({
    "on", "in", "at", "after", "before", "during", "since", "as", "when", "while", "although",
    "though", "despite", "following", "last", "earlier", "later", "speaking", "asked",
    "addressing", "writing", "for", "over", "under", "with", "without", "amid", "unlike", "like",
    "if", "because", "once", "until", "today", "yesterday", "now", "also", "however", "still",
    "meanwhile", "instead", "separately", "similarly", "previously", "by", "from", "to",
    "upon", "according", "nonetheless", "moreover", "indeed", "then", "but", "and", "so", "yet",
    "responding", "reacting", "commenting", "referring", "here", "there", "this", "through",
    "throughout", "within", "about", "against", "toward", "towards", "days", "hours", "weeks",
    "months", "years", "minutes", "shortly", "soon", "that",
})
SKIP_START: frozenset[str] = _SKIP_START_WORDS | frozenset(w.capitalize()
                                                        for w in INTRO_WORDS)
"""Capitalised words that start a sentence, never a name (and introductory words, capitalised)."""
PREPOSITIONS: frozenset[str] = frozenset({
    "of", "by", "to", "with", "for", "in", "from", "at", "about", "against", "on", "into",
    "than", "like", "under", "over", "including", "among", "between", "toward", "towards",
    "via", "per", "behind", "near", "after", "before", "during", "without", "within",
    "through", "across", "around", "unlike", "upon", "alongside", "beside", "despite",
})
ADVERBS: frozenset[str] = frozenset({
    "also", "later", "then", "again", "once", "previously", "recently", "reportedly", "further",
    "publicly", "repeatedly", "separately", "simply", "flatly", "first", "last", "earlier",
    "has", "had", "have", "would", "will", "was", "is", "were", "are", "already",
    "often", "frequently", "similarly", "likewise", "explicitly", "bluntly", "angrily",
    "allegedly", "quickly", "immediately", "subsequently", "ultimately",
    "never", "not", "even", "still", "just", "too", "however", "privately", "openly",
    "directly", "specifically", "emphatically", "famously", "memorably", "tersely",
    "been", "being", "did", "does", "do", "could", "can", "may", "might", "should",
    "must", "shall", "now", "today", "yesterday", "tonight",
})
TIME_PHRASE = re.compile(
    r"(?:\b(?:on|last|this|late|early)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|week|month|year|night|morning|evening)\b|\b(?:in|during)\s+(?:an?|the|his|her)\s+"
    r"(?:interview|statement|speech|briefing|tweet|post|address|letter)\b)\s*$")
PRONOUNS: dict[str, str] = {"he": "person", "she": "person", "they": "plural", "it": "org",
                             "we": "plural", "i": "unresolved", "you": "unresolved"}
WORD = re.compile(r"[^\W_](?:[\w’'\-]*[\w’'])?|[^\w\s]")
# Every match starts with an ASCII capital: the (?=[A-Z]) guard lets the regex engine skip the
# other positions at once (the same matches, three times faster on real text).
NAME_CHUNK = re.compile(
    r"(?=[A-Z])"
    r"(?:(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Adm|Sgt|Maj|St)\.[ \t]+)?"
    r"(?:(?:[A-Z]\.){2,}|[A-Z][\w’'\-]*(?:\.(?=[ \t]+[A-Z]))?)"
    r"(?:(?:[ \t]+(?:(?:al|el|bin|ibn|de|da|van|von|der|du|la|le|of|for|the|of[ \t]+the)[ \t]+)?|-)"
    r"(?:[A-Z][\w’'\-]*|[A-Z]\.)(?:\.(?=[ \t]+[A-Z]))?)*")
DOCUMENTS: frozenset[str] = frozenset({
    "report", "statement", "letter", "communique", "communiqué", "readout", "release",
    "website", "site", "post", "tweet", "account", "declaration", "study", "paper", "book",
})
_ROLE_WORDS = "|".join(sorted(PERSON_ROLES | ORG_ROLES | DOCUMENTS, key=len, reverse=True))
TITLE_PHRASE = re.compile(
    r"\b[Tt]he[ \t]+(?:[a-z\-]+[ \t]+){0,3}(?P<role>" + _ROLE_WORDS + r")"
    r"(?:[ \t]+(?:of|for|to)[ \t]+(?:the[ \t]+)?[A-Za-z]+(?:[ \t]+[A-Z][a-z]+)?)?")
CUE = re.compile(r"\b(?:said|says|told|added|wrote|declared|stated|warned|noted|argued|"
                  r"insisted|explained|announced|tweeted|posted|conceded|claimed|replied|"
                  r"responded|recalled|stressed|asked|lamented|acknowledged|admitted)\b")
CUE_BEFORE_COLON = re.compile(
    r"\b(?:said|says|told|added|wrote|declared|stated|states|warned|noted|argued|insisted|"
    r"explained|announced|tweeted|posted|replied|responded|recalled|stressed|asked|"
    r"continued|concluded|put it|puts it)\b")
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
WHEN = re.compile(
    r"(?:[Ee]arlier|[Ll]ater|[Ll]ast|[Tt]his|[Oo]n)[ \t]+(?:this[ \t]+|last[ \t]+)?(?:week|month|"
    r"year|morning|evening|night|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r",?[ \t]+(?=[a-zA-Z])")
WITH_PARTICIPLE = re.compile(
    r"\bwith[ \t]+(?:[a-z\-]+[ \t]+){0,3}[A-Z][\w’'\-.]*(?:[ \t]+[A-Z][\w’'\-.]*){0,3}[ \t]+$")
INNER_CAPITAL = re.compile(r"(?=[ \t])(?<=[^\s.!?:“\"(\[])[ \t]+([A-Z][\w’'\-]*)")  # guard: every match starts with a space or tab
COORDINATED = re.compile(r"(?:,[ \t]+(?:and|but)|;)[ \t]+(?=[A-Z])")
ACRONYM_PAREN = re.compile(r"[ \t]*\([^()\n]{1,15}\)")
POSSESSIVE = re.compile(r"(?:[’']s|s[’'])$")

TITLE_BEFORE = re.compile(
    r"(?:\b(?:" + "|".join(sorted((t.capitalize() for t in PERSON_TITLES if "." not in t),
                                  key=len, reverse=True))
    + r")\.?[ \t]+)+$")
VERBS = frozenset({
    "is", "was", "were", "are", "has", "had", "have", "will", "would", "can", "could", "may",
    "might", "must", "should", "did", "does", "do", "said", "says", "told", "tells", "made",
    "took", "gave", "met", "led", "ran", "spoke", "wrote", "went", "got", "saw", "sent",
    "became", "began", "held", "kept", "left", "put", "set", "won", "lost", "paid", "brought",
    "thought", "knew", "came", "found", "felt", "sought", "struck", "drew", "stood", "also", "later", "then", "once", "again", "never", "recently", "previously", "reportedly",
    "who", "which", "shared", "continues", "remains", "insists", "believes", "wants",
    "calls", "called", "urged", "vowed", "warned", "hit", "cut", "let", "read", "quit",
    "fled", "sat", "rose", "fell", "grew", "threw", "flew", "swore", "shook", "chose",
    "bought", "caught", "taught", "fought", "built", "spent", "lent", "meant", "heard", "sold",
    "understood", "fed", "slept", "dealt", "laid", "ate", "gone",
    "himself", "herself", "itself", "however", "too", "first", "now", "say", "argue", "argues", "note", "notes", "think", "thinks", "sees", "see", "goes", "go", "gets", "get", "take", "takes", "make", "makes", "puts", "tweeted", "posted", "added",
})
