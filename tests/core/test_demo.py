import io
import re

import pytest
from django.core.management import CommandError, call_command

from intact.core import demo
from intact.organisations.models import IntegrityOrgan, Membership, Organisation, Person, Role, Unit
from intact.security.models import User


def _all_rows():
    """Rows of every model of every Intact app (the demo hooks' data included)."""
    from django.apps import apps
    from django.db import connection

    skip = {"security.auditentry", "security.audithead"}
    tables = set(connection.introspection.table_names())  # a model without migration yet: no rows
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("intact.")
        and model._meta.label_lower not in skip
        and model._meta.db_table in tables
    }


def _counts():
    return {
        "orgs": Organisation.objects.count(),
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "organs": IntegrityOrgan.objects.count(),
    }


@pytest.fixture
def demo_output(db):
    """A small demo (20 people, no app hooks): enough for the logins."""
    out = io.StringIO()
    call_command("demo", people=20, no_hooks=True, stdout=out)
    return out.getvalue()


def test_demo_creates_both_organisations_and_is_idempotent(db):
    out = io.StringIO()
    call_command("demo", stdout=out)
    demo_output = out.getvalue()
    before = _all_rows()
    again = io.StringIO()
    call_command("demo", stdout=again)
    assert _all_rows() == before
    assert again.getvalue().count("created nothing new") == 2
    province = Organisation.objects.get(slug="demo-provincie")
    ngo = Organisation.objects.get(slug="demo-ngo")
    assert province.name == "Provincie Demoland" and province.kind == "government"
    assert ngo.name == "Stichting Demo Ontwikkeling" and ngo.kind == "ngo"
    people = Person.objects.filter(organisation=province)
    assert people.count() == 200
    scales = set(people.exclude(salary_scale=None).values_list("salary_scale", flat=True))
    assert min(scales) >= 4 and max(scales) <= 16 and len(scales) > 8
    assert people.filter(vulnerable_position=True).exists()
    assert Unit.objects.filter(organisation=province, is_central=True).exists()
    assert Unit.objects.filter(organisation=province, is_central=False).exists()
    assert set(Person.objects.filter(organisation=ngo).values_list("contract_type", flat=True)) == {
        "employee", "volunteer", "external"
    }
    assert Unit.objects.filter(organisation=ngo, name__startswith="Landenkantoor").count() == 4
    for org in (province, ngo):
        hvk = IntegrityOrgan.objects.get(organisation=org, name="Huis voor Klokkenluiders")
        assert hvk.website == "https://www.huisvoorklokkenluiders.nl" and hvk.is_external
        assert IntegrityOrgan.objects.filter(organisation=org, kind="counsellor").exclude(email="").exists()
        for role in Role.values:
            user = User.objects.get(username=f"{role}@{org.slug}")
            assert Membership.objects.filter(user=user, organisation=org, role=role).exists()
            assert Person.objects.filter(user=user, organisation=org).exists()
    # The logins table and how to log in.
    assert "coordinator@demo-provincie" in demo_output
    assert "technical_admin@demo-ngo" in demo_output
    assert demo.DEFAULT_PASSWORD in demo_output
    assert "demo_otp" in demo_output


def test_demo_login_works_with_password_and_demo_code(demo_output):
    code_out = io.StringIO()
    call_command("demo_otp", "coordinator@demo-provincie", stdout=code_out)
    code = code_out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username="coordinator@demo-provincie")
    assert device.verify_token(code)
    assert User.objects.get(username="coordinator@demo-provincie").check_password(demo.DEFAULT_PASSWORD)


def test_demo_otp_refuses_other_accounts(demo_output, make_user):
    org = Organisation.objects.get(slug="demo-provincie")
    make_user(org, Role.COORDINATOR, username="real.person")
    with pytest.raises(CommandError):
        call_command("demo_otp", "real.person")
    # A demo-looking name with a role outside the demo organisations is refused too.
    from tests.organisations.factories import MembershipFactory, OrganisationFactory, PersonFactory

    other = OrganisationFactory(slug="real-org")
    user = User.objects.get(username="auditor@demo-ngo")
    PersonFactory(organisation=other, user=user)
    MembershipFactory(user=user, organisation=other, role=Role.AUDITOR)
    with pytest.raises(CommandError):
        call_command("demo_otp", "auditor@demo-ngo")


def test_demo_refuses_production_settings(db, settings):
    settings.SETTINGS_MODULE = "intact.settings.production"
    with pytest.raises(CommandError):
        call_command("demo", stdout=io.StringIO())
    assert not Organisation.objects.exists()


def test_demo_people_are_deterministic():
    from intact.core.demo_data import PROVINCIE

    first = demo._person_specs(PROVINCIE, 50)
    second = demo._person_specs(PROVINCIE, 50)
    assert first == second
    assert len({(p["first_name"], p["last_name"]) for p in first}) == 50


def test_demo_gives_reporting_its_procedures_before_the_app_hooks(db, monkeypatch):
    """The reporting procedures hook (not a ``demo_load``) is wired in and runs first."""
    from intact.reporting.models import ReportType
    from intact.reporting.models_procedures import Procedure

    assert ("reporting", "intact.reporting.demo_procedures", "demo_procedures") in demo.EXTRA_HOOKS
    order = []
    monkeypatch.setattr(demo, "app_hooks", lambda: [("probe", lambda org, people: order.append("load"))])
    from intact.core.demo_data import PROVINCIE as spec

    result = demo.build_organisation(spec, people=20)
    assert order == ["load"]
    behaviour = Procedure.objects.filter(organisation=result.organisation, report_type=ReportType.BEHAVIOUR)
    assert behaviour.filter(version__gt=1).exists()  # the demo's edited version: history is visible
    demo.build_organisation(spec, people=20)
    assert behaviour.count() == 2  # idempotent
