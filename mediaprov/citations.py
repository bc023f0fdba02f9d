"""Citations: the sources an article leans on, each with the span that shows it.

Kinds (``citations.kind``):

* ``quoted``: a person or organisation quoted directly (from :mod:`mediaprov.quotes`; the span is
  the quote). ``source_id`` is an ``entities.csv`` id, or, for a speaker no pack lists, the id
  of the discovered name (:mod:`mediaprov.names`, ``name:...``) that the speaker is.
* ``embedded_post``: a social-media post pasted into the article; ``source_id`` is the author's
  entity id, or the handle (``@name``) when the author is not in the gazetteer.
* ``cited_outlet``: an outlet of ``outlets.csv`` named in the text. News outlets, agencies,
  broadcasters and platforms count wherever they are named (``appeared in the New York Times``,
  ``told Global Wire Service``); outlets that are also actors (party sites, NGOs, press offices)
  count only with a publishing cue in the same sentence (``an article by X``, ``X published``,
  ``X's website``). The article's own outlet is not a citation.
* ``credited``: the outlet the article credits as its origin: ``articles.credited_source`` when
  ingestion set it, else a credit line in the text (``Source » X``, ``Source: X``,
  ``Courtesy of X``, ``Originally published by X``); the span is the credit line when found.
* ``cited_outlet`` beyond the registry: a news organisation, agency or publication that the
  registry does not list, found from how it is named as a source (:func:`source_candidates`):
  ``according to X``, ``told X``, ``reported by X``, ``in an interview with X``, ``X reported``,
  ``X's reporting``, ``X news agency``, a dateline ``(X) -``. ``X`` is a discovered
  organisation or unknown name (never a person or a place) and its id is provisional, as ingest
  makes it for unknown outlets: ``unregistered:<slug>`` (``unregistered:reuters``). A short
  form (``the Post``) takes the full name of the same article that ends with it. Which names
  count is decided over the whole corpus (:func:`keep_sources`): a name with a news word
  (``Times``, ``Post``, ``Press``, ``Agency``...) counts at every cue; another name counts
  when it is named with a cue at least twice and in at least a fifth of its mentions, so
  ``Reuters`` counts and ``Congress`` (``told Congress``) does not.
* ``link``: a URL or bare domain (``source_id`` = the outlet whose domain it is, else the domain)
  and a handle outside embedded posts (``source_id`` = the handle).

Example:
    >>> import pandas as pd
    >>> outlets = pd.DataFrame({"outlet_id": ["hl"], "name": ["The Harbor Ledger"],
    ...     "aliases": ["Harbor Ledger"], "domains": ["harborledger.example"], "kind": ["news"]})
    >>> index = OutletIndex.from_table(outlets)
    >>> text = "It appeared in the Harbor Ledger (harborledger.example/x)."
    >>> [(r[1], r[2]) for r in citations_in_text("a", text, index)]
    [('hl', 'cited_outlet'), ('hl', 'link')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mediaprov.ingest.outlets import read_registry, slugify
from mediaprov.entities import Gazetteer, Match, _split
from mediaprov.names import DISCOVERED_PREFIX, name_id
from mediaprov.quotes import Embed, Quote
from mediaprov.schema import CITATIONS, validate
from mediaprov.text import fold

ALWAYS_CITED_KINDS: frozenset[str] = frozenset({"news", "agency", "broadcaster", "platform",
                                                "wire", "newspaper", "magazine", "tv", "radio"})
_PUBLISHING_CUE = re.compile(
    r"\b(?:published|publishes|reported|reports|wrote|writes|article|articles|statement|website|"
    r"site|said|says|according to|told|interview|report|video|posted|posts|quoted|cited|"
    r"appeared|broadcast|aired|editorial|column|op-ed|press release|release|blog|podcast)\b",
    re.IGNORECASE,
)
_CREDIT_LINE = re.compile(
    r"^[ \t]*(?:Source|Sources|Via|Courtesy of|Originally published (?:by|in|at|on)|"
    r"This article (?:first )?appeared (?:in|on|at))[ \t]*[:»>\-–—]?[ \t]*(?P<name>[^\n]{2,80}?)"
    r"[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
TOP_LEVEL_DOMAINS: tuple[str, ...] = ("com", "org", "net", "ir", "uk", "de", "fr", "ru", "info",
                                     "io", "tv", "news", "example", "al", "eu", "us", "co")
_URL_HINT = re.compile(r"https?://|www\.|\.(?:" + "|".join(TOP_LEVEL_DOMAINS) + r")\b",
                       re.IGNORECASE)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'”’)\]]+|"
    r"(?<![\w.@-])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+(?:"
    + "|".join(TOP_LEVEL_DOMAINS) + r")\b(?:/[^\s<>\"'”’)\]]*)?",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@/.])@[A-Za-z0-9_]{2,30}\b")

NEWS_WORDS: frozenset[str] = frozenset("""
Times Post Journal News Press Agency Herald Tribune Gazette Telegraph Guardian Radio Television
TV Network Magazine Daily Weekly Wire Broadcasting Channel Monitor Observer Chronicle Examiner
Insider Newspaper Newsweek Beast Review Reporter Register Star Sun Mail Express Standard
Independent Bulletin Dispatch Courier Inquirer Record Times-Picayune Today Newsroom Broadcast
""".split())
"""Words that make a name a news organisation or publication (``The Harbor Times``)."""

_SOURCE_BEFORE = re.compile(
    r"(?:according to|told|reported by|cited by|quoted by|interview with|interviewed by|"
    r"report (?:by|from|in)|wrote in|writing in|writing for|op-ed (?:in|for)|published (?:by|in)|"
    r"appeared (?:in|on)|speaking to|spoke to|speaking with|spoke with)[ \t\u00a0]+(?:the[ \t\u00a0]+)?$",
    re.IGNORECASE)
_SOURCE_AFTER = re.compile(
    r"(?:['’]s?[ \t\u00a0]+(?:reporting|report|reporters?|correspondents?|interview)\b|"
    r"[ \t\u00a0]+(?:(?:first|also|previously|earlier|later|has|had|was first to|exclusively|"
    r"originally)[ \t\u00a0]+)?(?:reported|reports|report(?:ing)? that|revealed|obtained)\b|"
    r"[ \t\u00a0]+(?:news agency|newspaper|news outlet|news site|news network|wire service|"
    r"television|broadcaster|daily|magazine)\b)",
    re.IGNORECASE)
_DATELINE = re.compile(r"\([ \t]*$")
_DATELINE_AFTER = re.compile(r"[ \t]*\)[ \t]*[-—–:]")
SOURCE_KINDS: frozenset[str] = frozenset({"org", "name"})
"""Kinds of discovered names that may be cited sources (persons and places never are)."""


def source_id(name: str) -> str:
    """Provisional id of a news source the registry does not list (as ingest names unknown outlets).

    Example:
        >>> source_id("The Harbor Times")
        'unregistered:harbor-times'
    """
    return "unregistered:" + slugify(re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE))


def _has_news_word(name: str) -> bool:
    return any(w.strip(".’'") in NEWS_WORDS for w in name.split())


def _acronyms(ids: set[str]) -> dict[str, str]:
    """Map each id to itself, or an acronym id to the one id whose initials it is (AP -> Associated Press)."""
    by_initials: dict[str, list[str]] = {}
    for i in ids:
        words = [w for w in i.removeprefix("unregistered:").split("-") if w not in ("of", "the", "and")]
        if len(words) >= 2:
            by_initials.setdefault("".join(w[0] for w in words), []).append(i)
    out = {}
    for i in ids:
        slug = i.removeprefix("unregistered:")
        targets = by_initials.get(slug, []) if "-" not in slug and len(slug) <= 5 else []
        out[i] = targets[0] if len(targets) == 1 else i
    return out


def source_candidates(text: str, names: list[Match], outlets: OutletIndex) -> list[tuple]:
    """News sources named with a source cue among the discovered names of one text.

    Args:
        text: the article text.
        names: its discovered names (:func:`mediaprov.names.discover_names`).
        outlets: the registry (names it knows are left to :func:`citations_in_text`).

    Returns:
        ``(source_id, start, end, news_word)`` per cue, ``news_word`` saying whether the name
        has a news word; :func:`keep_sources` decides over the corpus which count.

    Example:
        >>> from mediaprov.names import discover_names
        >>> text = "VELL (Kestrel) - Officials told Harbor Wire. Later, Kestrel reported a deal."
        >>> empty = OutletIndex.from_table(pd.DataFrame(columns=["outlet_id", "name", "aliases",
        ...                                             "domains", "kind"]))
        >>> [r[0] for r in source_candidates(text, discover_names(text).matches, empty)]
        ['unregistered:kestrel', 'unregistered:harbor-wire', 'unregistered:kestrel']
    """
    found = []
    full_names = [text[m.start:m.end] for m in names if " " in text[m.start:m.end]]
    for m in names:
        if m.kind not in SOURCE_KINDS:
            continue
        before = text[max(0, m.start - 40):m.start]
        cue = (_SOURCE_BEFORE.search(before) or _SOURCE_AFTER.match(text, m.end)
               or (_DATELINE.search(before) and _DATELINE_AFTER.match(text, m.end)))
        if not cue:
            continue
        name = text[m.start:m.end]
        if " " not in name:  # "the Post" -> "The Washington Post" of the same article
            longer = sorted({f for f in full_names if f.split()[-1] == name and _has_news_word(f)})
            if len(longer) == 1:
                name = longer[0]
            elif name.strip(".’'") in NEWS_WORDS:
                continue  # "the Times" of no paper named in full: which one is unknown
        if outlets.resolve(name) is not None:
            continue
        found.append((source_id(name), m.start, m.end, _has_news_word(name)))
    return found


def keep_sources(candidates: pd.DataFrame, mentions: pd.DataFrame, *, min_cues: int = 2,
                 min_share: float = 0.2) -> pd.DataFrame:
    """Keep the source candidates that are news organisations, judged over the whole corpus.

    The decision needs only counts (:func:`source_cues` of the candidates, mentions per
    discovered name), so a stage that meets the corpus a partition at a time sums those and
    calls :func:`kept_source_ids` and :func:`kept_sources` itself
    (:func:`mediaprov.features.run_features`).

    Args:
        candidates: ``article_id, source_id, start, end, news_word`` rows of
            :func:`source_candidates`.
        mentions: the corpus's mentions (discovered names), to count how often each name occurs.
        min_cues: cues a name without a news word needs in the corpus.
        min_share: share of its mentions a name without a news word must have with a cue.

    Returns:
        CITATIONS rows (``kind`` = ``cited_outlet``) of the kept candidates.

    Example:
        >>> c = pd.DataFrame({"article_id": ["a", "b", "b"], "source_id": ["unregistered:kestrel"] * 2
        ...     + ["unregistered:harbor-times"], "start": [0, 0, 9], "end": [7, 7, 20],
        ...     "news_word": [False, False, True]})
        >>> m = pd.DataFrame({"article_id": ["a", "b"], "entity_id": ["name:kestrel"] * 2})
        >>> keep_sources(c, m).source_id.tolist()
        ['unregistered:kestrel', 'unregistered:kestrel', 'unregistered:harbor-times']
    """
    named = mentions["entity_id"].astype(str)
    named = named[named.str.startswith("name:")].value_counts()
    kept = kept_source_ids(source_cues(candidates), named, min_cues=min_cues, min_share=min_share)
    return kept_sources(candidates, kept)


def source_cues(candidates: pd.DataFrame) -> pd.DataFrame:
    """Cues per candidate source: ``cues`` (rows) and ``news_word`` (rows whose name has one).

    Counts of parts of a corpus add up (:func:`mediaprov.name_merge.sum_counts`).

    Example:
        >>> c = pd.DataFrame({"source_id": ["unregistered:kestrel"] * 2, "news_word": [False, True]})
        >>> source_cues(c).loc["unregistered:kestrel"].tolist()
        [2, 1]
    """
    news_word = candidates["news_word"].astype(bool).to_numpy()
    counts = pd.DataFrame({"cues": 1, "news_word": news_word.astype("int64")},
                          index=pd.Index(candidates["source_id"].astype(str).to_numpy(), name="source_id"))
    return counts.groupby(level=0, sort=True).sum()


@dataclass(frozen=True)
class KeptSources:
    """Which candidate sources count, decided over a corpus (:func:`kept_source_ids`).

    Attributes:
        trusted: ids named with a cue often enough to count without a news word.
        rename: every id a kept row can have -> the id it is written as (itself, or the name an
            acronym stands for among the kept ones: ``unregistered:ap`` ->
            ``unregistered:associated-press``).
    """

    trusted: frozenset[str]
    rename: dict[str, str]


def kept_source_ids(cues: pd.DataFrame, named: pd.Series, *, min_cues: int = 2,
                    min_share: float = 0.2) -> KeptSources:
    """The candidate sources :func:`keep_sources` keeps, decided from the corpus's counts.

    Args:
        cues: :func:`source_cues` of the corpus's candidates.
        named: mention rows per discovered id (``name:<slug>`` -> count).
        min_cues: as in :func:`keep_sources`.
        min_share: as in :func:`keep_sources`.

    Returns:
        A :class:`KeptSources`: a candidate row counts when its name has a news word or its id
        is trusted.

    Example:
        >>> cues = pd.DataFrame({"cues": [2, 1], "news_word": [0, 0]},
        ...                     index=["unregistered:kestrel", "unregistered:congress"])
        >>> kept_source_ids(cues, pd.Series({"name:kestrel": 2, "name:congress": 40})).trusted
        frozenset({'unregistered:kestrel'})
    """
    if cues.empty:
        return KeptSources(frozenset(), {})
    slug = DISCOVERED_PREFIX + cues.index.str.removeprefix("unregistered:")
    share = cues["cues"].to_numpy() / pd.Series(slug).map(named).fillna(0).clip(lower=1).to_numpy()
    trusted = (cues["cues"].to_numpy() >= min_cues) & (share >= min_share)
    kept = cues.index[trusted | (cues["news_word"].to_numpy() > 0)]
    return KeptSources(frozenset(cues.index[trusted]), _acronyms(set(kept)))


def kept_sources(candidates: pd.DataFrame, kept: KeptSources) -> pd.DataFrame:
    """CITATIONS rows (``cited_outlet``) of the candidates that count.

    Args:
        candidates: :func:`source_candidates` rows (any part of the corpus).
        kept: :func:`kept_source_ids` of the whole corpus.

    Returns:
        ``article_id, source_id, kind, start, end`` rows, in the candidates' order.

    Example:
        >>> c = pd.DataFrame({"article_id": ["a"], "source_id": ["unregistered:ap"], "start": [0],
        ...                   "end": [2], "news_word": [False]})
        >>> kept = KeptSources(frozenset({"unregistered:ap"}),
        ...                    {"unregistered:ap": "unregistered:associated-press"})
        >>> kept_sources(c, kept).source_id.tolist()
        ['unregistered:associated-press']
    """
    columns = list(CITATIONS.columns)
    if candidates.empty:
        return pd.DataFrame(columns=columns)
    keep = candidates["news_word"].astype(bool) | candidates["source_id"].isin(kept.trusted)
    out = candidates[keep].assign(kind="cited_outlet")
    out["source_id"] = out["source_id"].map(kept.rename)
    return out.loc[:, columns].reset_index(drop=True)


@dataclass
class OutletIndex:
    """Outlet names and domains compiled for citation finding.

    Attributes:
        gazetteer: names and aliases of every outlet.
        kinds: outlet id -> kind (news, agency, broadcaster, party-site, ngo, platform...).
        domains: domain (lower case, without ``www.``) -> outlet id.
        keys: folded name, alias or domain stem, spaces removed -> outlet id (for credit lines).
    """

    gazetteer: Gazetteer
    kinds: dict[str, str]
    domains: dict[str, str]
    keys: dict[str, str]

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> OutletIndex:
        """Compile an outlets table (``outlet_id, name, aliases, domains, kind``...).

        Example:
            >>> t = pd.DataFrame({"outlet_id": ["bbc"], "name": ["BBC"], "aliases": [""],
            ...                   "domains": ["bbc.co.uk"], "kind": ["broadcaster"]})
            >>> OutletIndex.from_table(t).resolve("bbc.co.uk")
            'bbc'
        """
        kinds = {str(r.outlet_id): str(getattr(r, "kind", "") or "")
                 for r in table.itertuples(index=False)}
        domains: dict[str, str] = {}
        keys: dict[str, str] = {}
        for r in table.itertuples(index=False):
            outlet_id = str(r.outlet_id)
            for domain in _split(getattr(r, "domains", "")):
                domain = domain.lower().removeprefix("www.")
                domains.setdefault(domain, outlet_id)
                keys.setdefault(_key(domain.split(".")[0]), outlet_id)
            for name in [str(r.name), *_split(r.aliases), outlet_id]:
                keys.setdefault(_key(name), outlet_id)
        return cls(Gazetteer.from_outlets(table), kinds, domains, keys)

    def domain_owner(self, host: str) -> str | None:
        """Return the outlet whose domain is ``host`` or a parent of it, else ``None``.

        Example:
            >>> t = pd.DataFrame({"outlet_id": ["m"], "name": ["Mehr"], "aliases": [""],
            ...                   "domains": ["mehrnews.com"], "kind": ["agency"]})
            >>> OutletIndex.from_table(t).domain_owner("en.mehrnews.com")
            'm'
        """
        host = host.lower().removeprefix("www.")
        parts = host.split(".")
        for i in range(len(parts) - 1):
            owner = self.domains.get(".".join(parts[i:]))
            if owner:
                return owner
        return None

    def resolve(self, name: str) -> str | None:
        """Return the outlet id for a name, alias, id, domain or domain stem as written.

        Example:
            >>> t = pd.DataFrame({"outlet_id": ["ncri"], "name": ["NCRI"], "aliases": ["ncr-iran"],
            ...                   "domains": ["ncr-iran.org"], "kind": ["party-site"]})
            >>> OutletIndex.from_table(t).resolve("ncr-iran")
            'ncri'
        """
        name = name.strip().strip(".,;:()[]")
        owner = self.domain_owner(name) if "." in name else None
        if owner:
            return owner
        owner = self.keys.get(_key(name)) or self.keys.get(_key(re.sub(r"^the\s+", "", name,
                                                                      flags=re.IGNORECASE)))
        if owner:
            return owner
        found = self.gazetteer.match(name, fuzzy=True)
        return found[0].ids[0] if found and len(found[0].ids) == 1 else None


def _key(name: str) -> str:
    """Fold a name and drop everything but letters and digits.

    ``Continental-Review`` -> ``continentalreview``.
    """
    return re.sub(r"[^\w]|_", "", fold(name))


def load_outlets(path: Path | None = None, *, corpus: str | None = None) -> pd.DataFrame:
    """Read the outlets reference table (``data/reference/outlets.csv`` by default).

    Args:
        path: the CSV (default the registry).
        corpus: scope it to one corpus (see :mod:`mediaprov.reference`).

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: a required column is missing.

    Example:
        >>> "bbc" in set(load_outlets().outlet_id)
        True
    """
    return read_registry(path, corpus=corpus)


def _sentence_around(text: str, start: int, end: int) -> str:
    low = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), 0)
    highs = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    return text[low:min(highs) if highs else len(text)]


def citations_in_text(article_id: str, text: str, outlets: OutletIndex, *,
                      quotes: list[Quote] | None = None, embeds: list[Embed] | None = None,
                      own_outlet: str | None = None, credited_source: str | None = None,
                      credit_line: str | None = None, names: list[Match] | None = None
                      ) -> list[tuple]:
    """Find the citations of one article.

    Args:
        article_id: the article's id (first column of every row).
        text: the article text.
        outlets: compiled outlets (:meth:`OutletIndex.from_table`).
        quotes: the article's quotes (:func:`mediaprov.quotes.quotes_in_text`).
        embeds: the article's embedded posts.
        own_outlet: the article's outlet id (not cited by itself).
        credited_source: ``articles.credited_source`` when ingestion found it.
        credit_line: ``articles.credit_line``, to locate the credit in the text.
        names: the article's discovered names (:func:`mediaprov.names.discover_names`): a
            quoted speaker that no pack lists is cited under the id of the discovered name it
            is (``name:...``), or of its own name when discovery did not find it. News sources
            beyond the registry come from :func:`source_candidates` and :func:`keep_sources`.

    Returns:
        Rows in CITATIONS column order (``article_id, source_id, kind, start, end``).

    Example: see the module docstring.
    """
    rows: list[tuple] = []
    discovered: dict[str, str] = {}
    for m in names or []:
        surface = text[m.start:m.end]
        discovered.setdefault(surface, m.ids[0])
        discovered.setdefault(surface.split()[-1], m.ids[0])
    for q in quotes or []:
        if q.kind != "direct":
            continue
        speaker_id = q.speaker_id or _speaker_name_id(q.speaker, discovered)
        if speaker_id:
            rows.append((article_id, speaker_id, "quoted", q.start, q.end))
    embed_spans = []
    for e in embeds or []:
        speaker = next((q.speaker_id for q in quotes or [] if q.kind == "embedded_post"
                        and q.start == e.start and q.speaker_id), None)
        rows.append((article_id, speaker or e.handle, "embedded_post", e.start, e.end))
        line_end = text.find("\n", e.attribution_start)
        embed_spans.append((e.start, line_end if line_end >= 0 else len(text)))
    credit_spans = _credit_rows(rows, article_id, text, outlets, credited_source, credit_line)
    for m in outlets.gazetteer.match(text):
        if len(m.ids) != 1 or m.ids[0] == own_outlet:
            continue
        if any(s <= m.start < e for s, e in credit_spans):
            continue
        outlet_id = m.ids[0]
        if outlets.kinds.get(outlet_id, "") not in ALWAYS_CITED_KINDS:
            if not _PUBLISHING_CUE.search(_sentence_around(text, m.start, m.end)):
                continue
        rows.append((article_id, outlet_id, "cited_outlet", m.start, m.end))
    _link_rows(rows, article_id, text, outlets, embed_spans)
    return rows


def _credit_rows(rows: list[tuple], article_id: str, text: str, outlets: OutletIndex,
                 credited_source: str | None, credit_line: str | None) -> list[tuple[int, int]]:
    """Append the ``credited`` rows (one at most) to ``rows``; return the spans of credit lines.

    The credit line ingestion found is located first, then credit lines naming a registered
    outlet; the credited source is cited without a span when its credit is not in the text.
    """
    credit_spans = []
    credited_found = False
    if credit_line and isinstance(credit_line, str):
        at = text.find(credit_line)
        if at >= 0:
            credit_spans.append((at, at + len(credit_line)))
            if credited_source:
                rows.append((article_id, credited_source, "credited", at, at + len(credit_line)))
                credited_found = True
    for match in _CREDIT_LINE.finditer(text):
        owner = outlets.resolve(match.group("name"))
        if owner is None:
            continue
        credit_spans.append((match.start(), match.end()))
        if not credited_found and (credited_source is None or owner == credited_source):
            rows.append((article_id, owner, "credited", match.start(), match.end()))
            credited_found = True
    if credited_source and not credited_found:
        rows.append((article_id, credited_source, "credited", None, None))
    return credit_spans


def _link_rows(rows: list[tuple], article_id: str, text: str, outlets: OutletIndex,
               embed_spans: list[tuple[int, int]]) -> None:
    """Append the ``link`` rows to ``rows``: URLs (by domain owner) and handles outside embeds."""
    for match in _URL.finditer(text) if _URL_HINT.search(text) else ():
        url = match.group().rstrip(".,;:")
        host = re.sub(r"^(?:https?://)?", "", url, flags=re.IGNORECASE).split("/")[0].lower()
        if "." not in host or host.replace(".", "").isdigit():
            continue
        owner = outlets.domain_owner(host)
        rows.append((article_id, owner or host.removeprefix("www."), "link", match.start(),
                     match.start() + len(url)))
    if "@" not in text:  # every handle has one
        return
    for match in _HANDLE.finditer(text):
        if any(s <= match.start() < e for s, e in embed_spans):
            continue
        rows.append((article_id, match.group(), "link", match.start(), match.end()))


def _speaker_name_id(speaker: str | None, discovered: dict[str, str]) -> str | None:
    """Id of a speaker no pack lists: the discovered name it is, else its own capitalised name."""
    if not speaker:
        return None
    speaker = speaker.strip()
    if speaker in discovered:
        return discovered[speaker]
    words = speaker.split()
    if words and words[-1] in discovered and len(words) <= 4:
        return discovered[words[-1]]
    if words and all(w[:1].isupper() for w in words):
        return name_id(speaker)
    return None  # a role ("a spokesman") is not a source of its own


def citations_table(rows: list[tuple]) -> pd.DataFrame:
    """Build and validate a ``citations`` table from :func:`citations_in_text` rows.

    Example:
        >>> citations_table([("a", "bbc", "cited_outlet", 3, 6)]).source_id.tolist()
        ['bbc']
    """
    table = pd.DataFrame(rows, columns=list(CITATIONS.columns))
    table = table.astype({"start": "Int64", "end": "Int64"})
    table = table.sort_values(["article_id", "start", "end", "kind", "source_id"], kind="stable",
                              na_position="last")
    return validate(table, CITATIONS, where="citations")
