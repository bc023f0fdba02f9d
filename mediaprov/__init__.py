"""mediaprov: trace where news narratives come from and how they travel between outlets.

Entry points: ``mediaprov.ingest(path)`` (raw files -> articles), the subpackages and modules named
for each stage (``features``, ``reuse``, ``timelines``, ``overlap``, ``narratives``), and the
``mediaprov`` command line (:mod:`mediaprov.cli`).
"""

import mediaprov.evidence  # noqa: F401  (mediaprov.evidence(rows, articles) shows the passages behind rows)
import mediaprov.ingest  # noqa: F401  (mediaprov.ingest(path) runs ingestion, as `mediaprov ingest PATH`)

__version__ = "0.1.0"
