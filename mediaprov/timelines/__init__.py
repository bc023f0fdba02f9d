"""Who published what and when, and who led: volumes, attention, events, first movers and bursts.

Every function takes and returns pandas DataFrames. Dates are never imputed: an article whose
``published`` is missing, or whose ``date_confidence`` is below ``min_confidence``, is left out of
every time series and counted apart by :func:`undated_articles`, so a figure can say how many
articles it does not show.

Tables returned here (one row per ...):

* :func:`volumes`: group x period: ``group``, ``period`` (UTC start of the day, week or month),
  ``articles``, ``share`` (the period's part of the group's dated output: sums to 1 per group).
* :func:`undated_articles`: group: ``total``, ``dated``, ``missing_date``, ``low_confidence``,
  ``undated``, ``share_undated``.
* :func:`mention_timeline`: group x period x term: ``mentions``, ``articles_mentioning``,
  ``articles`` and ``attention`` (Media Cloud's normalised attention: articles mentioning the term
  over all the group's dated articles in that period).
* :func:`detect_bursts`: one row per burst, with the method, its parameters and the library
  version in the table itself.
* :func:`story_timing`, :func:`first_movers`, :func:`follow_pairs`: story x outlet, story, and
  ordered outlet pair. A first mover is named from dates, or, where dates cannot order a story,
  from provenance evidence (credit lines, outlet kinds, common sources of copied text:
  :func:`mediaprov.stories.precedence`), with ``order_evidence`` saying which; where nothing
  decides, ``order_evidence == "uncertain"``, never a guess.
Scoring against the demo's planted republication chains lives in :mod:`mediaprov.evaluate`
(:func:`~mediaprov.evaluate.chain_first_movers`, :func:`~mediaprov.evaluate.first_mover_scores`).

One module per job: :mod:`.inputs` (outlets and events), :mod:`.volumes`, :mod:`.bursts`,
:mod:`.first_movers`, :mod:`.intervals` (the interval around every count, rate and median lag a
figure draws, with its method in words) and :mod:`.run` (the ``mediaprov timelines`` command); date helpers are
:mod:`mediaprov.dating`.

Example:
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet_id": ["x", "x", "y"],
    ...     "published": pd.to_datetime(["2024-01-01", "2024-01-09", None], utc=True)})
    >>> volumes(articles, freq="week").articles.tolist()
    [1, 1]
    >>> undated_articles(articles).undated.tolist()
    [0, 1]
"""

from mediaprov.dating import FREQUENCIES, date_status, period_start
from mediaprov.timelines.bursts import detect_bursts, match_events
from mediaprov.timelines.first_movers import (
    FIRST_MOVER_COLUMNS, FIRST_MOVER_RULES, UNCERTAIN, first_mover_rules, first_movers, follow_pairs,
    story_timing,
)
from mediaprov.timelines.intervals import (
    follow_lags, median_interval, poisson_interval, timeline_intervals, wilson_interval,
)
from mediaprov.timelines.inputs import EVENT_COLUMNS, load_events, load_outlets
from mediaprov.timelines.run import run_timelines
from mediaprov.timelines.volumes import (
    ALL_OUTLETS, GROUPINGS, NO_CAMP, UNKNOWN_OUTLET, assign_groups, mention_timeline, undated_articles, volumes,
)

__all__ = [
    "ALL_OUTLETS", "EVENT_COLUMNS", "FIRST_MOVER_COLUMNS", "FIRST_MOVER_RULES", "FREQUENCIES", "GROUPINGS", "NO_CAMP", "UNCERTAIN",
    "UNKNOWN_OUTLET", "assign_groups", "date_status", "detect_bursts", "first_mover_rules", "first_movers", "follow_lags", "follow_pairs",
    "load_events", "load_outlets", "match_events", "median_interval", "mention_timeline", "period_start",
    "poisson_interval", "run_timelines", "story_timing", "timeline_intervals", "undated_articles", "volumes",
    "wilson_interval",
]
