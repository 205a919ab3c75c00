"""The triage rules engine (pure): examples and properties (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from intact.cases import config, triage

INSTRUMENT = config.defaults("triage")
LEVELS = triage.levels(INSTRUMENT)
KINDS = ("government", "ngo")


def _answers_strategy(kind: str) -> st.SearchStrategy[dict]:
    parts = {}
    for criterion in triage.criteria_for(INSTRUMENT, kind):
        if criterion.get("kind") == "flag":
            parts[criterion["key"]] = st.sampled_from([None, True])
        else:
            parts[criterion["key"]] = st.sampled_from(
                [None] + [o["value"] for o in criterion["options"]]
            )
    return st.fixed_dictionaries(parts).map(lambda d: {k: v for k, v in d.items() if v is not None})


answers_any = st.sampled_from(KINDS).flatmap(
    lambda kind: st.tuples(st.just(kind), _answers_strategy(kind))
)


def evaluate(answers, kind="ngo"):
    return triage.evaluate(INSTRUMENT, answers, kind=kind)


# --- examples: the right level and actions ----------------------------------------------------


def test_nothing_known_is_low_without_actions():
    result = evaluate({})
    assert result.severity == "low" and result.actions == ()


def test_minor_breach_by_staff_is_low():
    assert (
        evaluate({"nature": "norm_breach", "accused_position": "staff", "harm": "none"}).severity
        == "low"
    )


def test_fraud_is_high_and_informs_the_board():
    result = evaluate({"nature": "fraud_corruption"}, "government")
    assert result.severity == "high"
    assert {"inform_director", "inform_board"} <= result.action_keys
    assert "inform_supervisory_board" not in result.action_keys


def test_two_aggravating_circumstances_raise_one_level():
    base = evaluate({"nature": "serious_misconduct"})
    raised = evaluate(
        {"nature": "serious_misconduct", "repetition": True, "accused_position": "manager"}
    )
    assert base.severity == "medium" and raised.severity == "high"


def test_fraud_in_a_ministry_grant_must_be_reported_to_the_ministry_within_24_hours():
    result = evaluate({"nature": "fraud_corruption", "ministry_grant": True}, "ngo")
    ministry = next(a for a in result.actions if a.key == "inform_ministry")
    assert ministry.term_hours == 24


def test_ministry_duty_does_not_apply_to_a_government_body():
    result = evaluate({"nature": "fraud_corruption", "ministry_grant": True}, "government")
    assert "inform_ministry" not in result.action_keys


def test_abuse_of_a_child_is_critical_with_protection_police_and_cbf():
    result = evaluate({"nature": "sexual_misconduct", "minors": True}, "ngo")
    assert result.severity == "critical"
    assert {
        "protect_reporter_victims",
        "police_report",
        "victim_care",
        "inform_cbf",
        "inform_supervisory_board",
    } <= result.action_keys


def test_senior_management_accused_needs_an_external_investigation():
    result = evaluate({"nature": "serious_misconduct", "accused_position": "senior"})
    assert "external_investigation" in result.action_keys


def test_risk_to_the_reporter_requires_protection():
    assert "protect_reporter_victims" in evaluate({"reporter_risk": True}).action_keys


def test_unknown_answers_are_dropped_and_reported():
    clean, errors = triage.clean_answers(
        INSTRUMENT, {"nature": "murder", "repetition": "on", "x": 1}, "ngo"
    )
    assert clean == {"repetition": True} and set(errors) == {"nature"}


def test_default_instrument_is_valid():
    assert triage.validate_instrument(INSTRUMENT) == []


# --- properties ---------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(answers_any, st.data())
def test_adding_a_criterion_never_lowers_severity_nor_removes_actions(kind_answers, data):
    kind, answers = kind_answers
    unset = [c for c in triage.criteria_for(INSTRUMENT, kind) if c["key"] not in answers]
    if not unset:
        return
    criterion = data.draw(st.sampled_from(unset))
    value = (
        True
        if criterion.get("kind") == "flag"
        else data.draw(st.sampled_from([o["value"] for o in criterion["options"]]))
    )
    before = triage.evaluate(INSTRUMENT, answers, kind=kind)
    after = triage.evaluate(INSTRUMENT, {**answers, criterion["key"]: value}, kind=kind)
    assert after.level >= before.level
    assert before.action_keys <= after.action_keys


@settings(max_examples=300, deadline=None)
@given(answers_any)
def test_critical_always_requires_protection_of_reporter_and_victims(kind_answers):
    kind, answers = kind_answers
    result = triage.evaluate(INSTRUMENT, answers, kind=kind)
    if result.severity == "critical":
        protect = next(a for a in result.actions if a.key == "protect_reporter_victims")
        assert protect.term_hours <= 24


@settings(max_examples=300, deadline=None)
@given(answers_any)
def test_every_level_requires_the_actions_of_the_levels_below(kind_answers):
    kind, answers = kind_answers
    result = triage.evaluate(INSTRUMENT, answers, kind=kind)
    for action in INSTRUMENT["actions"]:
        applies = not action.get("applies_to") or kind in action["applies_to"]
        if (
            applies
            and action.get("from_level")
            and LEVELS.index(action["from_level"]) <= result.level
        ):
            assert action["key"] in result.action_keys


@settings(max_examples=200, deadline=None)
@given(answers_any)
def test_severity_is_at_least_every_chosen_minimum(kind_answers):
    kind, answers = kind_answers
    result = triage.evaluate(INSTRUMENT, answers, kind=kind)
    for criterion in triage.criteria_for(INSTRUMENT, kind):
        value = answers.get(criterion["key"])
        if value is None:
            continue
        item = (
            criterion
            if criterion.get("kind") == "flag"
            else next(o for o in criterion["options"] if o["value"] == value)
        )
        if item.get("level"):
            assert result.level >= LEVELS.index(item["level"])


@settings(max_examples=200, deadline=None)
@given(answers_any)
def test_every_action_has_a_positive_term_and_a_reason(kind_answers):
    kind, answers = kind_answers
    for action in triage.evaluate(INSTRUMENT, answers, kind=kind).actions:
        assert action.term_hours > 0 and action.reasons
