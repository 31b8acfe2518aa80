"""The GAN game worked out exactly on a 1-D grid: densities, the optimal discriminator, the game's
value, the Jensen-Shannon divergence and (chapter 10) the Wasserstein-1 distance.

Everything here is NumPy on a grid ``x`` (1-D, increasing); integrals use the trapezoid rule.
Logs are natural, so divergences are in nats (log 2 ≈ 0.693 is the largest JS divergence).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..toolkit.checks import check_number, check_numbers

LOG4 = float(np.log(4.0))


def _grid(x: np.ndarray) -> np.ndarray:
    x = check_numbers(x, "x", shape="(n,), an increasing grid", allow_empty=True)
    if x.ndim != 1 or len(x) < 2 or np.any(np.diff(x) <= 0):
        raise ValueError(
            "x must be a 1-D increasing grid with at least 2 points, e.g. np.linspace(-5, 5, 801); got shape "
            f"{x.shape}" + (" that does not increase" if x.ndim == 1 and len(x) >= 2 else "")
        )
    return x


def _values(p: np.ndarray) -> str:
    """How messages show the values of an array that should be a density or probabilities."""
    if not p.size:
        return "no values"
    shown = (
        f"values from {np.nanmin(p):g} to {np.nanmax(p):g}" if np.any(np.isfinite(p)) else "no finite value"
    )
    return shown + (" and NaN or infinite values" if not np.all(np.isfinite(p)) else "")


def _density(p: np.ndarray, x: np.ndarray, name: str) -> np.ndarray:
    p = check_numbers(p, name, shape=f"{x.shape}, sampled on the grid", finite=False, allow_empty=True)
    if p.shape != x.shape:
        raise ValueError(f"{name} must be sampled on the grid: shape {x.shape}, got {p.shape}")
    if np.any(p < 0) or not np.all(np.isfinite(p)):
        raise ValueError(f"{name} must be a density: finite and non-negative everywhere, got {_values(p)}")
    return p


def gaussian_pdf(x: np.ndarray, mean: float, std: float) -> np.ndarray:
    """The normal density N(mean, std²) at the points ``x`` (any shape); ``std`` must be > 0."""
    mean = check_number(mean, "mean")
    std = check_number(std, "std")
    if not std > 0:
        raise ValueError(f"std must be positive, got {std!r}")
    x = check_numbers(x, "x", shape="any shape", allow_empty=True)
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2.0 * np.pi))


def optimal_discriminator(p_data: np.ndarray, p_g: np.ndarray) -> np.ndarray:
    """D*(x) = p_data(x) / (p_data(x) + p_g(x)), the best D against a fixed generator.

    Where both densities are zero, no sample ever lands and D* is taken as 1/2.
    Returns values in [0, 1], same shape as the inputs.
    """
    p_data = check_numbers(p_data, "p_data", shape="any shape, like p_g", finite=False, allow_empty=True)
    p_g = check_numbers(p_g, "p_g", shape="any shape, like p_data", finite=False, allow_empty=True)
    if p_data.shape != p_g.shape:
        raise ValueError(f"p_data and p_g must have the same shape, got {p_data.shape} and {p_g.shape}")
    for name, p in (("p_data", p_data), ("p_g", p_g)):
        if np.any(p < 0) or not np.all(np.isfinite(p)):
            raise ValueError(
                f"{name} must be a density: finite and non-negative everywhere, got {_values(p)}"
            )
    total = p_data + p_g
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, p_data / np.where(total > 0, total, 1.0), 0.5)


_TINY = np.finfo(np.float64).tiny


def _p_log_q(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """p * log(q), with 0 * log(0) = 0 (where p = 0 the term does not count).

    q is floored at the smallest normal float, so that densities that underflowed to 0 next to a
    vanishing p (far tails) give a vanishing term rather than -inf.
    """
    return np.where(p > 0, p * np.log(np.maximum(q, _TINY)), 0.0)


def game_value(x: np.ndarray, p_data: np.ndarray, p_g: np.ndarray, d: np.ndarray) -> float:
    """V(D, G) = ∫ p_data(x) log D(x) dx + ∫ p_g(x) log(1 - D(x)) dx on the grid ``x``.

    ``d`` holds D(x) in [0, 1] on the grid. At D = D* this is -log 4 + 2 JSD(p_data || p_g).
    """
    x = _grid(x)
    p_data, p_g = _density(p_data, x, "p_data"), _density(p_g, x, "p_g")
    d = check_numbers(d, "d", shape=f"{x.shape}, on the grid", finite=False, allow_empty=True)
    if d.shape != x.shape or not np.all((d >= 0) & (d <= 1)):
        raise ValueError(
            f"d must hold probabilities in [0, 1] on the grid (shape {x.shape}), got shape {d.shape} with "
            f"{_values(d)}"
        )
    integrand = _p_log_q(p_data, d) + _p_log_q(p_g, 1.0 - d)
    return float(np.trapezoid(integrand, x))


def kl_divergence(x: np.ndarray, p: np.ndarray, q: np.ndarray) -> float:
    """KL(p || q) = ∫ p log(p / q) dx in nats, on the grid ``x``.

    Where q underflows to 0 it is floored at the smallest normal float (about 2e-308), so disjoint
    supports give a large finite number rather than infinity.
    """
    x = _grid(x)
    p, q = _density(p, x, "p"), _density(q, x, "q")
    return float(np.trapezoid(_p_log_q(p, p) - _p_log_q(p, q), x))


def js_divergence(x: np.ndarray, p: np.ndarray, q: np.ndarray) -> float:
    """JSD(p || q) = ½ KL(p || m) + ½ KL(q || m) with m = (p + q) / 2, in nats; from 0 to log 2."""
    x = _grid(x)
    m = 0.5 * (_density(p, x, "p") + _density(q, x, "q"))
    return 0.5 * kl_divergence(x, p, m) + 0.5 * kl_divergence(x, q, m)


def wasserstein_1d(x: np.ndarray, p: np.ndarray, q: np.ndarray) -> float:
    """The Wasserstein-1 (earth mover's) distance between the densities ``p`` and ``q`` on the grid ``x``:
    in 1-D it is the area between their cumulative distributions, W1 = ∫ |F_p(x) - F_q(x)| dx, in the units
    of ``x``. Each density is normalised to total mass 1 on the grid first (both must have some mass)."""
    x = _grid(x)
    p, q = _density(p, x, "p"), _density(q, x, "q")
    cdfs = []
    for name, density in (("p", p), ("q", q)):
        cumulative = np.concatenate([[0.0], np.cumsum(0.5 * (density[1:] + density[:-1]) * np.diff(x))])
        if not cumulative[-1] > 0:
            raise ValueError(f"{name} has no mass on the grid: widen x or move the density onto it")
        cdfs.append(cumulative / cumulative[-1])
    return float(np.trapezoid(np.abs(cdfs[0] - cdfs[1]), x))


def uniform_pdf(x: np.ndarray, start: float, width: float) -> np.ndarray:
    """The uniform density on [start, start + width] at the points ``x``; ``width`` must be > 0."""
    start = check_number(start, "start")
    width = check_number(width, "width", low=0, low_open=True)
    x = check_numbers(x, "x", shape="any shape", allow_empty=True)
    return np.where((x >= start) & (x <= start + width), 1.0 / width, 0.0)


@dataclass(frozen=True)
class ShiftedDistances:
    """JS divergence and Wasserstein-1 distance between the data, uniform on [0, ``width``], and a generator
    that is the same uniform moved by each of ``shifts``: arrays ``js`` (nats) and ``w1`` (units of x)."""

    shifts: np.ndarray
    js: np.ndarray
    w1: np.ndarray
    width: float


def distances_for_shifts(shifts: np.ndarray, width: float = 0.5) -> ShiftedDistances:
    """The example behind WGAN (Arjovsky et al. 2017) in 1-D: the data uniform on [0, width], the generator
    the same shape moved by θ. Once |θ| >= width the supports are disjoint and JS is stuck at log 2 (its
    gradient in θ is 0: nothing tells G which way to move), while W1 = |θ| keeps shrinking as G gets closer.

    Exact, in closed form: with the overlap o = max(0, width - |θ|), JS = (1 - o / width) · log 2 (where
    the two densities overlap they are equal and add nothing) and W1 = |θ| (moving every bit of mass by θ).
    :func:`js_divergence` and :func:`wasserstein_1d` on a grid agree up to the grid's resolution.
    ``shifts`` ``(n,)``: any finite numbers."""
    shifts = check_numbers(shifts, "shifts", shape="(n,)", ndim=1)
    width = check_number(width, "width", low=0, low_open=True)
    overlap = np.clip(width - np.abs(shifts), 0.0, None)
    return ShiftedDistances(shifts, (1.0 - overlap / width) * np.log(2.0), np.abs(shifts), float(width))


@dataclass(frozen=True)
class OneDimensionalGame:
    """The 1-D game against a Gaussian generator G(z) = mu_g + sigma_g * z, z ~ N(0, 1).

    Arrays are on the grid ``x``: ``p_data``, ``p_g`` and ``d_star``; ``value`` is V(D*, G) and
    ``jsd`` is JSD(p_data || p_g) in nats.
    """

    x: np.ndarray
    p_data: np.ndarray
    p_g: np.ndarray
    d_star: np.ndarray
    value: float
    jsd: float


#: The 1-D toy's real data: N(DATA_MEAN, DATA_STD²).
DATA_MEAN, DATA_STD = 4.0, 0.75


def one_dimensional_game(
    mu_g: float,
    sigma_g: float,
    mu_data: float = DATA_MEAN,
    sigma_data: float = DATA_STD,
    x: np.ndarray | None = None,
) -> OneDimensionalGame:
    """Compute everything about the 1-D game for a Gaussian generator with mean ``mu_g``, std ``sigma_g``.

    The default grid spans [-14, 18] with 3,201 points: wide enough that a generator with mean in
    [-2, 8] and std in [0.2, 2.5] keeps all but a negligible part of its mass on it.
    """
    x = _grid(np.linspace(-14.0, 18.0, 3201) if x is None else x)
    mu_g, mu_data = check_number(mu_g, "mu_g"), check_number(mu_data, "mu_data")
    sigma_g = check_number(sigma_g, "sigma_g", low=0, low_open=True)
    sigma_data = check_number(sigma_data, "sigma_data", low=0, low_open=True)
    p_data = gaussian_pdf(x, mu_data, sigma_data)
    p_g = gaussian_pdf(x, mu_g, sigma_g)
    d_star = optimal_discriminator(p_data, p_g)
    return OneDimensionalGame(
        x=x,
        p_data=p_data,
        p_g=p_g,
        d_star=d_star,
        value=game_value(x, p_data, p_g, d_star),
        jsd=js_divergence(x, p_data, p_g),
    )
