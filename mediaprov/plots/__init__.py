"""Figure builders: each returns a figure and never shows or saves it.

This package holds the general builders (timelines, lags, first movers, bar charts);
:mod:`mediaprov.plots.overlap` draws reuse networks, heat maps and dendrograms (notebook 03) and
:mod:`mediaprov.plots.narratives` draws distinctive terms, label rates and topics (notebook 04).

Two twins per figure: a static matplotlib figure (``*_figure``) that renders on GitHub and a
plotly figure (``*_figure_plotly``) for the HTML report. Matplotlib figures are built without
pyplot (no global state), at a fixed size, with matplotlib's default DejaVu fonts; nothing in them
depends on the clock. When saving, pass ``metadata=STATIC_METADATA`` to ``savefig`` so that PDF and
SVG files carry no creation date either.

Example:
    >>> import pandas as pd
    >>> table = pd.DataFrame({"group": ["x", "x"], "articles": [1, 3],
    ...     "period": pd.to_datetime(["2024-01-01", "2024-01-08"], utc=True)})
    >>> type(timeline_figure(table)).__name__
    'Figure'
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.figure import Figure

from mediaprov.timelines.first_movers import FIRST_MOVER_RULES
from mediaprov.timelines.intervals import (BOOTSTRAP_METHOD, LEVEL, N_BOOT, follow_lags,
                                          timeline_intervals)


def plain(value: object) -> str:
    r"""Text from data as matplotlib must draw it: literally, never as a formula.

    Matplotlib reads text between two ``$`` as mathtext, so an event label with ``$$`` raises
    ``ValueError`` and an outlet id ``$x^2$`` is typeset; escaping each ``$`` keeps it literal.
    Apply it wherever data text (names, labels, titles, tick labels) reaches matplotlib.

    Example:
        >>> plain("$x^2$ cost $$")
        '\\$x^2\\$ cost \\$\\$'
    """
    return str(value).replace("$", r"\$")


def plain_all(values: Iterable[object]) -> list[str]:
    r""":func:`plain` of each value (tick labels).

    Example:
        >>> plain_all(["a$", 1])
        ['a\\$', '1']
    """
    return [plain(value) for value in values]

STATIC_SIZE: tuple[float, float] = (10.0, 5.0)
"""Width and height, in inches, of static figures."""
STATIC_DPI = 100
STATIC_METADATA: dict[str, None] = {"CreationDate": None, "Date": None}
"""Pass to ``Figure.savefig(metadata=...)`` for PDF / SVG files without a timestamp (use
``{"Date": None}`` alone for SVG and ``{"CreationDate": None}`` alone for PDF)."""
GROUP_PALETTE: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                                  "#56B4E9", "#F0E442", "#000000")
"""Okabe-Ito colours (readable with colour-blindness), given to groups in alphabetical order of
their names, so that no camp gets a colour for what it is and every notebook uses the same one."""
MANY_GROUPS_PALETTE: tuple[str, ...] = (
    "#1f77b4", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896",
    "#9467bd", "#c5b0d5", "#8c564b", "#c49c94", "#e377c2", "#f7b6d2", "#7f7f7f", "#c7c7c7",
    "#bcbd22", "#dbdb8d", "#17becf", "#9edae5")
"""Matplotlib's tab20, for figures with more groups than :data:`GROUP_PALETTE` has colours
(outlets rather than camps), so that no two lines share a colour up to twenty groups."""
EVENT_COLOUR = "#555555"
BURST_COLOUR = "#f2c14e"


def group_colours(groups: Iterable[object] | pd.Series | None) -> dict[str, str]:
    """Colour of each group (camp, outlet...), from :data:`GROUP_PALETTE` in name order.

    Args:
        groups: group names in any order, repeats and missing values allowed (a Series of names
            indexed by outlet works too); ``None`` gives no colours.

    Returns:
        Group name -> hex colour (the palette repeats after eight groups).

    Example:
        >>> group_colours(["south", "north", "south"])
        {'north': '#0072B2', 'south': '#D55E00'}
    """
    if groups is None:
        return {}
    names = sorted({str(g) for g in groups if not (g is None or (isinstance(g, float) and pd.isna(g)) or g is pd.NA)})
    return {name: GROUP_PALETTE[i % len(GROUP_PALETTE)] for i, name in enumerate(names)}


def _naive(values: pd.Series) -> pd.Series:
    """UTC timestamps as naive datetimes (what both plotting libraries draw best)."""
    return pd.to_datetime(values, utc=True).dt.tz_convert(None)


def _top_groups(table: pd.DataFrame, *, value: str, group: str, max_groups: int) -> list[str]:
    """The ``max_groups`` groups with the largest totals (ties broken by name), in name order.

    Groups are ranked by their article counts when the table has them (shares sum to 1 per
    group, so they cannot rank groups), else by ``value``.
    """
    rank_by = "articles" if "articles" in table.columns else value
    totals = table.groupby(group)[rank_by].sum().reset_index()
    totals = totals.sort_values([rank_by, group], ascending=[False, True], kind="stable")
    return sorted(totals[group].astype(str).head(max_groups))


def _undated_note(undated: pd.DataFrame | None) -> str:
    """One sentence on the articles a timeline leaves out for want of a trusted date."""
    if undated is None or undated.empty:
        return ""
    missing = int(undated["missing_date"].sum())
    low = int(undated["low_confidence"].sum())
    total = int(undated["total"].sum())
    return (f"Not shown: {missing + low} of {total} articles without a trusted date "
            f"({missing} missing, {low} low-confidence); counted apart, never imputed.")


MAX_BANDS = 4
"""Timelines with more lines than this draw no interval bands (they would hide each other and the
lines); the note then gives the interval of a typical point instead."""


def _interval_note(table: pd.DataFrame, bounds: pd.DataFrame, method: str, *, value: str,
                   level: float, shown_rows: pd.Series, drawn: bool) -> str:
    """One sentence on the intervals: the method, the n the points rest on, and more.

    When no band is drawn, the sentence also gives the interval of the median point.
    """
    if not method:
        return ""
    n = bounds.loc[shown_rows, "n"].dropna()
    if value != "articles":  # a proportion of nothing is not drawn
        n = n[n > 0]
    base = "counts" if value == "articles" else "articles per point"
    spread = (f" ({base}: median {float(n.median()):g}, range {int(n.min())}-{int(n.max())})"
              if len(n) else "")
    if drawn:
        return f"Shaded: {level:.0%} {method}{spread}."
    rows = bounds.loc[n.index]
    typical = (rows["n"] - float(n.median())).abs().sort_values(kind="stable").index
    example = ""
    if len(typical):
        row = typical[0]
        example = (f" e.g. {float(table.loc[row, value]):.3g} has [{rows.loc[row, 'low']:.3g}, "
                   f"{rows.loc[row, 'high']:.3g}]")
    return (f"Intervals ({level:.0%} {method}{spread}) not drawn for more than {MAX_BANDS} "
            f"lines:{example}.")


def _timeline_notes(table: pd.DataFrame, *, group: str, shown: list[str],
                    undated: pd.DataFrame | None, interval: str = "") -> list[str]:
    """The footnotes of a timeline: the intervals, groups left out, undated articles apart."""
    notes = [interval] if interval else []
    groups_total = table[group].nunique()
    if groups_total > len(shown):
        notes.append(f"Showing the {len(shown)} largest of {groups_total} groups.")
    if note := _undated_note(undated):
        notes.append(note)
    return notes


PSEUDO_GROUP_COLOUR = "#999999"
"""Colour of pseudo-groups such as ``(no camp)`` or ``(unknown outlet)`` (names in brackets)."""


def _line_colours(names: list[str]) -> dict[str, str]:
    """Colour of each line of a timeline: :func:`group_colours` for real groups, grey otherwise.

    Pseudo-groups (names starting with ``(``) are grey, so camps look as in every other figure.

    More real groups than :data:`GROUP_PALETTE` has colours (outlets rather than camps) take
    :data:`MANY_GROUPS_PALETTE`, so that no two lines share a colour.

    Example:
        >>> _line_colours(["(no camp)", "south", "north"])
        {'north': '#0072B2', 'south': '#D55E00', '(no camp)': '#999999'}
        >>> len(set(_line_colours([f"outlet-{i}" for i in range(10)]).values()))
        10
    """
    real = sorted({name for name in names if not name.startswith("(")})
    if len(real) > len(GROUP_PALETTE):
        colours = {name: MANY_GROUPS_PALETTE[i % len(MANY_GROUPS_PALETTE)] for i, name in enumerate(real)}
    else:
        colours = group_colours(real)
    return {**colours, **{name: PSEUDO_GROUP_COLOUR for name in names if name.startswith("(")}}


def timeline_figure(table: pd.DataFrame, *, value: str = "articles", group: str = "group",
                    period: str = "period", events: pd.DataFrame | None = None,
                    undated: pd.DataFrame | None = None, bursts: pd.DataFrame | None = None,
                    title: str = "", ylabel: str | None = None, max_groups: int = 10,
                    intervals: bool = True, level: float = LEVEL) -> Figure:
    """Draw one line per group over time, with its interval, events, bursts and the undated count.

    Counts (``articles``) are shaded with their exact Poisson interval, proportions (``share``,
    ``attention``) with their Wilson interval (:func:`mediaprov.timelines.timeline_intervals`);
    the note under the axes names the method and the n the points rest on. With more than
    :data:`MAX_BANDS` lines no band is drawn and the note gives a typical point's interval.

    Args:
        table: long table with ``group``, ``period`` and ``value`` columns (from
            :func:`mediaprov.timelines.volumes` or :func:`mediaprov.timelines.mention_timeline`).
        value: the column drawn (``articles``, ``share``, ``attention``...).
        group: the column naming each line's group.
        period: the column of period starts (the x axis).
        events: from :func:`mediaprov.timelines.load_events`: a dashed line and label each.
        undated: from :func:`mediaprov.timelines.undated_articles`: summarised under the axes.
        bursts: from :func:`mediaprov.timelines.detect_bursts`: shaded spans.
        title: the figure title.
        ylabel: the y-axis label (default: ``value``).
        max_groups: draw only the groups with the largest totals; the note says how many.
        intervals: shade each line's interval (for ``articles``, ``share`` and ``attention``).
        level: coverage of the intervals.

    Returns:
        A matplotlib Figure of fixed size.

    Example:
        >>> t = pd.DataFrame({"group": ["x"], "articles": [2],
        ...     "period": pd.to_datetime(["2024-01-01"], utc=True)})
        >>> len(timeline_figure(t).axes[0].lines)
        1
    """
    figure = Figure(figsize=STATIC_SIZE, dpi=STATIC_DPI)
    axes = figure.add_subplot(1, 1, 1)
    shown = _top_groups(table, value=value, group=group, max_groups=max_groups)
    # without intervals the method is empty and the (empty) bounds are never read
    bounds, method = (timeline_intervals(table, value=value, group=group, level=level)
                      if intervals else (pd.DataFrame(), ""))
    drawn = bool(method) and len(shown) <= MAX_BANDS
    if bursts is not None:
        for start, end in zip(_naive(bursts["start"]), _naive(bursts["end"]), strict=True):
            axes.axvspan(start, end, color=BURST_COLOUR, alpha=0.35, linewidth=0)
    colours = _line_colours(shown)
    for name in shown:
        part = table.loc[table[group].astype(str) == name].sort_values(period)
        axes.plot(_naive(part[period]), part[value], label=plain(name), linewidth=1.4,
                  color=colours[name])
        if drawn:
            axes.fill_between(_naive(part[period]), bounds.loc[part.index, "low"],
                              bounds.loc[part.index, "high"], color=colours[name], alpha=0.12,
                              linewidth=0)
    if events is not None:
        for date, label in zip(_naive(events["date"]), events["label"].astype(str), strict=True):
            axes.axvline(date, color=EVENT_COLOUR, linestyle="--", linewidth=0.8)
            axes.annotate(plain(label), xy=(date, 1.0), xycoords=("data", "axes fraction"),
                          rotation=90, va="top", ha="right", fontsize=7, color=EVENT_COLOUR)
    axes.set_ylabel(plain(ylabel or value))
    axes.set_title(plain(title))
    if shown:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    in_shown = table[group].astype(str).isin(shown)
    interval = (_interval_note(table, bounds, method, value=value, level=level,
                               shown_rows=in_shown, drawn=drawn) if method else "")
    notes = _timeline_notes(table, group=group, shown=shown, undated=undated, interval=interval)
    if notes:
        figure.text(0.01, 0.01, plain(" ".join(notes)), fontsize=8, ha="left", va="bottom",
                    wrap=True)
    figure.subplots_adjust(left=0.07, right=0.78, top=0.92, bottom=0.18)
    return figure


def timeline_figure_plotly(table: pd.DataFrame, *, value: str = "articles", group: str = "group",
                           period: str = "period", events: pd.DataFrame | None = None,
                           undated: pd.DataFrame | None = None,
                           bursts: pd.DataFrame | None = None, title: str = "",
                           ylabel: str | None = None, max_groups: int = 10,
                           intervals: bool = True, level: float = LEVEL) -> go.Figure:
    """The interactive twin of :func:`timeline_figure` (same arguments), for the HTML report.

    Returns:
        A plotly Figure: one trace per group (hover: value, interval and n), its interval as a
        shaded band (``legendgroup`` with the line), event lines with hover labels, burst spans.

    Example:
        >>> t = pd.DataFrame({"group": ["x"], "articles": [2],
        ...     "period": pd.to_datetime(["2024-01-01"], utc=True)})
        >>> [trace.name for trace in timeline_figure_plotly(t).data]
        ['x', 'x: 95% interval']
    """
    figure = go.Figure()
    shown = _top_groups(table, value=value, group=group, max_groups=max_groups)
    colours = _line_colours(shown)
    # without intervals the method is empty and the (empty) bounds are never read
    bounds, method = (timeline_intervals(table, value=value, group=group, level=level)
                      if intervals else (pd.DataFrame(), ""))
    drawn = bool(method) and len(shown) <= MAX_BANDS
    for name in shown:
        part = table.loc[table[group].astype(str) == name].sort_values(period)
        x = _naive(part[period])
        hover = None
        if method:
            low, high = bounds.loc[part.index, "low"], bounds.loc[part.index, "high"]
            n = bounds.loc[part.index, "n"]
            hover = [f"{name}: {v:.3g} [{lo:.3g}, {hi:.3g}], n = {k}"
                     for v, lo, hi, k in zip(part[value], low, high, n, strict=True)]
        figure.add_trace(go.Scatter(x=x, y=part[value], mode="lines", name=name,
                                    legendgroup=name, line={"color": colours[name]},
                                    hovertext=hover, hoverinfo="text+x" if hover else None))
        if drawn:
            figure.add_trace(go.Scatter(
                x=list(x) + list(x[::-1]), y=list(high) + list(low[::-1]), fill="toself",
                fillcolor=colours[name], opacity=0.15, line={"width": 0}, mode="lines",
                name=f"{name}: {level:.0%} interval", legendgroup=name, showlegend=False,
                hoverinfo="skip"))
    if bursts is not None:
        for start, end in zip(_naive(bursts["start"]), _naive(bursts["end"]), strict=True):
            figure.add_shape(type="rect", x0=start, x1=end, y0=0, y1=1, yref="paper",
                             fillcolor=BURST_COLOUR, opacity=0.35, line_width=0, layer="below")
    if events is not None:
        for date, label in zip(_naive(events["date"]), events["label"].astype(str), strict=True):
            figure.add_shape(type="line", x0=date, x1=date, y0=0, y1=1, yref="paper",
                             line={"color": EVENT_COLOUR, "dash": "dash", "width": 1})
            figure.add_annotation(x=date, y=1, yref="paper", text=label, showarrow=False,
                                  textangle=-90, xanchor="right", yanchor="top",
                                  font={"size": 9, "color": EVENT_COLOUR})
    in_shown = table[group].astype(str).isin(shown)
    interval = (_interval_note(table, bounds, method, value=value, level=level,
                               shown_rows=in_shown, drawn=drawn) if method else "")
    notes = _timeline_notes(table, group=group, shown=shown, undated=undated, interval=interval)
    if notes:
        figure.add_annotation(x=0, y=-0.15, xref="paper", yref="paper", showarrow=False,
                              text=" ".join(notes), xanchor="left", font={"size": 10})
    figure.update_layout(title=title, yaxis_title=ylabel or value, width=1000, height=500,
                         margin={"b": 90})
    return figure


def _shared_stories(timing: pd.DataFrame) -> pd.DataFrame:
    """The rows of stories carried by two outlets or more (in the others nobody can lead)."""
    outlets = timing.groupby("story_id")["outlet_id"].transform("nunique")
    return timing.loc[outlets > 1]


def _lag_summary(timing: pd.DataFrame, *, max_outlets: int, n_boot: int,
                 seed: int) -> pd.DataFrame:
    """:func:`mediaprov.timelines.follow_lags` of the outlets with the most timed stories."""
    summary = follow_lags(timing, n_boot=n_boot, seed=seed)
    summary = summary.sort_values(["stories", "outlet_id"], ascending=[False, True],
                                  kind="stable").head(max_outlets)
    return summary.sort_values(["median_lag_days", "outlet_id"], kind="stable",
                               na_position="first").reset_index(drop=True)


def _lag_note(timing: pd.DataFrame, *, n_boot: int, seed: int) -> str:
    uncertain = int(_shared_stories(timing)["lag_days"].isna().sum())
    return (f"Stories carried by two outlets or more, every article dated. Left: times first of n "
            f"timed stories. Right: median lag (dot) with its {LEVEL:.0%} "
            f"{BOOTSTRAP_METHOD.format(n_boot=n_boot, seed=seed)} (bar); n follows and the "
            f"interquartile range in the label. Left out: {uncertain} outlet-story rows whose "
            "order is uncertain (missing or low-confidence dates).")


def lag_figure(timing: pd.DataFrame, *, title: str = "", max_outlets: int = 20,
               n_boot: int = N_BOOT, seed: int = 0) -> Figure:
    """Draw, per outlet, how often it published first and its median lag when it followed.

    Every value carries its n and its spread: the bars say ``first / timed stories``; each median
    lag has the bootstrap interval of the median (seeded, so reruns draw the same figure) and a
    label with n and the interquartile range (:func:`mediaprov.timelines.follow_lags`).

    Args:
        timing: from :func:`mediaprov.timelines.story_timing`. Only stories carried by two
            outlets or more count; those whose order is uncertain have no lag and are left out
            (the note under the axes says how many rows).
        title: the figure title.
        max_outlets: the outlets with the most timed stories are drawn.
        n_boot: bootstrap resamples for the interval of each median.
        seed: bootstrap seed.

    Returns:
        A matplotlib Figure with two panels: times first (bars) and median lag in days (dots
        with interval bars).

    Example:
        >>> t = pd.DataFrame({"story_id": ["s", "s"], "outlet_id": ["x", "y"],
        ...     "lag_days": [0.0, 2.0], "is_first": pd.array([True, False], dtype="boolean")})
        >>> len(lag_figure(t).axes)
        2
    """
    summary = _lag_summary(timing, max_outlets=max_outlets, n_boot=n_boot, seed=seed)
    figure = Figure(figsize=STATIC_SIZE, dpi=STATIC_DPI)
    first_axes, lag_axes = figure.subplots(1, 2, sharey=True)
    positions = list(range(len(summary)))
    first_axes.barh(positions, summary["first"], color="#4c72b0")
    for position, first, stories in zip(positions, summary["first"], summary["stories"],
                                        strict=True):
        first_axes.annotate(f"{first}/{stories}", (first, position), xytext=(3, 0),
                            textcoords="offset points", va="center", fontsize=7)
    first_axes.set_yticks(positions, plain_all(summary["outlet_id"]), fontsize=8)
    first_axes.set_xlabel("stories published first / timed stories")
    median = summary["median_lag_days"].to_numpy(float)
    errors = np.vstack([median - summary["ci_low"].to_numpy(float),
                        summary["ci_high"].to_numpy(float) - median])
    lag_axes.errorbar(median, positions, xerr=np.clip(np.nan_to_num(errors), 0, None), fmt="o",
                      color="#dd8452", ecolor="#dd8452", elinewidth=1.2, capsize=2)
    for row, position in zip(summary.itertuples(index=False), positions, strict=True):
        if row.followed:
            label = f"n={row.followed}, IQR {row.q1_lag_days:g}-{row.q3_lag_days:g}"
            anchor = row.ci_high if not pd.isna(row.ci_high) else row.median_lag_days
            lag_axes.annotate(label, (anchor, position), xytext=(4, 0),
                              textcoords="offset points", va="center", fontsize=7)
    if len(summary) and summary["ci_high"].notna().any():
        lag_axes.set_xlim(0, float(summary["ci_high"].max()) * 1.6)
    lag_axes.set_xlabel(f"median lag when following (days), {LEVEL:.0%} bootstrap interval")
    figure.suptitle(plain(title))
    figure.text(0.01, 0.01, _lag_note(timing, n_boot=n_boot, seed=seed), fontsize=7, wrap=True)
    figure.subplots_adjust(left=0.2, right=0.97, top=0.9, bottom=0.2, wspace=0.08)
    return figure


def lag_figure_plotly(timing: pd.DataFrame, *, title: str = "", max_outlets: int = 20,
                      n_boot: int = N_BOOT, seed: int = 0) -> go.Figure:
    """The interactive twin of :func:`lag_figure` (same arguments).

    Returns:
        A plotly Figure: median lag when following, per outlet, with the bootstrap interval of
        the median as error bars, and n, IQR, stories and times first in the hover text.

    Example:
        >>> t = pd.DataFrame({"story_id": ["s", "s"], "outlet_id": ["x", "y"],
        ...     "lag_days": [0.0, 2.0], "is_first": pd.array([True, False], dtype="boolean")})
        >>> len(lag_figure_plotly(t).data)
        1
    """
    summary = _lag_summary(timing, max_outlets=max_outlets, n_boot=n_boot, seed=seed)
    hover = [f"{r.outlet_id}: first in {r.first} of {r.stories} timed stories; followed in "
             f"{r.followed}, median {r.median_lag_days:g} days "
             f"[{r.ci_low:.3g}, {r.ci_high:.3g}], IQR {r.q1_lag_days:g}-{r.q3_lag_days:g}"
             for r in summary.itertuples(index=False)]
    median = summary["median_lag_days"].to_numpy(float)
    figure = go.Figure(go.Scatter(
        x=median, y=summary["outlet_id"], mode="markers", marker={"size": 6 + summary["first"]},
        error_x={"type": "data", "symmetric": False,
                 "array": np.clip(np.nan_to_num(summary["ci_high"].to_numpy(float) - median), 0, None),
                 "arrayminus": np.clip(np.nan_to_num(median - summary["ci_low"].to_numpy(float)), 0, None)},
        text=hover, hoverinfo="text"))
    figure.add_annotation(x=0, y=-0.18, xref="paper", yref="paper", showarrow=False,
                          text=_lag_note(timing, n_boot=n_boot, seed=seed), xanchor="left",
                          font={"size": 9})
    figure.update_layout(title=title, xaxis_title="median lag when following (days)",
                         width=1000, height=520, margin={"b": 110})
    return figure


def bar_figure(values: pd.Series, *, title: str = "", xlabel: str = "", max_bars: int = 30) -> Figure:
    """A horizontal bar chart of a labelled series (largest first), static.

    Args:
        values: numbers indexed by label (e.g. articles per outlet).
        title: figure title.
        xlabel: axis label for the values.
        max_bars: bars shown at most (the largest).

    Returns:
        A matplotlib Figure.

    Example:
        >>> type(bar_figure(pd.Series({"a": 3, "b": 1}), title="t")).__name__
        'Figure'
    """
    shown = values.sort_values(ascending=False, kind="stable").head(max_bars)[::-1]
    figure = Figure(figsize=(STATIC_SIZE[0], max(2.0, 0.3 * len(shown) + 1.0)), dpi=STATIC_DPI)
    axes = figure.add_subplot()
    axes.barh(plain_all(shown.index), shown.to_numpy())
    axes.set_title(plain(title))
    axes.set_xlabel(plain(xlabel))
    for position, number in enumerate(shown.to_numpy()):
        axes.annotate(f"{number:g}", (number, position), xytext=(3, 0), textcoords="offset points",
                      va="center", fontsize=8)
    figure.tight_layout()
    return figure


def bar_figure_plotly(values: pd.Series, *, title: str = "", xlabel: str = "", max_bars: int = 30) -> go.Figure:
    """The interactive twin of :func:`bar_figure`.

    Example:
        >>> bar_figure_plotly(pd.Series({"a": 3})).data[0].type
        'bar'
    """
    shown = values.sort_values(ascending=False, kind="stable").head(max_bars)[::-1]
    figure = go.Figure(go.Bar(x=shown.to_numpy(), y=[str(label) for label in shown.index], orientation="h"))
    figure.update_layout(title=title, xaxis_title=xlabel, height=max(300, 22 * len(shown) + 120))
    return figure


EVIDENCE_COLOURS: dict[str, str] = {"date": "#4c72b0", "credit": "#55a868",
                                    "source-kind": "#dd8452", "containment": "#8172b3"}
"""One colour per kind of evidence that names a first mover (``order_evidence``)."""


def _first_mover_counts(movers: pd.DataFrame, *, max_outlets: int) -> tuple[pd.DataFrame, str]:
    """Stories first per outlet and evidence (shared stories only), and a note on the rest."""
    shared = movers.loc[movers["outlets"] > 1]
    named = shared.loc[shared["first_outlet"].notna()]
    counts = pd.crosstab(named["first_outlet"].astype(str), named["order_evidence"].astype(str))
    kinds = [k for k in EVIDENCE_COLOURS if k in counts.columns]
    counts = counts.reindex(columns=kinds, fill_value=0)
    counts = counts.assign(total=counts.sum(axis=1)).reset_index(names="outlet")
    counts = counts.sort_values(["total", "outlet"], ascending=[False, True],
                                kind="stable").head(max_outlets)
    counts = counts.sort_values(["total", "outlet"], ascending=[True, False], kind="stable")
    by_kind = ", ".join(
        f"{int((named['order_evidence'] == k).sum())} by {k}"
        + (" (ASSUMPTION)" if FIRST_MOVER_RULES.get(k, {}).get("basis") == "assumption" else "")
        for k in kinds)
    assumed = int(named["order_evidence"].isin(
        [k for k, rule in FIRST_MOVER_RULES.items() if rule["basis"] == "assumption"]).sum())
    unnamed = len(shared) - len(named)
    share = unnamed / len(shared) if len(shared) else 0.0
    note = (f"Stories carried by two outlets or more: {len(shared)}. First mover named in "
            f"{len(named)} ({by_kind or 'none'}); not named in {unnamed} ({share:.0%}: "
            f"uncertain, undated or unknown outlet). {assumed} of {len(named)} named rest on an "
            "assumption, not on evidence in the articles (hatched; see FIRST_MOVER_RULES).")
    return counts.reset_index(drop=True), note


def first_mover_figure(movers: pd.DataFrame, *, title: str = "", max_outlets: int = 20) -> Figure:
    """Draw, per outlet, the shared stories it published first, coloured by the deciding evidence.

    Args:
        movers: from :func:`mediaprov.timelines.first_movers` (``outlets``, ``first_outlet``,
            ``order_evidence``). Stories of one outlet are left out (nobody can lead there); the
            note under the axes counts the stories whose first mover stays unnamed.
        title: the figure title.
        max_outlets: the outlets that were first most often are drawn.

    Returns:
        A matplotlib Figure of fixed size: stacked horizontal bars, one colour per evidence.

    Example:
        >>> m = pd.DataFrame({"outlets": [2, 2, 3], "first_outlet": ["x", "x", None],
        ...     "order_evidence": ["date", "credit", "uncertain"]})
        >>> len(first_mover_figure(m).axes[0].patches)
        2
    """
    counts, note = _first_mover_counts(movers, max_outlets=max_outlets)
    figure = Figure(figsize=STATIC_SIZE, dpi=STATIC_DPI)
    axes = figure.add_subplot(1, 1, 1)
    positions = list(range(len(counts)))
    left = pd.Series(0, index=counts.index)
    for kind in [k for k in EVIDENCE_COLOURS if k in counts.columns]:
        assumed = FIRST_MOVER_RULES.get(kind, {}).get("basis") == "assumption"
        axes.barh(positions, counts[kind], left=left, color=EVIDENCE_COLOURS[kind],
                  label=f"{kind} (assumption)" if assumed else kind,
                  hatch="///" if assumed else None, edgecolor="white" if assumed else None)
        left = left + counts[kind]
    axes.set_yticks(positions, plain_all(counts["outlet"]), fontsize=8)
    axes.set_xlabel("shared stories published first")
    axes.set_title(plain(title))
    if len(counts):
        axes.legend(title="decided by", loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8,
                    frameon=False)
    figure.text(0.01, 0.01, note, fontsize=8, ha="left", va="bottom", wrap=True)
    figure.subplots_adjust(left=0.2, right=0.8, top=0.92, bottom=0.2)
    return figure


def first_mover_figure_plotly(movers: pd.DataFrame, *, title: str = "",
                              max_outlets: int = 20) -> go.Figure:
    """The interactive twin of :func:`first_mover_figure` (same arguments).

    Returns:
        A plotly Figure: one stacked bar trace per kind of evidence, the note below the axes.

    Example:
        >>> m = pd.DataFrame({"outlets": [2], "first_outlet": ["x"], "order_evidence": ["date"]})
        >>> [t.name for t in first_mover_figure_plotly(m).data]
        ['date']
    """
    counts, note = _first_mover_counts(movers, max_outlets=max_outlets)
    figure = go.Figure()
    for kind in [k for k in EVIDENCE_COLOURS if k in counts.columns]:
        assumed = FIRST_MOVER_RULES.get(kind, {}).get("basis") == "assumption"
        figure.add_trace(go.Bar(x=counts[kind], y=counts["outlet"].astype(str),
                                name=f"{kind} (assumption)" if assumed else kind,
                                orientation="h", marker_color=EVIDENCE_COLOURS[kind],
                                marker_pattern_shape="/" if assumed else ""))
    figure.add_annotation(x=0, y=-0.15, xref="paper", yref="paper", showarrow=False, text=note,
                          xanchor="left", font={"size": 10})
    figure.update_layout(title=title, barmode="stack", xaxis_title="shared stories published first",
                         legend_title_text="decided by", width=1000, height=500,
                         margin={"b": 90})
    return figure
