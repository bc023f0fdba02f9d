"""mediaprov: trace where news narratives come from and how they travel between outlets.

Entry points: ``mediaprov.ingest.ingest(path)`` (raw files -> articles, as ``mediaprov ingest
PATH``), :func:`mediaprov.evidence` (the passages behind any rows), the subpackages and modules
named for each stage (``features``, ``reuse``, ``timelines``, ``overlap``, ``narratives``), and the
``mediaprov`` command line (:mod:`mediaprov.cli`).
"""

import mediaprov.ingest  # noqa: F401  (mediaprov.ingest.ingest(path) runs ingestion)
from mediaprov.passages import evidence, evidence_table

__all__ = ["__version__", "evidence", "evidence_table"]

__version__ = "0.1.0"
