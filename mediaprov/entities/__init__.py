"""Entity mentions: who and what an article names, found with a curated gazetteer.

The gazetteer is ``data/reference/entities.csv`` (columns ``entity_id, kind, canonical_name,
aliases, citation, pack``; aliases are ``|``-separated and include translations,
transliterations and pejorative names). Researchers edit it; the code never hard-codes names.

Matching, in order:

1. **exact**: every alias is compiled into one trie-shaped regular expression and matched on the
   folded text (:func:`mediaprov.text.fold`: case, diacritics, curly quotes, hyphens), so
   ``Sani–Khani``, ``SANI-KHANI`` and ``Sani Khani`` all match the alias ``Sani-Khani``. Aliases
   written with capitals only match text that has a capital (``Guardian`` is not ``guardian``);
   acronyms (``MEK``) need mostly capitals in the text.
2. **fuzzy**: a word one edit away (insertion, deletion, substitution, adjacent swap) from a word
   of an alias, with the same first letter and not a mere plural, is corrected in a small window
   and the window is matched again (``Mojhaedin`` -> ``Mojahedin``, ``Sani-Kani`` ->
   ``Sani-Khani``, ``Chanel 4`` -> ``Channel 4``). The whole alias must then match, so a lone
   misspelt common word matches nothing; a one-word alias is only matched fuzzily from six
   letters up and when the text word is capitalised.
3. **partial names**: a person's surname alone (``Assadi``), or an alias the row marks
   ambiguous (``ambiguous_aliases``: ``Maryam``, ``the Mojahedin``), resolves only when exactly
   one entity of the gazetteer with that name is mentioned in full in the same article, and only
   where it is not part of another name (no capitalised word just before it other than a title,
   no capital or name particle just after: ``Yashar Ali``, ``Ali al-Sistani`` and ``Crown
   Prince Hassan`` are not Ali Khamenei or Hassan Rouhani). A first name alone is never derived
   from a full name; pack aliases that are bare first names or common words are refused by
   :func:`load_entities` unless listed as ambiguous. When several are (three Khodabandehs), the bare name is *ambiguous*: it is reported
   apart (``method == "ambiguous"``, ``entity_id`` = the candidates joined by ``|``) and never
   merged into one of them. A courtesy title before a person (``Mrs.``, ``General``) joins the
   mention.

Packs are scoped by corpus (``packs.csv``, :mod:`mediaprov.reference`): the demo pack matches only in demo corpora.
Names that no pack lists are found by :mod:`mediaprov.names` (ids ``name:...``).

Optional statistical NER (spaCy, when a model is installed) only feeds :func:`suggest_aliases`;
everything else works without it.

The subpackage, one idea per module: :mod:`~mediaprov.entities.aliases` (splitting alias cells,
name parts, aliases that would misfire), :mod:`~mediaprov.entities.patterns` (trie regexes and
one-edit spelling), :mod:`~mediaprov.entities.gazetteer` (:class:`Gazetteer`, :class:`Match`),
:mod:`~mediaprov.entities.loader` (:func:`load_entities`, :func:`pack_from_truth`) and
:mod:`~mediaprov.entities.mentions` (:func:`find_mentions`, :func:`suggest_aliases`).

Example:
    >>> import pandas as pd
    >>> table = pd.DataFrame({"entity_id": ["lm"], "kind": ["person"],
    ...     "canonical_name": ["Lia Moro-Khani"], "aliases": ["Moro-Khani"],
    ...     "citation": [""], "pack": ["x"]})
    >>> gazetteer = Gazetteer.from_entities(table)
    >>> articles = pd.DataFrame({"article_id": ["a"],
    ...                          "text": ["Lia Moro-Kani wrote. Moro-Khani said."]})
    >>> find_mentions(articles, gazetteer)[["surface", "method"]].values.tolist()
    [['Lia Moro-Kani', 'fuzzy'], ['Moro-Khani', 'exact']]
"""

from mediaprov.entities.aliases import TITLES, refused_aliases, split_aliases
from mediaprov.entities.gazetteer import Gazetteer, Match
from mediaprov.entities.loader import (ENTITY_COLUMNS, ENTITY_OPTIONAL_COLUMNS, load_entities,
                                       pack_from_truth)
from mediaprov.entities.mentions import find_mentions, suggest_aliases

_split = split_aliases  # the old private name, still imported by mediaprov.citations

__all__ = ["ENTITY_COLUMNS", "ENTITY_OPTIONAL_COLUMNS", "TITLES", "Gazetteer", "Match",
           "find_mentions", "load_entities", "pack_from_truth", "refused_aliases",
           "split_aliases", "suggest_aliases"]
