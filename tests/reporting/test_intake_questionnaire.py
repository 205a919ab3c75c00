"""The questionnaire is data per organisation and report type."""

from __future__ import annotations

import pytest

from intact.reporting import services
from intact.reporting.models import Question, ReportType
from tests.reporting.factories import make_report

pytestmark = pytest.mark.django_db


def test_defaults_per_type_and_idempotent(org):
    created = services.questionnaire_ensure_defaults(org)
    assert created > 0
    assert services.questionnaire_ensure_defaults(org) == 0
    for report_type in ReportType.values:
        keys = [q.key for q in services.questions_for(org, report_type)]
        assert keys[0] == "what"
    wrongdoing = {q.key for q in services.questions_for(org, ReportType.WRONGDOING)}
    assert {"what", "where", "when", "who", "how_known", "others_know", "evidence"} <= wrongdoing


def test_organisations_have_their_own_questions(org, other_org, make_user):
    coordinator = make_user(org, "coordinator")
    services.question_create(
        organisation=org, user=coordinator, report_type=ReportType.BUSINESS, key="bedrag",
        kind="text", text_nl="Om welk bedrag gaat het?", text_en="What amount is involved?", required=True,
    )
    assert "bedrag" in {q.key for q in services.questions_for(org, ReportType.BUSINESS)}
    assert "bedrag" not in {q.key for q in services.questions_for(other_org, ReportType.BUSINESS)}
    # The new required question is enforced for new reports of that type only.
    with pytest.raises(services.ReportInvalid) as exc:
        make_report(org, report_type=ReportType.BUSINESS)
    assert "bedrag" in exc.value.errors
    report, _ = make_report(org, report_type=ReportType.BUSINESS, answers={"what": "x", "bedrag": "€ 12.000"})
    assert report.answers["bedrag"] == "€ 12.000"
    make_report(org, report_type=ReportType.WRONGDOING)


def test_deactivated_question_is_not_asked(org, make_user, client):
    coordinator = make_user(org, "coordinator")
    services.questionnaire_ensure_defaults(org)
    question = Question.objects.get(organisation=org, report_type=ReportType.WRONGDOING, key="evidence")
    services.question_update(question=question, user=coordinator, active=False)
    assert "evidence" not in {q.key for q in services.questions_for(org, ReportType.WRONGDOING)}
    url = f"/o/{org.slug}/melden/"
    client.post(url, {"step": "topic", "report_type": "wrongdoing"})
    html = client.post(url, {"step": "how", "anonymity": "anonymous"}).content.decode()
    assert "q_what" in html and "q_evidence" not in html


def test_choice_question_needs_choices(org, make_user):
    coordinator = make_user(org, "coordinator")
    with pytest.raises(services.ReportInvalid):
        services.question_create(organisation=org, user=coordinator, report_type=ReportType.QUESTION,
                                 key="x", kind="choice", text_nl="Kies", choices=[])
    question = services.question_create(
        organisation=org, user=coordinator, report_type=ReportType.QUESTION, key="afdeling", kind="choice",
        text_nl="Welke afdeling?", choices=[{"value": "fin", "nl": "Financiën", "en": "Finance"}],
    )
    with pytest.raises(services.ReportInvalid):
        make_report(org, report_type=ReportType.QUESTION, answers={"what": "?", "afdeling": "onbekend"})
    with pytest.raises(services.ReportInvalid):
        services.question_update(question=question, user=coordinator, key="anders")


def test_another_language_is_data_only(org, make_user):
    coordinator = make_user(org, "coordinator")
    question = services.question_create(
        organisation=org, user=coordinator, report_type=ReportType.QUESTION, key="bereich", kind="choice",
        text_nl="Welke afdeling?", text_en="Which department?",
        choices=[{"value": "fin", "nl": "Financiën", "en": "Finance", "de": "Finanzen"}],
    )
    services.question_update(question=question, user=coordinator,
                             translations={"de": {"text": "Welche Abteilung?", "help": "Optional"}})
    question.refresh_from_db()
    assert question.text("de") == "Welche Abteilung?" and question.help("de") == "Optional"
    assert question.text("nl") == "Welke afdeling?" and question.text("en-gb") == "Which department?"
    assert question.text("fr") == "Which department?"  # falls back to English, then Dutch
    choice = question.choices[0]
    assert [question.choice_label(choice, lang) for lang in ("nl", "en", "de", "fr")] == [
        "Financiën", "Finance", "Finanzen", "Finance"]
