"""The English policy pages carry no Dutch from the data files (plan guidance, Intact's proposals)."""

import pytest
from django.utils import translation

from intact.organisations.models import Membership
from intact.policy import evidence, services
from intact.policy.models import Framework
from tests.organisations.factories import IntegrityOrganFactory
from tests.policy.factories import PlanVersionFactory

pytestmark = pytest.mark.django_db

DUTCH = (
    "Visie op integriteit",
    "Commitment van de ambtelijke leiding",
    "Hoe vaak?",
    "Succesfactoren en prestatie-indicatoren",
    "Er is geen vastgesteld integriteitsplan in Intact.",
    "vertrouwenspersonen in de lijst van integriteitsorganen",
    "Er is geen meldprocedure ingesteld.",
)


@pytest.fixture
def english(org, make_user, login):
    c = login(make_user(org, "coordinator"))
    c.cookies["intact_language"] = "en"
    return c


def _page(client, url):
    # override() restores the language afterwards: the middleware's activation would
    # otherwise leak into later tests of this thread (e.g. mail subjects).
    with translation.override("en"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="en"' in page
    return page


def _no_dutch(page):
    found = [phrase for phrase in DUTCH if phrase in page]
    assert not found, found


def test_plan_guidance_in_english(org, english):
    version = PlanVersionFactory(plan__organisation=org, sections={})
    page = _page(english, f"/app/{org.slug}/beleid/versies/{version.pk}/")
    assert "Vision on integrity" in page and "How often?" in page
    _no_dutch(page)
    form = _page(english, f"/app/{org.slug}/beleid/versies/{version.pk}/bewerken/")
    assert "Think of: Ambition and goals (mission); Vision on integrity" in form
    _no_dutch(form)


def test_proposals_are_stored_in_dutch_and_shown_in_english(org, english):
    IntegrityOrganFactory(organisation=org, kind="counsellor", name="Vertrouwenspersoon")
    services.frameworks_ensure_builtin()
    framework = Framework.objects.get(organisation__isnull=True, code="basisnormen")

    coordinator = Membership.objects.filter(organisation=org, role="coordinator").first().user
    with translation.override("en"):
        assessment = services.assessment_start(
            actor=coordinator, organisation=org, framework=framework
        )
    items = {i.requirement.ref_id: i for i in assessment.items.select_related("requirement")}
    # Stored in Dutch whatever the language of the person who started it ...
    assert items["1"].proposed_reason == "Er is geen vastgesteld integriteitsplan in Intact."
    assert items["12"].proposed_reason == (
        "1 vertrouwenspersonen in de lijst van integriteitsorganen."
    )
    # ... and shown in the reader's language.
    page = _page(english, f"/app/{org.slug}/beleid/zelfevaluaties/{assessment.pk}/")
    assert "There is no adopted integrity plan in Intact." in page
    _no_dutch(page)
    edit = _page(english, f"/app/{org.slug}/beleid/normen/{items['12'].pk}/")
    _no_dutch(edit)
    with translation.override("nl"):
        assert items["1"].proposed_reason_display == items["1"].proposed_reason


def test_reason_display_fills_parameters_and_leaves_unknown_text():
    with translation.override("en"):
        assert (
            evidence.reason_display("Integriteitsplan versie 2 vastgesteld op 2025-03-01.")
            == "Integrity plan version 2 adopted on 2025-03-01."
        )
        shown = evidence.reason_display(
            "Gedragscode 2024 vastgesteld; 95% van de mensen heeft hem bevestigd."
        )
        assert "95%" in shown and "Gedragscode" not in shown
        assert evidence.reason_display("Eigen tekst van de beoordelaar.") == (
            "Eigen tekst van de beoordelaar."
        )


def test_builtin_norms_in_english(org, english):
    services.frameworks_ensure_builtin()
    framework = Framework.objects.get(organisation__isnull=True, code="basisnormen")
    page = _page(english, f"/app/{org.slug}/beleid/normenkaders/{framework.pk}/")
    assert "Baseline Integrity Norms" in page and "Vulnerable positions" in page
    for dutch in (
        "Kwetsbare functies",
        "Integriteitsbeleid schriftelijk vastgelegd",
        "De organisatie heeft een gedragscode.",
    ):
        assert dutch not in page
    with translation.override("nl"):
        assert framework.name_display == framework.name
