"""Building the demo organisations (``intact demo``), idempotently.

Data comes from :mod:`intact.core.demo_data`; names, positions and dates are
drawn from a random generator seeded with the organisation's slug, so every
run (and every machine) produces the same people. Objects are looked up by
natural keys (slug, unit name, employee number, username, organ name) before
they are created, so a second run creates nothing.

Apps add their own demo data with a hook: a module ``intact.<app>.demo`` with
``demo_load(organisation, people)`` (see the ``demo`` command's docstring).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import os
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from intact.core.demo_data import COUNTRY_NAMES, FIRST_NAMES, HUIS_VOOR_KLOKKENLUIDERS, LAST_NAMES
from intact.organisations import services
from intact.organisations.models import (
    IntegrityOrgan,
    Membership,
    Organisation,
    Person,
    Role,
    Unit,
)

DEMO_SLUGS = ("demo-provincie", "demo-ngo")
# The documented demo password (README, docs/administrators.md). Demo data
# is for trying Intact out; `intact demo` refuses to run in production.
DEFAULT_PASSWORD = "intact-demo-2026"  # noqa: S105
HOOK_APPS = ("security", "reporting", "cases", "registers", "learning", "policy", "accountability")
# Hooks with another name or module than ``intact.<app>.demo.demo_load``, each
# called with the organisation only, before the ``demo_load`` hooks (the
# reporting procedures must exist before the demo reports are routed).
EXTRA_HOOKS = (("reporting", "intact.reporting.demo_procedures", "demo_procedures"),)
ROLE_ORDER = [
    Role.EMPLOYEE,
    Role.COUNSELLOR,
    Role.MANAGER,
    Role.COORDINATOR,
    Role.INVESTIGATOR,
    Role.COMPETENT_AUTHORITY,
    Role.AUDITOR,
    Role.TECHNICAL_ADMIN,
]


def demo_password() -> str:
    return os.environ.get("INTACT_DEMO_PASSWORD") or DEFAULT_PASSWORD


def demo_username(role: str, slug: str) -> str:
    return f"{role}@{slug}"


def demo_totp_key(username: str) -> str:
    """The fixed TOTP secret (hex, 20 bytes) of a demo login, derived from its name.

    Known on purpose: ``intact demo_otp USERNAME`` prints the current code so
    a newcomer can log in without a phone. Never used for real accounts.
    """
    return hashlib.sha1(f"intact-demo-totp:{username}".encode()).hexdigest()  # noqa: S324


def is_demo_user(user: Any) -> bool:
    """True for a demo login: named ``<role>@<demo slug>`` with roles only in demo organisations."""
    role, _, slug = user.get_username().partition("@")
    if slug not in DEMO_SLUGS or role not in Role.values:
        return False
    slugs = set(Membership.objects.filter(user=user).values_list("organisation__slug", flat=True))
    return bool(slugs) and slugs <= set(DEMO_SLUGS)


def demo_login(organisation: Organisation, role: str) -> Any:
    """The demo login of ``role`` in a demo organisation (for app demo hooks)."""
    return get_user_model().objects.get(username=demo_username(role, organisation.slug))


@dataclass
class Login:
    organisation: Organisation
    role: str
    username: str
    person: Person
    unit: Unit | None = None


@dataclass
class BuildResult:
    organisation: Organisation
    people: list[Person]
    logins: list[Login] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _units(spec: dict, organisation: Organisation, created: dict[str, int]) -> dict[str, Unit]:
    units: dict[str, Unit] = {
        u.name: u for u in Unit.objects.filter(organisation=organisation)
    }
    for name, code, is_central, parent, _positions in spec["units"]:
        if name not in units:
            units[name] = services.unit_create(
                actor="demo",
                organisation=organisation,
                name=name,
                code=code,
                is_central=is_central,
                parent=units[parent] if parent else None,
            )
            created["units"] += 1
    return units


def _person_specs(spec: dict, people: int) -> list[dict]:
    """The deterministic list of people: the logins' people first, then the rest by unit."""
    rng = random.Random(spec["slug"])  # noqa: S311 - demo data, not security
    today = dt.date.today()
    contracts = [kind for kind, weight in spec["contracts"] for _ in range(weight)]
    slots: list[tuple[str, tuple[str, tuple[int, int], bool]]] = []
    for name, _code, _central, _parent, positions in spec["units"]:
        for position in positions:
            slots.append((name, position))
    rows: list[dict] = []
    used_names: set[tuple[str, str]] = set()

    def name_for(unit: str) -> tuple[str, str]:
        firsts, lasts = COUNTRY_NAMES.get(unit, (FIRST_NAMES, LAST_NAMES))
        for _ in range(50):
            candidate = (rng.choice(firsts), rng.choice(lasts))
            if candidate not in used_names:
                break
        used_names.add(candidate)
        return candidate

    def row(unit: str, position: tuple[str, tuple[int, int], bool], contract: str) -> dict:
        title, (low, high), vulnerable = position
        first, last = name_for(unit)
        start = _random_date(rng, dt.date(1992, 1, 1), today - dt.timedelta(days=30))
        if contract != "employee":
            start = _random_date(rng, today - dt.timedelta(days=3 * 365), today - dt.timedelta(days=30))
        n = len(rows) + 1
        return {
            "employee_number": f"{spec['slug'][5:8].upper()}{n:04d}",
            "first_name": first,
            "last_name": last,
            "unit": unit,
            "position": title if contract != "volunteer" else f"Vrijwilliger {title.lower()}",
            "salary_scale": rng.randint(low, high) if contract == "employee" else None,
            "vulnerable_position": vulnerable,
            "contract_type": contract,
            "start_date": start,
            "end_date": None,
        }

    # One person per login, in the position the spec names (always employees).
    for _role, (unit, title, _scope) in spec["logins"].items():
        position = next(p for u, p in slots if u == unit and p[0] == title)
        rows.append(row(unit, position, "employee"))
    # The rest: the leading positions of each unit first, then spread at random.
    # Every position once (the leading ones included), then the staff positions at random.
    staff = [slot for slot in slots if slot[1][1][0] < 14] or slots
    queue = list(slots)
    while len(rows) < people:
        unit, position = queue.pop(0) if queue else rng.choice(staff)
        contract = rng.choice(contracts) if position[1][0] < 14 else "employee"
        person = row(unit, position, contract)
        if rng.random() < 0.05:  # some left in the last two years
            person["end_date"] = _random_date(
                rng, max(person["start_date"], today - dt.timedelta(days=730)), today - dt.timedelta(days=1)
            )
        rows.append(person)
    return rows


def _people(
    spec: dict, organisation: Organisation, units: dict[str, Unit], count: int, created: dict[str, int]
) -> list[Person]:
    existing = {p.employee_number: p for p in Person.objects.filter(organisation=organisation)}
    people: list[Person] = []
    for data in _person_specs(spec, count):
        person = existing.get(data["employee_number"])
        if person is None:
            domain = spec["website"].split("//", 1)[1].removeprefix("www.")
            local = unicodedata.normalize(
                "NFKD", f"{data['first_name']}.{data['last_name']}".lower().replace(" ", "")
            )
            person = services.person_create(
                actor="demo",
                organisation=organisation,
                **{**data, "unit": units[data["unit"]]},
                email=f"{local.encode('ascii', 'ignore').decode()}.{data['employee_number'].lower()}@{domain}",
            )
            created["people"] += 1
        people.append(person)
    return people


def _logins(
    spec: dict, organisation: Organisation, people: list[Person], units: dict[str, Unit], created: dict[str, int]
) -> list[Login]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User = get_user_model()
    password = demo_password()
    logins: list[Login] = []
    for index, (role, (_unit, _title, scope)) in enumerate(spec["logins"].items()):
        person = people[index]  # the login people come first (see _person_specs)
        username = demo_username(role, organisation.slug)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username,
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            created["logins"] += 1
        if person.user_id is None:
            services.person_link_user(actor="demo", person=person, user=user)
        unit = units[scope] if scope else None
        services.membership_grant(actor="demo", organisation=organisation, user=user, role=role, unit=unit)
        if role != Role.EMPLOYEE:
            # Everyone who works here is also an employee: they have obligations too.
            services.membership_grant(actor="demo", organisation=organisation, user=user, role=Role.EMPLOYEE)
        TOTPDevice.objects.get_or_create(
            user=user,
            name="demo",
            defaults={"key": demo_totp_key(username), "confirmed": True},
        )
        logins.append(Login(organisation, role, username, person, unit))
    return logins


def _organs(spec: dict, organisation: Organisation, logins: list[Login], created: dict[str, int]) -> None:
    existing = set(IntegrityOrgan.objects.filter(organisation=organisation).values_list("name", flat=True))
    by_role = {login.role: login.person for login in logins}
    for organ in [*spec["organs"], HUIS_VOOR_KLOKKENLUIDERS]:
        if organ["name"] in existing:
            continue
        data = {k: v for k, v in organ.items() if k != "person_login"}
        if "person_login" in organ:
            data["person"] = by_role[organ["person_login"]]
        services.organ_create(actor="demo", organisation=organisation, **data)
        created["organs"] += 1


def build_organisation(spec: dict, *, people: int | None = None, hooks: bool = True) -> BuildResult:
    """Create (or complete) one demo organisation from its spec; safe to run again."""
    created = {"organisations": 0, "units": 0, "people": 0, "logins": 0, "organs": 0}
    with transaction.atomic():
        organisation = Organisation.objects.filter(slug=spec["slug"]).first()
        if organisation is None:
            organisation = services.organisation_create(
                actor="demo",
                slug=spec["slug"],
                name=spec["name"],
                kind=spec["kind"],
                sector=spec["sector"],
                website=spec["website"],
            )
            created["organisations"] += 1
        units = _units(spec, organisation, created)
        everyone = _people(spec, organisation, units, people or spec["people"], created)
        logins = _logins(spec, organisation, everyone, units, created)
        _organs(spec, organisation, logins, created)
    result = BuildResult(organisation, everyone, logins, created)
    if hooks:
        for _app, prepare in extra_hooks():
            with transaction.atomic():
                prepare(organisation)
        for _app, load in app_hooks():
            with transaction.atomic():
                load(organisation, everyone)
    return result


def extra_hooks() -> list[tuple[str, Callable[[Organisation], Any]]]:
    """The functions named in ``EXTRA_HOOKS`` that exist (a missing module or function is skipped)."""
    found = []
    for app, module_name, function_name in EXTRA_HOOKS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise  # the module exists but imports something missing: say so
            continue
        function = getattr(module, function_name, None)
        if function is not None:
            found.append((app, function))
    return found


def app_hooks() -> list[tuple[str, Callable[[Organisation, list[Person]], Any]]]:
    """The ``demo_load`` functions of the apps that have an ``intact.<app>.demo`` module."""
    found = []
    for app in HOOK_APPS:
        try:
            module = importlib.import_module(f"intact.{app}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"intact.{app}.demo":
                raise  # the module exists but imports something missing: say so
            continue
        load = getattr(module, "demo_load", None)
        if load is not None:
            found.append((app, load))
    return found
