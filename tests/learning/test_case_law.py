"""Moral case law: anonymity check, drafts for coordinators, manifesto for everyone."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from intact.learning import selectors, services
from intact.learning.models import CaseLawTag, MoralCase
from tests.learning.factories import MoralCaseFactory
from tests.organisations.factories import PersonFactory

pytestmark = pytest.mark.django_db


def tag(org, code):
    return CaseLawTag.objects.get(organisation=org, code=code)


def test_default_tags_are_the_core_values(org):
    values = list(
        CaseLawTag.objects.filter(organisation=org, kind="core_value").values_list(
            "name", flat=True
        )
    )
    assert values == [
        "Dienstbaarheid",
        "Professionaliteit",
        "Onafhankelijkheid",
        "Verantwoordelijkheid",
        "Betrouwbaarheid",
        "Zorgvuldigheid",
    ]


def test_publishing_requires_anonymity_confirmation(org):
    with pytest.raises(ValidationError):
        services.moral_case_create(
            actor=None,
            organisation=org,
            title="T",
            dilemma="D",
            considerations="C",
            conclusion="X",
            anonymised_confirmed=False,
        )
    case = services.moral_case_create(
        actor=None,
        organisation=org,
        title="T",
        dilemma="D",
        considerations="C",
        conclusion="X",
        anonymised_confirmed=True,
    )
    assert case.status == "draft"
    with pytest.raises(ValidationError):  # text changed without confirming again
        services.moral_case_update(actor=None, case=case, dilemma="Nieuw")
    services.moral_case_update(actor=None, case=case, dilemma="Nieuw", anonymised_confirmed=True)
    services.moral_case_publish(actor=None, case=case)
    assert MoralCase.objects.get(pk=case.pk).is_published


def test_name_check(org, make_user):
    coordinator = make_user(org, "coordinator")
    PersonFactory(organisation=org, first_name="Hendrika", last_name="Zwanenburg")
    hits = services.moral_case_name_hits(
        actor=coordinator,
        organisation=org,
        texts=["Collega Zwanenburg kreeg een cadeau", "van mevr. Pietersen"],
    )
    assert "Zwanenburg" in hits and "mevr. Pietersen" in hits
    assert (
        services.moral_case_name_hits(
            actor=coordinator, organisation=org, texts=["Een medewerker kreeg een cadeau."]
        )
        == []
    )
    # Without the personnel overview only the title check runs.
    employee = make_user(org, "employee")
    assert (
        services.moral_case_name_hits(actor=employee, organisation=org, texts=["Zwanenburg"]) == []
    )


def test_drafts_only_for_coordinators_search_and_manifesto(org, other_org, make_user):
    published = MoralCaseFactory(
        organisation=org, title="Uitnodiging diner", dilemma="Een leverancier nodigt uit."
    )
    published.tags.set([tag(org, "independence"), tag(org, "gifts")])
    draft = MoralCaseFactory(organisation=org, title="Concept", status="draft")
    untagged = MoralCaseFactory(
        organisation=org,
        title="Zonder kernwaarde",
        dilemma="Een vraag van een oud-collega.",
        considerations="aanbesteding",
    )
    employee = make_user(org, "employee")
    coordinator = make_user(org, "coordinator")
    assert set(selectors.moral_case_list(user=employee, organisation=org)) == {published, untagged}
    assert set(selectors.moral_case_list(user=coordinator, organisation=org)) == {
        published,
        draft,
        untagged,
    }
    with pytest.raises(Http404):
        selectors.moral_case_get(user=employee, organisation=org, pk=draft.pk)
    assert list(
        selectors.moral_case_list(user=employee, organisation=org, query="LEVERANCIER")
    ) == [published]
    assert list(
        selectors.moral_case_list(user=employee, organisation=org, query="aanbesteding")
    ) == [untagged]
    assert list(
        selectors.moral_case_list(user=employee, organisation=org, tag=tag(org, "gifts"))
    ) == [published]
    groups = selectors.moral_manifesto(user=employee, organisation=org)
    assert [
        (g["value"].code if g["value"] else None, [c.pk for c in g["cases"]]) for g in groups
    ] == [("independence", [published.pk]), (None, [untagged.pk])]
    with pytest.raises(Http404):
        selectors.moral_manifesto(user=make_user(other_org, "employee"), organisation=org)


def test_case_form_warns_about_names(org, make_user, login):
    coordinator = make_user(org, "coordinator")
    PersonFactory(organisation=org, first_name="Hendrika", last_name="Zwanenburg")
    c = login(coordinator)
    url = reverse("learning:case_create", kwargs={"org": org.slug})
    data = {
        "title": "Cadeau",
        "dilemma": "Zwanenburg kreeg een fles wijn.",
        "considerations": "Waarde.",
        "conclusion": "Teruggeven.",
        "core_values": [tag(org, "reliability").pk],
        "anonymised_confirmed": "on",
        "publish": "on",
    }
    response = c.post(url, data)
    assert response.status_code == 200 and "Zwanenburg" in response.content.decode()
    assert not MoralCase.objects.exists()
    response = c.post(url, {**data, "names_checked": "on"})
    assert response.status_code == 302
    case = MoralCase.objects.get()
    assert case.is_published and list(case.tags.all()) == [tag(org, "reliability")]
    # Without the anonymity confirmation nothing is stored.
    response = c.post(
        url, {**data, "title": "Ander", "dilemma": "Geen namen.", "anonymised_confirmed": ""}
    )
    assert response.status_code == 200 and MoralCase.objects.count() == 1


def test_manifesto_page_for_every_employee(org, make_user, login):
    case = MoralCaseFactory(organisation=org, title="Uitnodiging diner")
    case.tags.set([tag(org, "carefulness")])
    c = login(make_user(org, "employee"))
    page = c.get(reverse("learning:manifesto", kwargs={"org": org.slug})).content.decode()
    assert "Zorgvuldigheid" in page and "Uitnodiging diner" in page
    assert c.get(reverse("learning:case_create", kwargs={"org": org.slug})).status_code == 404
