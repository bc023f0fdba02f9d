r"""The demo corpus's ground truth: the rows of ``truth/documents.jsonl`` and the reference tables.

``truth/documents.jsonl`` holds one row per input record (what a careful reader should extract
from it), sorted by ``raw_path`` and record with bounded memory (:class:`SortedJsonl`);
``truth/entities.csv``, ``events.csv`` and ``labels.csv`` list the fictional world the corpus
is drawn from (:func:`write_reference_tables`).

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> rows = SortedJsonl(folder)
    >>> rows.add("b", {"n": 2}); rows.add("a", {"n": 1})
    >>> rows.write(folder / "rows.jsonl")
    >>> (folder / "rows.jsonl").read_text()
    '{"n": 1}\n{"n": 2}\n'
"""

from __future__ import annotations

import csv
import heapq
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from mediaprov.demo.render import Article, Rendered
from mediaprov.demo.world import CAMPS, ENTITIES, EVENTS, LABELS, Outlet

__all__ = ["SortedJsonl", "truth_row", "write_reference_tables"]


class SortedJsonl:
    """Collects truth rows and writes them sorted by key, with bounded memory (external sort).

    Rows are held ``chunk`` at a time; each full chunk is sorted and spilled to a file in
    ``folder``, and :meth:`write` merges the spills.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp()); rows = SortedJsonl(folder, chunk=1)
        >>> rows.add("z", {"last": True}); rows.add("m", {"last": False})
        >>> rows.write(folder / "out.jsonl"); (folder / "out.jsonl").read_text().splitlines()
        ['{"last": false}', '{"last": true}']
    """

    def __init__(self, folder: Path, *, chunk: int = 50_000) -> None:
        """Start with no rows.

        Args:
            folder: where the spill files go (a temporary folder).
            chunk: rows held in memory before a spill.
        """
        self.folder = folder
        self.chunk = chunk
        self.rows: list[tuple[str, str]] = []
        self.spills: list[Path] = []

    def add(self, key: str, row: dict) -> None:
        """Add one row, to be written in the order of ``key``.

        Args:
            key: the sort key (no tab or newline in it).
            row: the row, written as JSON with sorted keys.
        """
        self.rows.append((key, json.dumps(row, ensure_ascii=False, sort_keys=True)))
        if len(self.rows) >= self.chunk:
            self._spill()

    def _spill(self) -> None:
        self.rows.sort()
        path = self.folder / f"spill{len(self.spills):05d}.tmp"
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            for key, line in self.rows:
                handle.write(f"{key}\t{line}\n")
        self.spills.append(path)
        self.rows = []

    def write(self, path: Path) -> None:
        """Write every row added, sorted by key, to ``path`` (one JSON line each).

        Args:
            path: the JSONL file to write; the spill files are removed.
        """
        self._spill()

        def read(spill: Path) -> Iterator[tuple[str, str]]:
            with open(spill, encoding="utf-8") as handle:
                for line in handle:
                    key, _, row = line.rstrip("\n").partition("\t")
                    yield key, row

        with open(path, "w", encoding="utf-8", newline="\n") as out:
            for _, row in heapq.merge(*(read(s) for s in self.spills)):
                out.write(row + "\n")
        for spill in self.spills:
            spill.unlink()


def truth_row(raw_path: str, record: int, fmt: str, rendered: Rendered | None, *,
              status: str, article: Article | None, outlet: Outlet | None,
              duplicate_of: str | None = None, duplicate_kind: str | None = None,
              event_id: str | None = None, reuse_of: dict | None = None,
              date_flag: bool = False, reason: str | None = None) -> dict:
    """Build one ``truth/documents.jsonl`` row: what a careful reader extracts from one record.

    Args:
        raw_path: the input file, relative to the corpus folder.
        record: the record's position in its file.
        fmt: its format (``text``, ``html``, ``csv``, ``jsonl``).
        rendered: what was written (``None`` for a bad file).
        status: the expected ingest status (``ingested``, ``duplicate``, ``quarantined``).
        article: the underlying article (``None`` for a bad file).
        outlet: the outlet a reader can tell (``None`` when the record does not show it).
        duplicate_of: ``raw_path#record`` of the record this one duplicates.
        duplicate_kind: ``exact`` or ``near``.
        event_id: the event the article covers.
        reuse_of: ``{"article_key", "kind", "credited"}`` of the release it republishes.
        date_flag: the record's structured date is implausible and should be flagged.
        reason: the expected quarantine reason (``empty``, ``binary``, ``decode``).

    Returns:
        The row (a dict of JSON values).

    Example:
        >>> row = truth_row("bad/empty.txt", 0, "text", None, status="quarantined", article=None,
        ...                 outlet=None, reason="empty")
        >>> row["expected_status"], row["text"], row["date_source"]
        ('quarantined', None, 'none')
    """
    paragraphs = article.paragraphs if article is not None and rendered is not None else []
    entities: dict[str, list[str]] = {}
    quotes, scare, labels, posts = [], [], [], []
    for p in paragraphs:
        for entity_id, surface in p.mentions:
            surfaces = entities.setdefault(entity_id, [])
            if surface not in surfaces:
                surfaces.append(surface)
        quotes += [{"speaker": s, "text": t} for s, t in p.quotes]
        scare += [w for w in p.scare_quotes if w not in scare]
        labels += [{"actor": a, "label": lab} for a, lab in p.labels
                   if {"actor": a, "label": lab} not in labels]
        if p.post is not None:
            posts.append({"author": p.post[0], "handle": p.post[1], "date": p.post[2]})
    r = rendered
    return {
        "raw_path": raw_path, "record": record, "format": fmt, "expected_status": status,
        "expected_reason": reason, "duplicate_of": duplicate_of, "duplicate_kind": duplicate_kind,
        "article_key": article.key if article is not None else None,
        "outlet": outlet.outlet_id if outlet is not None else None,
        "camp": outlet.camp if outlet is not None else None,
        "title": r.title if r else None, "subtitle": r.subtitle if r else None,
        "published": r.published if r else None,
        "true_published": article.published.isoformat() if article is not None else None,
        "date_source": r.date_source if r else "none", "page_date": r.page_date if r else None,
        "date_flag_expected": date_flag,
        "credited_source": (article.credited_outlet if r is not None and r.credit_line
                            and article is not None else None),
        "credit_line": r.credit_line if r else None,
        "boilerplate_lines": r.boilerplate_lines if r else [],
        "template_lines": r.template_lines if r else [], "body_copies": r.body_copies if r else 1,
        "embedded_posts": posts, "body_paragraphs": r.body_paragraphs if r else [],
        "text": "\n\n".join(r.body_paragraphs) if r else None,
        "event_id": event_id, "reuse_of": reuse_of, "entities": entities, "quotes": quotes,
        "scare_quotes": scare, "labels": labels,
    }


def write_reference_tables(truth: Path) -> None:
    """Write the fictional world's ``entities.csv``, ``events.csv`` and ``labels.csv``.

    Args:
        truth: the corpus's ``truth/`` folder (it must exist).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp()); write_reference_tables(folder)
        >>> sorted(p.name for p in folder.iterdir())
        ['entities.csv', 'events.csv', 'labels.csv']
    """
    with open(truth / "entities.csv", "w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(["entity_id", "kind", "canonical_name", "aliases", "ambiguous_surname",
                    "role", "handle"])
        surnames = Counter(e.surname for e in ENTITIES if e.kind == "person")
        for e in sorted(ENTITIES, key=lambda e: e.entity_id):
            ambiguous = e.kind == "person" and surnames[e.surname] > 1
            w.writerow([e.entity_id, e.kind, e.canonical_name,
                        "|".join(e.aliases + e.variants), "true" if ambiguous else "false",
                        e.role, e.handle])
    with open(truth / "events.csv", "w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(["event_id", "date", "label", "description", "place", "actors"])
        for ev in EVENTS:
            w.writerow([ev.event_id, ev.date.isoformat(), ev.label, ev.description, ev.place,
                        "|".join(ev.actors)])
    with open(truth / "labels.csv", "w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(["camp", "actor", "label"])
        for camp in CAMPS:
            for actor in sorted(LABELS[camp]):
                for label in LABELS[camp][actor]:
                    w.writerow([camp, actor, label])
