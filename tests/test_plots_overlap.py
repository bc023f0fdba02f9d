"""Figure builders of notebook 03: what each figure draws follows from its input, reproducibly."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from mediaprov import overlap
from mediaprov.plots import overlap as po


def _edges() -> pd.DataFrame:
    """Fictional outlets: a wire whose items two papers carry, one credited, one not."""
    return pd.DataFrame({
        "source_outlet": ["wire", "wire", "paper-a", "paper-b"],
        "target_outlet": ["paper-a", "paper-b", "paper-b", "wire"],
        "directed": [True, True, True, False],
        "pairs": [6, 3, 1, 4],
        "median_lag": [1.0, 2.0, 0.5, np.nan],
        "share_credited": [0.8, 0.2, 0.0, 0.5],
        "share_whole": [0.5, 0.0, 0.0, 0.25],
    })


def _groups() -> pd.Series:
    return pd.Series({"wire": "camp-x", "paper-a": "camp-y", "paper-b": "camp-x"})


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _similarity() -> pd.DataFrame:
    matrix = pd.DataFrame([[1, 1, 0, 0], [1, 1, 1, 0], [0, 0, 1, 1], [0, 1, 1, 1], [1, 0, 0, 1]],
                          index=["d", "b", "e", "a", "c"], columns=["s1", "s2", "s3", "s4"])
    return overlap.outlet_similarity(matrix, measure="jaccard")


def test_group_colours_follow_names_not_input_order():
    one = po.group_colours(pd.Series({"o1": "zeta", "o2": "alpha"}))
    two = po.group_colours(pd.Series({"o9": "alpha", "o3": "zeta", "o4": None}))
    assert one == two == {"alpha": po.GROUP_PALETTE[0], "zeta": po.GROUP_PALETTE[1]}
    assert po.group_colours(None) == {}


def test_layout_is_seeded_and_covers_every_outlet():
    first = po.network_layout(_edges(), seed=3)
    assert first == po.network_layout(_edges().iloc[::-1], seed=3)
    assert sorted(first) == ["paper-a", "paper-b", "wire"]
    assert po.network_layout(_edges(), seed=3, directed_only=True).keys() == first.keys()
    assert po.network_layout(_edges(), min_pairs=100) == {}


def test_network_arrows_are_the_directed_edges_styled_by_credit():
    figure = po.reuse_network_figure(_edges(), groups=_groups(), title="t")
    assert isinstance(figure, Figure)
    assert tuple(figure.get_size_inches()) == po.NETWORK_SIZE
    arrows = [p for p in figure.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 3  # the undirected pair is a line, never an arrow
    styles = sorted(a.get_linestyle() for a in arrows)
    assert styles == ["-", "--", "--"]  # one edge with a credited majority
    # the heaviest arrow is the widest
    widths = sorted(a.get_linewidth() for a in arrows)
    assert widths[-1] > widths[0]
    undirected = [line for line in figure.axes[0].lines if line.get_linestyle() == ":"]
    assert len(undirected) == 1


def test_network_filters_and_notes_small_edges():
    figure = po.reuse_network_figure(_edges(), min_pairs=3, directed_only=True)
    arrows = [p for p in figure.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 2
    notes = " ".join(t.get_text() for t in figure.texts)
    assert "1 edges with fewer than 3 pairs" in notes


def test_network_rejects_a_table_that_is_not_edges():
    with pytest.raises(ValueError, match="reuse_edges"):
        po.reuse_network_figure(pd.DataFrame({"source_outlet": ["a"]}))


def test_static_figures_are_byte_identical_on_rerun():
    assert _png(po.reuse_network_figure(_edges(), groups=_groups())) == \
        _png(po.reuse_network_figure(_edges(), groups=_groups()))


def test_network_plotly_twin_has_the_same_edges_and_nodes():
    figure = po.reuse_network_figure_plotly(_edges(), groups=_groups())
    lines = [t for t in figure.data if t.mode == "lines"]
    markers = [t for t in figure.data if t.mode == "markers+text"]
    assert len(lines) == 4
    assert len(figure.layout.annotations) == 3  # arrows for directed edges only
    assert sorted(n for t in markers for n in t.text) == ["paper-a", "paper-b", "wire"]
    assert sorted(t.name for t in markers) == ["camp-x", "camp-y"]
    assert "pairs: 6" in " ".join(t.text for t in lines)


def test_heatmap_rows_follow_the_given_order_and_cells_the_matrix():
    matrix = pd.DataFrame([[0.5, 0.0, 0.1], [0.0, 0.3, 0.0]], index=["A", "B"],
                          columns=["s", "t", "u"])
    figure = po.source_heatmap_figure(matrix, outlet_order=["B", "A"], sources=["u", "s", "t"],
                                      groups=pd.Series({"A": "g1", "B": "g2"}))
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["B", "A"]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["u", "s", "t"]
    shown = np.asarray(axes.images[0].get_array())
    assert shown.tolist() == [[0.0, 0.0, 0.3], [0.1, 0.5, 0.0]]
    colours = {t.get_text(): t.get_color() for t in axes.get_yticklabels()}
    assert colours["A"] != colours["B"]
    with pytest.raises(ValueError, match="not in the matrix"):
        po.source_heatmap_figure(matrix, outlet_order=["A", "Z"])


def test_heatmap_keeps_the_most_shared_sources():
    matrix = pd.DataFrame([[1.0, 1.0, 0.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]],
                          index=["A", "B", "C"], columns=["everyone", "two", "one"])
    figure = po.source_heatmap_figure(matrix, max_sources=2, sources=None)
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["everyone", "two"]
    assert "1 sources" in " ".join(t.get_text() for t in figure.texts)
    twin = po.source_heatmap_figure_plotly(matrix, max_sources=2, sources=None)
    assert list(twin.data[0].x) == ["everyone", "two"]


def test_source_order_puts_sources_of_the_same_outlets_together():
    matrix = pd.DataFrame([[1, 0, 1, 0, 0], [1, 0, 1, 0, 0], [0, 1, 0, 1, 0]],
                          index=["A", "B", "C"], columns=["p", "q", "r", "s", "unused"])
    order = po.source_order(matrix)
    assert order[-1] == "unused"
    assert abs(order.index("p") - order.index("r")) == 1
    assert abs(order.index("q") - order.index("s")) == 1


def test_dendrogram_leaves_follow_the_clustering_order():
    clustering = overlap.cluster_outlets(_similarity(), k=2)
    figure = po.dendrogram_figure(clustering, groups=pd.Series({"a": "g1", "b": "g2"}), k=2)
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == clustering.order
    # one vertical cut line between the merges that leave 2 clusters and 1
    cut = [line for line in figure.axes[0].lines if line.get_linestyle() == "--"]
    assert len(cut) == 1
    x = cut[0].get_xdata()[0]
    heights = np.sort(clustering.linkage[:, 2])
    assert heights[-2] <= x <= heights[-1]
    twin = po.dendrogram_figure_plotly(clustering, k=2)
    assert len(twin.data) == len(clustering.labels) - 1
    assert [t.split(" ")[0] for t in twin.layout.yaxis.ticktext] == clustering.order


def test_dendrogram_needs_two_outlets():
    single = overlap.cluster_outlets(pd.DataFrame([[1.0]], index=["a"], columns=["a"]), k=1)
    with pytest.raises(ValueError, match="at least two outlets"):
        po.dendrogram_figure(single)
