r"""Learning page templates per outlet from the units of a sample of its articles.

A unit (:mod:`mediaprov.ingest.template_units`) is a template of an outlet when it occurs in at
least ``max(min_support, share * n)`` of the outlet's ``n`` sampled articles (long units, prefixes
and bigrams need more) and when it is concentrated in that outlet (at least ``concentration`` of all
the articles holding it are the outlet's: a phrase every outlet uses, or a quoted sentence that
several outlets carry, is not a template). Short units (at most ``WIDGET_WORDS`` words) learnt by
two or more outlets, and shown by one of them in at least ``widget_share`` of its articles
("Advertisement"), are cross-outlet widgets (``outlet_id == "*"``) applied everywhere; long text
shared across outlets never is. Articles whose outlet is unknown get every outlet's whole template
lines. Learning reads at most ``sample_per_outlet`` articles of each outlet (a deterministic spread
by article id), so memory and time stay linear and bounded; each sampled article's units are
hashed once, and the counting is done with numpy over the keys.

Example:
    >>> texts = ["Rain fell.", "Sun shone.", "Wind blew.", "Snow came."]
    >>> model = learn([(str(i), "x", f"{t}\nSign up now for our letter") for i, t in enumerate(texts)])
    >>> len(model.keys["x"]), model.sampled
    (1, {'x': 4})
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mediaprov.ingest.template_units import _KIND_BITS, _article_keys, _key, _kind_of, _norm

GLOBAL = "*"


@dataclass(frozen=True)
class TemplateConfig:
    """Thresholds of template learning.

    Attributes:
        min_support: a template occurs in at least this many articles of its outlet.
        share: ... and in at least this share of the outlet's (sampled) articles.
        long_support / long_share: the same for units of more than ``LONG_WORDS`` words.
        prefix_support / prefix_share: the same for line prefixes and word bigrams of short lines
            (prose lines of one outlet can open alike, so these need more).
        concentration: ... and a template must be this outlet's for at least this share of all
            the articles (of every outlet) that hold it: "according to the" or "X told Y:" is
            everyone's, "replay more videos" one site's (not checked when the corpus has a single
            outlet; with a single outlet, prefixes and bigrams are not used). Short units learnt by
            two or more outlets are exempt (cross-outlet widgets) when at least one outlet shows
            them in ``widget_share`` of its articles or more.
        sample_per_outlet: articles of each outlet read for learning, at most.
    """

    min_support: int = 4
    share: float = 0.02
    long_support: int = 5
    long_share: float = 0.05
    prefix_support: int = 5
    prefix_share: float = 0.25
    concentration: float = 0.5
    widget_share: float = 0.10
    sample_per_outlet: int = 500


def _rates(outlet_sizes: dict[str | None, int] | None, config: TemplateConfig) -> dict[str, float]:
    """Share of each outlet's articles that learning reads (at most ``config.sample_per_outlet``)."""
    return {o or "": min(1.0, config.sample_per_outlet / n) for o, n in (outlet_sizes or {}).items() if n}


def _sampled(article_id: str, rate: float) -> bool:
    if rate >= 1.0:
        return True
    digest = hashlib.blake2b(str(article_id).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < rate


@dataclass
class TemplateModel:
    """Learnt templates: unit keys per outlet, cross-outlet widgets, and the counts behind them.

    The thresholds are already applied. Build one with :func:`learn`; clean with :func:`clean_article`.
    """

    config: TemplateConfig
    keys: dict[str, set[int]] = field(default_factory=dict)  # outlet -> template unit keys
    widgets: set[int] = field(default_factory=set)  # cross-outlet short templates
    support: dict[tuple[str, int], int] = field(default_factory=dict)  # (outlet, key) -> articles
    sampled: dict[str, int] = field(default_factory=dict)  # outlet -> articles read for learning
    recurring_lines: dict[str, set[int]] = field(default_factory=dict)  # outlet -> line keys seen twice+
    kinds: dict[str, set[str]] = field(default_factory=dict)  # outlet -> kinds it has templates of
    kept: dict[str, set[int]] = field(default_factory=dict)  # outlet -> keys reviewed as "keep"
    signatures: dict[str, dict[str, set[int]]] = field(default_factory=dict)  # outlet -> kind -> first-word signatures
    _applicable: dict[str, set[int]] = field(default_factory=dict, repr=False, compare=False)
    _contexts: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # cleaning's, per outlet

    def templates_of(self, outlet: str | None) -> set[int]:
        r"""Template keys that apply to ``outlet`` (its own and the cross-outlet widgets).

        Args:
            outlet: an ``outlet_id`` (``None`` or ``""``: unknown outlet).

        Returns:
            The unit keys (:mod:`mediaprov.ingest.template_units`).

        Example:
            >>> model = learn([(str(i), "x", f"Story {w}.\nSign up now for our letter") for i, w in
            ...                enumerate(["one", "two", "three", "four"])])
            >>> len(model.templates_of("x")), len(model.templates_of("y"))
            (1, 0)
        """
        own = self.keys.get(outlet or "", set())
        return own | self.widgets if self.widgets else own

    def applicable(self, outlet: str | None) -> set[int]:
        r""":meth:`templates_of` minus the keys reviewed as "keep" for ``outlet``.

        What cleaning looks lines up in. Computed once per outlet and kept: learn (and override) first,
        then clean.

        Args:
            outlet: an ``outlet_id`` (``None`` or ``""``: unknown outlet).

        Returns:
            The unit keys that cleaning blanks in this outlet's articles.

        Example:
            >>> model = learn([(str(i), "x", f"Story {w}.\nSign up now for our letter") for i, w in
            ...                enumerate(["one", "two", "three", "four"])])
            >>> model.applicable("x") == model.templates_of("x") and model.applicable("x") is model.applicable("x")
            True
        """
        outlet = outlet or ""
        found = self._applicable.get(outlet)
        if found is None:
            found = self.templates_of(outlet)
            if outlet in self.kept:
                found = found - self.kept[outlet]
            self._applicable[outlet] = found
        return found


def _passes(config: TemplateConfig, key: int, support: int, total: int, n: int, outlets: int) -> bool:
    """The thresholds of :class:`TemplateConfig` for one unit of one outlet."""
    if outlets > 1 and support < config.concentration * total:
        return False  # shared with other outlets: reuse or common phrasing, not this outlet's page
    if (key >> 2) & 3 >= 2:  # prefix, gram
        return outlets > 1 and support >= max(config.prefix_support, math.ceil(config.prefix_share * n))
    if key & 2:  # long
        return support >= max(config.long_support, math.ceil(config.long_share * n))
    return True


def learn(items: Iterable[tuple[str, str | None, str]], *, outlet_sizes: dict[str | None, int] | None = None,
          config: TemplateConfig | None = None, overrides: pd.DataFrame | None = None) -> TemplateModel:
    r"""Learn per-outlet templates from ``(article_id, outlet_id, text)`` triples.

    Args:
        items: the articles (any iterable; read once).
        outlet_sizes: articles per outlet, when known, to sample at most
            ``config.sample_per_outlet`` of each outlet (deterministically, by article id).
        config: thresholds (default :class:`TemplateConfig`).
        overrides: reviewed rows (``outlet_id``, ``kind``, ``pattern``, ``action`` keep|remove).

    Returns:
        A :class:`TemplateModel`.

    Example:
        >>> texts = ["Rain fell.", "Sun shone.", "Wind blew.", "Snow came."]
        >>> model = learn([(str(i), "x", f"{t}\nSign up now for our letter") for i, t in enumerate(texts)])
        >>> sorted(model.sampled.items()), sorted(model.kinds["x"])
        ([('x', 4)], ['line'])
    """
    config = config or TemplateConfig()
    counted, sampled = _count_keys(items, _rates(outlet_sizes, config))
    model = TemplateModel(config=config, sampled=dict(sampled))
    _select(model, counted, sampled)
    if overrides is not None and len(overrides):
        _apply_overrides(model, overrides)
    _index(model)
    return model


def _count_keys(items: Iterable[tuple[str, str | None, str]],
                rates: dict[str, float]) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], Counter]:
    """Hash the units of the sampled articles and count, per outlet, the articles holding each key.

    Args:
        items: ``(article_id, outlet_id, text)`` triples (read once); empty texts are skipped.
        rates: sampling rate per outlet (:func:`_rates`; an outlet not in it is read whole).

    Returns:
        ``(counted, sampled)``: per outlet (``""`` for unknown), its distinct unit keys and the
        number of sampled articles holding each; and the number of articles sampled per outlet.
    """
    collected: dict[str, list[np.ndarray]] = defaultdict(list)
    sampled: Counter = Counter()
    for article_id, outlet, text in items:
        outlet = outlet or ""
        if not text or not _sampled(article_id, rates.get(outlet, 1.0)):
            continue
        sampled[outlet] += 1
        keys = _article_keys(text)
        collected[outlet].append(np.fromiter(keys, dtype=np.int64, count=len(keys)))
    counted = {outlet: np.unique(np.concatenate(arrays), return_counts=True)
               for outlet, arrays in collected.items()}
    return counted, sampled


def _select(model: TemplateModel, counted: dict[str, tuple[np.ndarray, np.ndarray]], sampled: Counter) -> None:
    """Apply the thresholds to the counted keys.

    Sets the model's per-outlet keys, support and recurring lines, and the cross-outlet widgets.

    Args:
        model: the model being learnt (its ``config`` set), filled in place.
        counted: per outlet, its distinct unit keys and the articles holding each (:func:`_count_keys`).
        sampled: articles sampled per outlet.
    """
    if not counted:
        model.widgets = set()
        return
    config = model.config
    every, inverse = np.unique(np.concatenate([k for k, _ in counted.values()]), return_inverse=True)
    totals = np.bincount(inverse, weights=np.concatenate([c for _, c in counted.values()]))
    widget_outlets: Counter = Counter()
    widget_share: dict[int, float] = {}
    outlets = len(counted)
    for outlet, (keys, counts) in counted.items():
        n = sampled[outlet]
        line_keys = (keys >> 2) & 3 == 0
        model.recurring_lines[outlet] = set(keys[line_keys & (counts >= 2)].tolist())
        chosen = counts >= max(config.min_support, math.ceil(config.share * n))
        keys, counts = keys[chosen], counts[chosen]
        found = totals[np.searchsorted(every, keys)]
        final = set()
        for k, c, t in zip(keys.tolist(), counts.tolist(), found.tolist(), strict=True):
            if k & 1 and (k >> 2) & 3 <= 1:  # short line or segment: a widget candidate
                widget_outlets[k] += 1
                widget_share[k] = max(widget_share.get(k, 0.0), c / n)
            if _passes(config, k, c, int(t), n, outlets):
                final.add(k)
                model.support[(outlet, k)] = c
        model.keys[outlet] = final
    model.widgets = {k for k, o in widget_outlets.items() if o >= 2 and widget_share[k] >= config.widget_share}


def _apply_overrides(model: TemplateModel, overrides: pd.DataFrame) -> None:
    """Apply reviewed rows to the model: ``keep`` drops a key (and remembers it), else it is added.

    Args:
        model: the learnt model, changed in place.
        overrides: reviewed rows (``outlet_id``, ``kind``, ``pattern``, ``action`` keep|remove);
            ``outlet_id`` ``"*"`` is the cross-outlet widgets.

    Raises:
        ValueError: a row's ``kind`` is not a unit kind.
    """
    for row in overrides.itertuples(index=False):
        kind, norm = str(row.kind).strip(), _norm(str(row.pattern))
        if kind not in _KIND_BITS:
            raise ValueError(f"template override: kind {kind!r} is not one of {sorted(_KIND_BITS)}")
        key = _key(kind, norm, norm.count(" ") + 1)
        scope = str(row.outlet_id).strip()
        target = model.widgets if scope == GLOBAL else model.keys.setdefault(scope, set())
        if str(row.action).strip().lower() == "keep":
            target.discard(key)
            model.kept.setdefault(scope, set()).add(key)
            if scope == GLOBAL:
                for keys in model.keys.values():
                    keys.discard(key)
        else:
            target.add(key)


def _index(model: TemplateModel) -> None:
    """Complete the model in place: the unknown outlet's keys, the kinds and the first-word signatures.

    Args:
        model: the learnt model (keys, widgets and overrides applied), changed in place.
    """
    if "" in model.sampled and len(model.keys) > 1:
        # Articles whose outlet is unknown: any outlet's whole template lines apply (a page of
        # outlet X with an unrecognised outlet still shows X's chrome).
        model.keys[""] = model.keys.get("", set()) | {k for o, keys in model.keys.items() if o
                                                      for k in keys if (k >> 2) & 3 == 0}
    widget_kinds = {_kind_of(k) for k in model.widgets}
    model.kinds = {o: {_kind_of(k) for k in keys} | widget_kinds for o, keys in model.keys.items()}
    model.kinds[GLOBAL] = widget_kinds
    for outlet in list(model.keys) + [GLOBAL]:
        signatures: dict[str, set[int]] = defaultdict(set)
        for k in model.keys.get(outlet, set()) | model.widgets:
            signatures[_kind_of(k)].add((k >> 4) & 0xFFF)
        model.signatures[outlet] = dict(signatures)
