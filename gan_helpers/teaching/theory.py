"""The GAN game worked out exactly on a 1-D grid: densities, the optimal discriminator, the game's
value and the Jensen-Shannon divergence.

Everything here is NumPy on a grid ``x`` (1-D, increasing); integrals use the trapezoid rule.
Logs are natural, so divergences are in nats (log 2 ≈ 0.693 is the largest JS divergence).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LOG4 = float(np.log(4.0))


def _grid(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or len(x) < 2 or np.any(np.diff(x) <= 0):
        raise ValueError(
            "x must be a 1-D increasing grid with at least 2 points, e.g. np.linspace(-5, 5, 801)"
        )
    return x


def _density(p: np.ndarray, x: np.ndarray, name: str) -> np.ndarray:
    p = np.asarray(p, dtype=np.float64)
    if p.shape != x.shape:
        raise ValueError(f"{name} must be sampled on the grid: shape {x.shape}, got {p.shape}")
    if np.any(p < 0) or not np.all(np.isfinite(p)):
        raise ValueError(f"{name} must be a density: finite and non-negative everywhere")
    return p


def gaussian_pdf(x: np.ndarray, mean: float, std: float) -> np.ndarray:
    """The normal density N(mean, std²) at the points ``x`` (any shape); ``std`` must be > 0."""
    if not std > 0:
        raise ValueError(f"std must be positive, got {std!r}")
    x = np.asarray(x, dtype=np.float64)
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2.0 * np.pi))


def optimal_discriminator(p_data: np.ndarray, p_g: np.ndarray) -> np.ndarray:
    """D*(x) = p_data(x) / (p_data(x) + p_g(x)), the best D against a fixed generator.

    Where both densities are zero, no sample ever lands and D* is taken as 1/2.
    Returns values in [0, 1], same shape as the inputs.
    """
    p_data, p_g = np.asarray(p_data, dtype=np.float64), np.asarray(p_g, dtype=np.float64)
    if p_data.shape != p_g.shape:
        raise ValueError(f"p_data and p_g must have the same shape, got {p_data.shape} and {p_g.shape}")
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
    d = np.asarray(d, dtype=np.float64)
    if d.shape != x.shape or np.any(d < 0) or np.any(d > 1):
        raise ValueError(f"d must hold probabilities in [0, 1] on the grid (shape {x.shape})")
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
