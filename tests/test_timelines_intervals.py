"""Intervals of counts, proportions and median lags, and the figures that draw them.

Covers mediaprov.timelines.intervals and the figures that draw the intervals with their n and
method.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mediaprov import plots
from mediaprov.timelines import (first_mover_rules, follow_lags, median_interval, poisson_interval,
                                 timeline_intervals, wilson_interval)


def test_poisson_and_wilson_bounds_cover_the_value() -> None:
    counts = np.array([0, 1, 5, 40])
    low, high = poisson_interval(counts)
    assert (low <= counts).all() and (counts <= high).all() and low[0] == 0.0
    low, high = wilson_interval([0, 3, 10], [10, 10, 10])
    assert low[0] == 0.0 and high[2] == pytest.approx(1.0) and low[1] < 0.3 < high[1]
    assert np.isnan(wilson_interval([0], [0])[0][0])  # no articles: no proportion, no bounds


def test_median_interval_is_seeded_and_needs_two_values() -> None:
    values = [1, 2, 2, 3, 8, 9, 12]
    assert median_interval(values, seed=3) == median_interval(values, seed=3)
    one = median_interval([4.0])
    assert one["n"] == 1 and one["median"] == 4.0 and np.isnan(one["ci_low"])
    with pytest.raises(ValueError, match="n_boot"):
        median_interval(values, n_boot=0)


def test_timeline_intervals_pick_the_method_by_column() -> None:
    table = pd.DataFrame({"group": ["x", "x", "y"], "articles": [4, 0, 2],
                          "articles_mentioning": [1, 0, 2], "share": [1.0, 0.0, 1.0],
                          "attention": [0.25, np.nan, 1.0]})
    _, method = timeline_intervals(table, value="articles")
    assert "Poisson" in method
    bounds, method = timeline_intervals(table, value="attention")
    assert "Wilson" in method and bounds.n.tolist() == [4, 0, 2] and np.isnan(bounds.low.iloc[1])
    assert timeline_intervals(table, value="other")[1] == ""


def test_follow_lags_and_lag_figure_carry_n_and_spread() -> None:
    timing = pd.DataFrame({
        "story_id": [s for s in "abcd" for _ in range(2)],
        "outlet_id": ["x", "y"] * 4, "lag_days": [0.0, 1.0, 0.0, 2.0, 0.0, 6.0, 0.0, None],
        "is_first": pd.array([True, False] * 3 + [pd.NA, pd.NA], dtype="boolean")})
    lags = follow_lags(timing).set_index("outlet_id")
    assert lags.loc["y", ["followed", "median_lag_days", "q1_lag_days", "q3_lag_days"]].tolist() \
        == [3, 2.0, 1.5, 4.0]
    assert lags.loc["y", "ci_low"] <= 2.0 <= lags.loc["y", "ci_high"]
    figure = plots.lag_figure(timing)
    texts = [t.get_text() for t in figure.axes[1].texts]
    assert any("n=3" in t and "IQR" in t for t in texts)
    assert "bootstrap" in figure.texts[-1].get_text()


def test_timeline_note_names_the_interval() -> None:
    table = pd.DataFrame({"group": ["x", "x"], "articles": [1, 3],
                          "period": pd.to_datetime(["2024-01-01", "2024-01-08"], utc=True)})
    figure = plots.timeline_figure(table)
    assert "Poisson" in figure.texts[0].get_text()
    assert len(figure.axes[0].collections) == 1  # the band
    many = pd.concat([table.assign(group=g) for g in "abcdef"], ignore_index=True)
    note = plots.timeline_figure(many).texts[0].get_text()
    assert "not drawn" in note and not plots.timeline_figure(many).axes[0].collections


def test_first_mover_rules_name_the_assumptions() -> None:
    movers = pd.DataFrame({"outlets": [2, 2, 2], "order": ["decided", "decided", "uncertain"],
                           "order_evidence": ["source-kind", "credit", "uncertain"],
                           "first_outlet": ["p", "q", None]})
    rules = first_mover_rules(movers).set_index("rule")
    assert rules.loc["source-kind", "basis"] == "assumption"
    assert rules.loc["source-kind", "statement"].startswith("ASSUMPTION")
    assert rules.loc["source-kind", "share_of_decided"] == 0.5
    note = plots.first_mover_figure(movers).texts[0].get_text()
    assert "1 of 2 named rest on an assumption" in note
