"""Need to know in the registers: own entries, unit scope, coordinator, counts only, 404 elsewhere."""

import datetime as dt

import pytest
from django.urls import reverse

from intact.registers import selectors, services
from intact.registers.models import GiftDeclaration, OutsideActivity
from tests.registers.factories import CodeVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(world):
    mine = services.activity_declare(
        actor=world.employee,
        person=world.employee_p,
        description="Trainer",
        for_whom="Club",
        hours_per_month=4,
        paid=False,
        conflict_possible=False,
    )
    theirs = services.activity_declare(
        actor=world.colleague,
        person=world.colleague_p,
        description="Adviseur",
        for_whom="BV",
        hours_per_month=8,
        paid=True,
        conflict_possible=True,
        conflict_explanation="Klant van ons",
    )
    gift = services.gift_declare(
        actor=world.colleague,
        person=world.colleague_p,
        kind="gift",
        giver="Leverancier",
        occasion="Kerst",
        estimated_value="120",
        received_on=dt.date(2025, 12, 20),
    )
    fin = services.financial_declare(
        actor=world.employee, person=world.employee_p, kind="interest", details="Aandelen"
    )
    return {"mine": mine, "theirs": theirs, "gift": gift, "fin": fin}


def ids(qs):
    return {x.pk for x in qs}


def test_employee_sees_only_own(world, entries):
    assert ids(selectors.visible(OutsideActivity, user=world.employee, organisation=world.org)) == {
        entries["mine"].pk
    }
    assert (
        ids(selectors.visible(GiftDeclaration, user=world.employee, organisation=world.org))
        == set()
    )


def test_manager_sees_unit_and_below_but_not_other_units(world, entries):
    seen = ids(selectors.activity_list(user=world.manager, organisation=world.org))
    assert entries["mine"].pk in seen  # employee is in Team A1, below Afdeling A
    assert entries["theirs"].pk not in seen  # Afdeling B
    with pytest.raises(Exception):
        selectors.activity_for_assessment(
            user=world.manager, organisation=world.org, pk=entries["theirs"].pk
        )


def test_coordinator_sees_everything(world, entries):
    assert ids(selectors.activity_list(user=world.coordinator, organisation=world.org)) == {
        entries["mine"].pk,
        entries["theirs"].pk,
    }
    assert ids(selectors.financial_list(user=world.coordinator, organisation=world.org)) == {
        entries["fin"].pk
    }


def test_financial_declarations_are_not_for_managers(world, entries):
    assert (
        ids(
            selectors.visible(
                type(entries["fin"]),
                user=world.manager,
                organisation=world.org,
                coordinator_only=True,
            )
        )
        == set()
    )


KEEPER_PAGES = ["oaths", "code", "activities", "gifts", "vulnerable", "screening"]
COORDINATOR_PAGES = [
    "financial",
    "oath_ceremony",
    "code_new",
    "settings",
    "import",
    "vulnerable_new",
    "screening_profile_new",
]


@pytest.mark.parametrize("who", ["employee", "auditor", "admin", "outsider"])
def test_register_pages_are_404_for_others(world, login, who):
    c = login(getattr(world, who))
    for name in KEEPER_PAGES + COORDINATOR_PAGES:
        assert (
            c.get(reverse(f"registers:{name}", kwargs={"org": world.org.slug})).status_code == 404
        ), name


def test_coordinator_pages_are_404_for_managers_who_keep_the_rest(world, login):
    c = login(world.manager)
    for name in COORDINATOR_PAGES:
        assert (
            c.get(reverse(f"registers:{name}", kwargs={"org": world.org.slug})).status_code == 404
        ), name
    for name in KEEPER_PAGES:
        assert (
            c.get(reverse(f"registers:{name}", kwargs={"org": world.org.slug})).status_code == 200
        ), name


def test_coordinator_opens_every_page(world, entries, login):
    c = login(world.coordinator)
    for name in KEEPER_PAGES + COORDINATOR_PAGES + ["overview"]:
        assert (
            c.get(reverse(f"registers:{name}", kwargs={"org": world.org.slug})).status_code == 200
        ), name


def test_auditor_sees_counts_but_no_names(world, entries, login):
    c = login(world.auditor)
    response = c.get(reverse("registers:overview", kwargs={"org": world.org.slug}))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.colleague_p.last_name not in body and "Leverancier" not in body
    assert reverse("registers:activities", kwargs={"org": world.org.slug}) not in body


def test_other_organisation_gets_404_everywhere(world, entries, login):
    c = login(world.outsider)
    slug = world.org.slug
    for url in [
        reverse("registers:portal", kwargs={"org": slug}),
        reverse("registers:overview", kwargs={"org": slug}),
        reverse("registers:activity_detail", kwargs={"org": slug, "pk": entries["mine"].pk}),
        reverse("registers_api:outside-activities", kwargs={"slug": slug}),
        reverse("registers_api:outside-activity", kwargs={"slug": slug, "pk": entries["mine"].pk}),
        reverse("registers_api:register-counts", kwargs={"slug": slug}),
    ]:
        assert c.get(url).status_code == 404, url


def test_detail_of_someone_else_is_404_like_nonexistent(world, entries, login):
    c = login(world.employee)
    other = c.get(
        reverse(
            "registers_api:outside-activity",
            kwargs={"slug": world.org.slug, "pk": entries["theirs"].pk},
        )
    )
    missing = c.get(
        reverse("registers_api:outside-activity", kwargs={"slug": world.org.slug, "pk": 999999})
    )
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()


def test_manager_cannot_open_assessment_of_own_or_other_unit(world, entries, login):
    own = services.activity_declare(
        actor=world.manager,
        person=world.manager_p,
        description="X",
        for_whom="Y",
        hours_per_month=1,
        paid=False,
        conflict_possible=False,
    )
    c = login(world.manager)
    for pk in (own.pk, entries["theirs"].pk):
        assert (
            c.get(
                reverse("registers:activity_detail", kwargs={"org": world.org.slug, "pk": pk})
            ).status_code
            == 404
        )
    assert (
        c.get(
            reverse(
                "registers:activity_detail",
                kwargs={"org": world.org.slug, "pk": entries["mine"].pk},
            )
        ).status_code
        == 200
    )


def test_api_lists_follow_the_policy(world, entries, login):
    url = reverse("registers_api:outside-activities", kwargs={"slug": world.org.slug})
    assert {a["id"] for a in login(world.employee).get(url).json()} == {entries["mine"].pk}
    assert {a["id"] for a in login(world.manager).get(url).json()} == {entries["mine"].pk}
    assert {a["id"] for a in login(world.coordinator).get(url).json()} == {
        entries["mine"].pk,
        entries["theirs"].pk,
    }
    assert login(world.admin).get(url).json() == []
    fin = reverse("registers_api:financial-declarations", kwargs={"slug": world.org.slug})
    assert login(world.manager).get(fin).json() == []
    assert [f["details"] for f in login(world.coordinator).get(fin).json()] == ["Aandelen"]


def test_api_counts_for_auditor_not_for_employee_or_admin(world, entries, login):
    url = reverse("registers_api:register-counts", kwargs={"slug": world.org.slug})
    assert login(world.auditor).get(url).status_code == 200
    assert login(world.employee).get(url).status_code == 404
    assert login(world.admin).get(url).status_code == 404


def test_api_needs_login(world, client):
    assert client.get(
        reverse("registers_api:gifts", kwargs={"slug": world.org.slug})
    ).status_code in (401, 403)


def test_code_versions_are_readable_by_every_member_only(world, login):
    code = CodeVersionFactory(organisation=world.org)
    url = reverse("registers:code_read", kwargs={"org": world.org.slug, "pk": code.pk})
    assert login(world.employee).get(url).status_code == 200
    assert login(world.outsider).get(url).status_code == 404
