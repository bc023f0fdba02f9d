"""Figures of the narrative comparison (notebook 04): each builder returns a figure, never shows it.

Static twins are matplotlib :class:`~matplotlib.figure.Figure` objects built without pyplot (no
global state), at a fixed width, with matplotlib's default fonts; interactive twins
(``*_plotly``) are plotly figures for the HTML report. Groups (camps or publishers) always appear
in name order and take colours in that order from one fixed palette, so no camp gets a colour
because of what it is, and reruns draw identical figures.

Builders:

* :func:`top_terms_figure`: the top distinctive terms of each group, bars of their z-scores
  (input: :func:`mediaprov.narratives.distinctive_terms`).
* :func:`label_rates_figure`: label rates per 1,000 mentions with confidence intervals, one panel
  per label, actors down the side, one marker per group (input:
  :func:`mediaprov.narratives.label_rates`).
* :func:`topic_heatmap_figure`: topic shares per period, one heat map per group (input:
  :func:`mediaprov.narratives.topic_shares` with ``by`` and ``period``).

Example:
    >>> table = pd.DataFrame({"group": ["a", "a", "b"], "term": ["cult", "sect", "regime"],
    ...     "z": [5.0, 3.0, 4.0], "rank": [1, 2, 1]})
    >>> len(top_terms_figure(table, top=2).axes)
    2
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.figure import Figure
from plotly.subplots import make_subplots

from mediaprov.plots import GROUP_PALETTE, group_colours, plain, plain_all

PALETTE: tuple[str, ...] = GROUP_PALETTE
"""Colours given to groups in name order: the shared palette of :mod:`mediaprov.plots`."""

FIGURE_WIDTH = 11.0
"""Width in inches of every static figure (heights follow the content)."""
FIGURE_DPI = 100


def _require(table: pd.DataFrame, columns: Sequence[str], *, name: str, source: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise KeyError(f"{name} lacks columns {missing} (has {list(table.columns)}): pass the output "
                       f"of {source}")


def _top_terms(distinctive: pd.DataFrame, *, top: int) -> dict[str, pd.DataFrame]:
    _require(distinctive, ("group", "term", "z", "rank"), name="distinctive",
             source="mediaprov.narratives.distinctive_terms")
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    if distinctive.empty:
        raise ValueError("distinctive has no rows: nothing to draw (were min_count or top too strict?)")
    ordered = distinctive.sort_values(["group", "rank"], kind="mergesort")
    return {str(g): part.head(top) for g, part in ordered.groupby("group", sort=True)}


def top_terms_figure(distinctive: pd.DataFrame, *, top: int = 15, title: str = "",
                     columns: int = 3) -> Figure:
    """Bars of the top distinctive terms of each group, by z-score, one panel per group.

    Args:
        distinctive: output of :func:`mediaprov.narratives.distinctive_terms` (``group, term, z,
            rank``).
        top: terms shown per group (ranks 1..top, rank 1 at the top of its panel).
        title: figure title.
        columns: panels per row.

    Returns:
        A matplotlib Figure; panel titles are the group names, bars are labelled with their z.
        Every panel shares one x axis (same range and ticks), so bars compare across groups.

    Raises:
        KeyError: a needed column is missing.
        ValueError: ``top`` is below 1 or the table is empty.

    Example:
        >>> table = pd.DataFrame({"group": ["a", "b"], "term": ["cult", "regime"], "z": [5.0, 4.0],
        ...     "rank": [1, 1]})
        >>> [axes.get_title() for axes in top_terms_figure(table).axes]
        ['a', 'b']
    """
    parts = _top_terms(distinctive, top=top)
    colours = group_colours(list(parts))
    columns = max(1, min(columns, len(parts)))
    rows = int(np.ceil(len(parts) / columns))
    longest = max(len(p) for p in parts.values())
    figure = Figure(figsize=(FIGURE_WIDTH, rows * (0.28 * longest + 1.2) + 0.4), dpi=FIGURE_DPI)
    z_max = max(float(p["z"].max()) for p in parts.values())
    z_min = min(0.0, min(float(p["z"].min()) for p in parts.values()))
    first = None
    for k, (group, part) in enumerate(parts.items()):
        axes = figure.add_subplot(rows, columns, k + 1, sharex=first)
        first = first or axes
        shown = part[::-1]
        positions = np.arange(len(shown))
        axes.barh(positions, shown["z"].to_numpy(float), color=colours[group])
        axes.set_yticks(positions, plain_all(shown["term"]), fontsize=9)
        axes.set_title(plain(group), fontsize=10)
        axes.set_xlabel("z-score (log-odds, informative Dirichlet prior)", fontsize=8)
        axes.set_xlim(z_min * 1.1, z_max * 1.18)
        for position, z in zip(positions, shown["z"].to_numpy(float), strict=True):
            axes.annotate(f"{z:.1f}", (z, position), xytext=(2, 0), textcoords="offset points",
                          va="center", fontsize=7)
        axes.tick_params(axis="x", labelsize=8)
    if title:
        figure.suptitle(plain(title), fontsize=11)
    figure.tight_layout()
    return figure


def top_terms_figure_plotly(distinctive: pd.DataFrame, *, top: int = 15, title: str = "") -> go.Figure:
    """The interactive twin of :func:`top_terms_figure`: one panel per group, hover shows counts.

    Every panel shares one x axis (``matches``, one range), as in the static figure: a bar of
    z = 5 is as long in every camp's panel.

    Example:
        >>> table = pd.DataFrame({"group": ["a", "b"], "term": ["cult", "regime"], "z": [5.0, 2.0],
        ...     "rank": [1, 1]})
        >>> figure = top_terms_figure_plotly(table)
        >>> [trace.name for trace in figure.data], figure.layout.xaxis2.matches
        (['a', 'b'], 'x')
    """
    parts = _top_terms(distinctive, top=top)
    colours = group_colours(list(parts))
    figure = make_subplots(rows=1, cols=len(parts), subplot_titles=list(parts), horizontal_spacing=0.12)
    for k, (group, part) in enumerate(parts.items(), start=1):
        shown = part[::-1]
        hover = [f"{t}<br>z={z:.2f}" for t, z in zip(shown["term"], shown["z"], strict=True)]
        if {"count_group", "count_rest"} <= set(shown.columns):
            hover = [f"{h}<br>in group: {a}, rest: {b}"
                     for h, a, b in zip(hover, shown["count_group"], shown["count_rest"], strict=True)]
        figure.add_trace(go.Bar(x=shown["z"].to_numpy(float), y=[str(t) for t in shown["term"]],
                                orientation="h", name=group, marker_color=colours[group],
                                hovertext=hover, hoverinfo="text"), row=1, col=k)
    longest = max(len(p) for p in parts.values())
    z_max = max(float(p["z"].max()) for p in parts.values())
    z_min = min(0.0, min(float(p["z"].min()) for p in parts.values()))
    figure.update_xaxes(matches="x", range=[z_min * 1.1, z_max * 1.1])
    figure.update_layout(title=title, showlegend=False, height=max(350, 24 * longest + 150))
    return figure


def _rates(rates: pd.DataFrame, *, entities: Sequence[str] | None,
           labels: Sequence[str] | None) -> tuple[pd.DataFrame, list[str], list[str], list[str]]:
    _require(rates, ("group", "entity_id", "label", "rate_per_1000", "ci_low", "ci_high"),
             name="rates", source="mediaprov.narratives.label_rates")
    table = rates.astype({"group": str, "entity_id": str, "label": str})
    if entities is not None:
        table = table[table["entity_id"].isin([str(e) for e in entities])]
    if labels is not None:
        table = table[table["label"].isin([str(label) for label in labels])]
    if table.empty:
        raise ValueError("no rates left to draw: check the entities and labels asked for "
                         f"(entities={entities}, labels={labels})")
    actors = [str(e) for e in entities if str(e) in set(table["entity_id"])] if entities is not None \
        else sorted(table["entity_id"].unique())
    label_names = [str(x) for x in labels if str(x) in set(table["label"])] if labels is not None \
        else sorted(table["label"].unique())
    groups = sorted(table["group"].unique())
    return table, actors, label_names, groups


def label_rates_figure(rates: pd.DataFrame, *, entities: Sequence[str] | None = None,
                       labels: Sequence[str] | None = None, title: str = "") -> Figure:
    """Label rates per 1,000 mentions with their intervals: panels per label, rows per actor.

    Args:
        rates: output of :func:`mediaprov.narratives.label_rates`.
        entities: actors shown, top to bottom in this order; default all, sorted.
        labels: labels (categories or terms) shown, one panel each, in this order; default all.
        title: figure title.

    Returns:
        A matplotlib Figure: in each panel one marker per group and actor at the rate, with a
        horizontal line for the confidence interval; groups are offset vertically and share one
        legend.

    Raises:
        KeyError: a needed column is missing.
        ValueError: nothing is left after choosing entities and labels.

    Example:
        >>> rates = pd.DataFrame({"group": ["a", "b"], "entity_id": ["x", "x"], "label": ["d", "d"],
        ...     "rate_per_1000": [100.0, 10.0], "ci_low": [80.0, 5.0], "ci_high": [120.0, 20.0]})
        >>> len(label_rates_figure(rates).axes)
        1
    """
    table, actors, label_names, groups = _rates(rates, entities=entities, labels=labels)
    colours = group_colours(groups)
    indexed = table.set_index(["label", "entity_id", "group"])
    height = 0.38 * len(actors) * max(1.0, len(groups) / 3) + 1.6
    figure = Figure(figsize=(FIGURE_WIDTH, height), dpi=FIGURE_DPI)
    offsets = ((len(groups) - 1) / 2 - np.arange(len(groups))) * (0.7 / max(1, len(groups)))  # first group on top
    positions = np.arange(len(actors))[::-1].astype(float)
    for k, label in enumerate(label_names):
        axes = figure.add_subplot(1, len(label_names), k + 1)
        for offset, group in zip(offsets, groups, strict=True):
            keys = [(label, actor, group) for actor in actors]
            present = [key in indexed.index for key in keys]
            rows = indexed.loc[[key for key, ok in zip(keys, present, strict=True) if ok]]
            y = positions[np.array(present, dtype=bool)] + offset
            rate = rows["rate_per_1000"].to_numpy(float)
            low, high = rows["ci_low"].to_numpy(float), rows["ci_high"].to_numpy(float)
            errors = np.clip(np.vstack([rate - low, high - rate]), 0.0, None)  # rounding at 0
            axes.errorbar(rate, y, xerr=errors, fmt="o", markersize=4,
                          color=colours[group], elinewidth=1.2, capsize=0,
                          label=plain(group) if k == 0 else None)
        axes.set_yticks(positions, plain_all(actors) if k == 0 else [""] * len(actors), fontsize=9)
        axes.set_ylim(-0.6, len(actors) - 0.4)
        axes.set_title(plain(label), fontsize=10)
        axes.set_xlabel("per 1,000 mentions", fontsize=8)
        axes.set_xlim(left=0)
        axes.tick_params(axis="x", labelsize=8)
        axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    figure.legend(loc="lower center", ncols=len(groups), fontsize=9, frameon=False)
    if title:
        figure.suptitle(plain(title), fontsize=11)
    figure.tight_layout(rect=(0, 0.07, 1, 1))
    return figure


def label_rates_figure_plotly(rates: pd.DataFrame, *, entities: Sequence[str] | None = None,
                              labels: Sequence[str] | None = None, title: str = "") -> go.Figure:
    """The interactive twin of :func:`label_rates_figure` (hover shows labelled / mentions).

    Example:
        >>> rates = pd.DataFrame({"group": ["a"], "entity_id": ["x"], "label": ["d"],
        ...     "rate_per_1000": [100.0], "ci_low": [80.0], "ci_high": [120.0]})
        >>> label_rates_figure_plotly(rates).data[0].name
        'a'
    """
    table, actors, label_names, groups = _rates(rates, entities=entities, labels=labels)
    colours = group_colours(groups)
    figure = make_subplots(rows=1, cols=len(label_names), subplot_titles=label_names, shared_yaxes=True)
    for k, label in enumerate(label_names, start=1):
        for group in groups:
            rows = table[(table["label"] == label) & (table["group"] == group)]
            rows = rows.set_index("entity_id").reindex([a for a in actors if a in set(rows["entity_id"])])
            hover = [f"{group}, {actor}: {r:.1f} per 1,000" for actor, r in zip(rows.index, rows["rate_per_1000"], strict=True)]
            if {"labelled", "mentions"} <= set(rows.columns):
                hover = [f"{h} ({a} of {b} mentions)" for h, a, b in zip(hover, rows["labelled"], rows["mentions"], strict=True)]
            figure.add_trace(go.Scatter(
                x=rows["rate_per_1000"], y=list(rows.index), mode="markers", name=group,
                legendgroup=group, showlegend=k == 1, marker_color=colours[group],
                error_x={"type": "data", "symmetric": False,
                         "array": np.clip((rows["ci_high"] - rows["rate_per_1000"]).to_numpy(float), 0, None),
                         "arrayminus": np.clip((rows["rate_per_1000"] - rows["ci_low"]).to_numpy(float), 0, None)},
                hovertext=hover, hoverinfo="text"), row=1, col=k)
    figure.update_yaxes(categoryorder="array", categoryarray=actors[::-1])
    figure.update_layout(title=title, height=max(350, 40 * len(actors) + 150),
                         scattermode="group")
    return figure


def _topic_grid(shares: pd.DataFrame, topic_labels: pd.DataFrame | None
                ) -> tuple[list[str], list[str], list[int], dict[int, str], pd.DataFrame]:
    _require(shares, ("group", "period", "topic", "share"), name="shares",
             source="mediaprov.narratives.topic_shares(topics, articles, by=..., period=...)")
    if shares.empty:
        raise ValueError("shares has no rows: nothing to draw (do the articles have dates?)")
    table = shares.astype({"group": str, "period": str, "topic": "int64", "share": float})
    groups = sorted(table["group"].unique())
    periods = sorted(table["period"].unique())
    topics = sorted(table["topic"].unique().tolist())
    names = {t: str(t) for t in topics}
    if topic_labels is not None:
        _require(topic_labels, ("topic", "label"), name="topic_labels", source="fit_topics(...).labels")
        names.update({int(t): str(label) for t, label in zip(topic_labels["topic"], topic_labels["label"], strict=True)
                      if int(t) in names})
    return groups, periods, topics, names, table


def topic_heatmap_figure(shares: pd.DataFrame, topic_labels: pd.DataFrame | None = None, *,
                         title: str = "") -> Figure:
    """Heat maps of mean topic share per period, one panel per group, one shared colour scale.

    Args:
        shares: output of :func:`mediaprov.narratives.topic_shares` with ``by`` and ``period``
            (``group, period, topic, share``).
        topic_labels: ``Topics.labels`` (``topic, label``) for the row names; default topic numbers.
        title: figure title.

    Returns:
        A matplotlib Figure: rows are topics, columns periods, colour the mean share (0..max);
        a period with no article of the group is left blank (white), not drawn as zero.

    Raises:
        KeyError: a needed column is missing.
        ValueError: the table is empty.

    Example:
        >>> shares = pd.DataFrame({"group": ["a", "a"], "period": ["2024-01", "2024-01"],
        ...     "topic": [0, 1], "share": [0.7, 0.3]})
        >>> len(topic_heatmap_figure(shares).axes)  # one panel and its colour bar
        2
    """
    groups, periods, topics, names, table = _topic_grid(shares, topic_labels)
    vmax = float(table["share"].max())
    height = len(groups) * (0.32 * len(topics) + 0.9) + 1.0
    figure = Figure(figsize=(FIGURE_WIDTH, height), dpi=FIGURE_DPI)
    grid = figure.add_gridspec(len(groups), 2, width_ratios=(40, 1))
    images = []  # one per group; _topic_grid guarantees at least one
    for k, group in enumerate(groups):
        axes = figure.add_subplot(grid[k, 0])
        matrix = (table[table["group"] == group].pivot(index="topic", columns="period", values="share")
                  .reindex(index=topics, columns=periods))
        images.append(axes.imshow(np.ma.masked_invalid(matrix.to_numpy(float)), aspect="auto",
                                  cmap="viridis", vmin=0.0, vmax=vmax, interpolation="nearest"))
        axes.set_yticks(np.arange(len(topics)), plain_all(names[t] for t in topics), fontsize=8)
        axes.set_title(plain(group), fontsize=10, loc="left")
        if k == len(groups) - 1:
            axes.set_xticks(np.arange(len(periods)), plain_all(periods), fontsize=8, rotation=45, ha="right")
        else:
            axes.set_xticks(np.arange(len(periods)), [""] * len(periods))
    colour_axes = figure.add_subplot(grid[:, 1])
    figure.colorbar(images[-1], cax=colour_axes, label="mean topic share")
    if title:
        figure.suptitle(plain(title), fontsize=11)
    figure.tight_layout()
    return figure


def topic_heatmap_figure_plotly(shares: pd.DataFrame, topic_labels: pd.DataFrame | None = None, *,
                                title: str = "") -> go.Figure:
    """The interactive twin of :func:`topic_heatmap_figure` (hover shows group, period, share).

    Example:
        >>> shares = pd.DataFrame({"group": ["a"], "period": ["2024-01"], "topic": [0], "share": [1.0]})
        >>> topic_heatmap_figure_plotly(shares).data[0].type
        'heatmap'
    """
    groups, periods, topics, names, table = _topic_grid(shares, topic_labels)
    vmax = float(table["share"].max())
    figure = make_subplots(rows=len(groups), cols=1, subplot_titles=groups, shared_xaxes=True,
                           vertical_spacing=0.06)
    for k, group in enumerate(groups, start=1):
        matrix = (table[table["group"] == group].pivot(index="topic", columns="period", values="share")
                  .reindex(index=topics, columns=periods))
        figure.add_trace(go.Heatmap(z=matrix.to_numpy(float), x=periods, y=[names[t] for t in topics],
                                    zmin=0.0, zmax=vmax, colorscale="Viridis", showscale=k == 1,
                                    name=group, hovertemplate="%{y}<br>%{x}: %{z:.3f}<extra>" + group
                                    + "</extra>"), row=k, col=1)
    figure.update_layout(title=title, height=max(400, len(groups) * (22 * len(topics) + 60) + 100))
    return figure
