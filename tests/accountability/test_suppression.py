"""The small-count rule, proven by brute force on small tables (hypothesis)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from intact.accountability.suppression import MASKED, PRIMARY, SECONDARY, suppress


def _consistent(published, threshold):
    """Every table a reader who knows the rule could reconstruct from the published form."""
    total = published.total
    ranges = []
    for cell, kind in zip(published.cells, published.kinds, strict=True):
        if kind is None:
            ranges.append([cell])
        elif kind == PRIMARY:
            ranges.append(range(1, threshold))
        elif kind == SECONDARY:
            ranges.append(range(threshold, (total or 0) + 1))
        else:
            assert kind == MASKED
            ranges.append(range(0, (total or 0) + 1))
    for candidate in itertools.product(*ranges):
        if total is None or sum(candidate) == total:
            yield candidate


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=4),
    threshold=st.integers(min_value=3, max_value=6),  # "fewer than 2" would say "1"
)
def test_no_small_cell_is_published_or_derivable(values, threshold):
    published = suppress(values, threshold)
    # 1. no published cell is a small number
    for cell in published.cells:
        assert cell is None or cell == 0 or cell >= threshold
    if published.total is not None:
        assert published.total == 0 or published.total >= threshold
    # 2. the true table is among the reconstructions, and each small cell has
    #    at least two possible values in them
    tables = list(_consistent(published, threshold))
    assert tuple(values) in tables
    for i, v in enumerate(values):
        if 0 < v < threshold:
            assert len({t[i] for t in tables}) >= 2, (values, published)


@given(values=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=8))
def test_nothing_changes_when_no_cell_is_small(values):
    values = [v if v == 0 or v >= 5 else v + 5 for v in values]
    published = suppress(values, 5)
    assert published.cells == values and published.total == sum(values) and not published.log


def test_examples():
    assert suppress([2, 9, 5, 4, 5], 5).cells == [None, 9, 5, None, 5]
    # one small cell next to a total: a second cell is hidden too
    s = suppress([0, 9, 0, 5, 4, 5], 5)
    assert s.kinds.count(PRIMARY) == 1 and s.kinds.count(SECONDARY) == 1
    # two cells both at the top of the small range would be derivable: all masked
    assert suppress([4, 4], 5).kinds == [MASKED, MASKED]
    # a non-additive table (one case may have two categories) only hides small cells
    s = suppress([3, 7], 5, additive=False)
    assert s.cells == [None, 7] and s.total is None
