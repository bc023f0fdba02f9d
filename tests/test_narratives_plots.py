"""Tests of mediaprov.plots.narratives: figures show the data they are given, in a stable order.

Inputs are small fictional tables (invented camps, actors and terms); the last test draws from
the real narrative functions on a fictional corpus, so the builders are checked against the
tables they are meant for.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from matplotlib.figure import Figure

from mediaprov import narratives as nv
from mediaprov.plots import narratives as plots


def distinctive_table() -> pd.DataFrame:
    rows = []
    for group, terms in (("south", ["junta", "puppets", "oppressors"]),
                         ("north", ["grouplet", "zealots", "iron fist", "hirelings"])):
        for rank, term in enumerate(terms, start=1):
            rows.append({"group": group, "term": term, "count_group": 10 - rank, "count_rest": rank,
                         "log_odds": 1.0 / rank, "z": 9.0 - 2 * rank, "rank": rank})
    return pd.DataFrame(rows).sample(frac=1.0, random_state=3)  # order must not matter


def rates_table() -> pd.DataFrame:
    rows = []
    for g, group in enumerate(["north", "south", "centre"]):
        for a, actor in enumerate(["voss", "kade"]):
            for label in ("delegitimising", "legitimising"):
                rate = 100.0 * (g + 1) + 10 * a + (5 if label == "legitimising" else 0)
                rows.append({"group": group, "entity_id": actor, "label": label, "mentions": 200,
                             "labelled": int(rate / 5), "rate_per_1000": rate, "ci_low": rate - 20,
                             "ci_high": rate + 30})
    return pd.DataFrame(rows)


def shares_table() -> pd.DataFrame:
    rows = []
    for group in ("north", "south"):
        for period in ("2024-01", "2024-02", "2024-03"):
            if group == "south" and period == "2024-02":
                continue  # a period without articles of this group
            weights = [0.6, 0.3, 0.1] if group == "north" else [0.1, 0.2, 0.7]
            for topic, share in enumerate(weights):
                rows.append({"group": group, "period": period, "topic": topic, "share": share,
                             "articles": 4})
    return pd.DataFrame(rows)


def png_bytes(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def test_group_colours_follow_names_not_input_order() -> None:
    assert plots.group_colours(["south", "north", "south"]) == plots.group_colours(["north", "south"])
    colours = plots.group_colours([f"g{k:02d}" for k in range(12)])
    assert colours["g00"] == colours[f"g{len(plots.PALETTE):02d}"] == plots.PALETTE[0]  # cycles past the palette
    assert len(set(colours.values())) == len(plots.PALETTE)


def test_top_terms_figure_draws_each_groups_ranks_in_order() -> None:
    figure = plots.top_terms_figure(distinctive_table(), top=3, title="t")
    assert isinstance(figure, Figure)
    assert [axes.get_title() for axes in figure.axes] == ["north", "south"]
    north, south = figure.axes
    # rank 1 is the top bar: tick labels run bottom to top
    assert [t.get_text() for t in north.get_yticklabels()] == ["iron fist", "zealots", "grouplet"]
    assert [round(p.get_width(), 6) for p in north.patches] == [3.0, 5.0, 7.0]
    assert [t.get_text() for t in south.get_yticklabels()] == ["oppressors", "puppets", "junta"]
    colours = {tuple(np.round(p.get_facecolor(), 3)) for p in north.patches}
    assert len(colours) == 1 and colours != {tuple(np.round(south.patches[0].get_facecolor(), 3))}


def test_top_terms_figure_is_reproducible_and_checks_input() -> None:
    table = distinctive_table()
    assert png_bytes(plots.top_terms_figure(table)) == png_bytes(plots.top_terms_figure(table.iloc[::-1]))
    with pytest.raises(KeyError, match="distinctive_terms"):
        plots.top_terms_figure(table.drop(columns=["z"]))
    with pytest.raises(ValueError, match="top"):
        plots.top_terms_figure(table, top=0)
    with pytest.raises(ValueError, match="no rows"):
        plots.top_terms_figure(table.iloc[:0])


def test_top_terms_plotly_twin_holds_the_same_bars() -> None:
    figure = plots.top_terms_figure_plotly(distinctive_table(), top=2)
    assert isinstance(figure, go.Figure)
    assert [trace.name for trace in figure.data] == ["north", "south"]
    assert list(figure.data[0].y) == ["zealots", "grouplet"] and list(figure.data[0].x) == [5.0, 7.0]
    assert "in group: 9, rest: 1" in figure.data[0].hovertext[-1]


def test_label_rates_figure_places_rates_and_intervals() -> None:
    rates = rates_table()
    figure = plots.label_rates_figure(rates, entities=["voss", "kade"], labels=["legitimising"])
    panels = [a for a in figure.axes if a.get_title()]
    assert [a.get_title() for a in panels] == ["legitimising"]
    axes = panels[0]
    ticks = dict(zip(axes.get_yticks(), (t.get_text() for t in axes.get_yticklabels()),
                     strict=True))
    assert [ticks[y] for y in sorted(ticks, reverse=True)] == ["voss", "kade"]  # first actor on top
    lines = {container.get_label(): container.lines[0] for container in axes.containers}
    assert sorted(lines) == ["centre", "north", "south"]
    north_x = sorted(lines["north"].get_xdata())
    assert north_x == [105.0, 115.0]  # voss 100+5, kade 110+5
    # the first group in name order is drawn highest within each actor's row
    assert min(lines["centre"].get_ydata()) > min(lines["north"].get_ydata()) > min(lines["south"].get_ydata())
    # interval ends: each error bar spans ci_low..ci_high
    spans = sorted(tuple(np.round(seg[:, 0], 6)) for collection in axes.collections
                   for seg in collection.get_segments())
    assert (85.0, 135.0) in spans and (295.0, 345.0) in spans


def test_label_rates_figure_default_labels_and_errors() -> None:
    rates = rates_table()
    figure = plots.label_rates_figure(rates)
    assert sorted(a.get_title() for a in figure.axes if a.get_title()) == ["delegitimising", "legitimising"]
    rounding = rates.assign(ci_low=np.where(rates.group == "north", rates.rate_per_1000 + 1e-12, rates.ci_low))
    plots.label_rates_figure(rounding)  # a lower bound a hair above the rate is drawn, not refused
    with pytest.raises(ValueError, match="no rates left"):
        plots.label_rates_figure(rates, entities=["nobody"])
    with pytest.raises(KeyError, match="label_rates"):
        plots.label_rates_figure(rates.drop(columns=["ci_low"]))
    twin = plots.label_rates_figure_plotly(rates, entities=["voss"], labels=["delegitimising"])
    assert [trace.name for trace in twin.data] == ["centre", "north", "south"]
    assert list(twin.data[1].x) == [100.0] and list(twin.data[1].error_x.array) == [30.0]
    assert "(20 of 200 mentions)" in twin.data[1].hovertext[0]


def test_topic_heatmap_keeps_missing_periods_blank() -> None:
    labels = pd.DataFrame({"topic": [0, 1, 2], "label": ["0: dam", "1: vote", "2: ferry"]})
    figure = plots.topic_heatmap_figure(shares_table(), labels, title="t")
    panels = [a for a in figure.axes if a.get_title(loc="left")]
    assert [a.get_title(loc="left") for a in panels] == ["north", "south"]
    assert [t.get_text() for t in panels[0].get_yticklabels()] == ["0: dam", "1: vote", "2: ferry"]
    assert [t.get_text() for t in panels[1].get_xticklabels()] == ["2024-01", "2024-02", "2024-03"]
    south = panels[1].images[0].get_array()
    assert south.mask[:, 1].all() and not south.mask[:, [0, 2]].any()
    assert np.allclose(south[:, 0], [0.1, 0.2, 0.7])
    assert panels[0].images[0].get_clim() == panels[1].images[0].get_clim() == (0.0, 0.7)
    twin = plots.topic_heatmap_figure_plotly(shares_table(), labels)
    assert [trace.name for trace in twin.data] == ["north", "south"]
    assert np.isnan(np.asarray(twin.data[1].z, dtype=float)[:, 1]).all()
    with pytest.raises(KeyError, match="topic_shares"):
        plots.topic_heatmap_figure(shares_table().drop(columns=["period"]))


def test_figures_from_the_narrative_functions() -> None:
    """Fictional corpus through distinctive_terms, label_rates and topic_shares into the figures."""
    rows, mentions = [], []
    words = {"north": "the grouplet hirelings met Voss near the dam", "south": "the junta puppets met Voss near the vote"}
    for camp, text in words.items():
        for k in range(6):
            article_id = f"{camp}-{k}"
            rows.append({"article_id": article_id, "outlet_id": f"{camp}-a", "camp": camp,
                         "published": pd.Timestamp("2024-01-01", tz="UTC") + pd.Timedelta(days=20 * k),
                         "text": text})
            start = text.index("Voss")
            mentions.append({"article_id": article_id, "entity_id": "voss", "start": start, "end": start + 4})
    articles, mentions = pd.DataFrame(rows), pd.DataFrame(mentions)
    distinctive = nv.distinctive_terms(articles, by="camp", min_count=1, top=4)
    figure = plots.top_terms_figure(distinctive)
    north_terms = {t.get_text() for t in figure.axes[0].get_yticklabels()}
    assert {"grouplet", "hirelings"} <= north_terms and "junta" not in north_terms
    lexicon = pd.DataFrame({"term": ["grouplet*", "junta*"], "category": ["delegitimising", "delegitimising"]})
    associations = nv.actor_frames(articles, mentions, lexicon, by="camp", window=5)
    rates = nv.label_rates(associations, mentions, articles, by="camp", level="term")
    drawn = plots.label_rates_figure(rates)
    assert sorted(a.get_title() for a in drawn.axes if a.get_title()) == ["grouplet*", "junta*"]
    topics = nv.fit_topics(articles, n_topics=2, min_df=1)
    shares = nv.topic_shares(topics, articles, by="camp", period="M")
    heat = plots.topic_heatmap_figure(shares, topics.labels)
    assert len([a for a in heat.axes if a.get_title(loc="left")]) == 2
