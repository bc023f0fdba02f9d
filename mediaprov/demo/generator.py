"""One generation run of the demo corpus: articles drawn from one random stream, then written.

:class:`Generator` holds all state of a run: the random streams, the press-office items others
republish, the open CSV and JSONL writers and the counts. Each article picks an outlet, a date or
a release to republish (whole or in part, credited or not), a channel (text scrape in one of six
styles, HTML page, Media Cloud CSV row, JSONL feed line) and sometimes a duplicate; every record
gets its truth row (:func:`mediaprov.demo.truth.truth_row`). The order of random draws *is* the
corpus: moving a draw changes every file after it.

Example:
    >>> import tempfile
    >>> Generator(Path(tempfile.mkdtemp()), articles=5, seed=1).run().articles  # + 2 bad files
    7
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import random
import shutil
import tempfile
from collections import Counter, deque
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypedDict

from mediaprov.demo.noise import REPEATED_BODY_RATE, pick_noise
from mediaprov.demo.prose import ADJS, NOUNS, TAGS, Paragraph, ProseWriter, swap_last_word
from mediaprov.demo.render import (
    BAD_DATES, MEDIACLOUD_COLUMNS, STYLES, Article, feed_line, mediacloud_row, render_html,
    render_scrape,
)
from mediaprov.demo.summary import DemoSummary, datasheet
from mediaprov.demo.truth import SortedJsonl, truth_row, write_reference_tables
from mediaprov.demo.world import (
    END, ENTITY_BY_ID, EVENTS, REPORTERS, START, Event, Outlet, load_outlets,
)
from mediaprov.io import write_manifest

__all__ = ["CHANNELS", "GENERATED", "PRESS_SOURCES", "STYLE_WEIGHTS", "Generator"]

GENERATED: tuple[str, ...] = ("scrapes", "html", "mediacloud", "feeds", "bad", "truth",
                              "README.md", "MANIFEST.json")
"""Top-level names under ``out_dir`` that :func:`generate` owns (removed before writing)."""

STYLE_WEIGHTS: dict[str, float] = {"marker": 0.15, "sitelabel": 0.18, "crawlheader": 0.14,
                                   "digest": 0.12, "credit": 0.14, "byline": 0.27}
"""Scrape style -> how often a text scrape is drawn in it."""
CHANNELS: tuple[tuple[str, float], ...] = (("text", 0.76), ("html", 0.08), ("csv", 0.08),
                                           ("jsonl", 0.08))
"""Channel -> share of the articles that are not republished releases (those are text)."""
PRESS_SOURCES: dict[str, str] = {"opposition-aligned": "nafv-press",
                                 "government-aligned": "vna"}
"""Camp -> the outlet whose items that camp republishes (symmetric)."""


@dataclass
class _Source:
    """A press-office item kept in memory so later articles can republish it."""

    key: str
    outlet: Outlet
    published: date
    event: Event | None
    title: str
    paragraphs: list[Paragraph]


class _RecordFacts(TypedDict):
    """The keyword arguments of :func:`truth_row` that every channel of one record shares."""

    status: str
    duplicate_of: str | None
    duplicate_kind: str | None
    article: Article
    event_id: str | None
    reuse_of: dict | None


class Generator:
    """One generation run (all state of the stream lives here).

    Example:
        >>> import tempfile
        >>> Generator(Path(tempfile.mkdtemp()), articles=3, seed=2).run().records >= 8
        True
    """

    def __init__(self, out_dir: Path, *, articles: int, seed: int) -> None:
        """Set up a run; nothing is written before :meth:`run`.

        Args:
            out_dir: the corpus folder.
            articles: number of distinct underlying articles.
            seed: seed of the run's random streams.
        """
        self.out = out_dir
        self.n = articles
        self.seed = seed
        self.rng = random.Random(seed)
        self.noise_rng = random.Random(seed * 7919 + 1)  # page-template noise: its own stream
        self.last_noise: tuple[str, list] = ("", [])
        self.outlets = load_outlets()
        self.by_id = {o.outlet_id: o for o in self.outlets}
        self.summary = DemoSummary()
        self.copied: set[tuple[str, str]] = set()
        self.pools: dict[str, deque[_Source]] = {pid: deque(maxlen=40)
                                                 for pid in PRESS_SOURCES.values()}
        self.digest_numbers: Counter = Counter()
        self.feed_lines: Counter = Counter()
        self.csv_rows = 0
        self.folders: set[str] = set()
        self.root = str(out_dir)
        self.media_ids = {o.outlet_id: 100_001 + i for i, o in enumerate(self.outlets)}

    # -- small helpers -----------------------------------------------------------------------
    def _hex(self) -> str:
        return f"{self.rng.getrandbits(48):012x}"

    def _write(self, rel: str, data: bytes) -> None:
        folder, _, _ = rel.rpartition("/")
        if folder not in self.folders:
            (self.out / folder).mkdir(parents=True, exist_ok=True)
            self.folders.add(folder)
        with open(os.path.join(self.root, rel), "wb") as handle:
            handle.write(data)

    def _record(self, row: dict) -> None:
        self.truth.add(f"{row['raw_path']}\x00{row['record']:010d}", row)
        s = self.summary
        s.records += 1
        s.by_status[row["expected_status"]] += 1
        s.by_format[row["format"]] += 1

    def _pick_date(self) -> tuple[date, Event | None]:
        rng = self.rng
        if rng.random() < 0.72:
            event = rng.choice(EVENTS)
            day = event.date + timedelta(days=min(int(rng.expovariate(0.3)), 25))
            return min(day, END), event
        return START + timedelta(days=rng.randrange((END - START).days + 1)), None

    # -- one article -----------------------------------------------------------------------
    def _pick_source(self, outlet: Outlet) -> _Source | None:
        """The release ``outlet`` republishes, or ``None`` (draws only for non-press outlets)."""
        if outlet.outlet_id in self.pools:
            return None
        rng, camp = self.rng, outlet.camp
        roll = rng.random()
        pool_id = None
        if camp in PRESS_SOURCES and roll < 0.28:
            pool_id = PRESS_SOURCES[camp]
        elif camp == "international" and roll < 0.08:
            pool_id = rng.choice(sorted(self.pools))
        # An outlet republishes a given item at most once: two copies of one release by one
        # outlet would be indistinguishable from a duplicate scrape.
        fresh = [item for item in self.pools[pool_id] if (item.key, outlet.outlet_id) not in self.copied] \
            if pool_id else []
        if not fresh:
            return None
        source = rng.choice(fresh)
        self.copied.add((source.key, outlet.outlet_id))
        return source

    def _pick_channel(self) -> str:
        """The channel of an article that republishes nothing (one draw)."""
        roll, channel = self.rng.random(), "text"
        for name, weight in CHANNELS:
            if roll < weight:
                channel = name
                break
            roll -= weight
        return channel

    def _pick_style(self, *, credited: bool, republished: bool) -> str:
        """The scrape style of a text record (a credited copy often carries a credit line)."""
        rng = self.rng
        style = rng.choices(STYLES, weights=[STYLE_WEIGHTS[s] for s in STYLES])[0]
        if credited:
            style = "credit" if rng.random() < 0.4 else style
        elif style == "credit" and (republished or rng.random() < 0.5):
            style = "byline"
        return style

    def _paragraphs(self, writer: ProseWriter, source: _Source | None, copy_kind: str, *,
                    style: str, channel: str,
                    published: date) -> tuple[list[Paragraph], list[Paragraph]]:
        """``(own, paragraphs)``: the outlet's own paragraphs and the body with any copied ones."""
        rng = self.rng
        undated = style in ("sitelabel", "crawlheader", "credit")
        own = [writer.paragraph(bare_date=(i == 0 and undated and rng.random() < 0.3))
               for i in range(rng.randint(5, 7) if source is None else rng.randint(1, 3))]
        if source is None:
            paragraphs = own
        elif copy_kind == "whole":
            paragraphs = list(source.paragraphs)
        else:
            n_src = len(source.paragraphs)
            start = 0 if rng.random() < 0.5 else rng.randint(1, max(1, n_src - 2))
            taken = source.paragraphs[start:start + rng.randint(2, 3)]
            paragraphs = own[:1] + taken + own[1:]
        if style in ("crawlheader", "digest") or (channel == "text" and rng.random() < 0.12):
            for _ in range(1 if style != "crawlheader" or rng.random() < 0.6 else 2):
                at = rng.randint(1, len(paragraphs))
                posts = writer.embedded_post(published, fallback=published)
                paragraphs = paragraphs[:at] + posts + paragraphs[at:]
        return own, paragraphs

    def article(self, index: int) -> None:
        """Draw article number ``index`` and write its record(s) and truth rows.

        Args:
            index: the article's number (its key is ``a`` + seven digits).
        """
        rng = self.rng
        outlet = rng.choice(self.outlets)
        key = f"a{index:07d}"
        camp = outlet.camp
        reuse_of: dict | None = None
        source = self._pick_source(outlet)
        copy_kind = ""
        credited = False
        if source is not None:
            lag = min(rng.randint(0, 10), (END - source.published).days)
            published, event = source.published + timedelta(days=lag), source.event
            copy_kind = "whole" if rng.random() < 0.4 else "partial"
            credited = rng.random() < 0.5
            channel = "text"
        else:
            published, event = self._pick_date()
            channel = self._pick_channel()
        style = self._pick_style(credited=credited, republished=source is not None) \
            if channel == "text" else ""
        writer = ProseWriter(rng, camp=camp, event=event, curly=rng.random() < 0.5)
        own, paragraphs = self._paragraphs(writer, source, copy_kind, style=style, channel=channel,
                                           published=published)
        title = (source.title if source is not None and copy_kind == "whole" and rng.random() < 0.5
                 else writer.title())
        self.digest_numbers[outlet.outlet_id] += 1
        credit_target = credited_outlet = None
        if source is not None and credited:
            src = source.outlet
            credit_target = rng.choice(src.aliases + (src.stem,))
            credited_outlet = src.outlet_id
        elif style == "credit":
            credit_target = rng.choice(outlet.aliases + (outlet.stem,))
            credited_outlet = outlet.outlet_id
        art = Article(key, outlet, published, title, writer.subtitle(), paragraphs,
                      credit_target, credited_outlet,
                      ENTITY_BY_ID[rng.choice(REPORTERS)].canonical_name, rng.choice(TAGS),
                      f"{rng.choice(ADJS)}-{rng.choice(NOUNS).replace(' ', '-')}-{index}",
                      100 + self.digest_numbers[outlet.outlet_id], rng.randint(6, 21))
        if source is not None:
            reuse_of = {"article_key": source.key, "kind": copy_kind, "credited": credited}
            self.reuse.writerow([source.key, key, source.outlet.outlet_id, outlet.outlet_id,
                                 copy_kind, "true" if credited else "false",
                                 (published - source.published).days])
            self.summary.planted[f"reuse-{copy_kind}-{'credited' if credited else 'uncredited'}"] += 1
        if outlet.outlet_id in self.pools:
            self.pools[outlet.outlet_id].append(
                _Source(key, outlet, published, event, title, [p for p in own]))
        event_id = event.event_id if event is not None else None
        first = self._emit(art, channel, style, event_id=event_id, reuse_of=reuse_of)
        for p in paragraphs:
            for speaker, text in p.quotes:
                self.quotes.writerow([key, outlet.outlet_id, camp, speaker, text])
        s = self.summary
        s.articles += 1
        s.by_outlet[outlet.outlet_id] += 1
        s.by_camp[camp] += 1
        # duplicates of text scrapes: exact copies and near duplicates
        if channel == "text":
            roll = rng.random()
            if roll < 0.025:
                folder = first["raw_path"].rsplit("/", 1)[0]
                rel = f"{folder}/{index:07d}_{self._hex()}.txt"
                self._write(rel, (self.out / first["raw_path"]).read_bytes())
                row = dict(first, raw_path=rel, expected_status="duplicate",
                           duplicate_of=f"{first['raw_path']}#0", duplicate_kind="exact")
                self._record(row)
                s.planted["duplicate-exact"] += 1
            elif roll < 0.055:
                self._near_duplicate(art, first, style, event_id, reuse_of)

    def _near_duplicate(self, art: Article, first: dict, style: str, event_id: str | None,
                        reuse_of: dict | None) -> None:
        rng = self.rng
        paragraphs = list(art.paragraphs)
        editable = [i for i, p in enumerate(paragraphs) if p.editable]
        if editable:
            i = rng.choice(editable)
            paragraphs[i] = swap_last_word(paragraphs[i], rng)
        twin = Article(**{**art.__dict__, "paragraphs": paragraphs})
        ref = f"{first['raw_path']}#{first['record']}"
        if rng.random() < 0.5 or twin.credit_target:
            other = rng.choice([s for s in STYLES if s != style and s != "credit"])
            if twin.credit_target and rng.random() < 0.5:
                other = "credit" if style != "credit" else "byline"
            self._emit(twin, "text", other, event_id=event_id, reuse_of=reuse_of,
                       duplicate_of=ref, folder=first["raw_path"].split("/")[1])
        else:
            self._emit(twin, rng.choice(("html", "csv", "jsonl")), "", event_id=event_id,
                       reuse_of=reuse_of, duplicate_of=ref)
        self.summary.planted["duplicate-near"] += 1

    def _emit(self, art: Article, channel: str, style: str, *, event_id: str | None,
              reuse_of: dict | None, duplicate_of: str | None = None,
              folder: str | None = None) -> dict:
        """Write one record of ``art`` in ``channel`` and its truth row; return the row."""
        rng = self.rng
        facts = _RecordFacts(status="duplicate" if duplicate_of else "ingested",
                             duplicate_of=duplicate_of,
                             duplicate_kind="near" if duplicate_of else None,
                             article=art, event_id=event_id, reuse_of=reuse_of)
        index = int(art.key[1:])
        outlet = art.outlet
        if channel == "text":
            if folder is None:
                folder = "unsorted" if rng.random() < 0.15 else outlet.domain
            unsorted = folder == "unsorted"
            url_line = unsorted and style not in ("sitelabel", "digest") and rng.random() < 0.5
            crawl = date(2024, 1, 8) + timedelta(days=rng.randrange(900))
            forbidden = {i for i, p in enumerate(art.paragraphs) if p.post is not None}
            # Peek at the duplicate roll article() makes after this record (same draws as below,
            # then the state is restored: the corpus's random stream is unchanged).
            state = rng.getstate()
            render_scrape(style, art, rng=rng, url_line=url_line, crawl_date=crawl)
            self._hex()
            near_duplicate_follows = duplicate_of is None and 0.025 <= rng.random() < 0.055
            rng.setstate(state)
            if duplicate_of is not None and self.last_noise[0] == art.key:
                noise = self.last_noise[1]  # a re-scrape of the same page shows the same chrome
            elif outlet.outlet_id in self.pools or reuse_of is not None:
                # Releases of the press office and the state agency (the sources that others
                # republish) and their copies carry no noise: reuse detection still compares raw
                # texts (the cleaner is still run over them, and must leave them whole).
                noise = []
            elif near_duplicate_follows:
                # Duplicate detection compares raw texts before templates are learnt: an article
                # that is also re-scraped or exported carries no template noise.
                noise = []
            else:
                noise = pick_noise(outlet, self.noise_rng, paragraphs=len(art.paragraphs), forbidden=forbidden)
            self.last_noise = (art.key, noise)
            copies = 3 if (not forbidden and duplicate_of is None
                           and self.noise_rng.random() < REPEATED_BODY_RATE) else 1
            rendered = render_scrape(style, art, rng=rng, url_line=url_line, crawl_date=crawl,
                                     noise=noise, copies=copies)
            self.summary.planted["template-lines"] += len(rendered.template_lines) - \
                (copies - 1) * len(rendered.body_paragraphs)
            if copies > 1:
                self.summary.planted["repeated-body"] += 1
            rel = f"scrapes/{folder}/{index:07d}_{self._hex()}.txt"
            self._write(rel, rendered.text.encode("utf-8"))
            known = outlet if (not unsorted or rendered.outlet_evidence) else None
            row = truth_row(rel, 0, "text", rendered, outlet=known, **facts)
            self.summary.by_style[style] += 1
        elif channel == "html":
            rendered = render_html(art, with_date=rng.random() < 0.85)
            rel = f"html/{outlet.domain}/{index:07d}-{art.slug}.html"
            if (self.out / rel).exists():
                rel = f"html/{outlet.domain}/{index:07d}-{art.slug}-{self._hex()}.html"
            self._write(rel, rendered.text.encode("utf-8"))
            row = truth_row(rel, 0, "html", rendered, outlet=outlet, **facts)
        elif channel == "csv":
            values, rendered = mediacloud_row(art, stories_id=2_000_000_000 + index * 3 +
                                              (1 if duplicate_of else 0),
                                              media_id=self.media_ids[outlet.outlet_id])
            self.csv_writer.writerow(values)
            row = truth_row("mediacloud/stories.csv", self.csv_rows, "csv", rendered,
                             outlet=outlet, **facts)
            self.csv_rows += 1
        else:
            bad = rng.choice(BAD_DATES) if rng.random() < 0.05 else None
            outlet_as = rng.choice((outlet.name, outlet.outlet_id, outlet.domain))
            record, rendered = feed_line(art, item_id=f"{outlet.stem}-{index}", outlet_as=outlet_as,
                                         bad_date=bad)
            name = f"feeds/{outlet.outlet_id}.jsonl"
            self._feed(name).write(json.dumps(record, ensure_ascii=False) + "\n")
            row = truth_row(name, self.feed_lines[name], "jsonl", rendered, outlet=outlet,
                             date_flag=bad is not None, **facts)
            self.feed_lines[name] += 1
        self._record(row)
        return row

    def _feed(self, name: str):
        if name not in self.feeds:
            path = self.out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            self.feeds[name] = open(path, "w", encoding="utf-8", newline="\n")
        return self.feeds[name]

    # -- bad files -------------------------------------------------------------------------
    def bad_files(self) -> None:
        """Write ``bad/``: three files to quarantine and two re-encoded articles to ingest."""
        rng = self.rng
        for name, data, reason in (
            ("bad/empty.txt", b"", "empty"),
            ("bad/binary.bin", bytes(rng.randrange(256) if i % 7 else 0 for i in range(600)),
             "binary"),
            ("bad/invalid_utf8.txt",
             b"Orlet dispatch \x81\x8d weather \x8f\x90 report \x9d ends \xe2\x82 cut \xc3", "decode"),
        ):
            self._write(name, data)
            self._record(truth_row(name, 0, "text", None, status="quarantined", article=None,
                                    outlet=None, reason=reason))
        for name, encode in (("bad/utf16_bom.txt",
                              lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le")),
                             ("bad/cp1252.txt", lambda t: t.encode("cp1252"))):
            outlet = self.by_id["freedom-herald" if "utf16" in name else "orlet-tribune"]
            published, event = self._pick_date()
            writer = ProseWriter(rng, camp=outlet.camp, event=event, curly=True)
            paragraphs = [writer.paragraph() for _ in range(4)]
            word = "caf\u00e9 talks" if "utf16" in name else "r\u00e9sum\u00e9 checks"
            place = rng.choice(("Mirel", "Andor", "Vasque"))
            paragraphs.append(Paragraph(
                f"These \u201c{word}\u201d near the Caf\u00e9 {place} in "
                f"{rng.choice(('Orlet', 'Kessa'))}\u2019s {rng.choice(ADJS)} quarter ended "
                f"{rng.choice(('late', 'early'))}.", scare_quotes=[word]))
            key = "bad-utf16" if "utf16" in name else "bad-cp1252"
            art = Article(key, outlet, published, writer.title(), writer.subtitle(), paragraphs,
                          tag=rng.choice(TAGS))
            rendered = render_scrape("sitelabel", art, rng=rng)
            self._write(name, encode(rendered.text))
            self._record(truth_row(name, 0, "text", rendered, status="ingested", article=art,
                                    outlet=outlet, event_id=event.event_id if event else None))
            self.summary.articles += 1
            self.summary.by_outlet[outlet.outlet_id] += 1
            self.summary.by_camp[outlet.camp] += 1
            self.summary.by_style["sitelabel"] += 1

    # -- the run -----------------------------------------------------------------------------
    def run(self) -> DemoSummary:
        """Write the whole corpus (inputs, truth, README, MANIFEST) and return its counts.

        Returns:
            The :class:`~mediaprov.demo.summary.DemoSummary` of the run.
        """
        out = self.out
        out.mkdir(parents=True, exist_ok=True)
        for name in GENERATED:
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
        (out / "truth").mkdir()
        (out / "mediacloud").mkdir()
        self.feeds: dict = {}
        with tempfile.TemporaryDirectory(dir=out) as spill, \
                open(out / "mediacloud/stories.csv", "w", encoding="utf-8", newline="") as mc, \
                open(out / "truth/reuse.csv", "w", encoding="utf-8", newline="") as reuse, \
                open(out / "truth/quotes.csv", "w", encoding="utf-8", newline="") as quotes:
            self.truth = SortedJsonl(Path(spill))
            self.csv_writer = csv.writer(mc, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
            self.csv_writer.writerow(MEDIACLOUD_COLUMNS)
            self.reuse = csv.writer(reuse, lineterminator="\n")
            self.reuse.writerow(["source_key", "copy_key", "source_outlet", "copy_outlet", "kind",
                                 "credited", "lag_days"])
            self.quotes = csv.writer(quotes, lineterminator="\n")
            self.quotes.writerow(["article_key", "outlet", "camp", "speaker", "text"])
            try:
                for index in range(self.n):
                    self.article(index)
                self.bad_files()
            finally:
                for handle in self.feeds.values():
                    handle.close()
            self.truth.write(out / "truth/documents.jsonl")
        write_reference_tables(self.out / "truth")
        (out / "README.md").write_text(datasheet(self.summary, seed=self.seed, articles=self.n),
                                       encoding="utf-8", newline="\n")
        files = [p for p in out.rglob("*") if p.is_file() and p.name != "MANIFEST.json"]
        write_manifest(files, out, out / "MANIFEST.json")
        return self.summary
