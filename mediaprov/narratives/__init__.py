"""Narrative comparison between publishers and camps: which words, labels, topics and events.

Submodules, one idea each:

* :mod:`~mediaprov.narratives.tokens`: the shared tokenisation (lowercase, stopwords as data,
  unigrams and bigrams).
* :mod:`~mediaprov.narratives.groups`: publisher or camp of each article.
* :mod:`~mediaprov.narratives.distinctive`: log-odds ratios with an informative Dirichlet prior
  and z-scores (Monroe, Colaresi and Quinn 2008), two groups or one-vs-rest.
* :mod:`~mediaprov.narratives.lexicons`: framing lexicons (``data/reference/lexicons/``), term
  matching with offsets, lexicon suggestions from distinctive terms, keyword in context.
* :mod:`~mediaprov.narratives.frames`: actor-frame associations and label rates per 1,000
  mentions with confidence intervals.
* :mod:`~mediaprov.narratives.topics`: deterministic NMF topics per publisher and per month.
* :mod:`~mediaprov.narratives.events`: same-event grouping (dated articles by time window,
  undated ones by clear match) and side-by-side comparison.
* :mod:`~mediaprov.narratives.robustness`: stability of the top terms across settings.

Example:
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"article_id": ["1", "2"], "outlet_id": ["a", "b"],
    ...     "text": ["the grouplet grouplet met", "the movement movement met"]})
    >>> distinctive_terms(articles, groups=("a", "b"), min_count=1).columns.tolist()
    ['group', 'term', 'count_group', 'count_rest', 'log_odds', 'z', 'rank']
"""

from mediaprov.narratives.distinctive import (
    DISTINCTIVE_COLUMNS, GroupCounts, collapse_nested, distinctive_terms, group_counts,
    log_odds_dirichlet, score_groups, term_counts,
)
from mediaprov.narratives.events import (
    JOINED_BY, UNDATED_MATCH_COLUMNS, compare_event, event_links, event_term_counts, group_same_event,
    group_same_event_by_margin, undated_matches, without_undated_matches,
)
from mediaprov.narratives.frames import (
    ASSOCIATION_COLUMNS, RATE_COLUMNS, actor_frames, label_rates, wilson_interval,
)
from mediaprov.narratives.groups import attach_groups
from mediaprov.narratives.lexicons import (
    find_terms, keyword_in_context, lexicon_path, load_lexicon, suggest_lexicon_terms,
)
from mediaprov.narratives.robustness import term_stability
from mediaprov.narratives.tokens import extract_terms, load_stopwords, mask_spans, tokenize
from mediaprov.narratives.topics import Topics, fit_topics, topic_shares

__all__ = [
    "ASSOCIATION_COLUMNS", "DISTINCTIVE_COLUMNS", "GroupCounts", "JOINED_BY", "RATE_COLUMNS", "Topics",
    "UNDATED_MATCH_COLUMNS",
    "actor_frames", "attach_groups", "collapse_nested", "compare_event", "distinctive_terms", "event_links",
    "event_term_counts", "extract_terms", "find_terms", "fit_topics", "group_counts", "group_same_event",
    "group_same_event_by_margin", "keyword_in_context", "label_rates", "lexicon_path", "load_lexicon",
    "load_stopwords",
    "log_odds_dirichlet", "mask_spans", "score_groups", "suggest_lexicon_terms", "term_counts",
    "term_stability", "tokenize", "topic_shares", "undated_matches", "wilson_interval",
    "without_undated_matches",
]
