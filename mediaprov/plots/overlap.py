"""Figure builders for source overlap and text reuse (notebook 03): networks, heat maps, trees.

Each builder returns a figure and never shows or saves it. Static figures are matplotlib
``Figure`` objects built without pyplot (no global state) at a fixed size; their interactive
twins, named ``*_plotly``, return a plotly ``go.Figure`` for the HTML report.

* :func:`reuse_network_figure`: the outlet -> outlet reuse network (from
  :func:`mediaprov.reuse.reuse_edges`), arrows from the source outlet to the copying one (the
  direction :func:`mediaprov.reuse.copy_direction` decides: credit, then trusted dates), styled
  by the share of credited pairs; pairs without a direction as undirected grey lines.
* :func:`source_heatmap_figure`: the outlet x source matrix (from
  :func:`mediaprov.overlap.outlet_source_matrix`), outlets in dendrogram order.
* :func:`dendrogram_figure`: the outlet tree of :func:`mediaprov.overlap.cluster_outlets`.

Outlets are coloured by a researcher-supplied group (e.g. the registry's ``camp``) with one
fixed, colour-blind-safe palette assigned in alphabetical order of the group names, so no group
gets a colour that says more than its name.

Example:
    >>> import pandas as pd
    >>> edges = pd.DataFrame({"source_outlet": ["o1"], "target_outlet": ["o2"],
    ...     "directed": [True], "pairs": [3], "share_credited": [1.0]})
    >>> type(reuse_network_figure(edges)).__name__
    'Figure'
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from scipy.cluster import hierarchy
from scipy.spatial.distance import pdist

from mediaprov.overlap import Clustering
from mediaprov.plots import GROUP_PALETTE, group_colours, plain, plain_all  # noqa: F401  (re-exported for callers)

STATIC_DPI = 100
NETWORK_SIZE: tuple[float, float] = (12.0, 8.0)
HEATMAP_SIZE: tuple[float, float] = (12.0, 6.0)
DENDROGRAM_SIZE: tuple[float, float] = (10.0, 5.5)

NO_GROUP_COLOUR = "#999999"
CREDITED_COLOUR = "#1b5e20"
UNCREDITED_COLOUR = "#b2182b"
UNDIRECTED_COLOUR = "#9e9e9e"
CREDITED_MAJORITY = 0.5
"""An edge is drawn as credited (solid) when at least this share of its pairs is credited."""


# --------------------------------------------------------------------------------------------
# shared helpers


def _outlet_colour(outlet: str, groups: pd.Series | None, colours: dict[str, str]) -> str:
    if groups is None or outlet not in groups.index or pd.isna(groups.loc[outlet]):
        return NO_GROUP_COLOUR
    return colours[str(groups.loc[outlet])]


def _check_edges(edges: pd.DataFrame) -> None:
    needed = ("source_outlet", "target_outlet", "directed", "pairs")
    missing = [c for c in needed if c not in edges.columns]
    if missing:
        raise ValueError(f"edges table lacks columns {missing}; pass the table of "
                         "mediaprov.reuse.reuse_edges (columns source_outlet, target_outlet, "
                         "directed, pairs, share_credited...)")


def _shown_edges(edges: pd.DataFrame, *, min_pairs: int, directed_only: bool) -> pd.DataFrame:
    """Edges with at least ``min_pairs`` pairs, directed first, heaviest first, then by name."""
    _check_edges(edges)
    table = edges.loc[edges["pairs"].astype(int) >= min_pairs].copy()
    table["directed"] = table["directed"].astype(bool)
    if directed_only:
        table = table[table["directed"]]
    if "share_credited" not in table.columns:
        table["share_credited"] = np.nan
    table = table.sort_values(["directed", "pairs", "source_outlet", "target_outlet"],
                              ascending=[False, False, True, True], kind="mergesort")
    return table.reset_index(drop=True)


def network_layout(edges: pd.DataFrame, *, seed: int = 0, min_pairs: int = 1,
                   directed_only: bool = False) -> dict[str, tuple[float, float]]:
    """Node positions for the reuse network: a spring layout with a fixed seed.

    Every edge pulls its outlets together in proportion to ``log(1 + pairs)``, directed or not.
    Nodes are added in alphabetical order, so the same edges and seed give the same positions.

    Args:
        edges: a :data:`mediaprov.reuse.REUSE_EDGES` table.
        seed: the layout's random seed.
        min_pairs: edges with fewer pairs are left out (as in :func:`reuse_network_figure`).
        directed_only: lay out the directed edges only.

    Returns:
        Outlet id -> (x, y), coordinates in [-1, 1].

    Raises:
        ValueError: ``edges`` lacks a needed column.

    Example:
        >>> edges = pd.DataFrame({"source_outlet": ["a"], "target_outlet": ["b"],
        ...     "directed": [True], "pairs": [2]})
        >>> sorted(network_layout(edges))
        ['a', 'b']
    """
    shown = _shown_edges(edges, min_pairs=min_pairs, directed_only=directed_only)
    graph = nx.Graph()
    graph.add_nodes_from(sorted(set(shown["source_outlet"].astype(str))
                                | set(shown["target_outlet"].astype(str))))
    for source, target, pairs in sorted(zip(shown["source_outlet"].astype(str),
                                            shown["target_outlet"].astype(str),
                                            shown["pairs"].astype(int), strict=True)):
        weight = math.log1p(pairs)
        if graph.has_edge(source, target):
            graph[source][target]["weight"] += weight
        else:
            graph.add_edge(source, target, weight=weight)
    if graph.number_of_nodes() == 0:
        return {}
    spread = 2.2 / math.sqrt(max(graph.number_of_nodes(), 1))
    positions = nx.spring_layout(graph, weight="weight", seed=seed, k=spread, iterations=200)
    return {node: (round(float(x), 6), round(float(y), 6)) for node, (x, y) in
            sorted(positions.items())}


def _edge_width(pairs: int, largest: int) -> float:
    return 0.8 + 5.0 * math.sqrt(pairs / max(largest, 1))


def _credited(share: float) -> bool:
    return not pd.isna(share) and float(share) >= CREDITED_MAJORITY


# --------------------------------------------------------------------------------------------
# reuse network


def reuse_network_figure(edges: pd.DataFrame, *, groups: pd.Series | None = None,
                         min_pairs: int = 1, directed_only: bool = False, seed: int = 0,
                         title: str = "") -> Figure:
    """Draw the outlet -> outlet reuse network, credited and uncredited edges apart.

    A directed edge (pairs whose direction credit or trusted dates decide,
    :func:`mediaprov.reuse.copy_direction`) is an arrow from the source outlet to the copying
    one, solid green when at least half of its pairs are credited and dashed red otherwise; its
    width grows with the number of pairs. Pairs without a direction (no credit and no order of
    trusted dates, or the two contradict each other) are grey dotted lines without an arrow:
    they show shared text, never a direction. Nodes are coloured by ``groups``.

    Args:
        edges: a :data:`mediaprov.reuse.REUSE_EDGES` table (``source_outlet``,
            ``target_outlet``, ``directed``, ``pairs``, ``share_credited``).
        groups: group name per outlet id (e.g. the registry's camp) for node colours.
        min_pairs: edges with fewer article pairs are left out (the note says how many).
        directed_only: leave out the undirected edges.
        seed: layout seed (:func:`network_layout`).
        title: the figure title.

    Returns:
        A matplotlib Figure of size :data:`NETWORK_SIZE`.

    Raises:
        ValueError: ``edges`` lacks a needed column.

    Example:
        >>> edges = pd.DataFrame({"source_outlet": ["o1", "o1"], "target_outlet": ["o2", "o3"],
        ...     "directed": [True, False], "pairs": [3, 1], "share_credited": [1.0, 0.0]})
        >>> len(reuse_network_figure(edges).axes[0].patches)
        1
    """
    shown = _shown_edges(edges, min_pairs=min_pairs, directed_only=directed_only)
    positions = network_layout(edges, seed=seed, min_pairs=min_pairs,
                               directed_only=directed_only)
    colours = group_colours(groups)
    figure = Figure(figsize=NETWORK_SIZE, dpi=STATIC_DPI)
    axes = figure.add_subplot(1, 1, 1)
    axes.set_axis_off()
    largest = int(shown["pairs"].max()) if len(shown) else 1
    for row in shown[~shown["directed"]].itertuples(index=False):
        (x0, y0), (x1, y1) = positions[str(row.source_outlet)], positions[str(row.target_outlet)]
        axes.plot([x0, x1], [y0, y1], color=UNDIRECTED_COLOUR, linestyle=":", alpha=0.8,
                  linewidth=_edge_width(int(row.pairs), largest), zorder=1)
    for row in shown[shown["directed"]].itertuples(index=False):
        credited = _credited(row.share_credited)
        arrow = FancyArrowPatch(
            positions[str(row.source_outlet)], positions[str(row.target_outlet)],
            arrowstyle="-|>", mutation_scale=14, shrinkA=14, shrinkB=14,
            connectionstyle="arc3,rad=0.12", linewidth=_edge_width(int(row.pairs), largest),
            linestyle="-" if credited else "--",
            color=CREDITED_COLOUR if credited else UNCREDITED_COLOUR, alpha=0.85, zorder=2)
        axes.add_patch(arrow)
    nodes = sorted(positions)
    axes.scatter([positions[n][0] for n in nodes], [positions[n][1] for n in nodes], s=320,
                 c=[_outlet_colour(n, groups, colours) for n in nodes], edgecolors="white",
                 linewidths=1.5, zorder=3)
    for node in nodes:
        x, y = positions[node]
        axes.annotate(plain(node), (x, y), xytext=(0, 12), textcoords="offset points", ha="center",
                      va="bottom", fontsize=9, zorder=4,
                      bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                            "alpha": 0.75})
    if positions:
        xs = [p[0] for p in positions.values()]
        ys = [p[1] for p in positions.values()]
        axes.set_xlim(min(xs) - 0.25, max(xs) + 0.25)
        axes.set_ylim(min(ys) - 0.2, max(ys) + 0.25)
    handles = [
        Line2D([], [], color=CREDITED_COLOUR, linewidth=2.5,
               label=f"source → copy, ≥ {CREDITED_MAJORITY:.0%} of pairs credited"),
        Line2D([], [], color=UNCREDITED_COLOUR, linewidth=2.5, linestyle="--",
               label=f"source → copy, < {CREDITED_MAJORITY:.0%} of pairs credited"),
    ]
    if not directed_only:
        handles.append(Line2D([], [], color=UNDIRECTED_COLOUR, linewidth=2.5, linestyle=":",
                              label="shared text, no direction (undirected)"))
    handles += [Line2D([], [], marker="o", linestyle="", markersize=10, color=colour, label=plain(name))
                for name, colour in colours.items()]
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9,
                frameon=False)
    left_out = int((edges["pairs"].astype(int) < min_pairs).sum())
    figure.text(0.01, 0.01, "Arrow from source to copy (credit, else trusted dates: "
                            "mediaprov.reuse.copy_direction); width grows with "
                            f"article pairs (largest: {largest})."
                + (f" Not shown: {left_out} edges with fewer than {min_pairs} pairs."
                   if left_out else ""), fontsize=8, ha="left", va="bottom")
    axes.set_title(plain(title))
    figure.subplots_adjust(left=0.01, right=0.68, top=0.94, bottom=0.05)
    return figure


def reuse_network_figure_plotly(edges: pd.DataFrame, *, groups: pd.Series | None = None,
                                min_pairs: int = 1, directed_only: bool = False, seed: int = 0,
                                title: str = "") -> go.Figure:
    """The interactive twin of :func:`reuse_network_figure` (same arguments, same layout).

    Returns:
        A plotly Figure: one line trace per edge (hover: pairs, median lag, share credited,
        share whole), arrows as annotations, one marker trace per group of outlets.

    Example:
        >>> edges = pd.DataFrame({"source_outlet": ["o1"], "target_outlet": ["o2"],
        ...     "directed": [True], "pairs": [3], "share_credited": [1.0]})
        >>> len(reuse_network_figure_plotly(edges).data)
        2
    """
    shown = _shown_edges(edges, min_pairs=min_pairs, directed_only=directed_only)
    positions = network_layout(edges, seed=seed, min_pairs=min_pairs,
                               directed_only=directed_only)
    colours = group_colours(groups)
    figure = go.Figure()
    largest = int(shown["pairs"].max()) if len(shown) else 1
    for row in shown.itertuples(index=False):
        (x0, y0), (x1, y1) = positions[str(row.source_outlet)], positions[str(row.target_outlet)]
        credited = _credited(row.share_credited)
        colour = (UNDIRECTED_COLOUR if not row.directed
                  else CREDITED_COLOUR if credited else UNCREDITED_COLOUR)
        arrow = "->" if row.directed else "--"
        details = [f"{row.source_outlet} {arrow} {row.target_outlet}", f"pairs: {row.pairs}"]
        for column, label in (("median_lag", "median lag (days, over the pairs with both dates trusted)"),
                              ("share_credited", "share credited"),
                              ("share_whole", "share whole copies")):
            value = getattr(row, column, np.nan)
            if not pd.isna(value):
                details.append(f"{label}: {float(value):.2f}")
        figure.add_trace(go.Scatter(
            x=[x0, (x0 + x1) / 2, x1], y=[y0, (y0 + y1) / 2, y1], mode="lines",
            line={"color": colour, "width": _edge_width(int(row.pairs), largest),
                  "dash": "solid" if row.directed and credited else
                  "dash" if row.directed else "dot"},
            hoverinfo="text", text="<br>".join(details), showlegend=False))
        if row.directed:
            figure.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x",
                                  ayref="y", showarrow=True, arrowhead=2, arrowsize=1.2,
                                  arrowwidth=1.5, arrowcolor=colour, standoff=12, text="")
    nodes = sorted(positions)
    by_group: dict[str, list[str]] = {}
    for node in nodes:
        name = (str(groups.loc[node]) if groups is not None and node in groups.index
                and not pd.isna(groups.loc[node]) else "(no group)")
        by_group.setdefault(name, []).append(node)
    for name in sorted(by_group):
        members = by_group[name]
        figure.add_trace(go.Scatter(
            x=[positions[n][0] for n in members], y=[positions[n][1] for n in members],
            mode="markers+text", text=members, textposition="top center", name=name,
            marker={"size": 16, "color": colours.get(name, NO_GROUP_COLOUR),
                    "line": {"color": "white", "width": 1.5}},
            hoverinfo="text"))
    figure.update_layout(title=title, width=1000, height=720, plot_bgcolor="white",
                         xaxis={"visible": False}, yaxis={"visible": False})
    return figure


# --------------------------------------------------------------------------------------------
# outlet x source heat map


def source_order(matrix: pd.DataFrame) -> list[str]:
    """Order sources so that sources used by the same outlets sit together.

    Sources are clustered on their outlet profiles (average linkage on cosine distance of the
    matrix columns; a source no outlet uses goes last) and returned in dendrogram leaf order.

    Args:
        matrix: an outlet x source matrix (:func:`mediaprov.overlap.outlet_source_matrix`).

    Returns:
        The column labels in display order.

    Example:
        >>> m = pd.DataFrame([[1, 0, 1, 0], [0, 1, 0, 1]], index=["A", "B"],
        ...     columns=["s", "t", "u", "v"])
        >>> source_order(m)
        ['s', 'u', 't', 'v']
    """
    labels = [str(c) for c in matrix.columns]
    values = matrix.to_numpy(dtype=float).T
    used = values.sum(axis=1) > 0
    kept = [i for i in range(len(labels)) if used[i]]
    empty = [labels[i] for i in range(len(labels)) if not used[i]]
    if len(kept) < 3:
        return [labels[i] for i in kept] + empty
    distance = np.nan_to_num(pdist(values[kept], metric="cosine"), nan=1.0)
    link = hierarchy.linkage(np.clip(distance, 0.0, None), method="average")
    return [labels[kept[i]] for i in hierarchy.leaves_list(link)] + empty


def _heatmap_data(matrix: pd.DataFrame, outlet_order: list[str] | None,
                  sources: list[str] | str | None, max_sources: int) -> tuple[pd.DataFrame, int]:
    rows = [str(o) for o in matrix.index] if outlet_order is None else list(outlet_order)
    unknown = sorted(set(rows) - {str(o) for o in matrix.index})
    if unknown:
        raise ValueError(f"outlet_order names outlets not in the matrix: {unknown[:5]}")
    table = matrix.copy()
    table.index = [str(o) for o in table.index]
    table.columns = [str(c) for c in table.columns]
    dropped = 0
    if table.shape[1] > max_sources:  # keep the sources used by most outlets, then heaviest
        used = (table > 0).sum(axis=0)
        weight = table.sum(axis=0)
        rank = pd.DataFrame({"used": used, "weight": weight, "name": table.columns})
        rank = rank.sort_values(["used", "weight", "name"], ascending=[False, False, True],
                                kind="mergesort")
        dropped = table.shape[1] - max_sources
        table = table.loc[:, sorted(rank["name"].head(max_sources))]
    if sources == "cluster":
        columns = source_order(table)
    elif sources is None:
        columns = list(table.columns)
    else:
        columns = [str(s) for s in sources if str(s) in table.columns]
    return table.loc[rows, columns], dropped


def source_heatmap_figure(matrix: pd.DataFrame, *, outlet_order: list[str] | None = None,
                          sources: list[str] | str | None = "cluster",
                          groups: pd.Series | None = None, max_sources: int = 60,
                          value_label: str = "value", title: str = "") -> Figure:
    """Draw the outlet x source matrix as a heat map, outlets in the given (dendrogram) order.

    Args:
        matrix: an outlet x source matrix (:func:`mediaprov.overlap.outlet_source_matrix`).
        outlet_order: row order, top to bottom (e.g. ``Clustering.order``); default the matrix
            order. Every name must be a row of the matrix.
        sources: column order: ``"cluster"`` (:func:`source_order`), ``None`` (matrix order) or
            a list of source ids.
        groups: group per outlet id: colours the outlet labels and adds a legend.
        max_sources: at most this many sources are drawn (those used by the most outlets; the
            note under the axes says how many were left out).
        value_label: the colour bar's label (what a cell holds, e.g. the weight of the matrix).
        title: the figure title.

    Returns:
        A matplotlib Figure of size :data:`HEATMAP_SIZE`.

    Raises:
        ValueError: ``outlet_order`` names an outlet that is not in the matrix.

    Example:
        >>> m = pd.DataFrame([[0.5, 0.0], [0.1, 0.2]], index=["A", "B"], columns=["s", "t"])
        >>> [t.get_text() for t in source_heatmap_figure(m, outlet_order=["B", "A"],
        ...     sources=None).axes[0].get_yticklabels()]
        ['B', 'A']
    """
    shown, dropped = _heatmap_data(matrix, outlet_order, sources, max_sources)
    colours = group_colours(groups)
    figure = Figure(figsize=HEATMAP_SIZE, dpi=STATIC_DPI)
    axes = figure.add_subplot(1, 1, 1)
    image = axes.imshow(shown.to_numpy(dtype=float), aspect="auto", cmap="viridis",
                        interpolation="nearest", vmin=0.0)
    axes.set_yticks(range(shown.shape[0]), plain_all(shown.index), fontsize=9)
    axes.set_xticks(range(shown.shape[1]), plain_all(shown.columns), rotation=90, fontsize=8)
    for label in axes.get_yticklabels():
        label.set_color(_outlet_colour(label.get_text(), groups, colours))
    axes.set_xlabel("source (people, organisations and outlets cited)")
    colourbar = figure.colorbar(image, ax=axes, fraction=0.03, pad=0.01)
    colourbar.set_label(value_label)
    if colours:
        handles = [Line2D([], [], marker="s", linestyle="", markersize=9, color=colour,
                          label=plain(name)) for name, colour in colours.items()]
        axes.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=4,
                    fontsize=8, frameon=False, title="outlet labels coloured by group",
                    title_fontsize=8)
    if dropped:
        figure.text(0.01, 0.01, f"Not shown: {dropped} sources used by fewer outlets.",
                    fontsize=8)
    axes.set_title(plain(title), pad=44 if colours else 6)
    figure.subplots_adjust(left=0.15, right=0.97, top=0.84, bottom=0.3)
    return figure


def source_heatmap_figure_plotly(matrix: pd.DataFrame, *, outlet_order: list[str] | None = None,
                                 sources: list[str] | str | None = "cluster",
                                 groups: pd.Series | None = None, max_sources: int = 60,
                                 value_label: str = "value", title: str = "") -> go.Figure:
    """The interactive twin of :func:`source_heatmap_figure` (same arguments).

    Returns:
        A plotly Figure with one heat map trace (hover: outlet, source, value and group).

    Example:
        >>> m = pd.DataFrame([[0.5, 0.0]], index=["A"], columns=["s", "t"])
        >>> source_heatmap_figure_plotly(m).data[0].type
        'heatmap'
    """
    shown, _ = _heatmap_data(matrix, outlet_order, sources, max_sources)
    rows = list(shown.index)
    labels = [f"{o} ({groups.loc[o]})" if groups is not None and o in groups.index else o
              for o in rows]
    figure = go.Figure(go.Heatmap(z=shown.to_numpy(dtype=float), x=list(shown.columns),
                                  y=labels, colorscale="Viridis", zmin=0.0,
                                  colorbar={"title": value_label},
                                  hovertemplate="%{y}<br>%{x}: %{z:.3f}<extra></extra>"))
    figure.update_layout(title=title, width=1100, height=max(400, 28 * len(rows) + 220),
                         yaxis={"autorange": "reversed"}, xaxis={"tickangle": -90})
    return figure


# --------------------------------------------------------------------------------------------
# dendrogram


def _tree(clustering: Clustering) -> dict:
    return hierarchy.dendrogram(clustering.linkage, labels=clustering.labels, no_plot=True,
                                orientation="left")


def _cut_height(clustering: Clustering, k: int | None) -> float | None:
    """A distance between the merges that leave ``k`` clusters and ``k - 1`` (None: no cut)."""
    heights = np.sort(clustering.linkage[:, 2]) if len(clustering.linkage) else np.zeros(0)
    if k is None or k < 2 or len(heights) < k - 1:
        return None
    below = heights[-k] if len(heights) >= k else 0.0
    return float((below + heights[-(k - 1)]) / 2.0)


def dendrogram_figure(clustering: Clustering, *, groups: pd.Series | None = None,
                      k: int | None = None, distance_label: str = "1 - similarity",
                      title: str = "") -> Figure:
    """Draw the outlet tree of a clustering, leaves labelled and coloured by group.

    Leaves run top to bottom in ``clustering.order`` (the order of the heat map rows).

    Args:
        clustering: from :func:`mediaprov.overlap.cluster_outlets` (two outlets or more).
        groups: group per outlet id: colours the leaf labels and adds a legend.
        k: draw the cut that gives ``k`` flat clusters as a dashed line.
        distance_label: the distance axis label.
        title: the figure title.

    Returns:
        A matplotlib Figure of size :data:`DENDROGRAM_SIZE`.

    Raises:
        ValueError: the clustering has fewer than two outlets (no tree to draw).

    Example:
        >>> from mediaprov.overlap import cluster_outlets
        >>> s = pd.DataFrame([[1, .9, 0], [.9, 1, 0], [0, 0, 1]], index=list("ABC"),
        ...     columns=list("ABC"))
        >>> [t.get_text() for t in dendrogram_figure(cluster_outlets(s, k=2)).axes[0]
        ...  .get_yticklabels()] == cluster_outlets(s, k=2).order
        True
    """
    if len(clustering.labels) < 2:
        raise ValueError("a dendrogram needs at least two outlets; the clustering has "
                         f"{len(clustering.labels)}")
    tree = _tree(clustering)
    colours = group_colours(groups)
    figure = Figure(figsize=DENDROGRAM_SIZE, dpi=STATIC_DPI)
    axes = figure.add_subplot(1, 1, 1)
    n = len(tree["ivl"])
    # leaves sit at y = 5, 15, 25...; flip so that the first leaf of the order is on top
    for ys, xs in zip(tree["icoord"], tree["dcoord"], strict=True):
        axes.plot(xs, [10.0 * n - y for y in ys], color="#333333", linewidth=1.3)
    axes.set_yticks([10.0 * n - (5.0 + 10.0 * i) for i in range(n)], plain_all(tree["ivl"]),
                    fontsize=9)
    axes.yaxis.tick_right()
    for label in axes.get_yticklabels():
        label.set_color(_outlet_colour(label.get_text(), groups, colours))
    axes.set_ylim(0, 10.0 * n)
    axes.set_xlim(left=0)
    axes.invert_xaxis()
    cut = _cut_height(clustering, k)
    if cut is not None:
        axes.axvline(cut, color="#666666", linestyle="--", linewidth=1)
        axes.annotate(f"cut: {k} clusters", (cut, 1.0), xycoords=("data", "axes fraction"),
                      xytext=(3, -3), textcoords="offset points", fontsize=8, va="top",
                      color="#666666")
    axes.set_xlabel(distance_label)
    for side in ("top", "left"):
        axes.spines[side].set_visible(False)
    if colours:
        handles = [Line2D([], [], marker="s", linestyle="", markersize=9, color=colour,
                          label=plain(name)) for name, colour in colours.items()]
        axes.legend(handles=handles, loc="lower left", fontsize=8, frameon=False,
                    title="leaf labels coloured by group", title_fontsize=8)
    axes.set_title(plain(title))
    figure.subplots_adjust(left=0.04, right=0.78, top=0.92, bottom=0.11)
    return figure


def dendrogram_figure_plotly(clustering: Clustering, *, groups: pd.Series | None = None,
                             k: int | None = None, distance_label: str = "1 - similarity",
                             title: str = "") -> go.Figure:
    """The interactive twin of :func:`dendrogram_figure` (same arguments).

    Returns:
        A plotly Figure: one line trace per merge, leaves labelled ``outlet (group)``.

    Raises:
        ValueError: the clustering has fewer than two outlets.

    Example:
        >>> from mediaprov.overlap import cluster_outlets
        >>> s = pd.DataFrame([[1, .9], [.9, 1]], index=list("AB"), columns=list("AB"))
        >>> len(dendrogram_figure_plotly(cluster_outlets(s, k=1)).data)
        1
    """
    if len(clustering.labels) < 2:
        raise ValueError("a dendrogram needs at least two outlets; the clustering has "
                         f"{len(clustering.labels)}")
    tree = _tree(clustering)
    n = len(tree["ivl"])
    figure = go.Figure()
    for ys, xs in zip(tree["icoord"], tree["dcoord"], strict=True):
        figure.add_trace(go.Scatter(x=list(xs), y=[10.0 * n - y for y in ys], mode="lines",
                                    line={"color": "#333333", "width": 1.5},
                                    hoverinfo="x", showlegend=False))
    leaves = [f"{o} ({groups.loc[o]})" if groups is not None and o in groups.index else o
              for o in tree["ivl"]]
    cut = _cut_height(clustering, k)
    if cut is not None:
        figure.add_vline(x=cut, line={"dash": "dash", "color": "#666666"},
                         annotation_text=f"cut: {k} clusters")
    figure.update_layout(title=title, width=900, height=max(350, 30 * n + 150),
                         xaxis={"title": distance_label, "autorange": "reversed"},
                         yaxis={"tickmode": "array",
                                "tickvals": [10.0 * n - (5.0 + 10.0 * i) for i in range(n)],
                                "ticktext": leaves, "side": "right"},
                         plot_bgcolor="white")
    return figure
