"""Small statistics helpers: percentiles, medians of runs, ratios."""

from __future__ import annotations

import statistics


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``values``."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def ratio(value: float, base: float) -> str:
    if not base or base != base or value != value:
        return "–"
    return f"{value / base:.2f}×"
