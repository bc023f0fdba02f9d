"""Which overlaps are more than chance: a degree-preserving null model with q-values.

The null model is curveball randomisation; Benjamini-Hochberg q-values are taken over every
tested pair.

Example:
    >>> m = np.array([[1, 0], [0, 1]])
    >>> int(curveball(m, n_trades=10, rng=np.random.default_rng(0)).sum())
    2
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import false_discovery_control

from mediaprov.overlap.matrix import _check_choice, _jaccard


# --------------------------------------------------------------------------------------------
# null model


def curveball(presence: np.ndarray, *, n_trades: int, rng: np.random.Generator) -> np.ndarray:
    """Randomise a binary matrix keeping every row sum and every column sum (curveball trades).

    Each trade picks two rows, pools the columns that only one of them has, shuffles the pool
    and gives each row back as many as it had (Strona et al. 2014, *Nature Communications* 5:4114).

    Args:
        presence: a 0/1 matrix (rows: outlets, columns: sources).
        n_trades: number of trades.
        rng: a numpy random generator.

    Returns:
        A new 0/1 matrix with the same margins.

    Example:
        >>> m = np.array([[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0]])
        >>> out = curveball(m, n_trades=50, rng=np.random.default_rng(0))
        >>> bool((out.sum(0) == m.sum(0)).all() and (out.sum(1) == m.sum(1)).all())
        True
    """
    matrix = (np.asarray(presence) > 0).astype(np.int8).copy()
    n_rows = matrix.shape[0]
    if n_rows < 2:
        return matrix
    for _ in range(n_trades):
        a, b = rng.choice(n_rows, size=2, replace=False)
        only_a = np.flatnonzero((matrix[a] == 1) & (matrix[b] == 0))
        only_b = np.flatnonzero((matrix[b] == 1) & (matrix[a] == 0))
        if not len(only_a) or not len(only_b):
            continue
        pool = np.concatenate([only_a, only_b])
        rng.shuffle(pool)
        matrix[a, pool] = 0
        matrix[b, pool] = 0
        matrix[a, pool[:len(only_a)]] = 1
        matrix[b, pool[len(only_a):]] = 1
    return matrix


def _shared(presence: np.ndarray, statistic: str) -> np.ndarray:
    return _jaccard(presence) if statistic == "jaccard" else presence @ presence.T


def overlap_null_model(matrix: pd.DataFrame, *, n_null: int = 500,
                       trades_per_sample: int | None = None, burn_in: int | None = None,
                       statistic: str = "shared", seed: int = 0
                       ) -> pd.DataFrame:
    """Compare each outlet pair's source overlap with a degree-preserving random null.

    The matrix is binarised (a source is used or not). The null keeps each outlet's number of
    sources and each source's number of outlets: a curveball Markov chain, sampled every
    ``trades_per_sample`` trades after ``burn_in`` trades. A high ``z`` means two outlets share
    more sources than outlets of their sizes would by chance, given how widely each source is
    cited.

    Args:
        matrix: an outlet x source matrix (any weight; presence is ``> 0``).
        n_null: number of null samples.
        trades_per_sample: curveball trades between samples (default ``5 * n_outlets``).
        burn_in: trades before the first sample (default ``50 * n_outlets``).
        statistic: ``shared`` (number of shared sources) or ``jaccard``.
        seed: random seed.

    Returns:
        One row per pair: ``outlet_a``, ``outlet_b`` (``a < b``), ``observed``, ``null_mean``,
        ``null_std``, ``z`` (``(observed - null_mean) / null_std``; when the null has no spread,
        0 if observed equals the null mean, else +/- infinity), ``p_value`` (one-sided,
        ``(1 + #null >= observed) / (1 + n_null)``) and ``q_value`` (the p-value adjusted for
        testing every pair at once: Benjamini-Hochberg false discovery rate, via
        ``scipy.stats.false_discovery_control``), sorted by ``z`` (highest first), then by names.

    Raises:
        ValueError: an unknown ``statistic`` or ``n_null < 2``.

    Example:
        >>> m = pd.DataFrame(np.eye(4)[[0, 0, 1, 1]] + np.eye(4)[[2, 2, 3, 3]],
        ...     index=list("ABCD"))
        >>> table = overlap_null_model(m, n_null=50)
        >>> table.iloc[0][["outlet_a", "outlet_b"]].tolist() in (["A", "B"], ["C", "D"])
        True
    """
    _check_choice(statistic, ("shared", "jaccard"), "statistic")
    if n_null < 2:
        raise ValueError(f"n_null must be at least 2 (a null needs a spread), got {n_null}")
    labels = [str(x) for x in matrix.index]
    order = np.argsort(labels, kind="mergesort")
    labels = [labels[i] for i in order]
    presence = (matrix.to_numpy(dtype=float)[order] > 0).astype(np.int8)
    n = len(labels)
    trades = trades_per_sample if trades_per_sample is not None else 5 * n
    burn = burn_in if burn_in is not None else 50 * n
    rng = np.random.default_rng(seed)
    observed = _shared(presence.astype(float), statistic)
    upper = np.triu_indices(n, k=1)
    samples = np.zeros((n_null, len(upper[0])))
    state = curveball(presence, n_trades=burn, rng=rng)
    for run in range(n_null):
        state = curveball(state, n_trades=trades, rng=rng)
        samples[run] = _shared(state.astype(float), statistic)[upper]
    obs = observed[upper]
    mean = samples.mean(axis=0)
    std = samples.std(axis=0, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(std > 0, (obs - mean) / std, np.where(np.isclose(obs, mean), 0.0,
                                                            np.sign(obs - mean) * np.inf))
    exceed = (samples >= obs[None, :] - 1e-12).sum(axis=0)
    table = pd.DataFrame({
        "outlet_a": [labels[i] for i in upper[0]], "outlet_b": [labels[j] for j in upper[1]],
        "observed": obs, "null_mean": mean, "null_std": std, "z": z,
        "p_value": (1 + exceed) / (1 + n_null)})
    table["q_value"] = false_discovery_control(table["p_value"].to_numpy(), method="bh") if len(table) else []
    return table.sort_values(["z", "outlet_a", "outlet_b"], ascending=[False, True, True],
                             kind="mergesort").reset_index(drop=True)
