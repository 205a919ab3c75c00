"""Small-count suppression for the public edition.

Rule (documented in docs/annual-report.md):

* Primary suppression: a count ``n`` with ``0 < n < threshold`` is published
  as "fewer than <threshold>". Zero is published: it reveals nobody.
* Secondary suppression: in an *additive* table (cells that add up to a
  published total) a reader who knows the rule knows that a primary cell lies
  in ``[1, threshold-1]`` and a secondary cell in ``[threshold, total]``.
  Cells are added to the suppressed set (smallest first) until every
  suppressed cell can take at least two values consistent with the published
  figures. If that is impossible, the total is suppressed too.

The functions are pure (no Django), so the rule can be proven with hypothesis.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PRIMARY = "primary"  # 1 .. threshold-1, published as "fewer than <threshold>"
SECONDARY = "secondary"  # threshold .. total, published as "x"
MASKED = "masked"  # 0 .. total, published as "x" (last resort: the whole table)


@dataclass
class Suppressed:
    """The published form of a table of counts."""

    cells: list[int | None]  # None = not published
    kinds: list[str | None]  # PRIMARY / SECONDARY / MASKED / None
    total: int | None  # None = not published (itself fewer than the threshold)
    log: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return any(self.kinds) or (self.total is None and self.cells is not None)


def _bounds(kind: str | None, value: int, threshold: int, total: int) -> tuple[int, int]:
    if kind == PRIMARY:
        return 1, threshold - 1
    if kind == SECONDARY:
        return threshold, total
    if kind == MASKED:
        return 0, total
    return value, value


def feasible_range(
    index: int, kinds: list[str | None], values: list[int], threshold: int, total: int
) -> tuple[int, int]:
    """The values cell ``index`` can take for a reader who knows the published table and the rule."""
    known = sum(v for i, v in enumerate(values) if not kinds[i])
    rest = total - known
    lo_i, hi_i = _bounds(kinds[index], values[index], threshold, total)
    others = [
        _bounds(kinds[j], values[j], threshold, total)
        for j, k in enumerate(kinds)
        if k and j != index
    ]
    lo_o = sum(b[0] for b in others)
    hi_o = sum(b[1] for b in others)
    return max(lo_i, rest - hi_o), min(hi_i, rest - lo_o)


def _safe(kinds: list[str | None], values: list[int], threshold: int, total: int) -> bool:
    for i, k in enumerate(kinds):
        if k:
            lo, hi = feasible_range(i, kinds, values, threshold, total)
            if hi - lo < 1:
                return False
    return True


def suppress(values: list[int], threshold: int, *, additive: bool = True) -> Suppressed:
    """Publishable form of ``values`` and, when ``additive``, of their sum as the total.

    A non-additive table (a case with two categories counts twice) has no
    total constraint, so primary suppression alone suffices.
    """
    values = [int(v) for v in values]
    threshold = max(int(threshold), 1)
    total = sum(values)
    kinds: list[str | None] = [PRIMARY if 0 < v < threshold else None for v in values]
    log = [f"cell {i}: {values[i]} < {threshold}" for i, k in enumerate(kinds) if k]
    if not any(kinds):
        return Suppressed(list(values), kinds, total if additive else None, log)
    if not additive or total < threshold:
        if additive:
            log.append(f"total: {total} < {threshold}")
        return Suppressed(
            [None if k else v for v, k in zip(values, kinds, strict=True)], kinds, None, log
        )
    while not _safe(kinds, values, threshold, total):
        candidates = sorted(
            (v, i) for i, (v, k) in enumerate(zip(values, kinds, strict=True)) if not k and v > 0
        )
        if not candidates:
            kinds = [MASKED] * len(values)
            log.append("all cells: a small cell could otherwise be derived from the total")
            break
        _v, i = candidates[0]
        kinds[i] = SECONDARY
        log.append(f"cell {i}: secondary suppression (protects a small cell)")
    cells = [None if k else v for v, k in zip(values, kinds, strict=True)]
    return Suppressed(cells, kinds, total, log)


def suppress_number(value: int, threshold: int) -> tuple[int | None, bool]:
    """A single published count: (value or None, suppressed?)."""
    if 0 < value < threshold:
        return None, True
    return value, False
