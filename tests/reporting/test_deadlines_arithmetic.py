"""Property-based tests of the term arithmetic (Wbk terms, Dutch holidays, Atw)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from intact.reporting import deadlines as d

dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))


def test_known_dutch_holidays_and_atw_choices():
    assert d.is_holiday(dt.date(2026, 4, 27))  # Koningsdag
    assert d.is_holiday(dt.date(2026, 12, 26))
    assert d.is_holiday(dt.date(2026, 5, 5))  # Atw art. 3: every year, not only each fifth
    assert not d.is_holiday(dt.date(2026, 4, 3))  # Good Friday is not in the Atw list
    assert not d.is_working_day(dt.date(2026, 11, 28))  # a Saturday
    assert d.is_working_day(dt.date(2026, 11, 24))


def test_seven_days_ending_on_a_holiday_move_to_the_next_working_day():
    # Received Tuesday 28 April 2026: day 7 is 5 May (Bevrijdingsdag) -> Wednesday 6 May.
    assert d.add_term(dt.date(2026, 4, 28), 7, "calendar_days", atw=True) == dt.date(2026, 5, 6)
    # Without the Atw the calendar term simply ends on day 7.
    assert d.add_term(dt.date(2026, 4, 28), 7, "calendar_days") == dt.date(2026, 5, 5)
    # Ending on Saturday 26 December -> Monday 28 December.
    assert d.add_term(dt.date(2026, 12, 19), 7, "calendar_days", atw=True) == dt.date(2026, 12, 28)


def test_three_months_clamps_to_the_end_of_the_month():
    assert d.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert d.add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)
    assert d.add_months(dt.date(2026, 1, 15), 3) == dt.date(2026, 4, 15)


@given(start=dates, days=st.integers(min_value=1, max_value=60))
@settings(max_examples=300, deadline=None)
def test_working_day_terms_never_end_on_a_weekend_or_holiday(start, days):
    due = d.add_term(start, days, "working_days")
    assert d.is_working_day(due)
    assert d.working_days_between(start, due) == days


@given(start=dates, length=st.integers(min_value=1, max_value=90),
       unit=st.sampled_from(["calendar_days", "months"]))
@settings(max_examples=300, deadline=None)
def test_statutory_terms_with_atw_end_on_a_working_day_and_never_early(start, length, unit):
    plain = d.add_term(start, length, unit)
    due = d.add_term(start, length, unit, atw=True)
    assert d.is_working_day(due)
    assert due >= plain
    # The Atw extends by at most the run of non-working days (a long Christmas weekend + art. 2).
    assert (due - plain).days <= 6


@given(start=dates, a=st.integers(min_value=0, max_value=40), b=st.integers(min_value=0, max_value=40),
       unit=st.sampled_from(["calendar_days", "working_days", "months"]), atw=st.booleans())
@settings(max_examples=300, deadline=None)
def test_longer_terms_never_end_earlier(start, a, b, unit, atw):
    lo, hi = sorted((a, b))
    assert d.add_term(start, lo, unit, atw=atw) <= d.add_term(start, hi, unit, atw=atw)


@given(s1=dates, s2=dates, unit=st.sampled_from(["calendar_days", "working_days", "months"]),
       atw=st.booleans())
@settings(max_examples=300, deadline=None)
def test_later_start_never_ends_earlier(s1, s2, unit, atw):
    early, late = sorted((s1, s2))
    assert d.add_term(early, 7, unit, atw=atw) <= d.add_term(late, 7, unit, atw=atw)


@given(start=dates)
@settings(max_examples=300, deadline=None)
def test_three_month_rule(start):
    due = d.add_months(start, 3)
    # Three months later, same day of month unless that month is shorter.
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == 3
    assert due.day == start.day or due.day < start.day and (due + dt.timedelta(days=1)).day == 1
    assert 89 <= (due - start).days <= 92


@given(start=dates, days=st.integers(min_value=3, max_value=30))
@settings(max_examples=200, deadline=None)
def test_atw_article_two_leaves_two_working_days(start, days):
    due = d.add_term(start, days, "calendar_days", atw=True)
    assert d.working_days_between(start, due) >= 2


@given(start=dates, length=st.integers(min_value=1, max_value=30), extra=st.integers(min_value=0, max_value=30))
@settings(max_examples=200, deadline=None)
def test_extensions_and_pauses_never_shorten_and_keep_working_days(start, length, extra):
    due = d.add_term(start, length, "working_days")
    later = d.extend_due(due, extra, "working_days")
    assert later >= due and d.is_working_day(later)
    assert d.working_days_between(due, later) == extra
    assert d.extend_due(due, extra, "calendar_days") == due + dt.timedelta(days=extra)


@given(received=dates, ack_after=st.integers(min_value=0, max_value=30))
@settings(max_examples=200, deadline=None)
def test_feedback_start_is_never_after_the_end_of_the_seven_days(received, ack_after):
    # The engine starts the feedback term at the earlier of the acknowledgement and day 7.
    seven = d.add_term(received, 7, "calendar_days")
    ack = received + dt.timedelta(days=ack_after)
    start = min(ack, seven)
    assert d.add_term(start, 3, "months", atw=True) <= d.add_term(seven, 3, "months", atw=True)
