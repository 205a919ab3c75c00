"""Need to know, proven over every URL the project has (issue 2, point 4).

The test walks every pattern of the root resolver (``get_resolver()``,
recursively) and every operation of the generated OpenAPI schema, so URLs
that other apps add later are covered without touching this file. Path
parameters are filled with (a) real objects of organisation A — every model
of an Intact app that leads to ``Organisation`` through its foreign keys —
and (b) values that do not exist. Organisation A is the demo province built
by the same code as ``intact demo`` (all apps' ``demo_load`` hooks included),
so each app's objects are there.

It proves, for every organisation-scoped URL:

* a user of organisation B holding **every** role, a person of A without any
  role, and a user of A holding every role *outside* the view's declared
  roles (``intact.core.access.for_roles`` / ``intact_roles``) get 404;
* the body of that 404 for an existing object equals the body for a
  non-existent object (and for an unknown organisation), byte for byte
  after removing per-response secrets (CSRF token) and the requested path;
* an anonymous visitor is sent to the login page (pages) or gets 401 (API),
  the same for existing and non-existent objects;

and for every other URL that is not on the small explicit allow-list of
public pages: anonymous visitors get no page, and a user of B sees nothing
of A (A's name never appears).

A view that declares no roles fails ``test_every_org_scoped_view_declares_its_roles``.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import RoutePattern

from intact.core.access import ALL_ROLES, declared_roles
from intact.organisations.models import Membership, Organisation, Person
from intact.security.testing import force_login_verified
from tests.core.normalise import normalised_body
from tests.organisations.factories import UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# --- the explicit allow-list: intentionally public (or not org data at all) ------------
PUBLIC_NAMES = {
    "home",  # the front page: which organisations report here
    "healthz",
    "set_language",
    "api-schema",
    "security:login",
    "security:logout",
    # The reporter's mailbox API: a receipt, not a login, opens it (reporting's own tests).
    "reporting_api:mailbox_session",
    "reporting_api:mailbox_report",
    "reporting_api:mailbox_messages",
}
# Pages under /o/<org>/ are the public pages of an organisation (report, mailbox,
# integrity page); the Django admin under /beheer/ has its own staff login and
# is locked down by the security app (tests/security).
PUBLIC_NAMESPACE_SUFFIXES = ("_public",)
PUBLIC_NAMESPACES = {"admin"}
# Single methods that are public on an otherwise protected URL.
PUBLIC_METHODS = {("reporting_api:report-list", "post")}  # a reporter submits a report

ORG_PARAM_NAMES = {"org", "organisation_slug"}
MISSING_INT = 2_147_480_000
MISSING_UUID = "00000000-0000-4000-8000-00000000dead"
MISSING_STR = "no-such-thing-0"
MAX_VARIANTS = 2

A_NAME = "Provincie Demoland"


# --- walking the resolver ---------------------------------------------------------------

PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass
class Entry:
    route: str
    name: str
    namespace: str
    callback: Any
    regex_only: bool
    methods: set[str] = field(default_factory=set)  # from the OpenAPI schema

    @property
    def params(self) -> list[tuple[str, str]]:
        return [(m["conv"] or "str", m["name"]) for m in PARAM.finditer(self.route)]

    @property
    def org_param(self) -> str | None:
        for match in PARAM.finditer(self.route):
            before = self.route[: match.start()]
            if match["name"] in ORG_PARAM_NAMES or before.endswith("organisations/"):
                return match["name"]
        return None

    @property
    def is_public(self) -> bool:
        if self.name in PUBLIC_NAMES or self.namespace in PUBLIC_NAMESPACES:
            return True
        return any(self.namespace.endswith(suffix) for suffix in PUBLIC_NAMESPACE_SUFFIXES)

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")


def walk(patterns, prefix="", namespaces=(), regex_only=False):
    for p in patterns:
        is_regex = regex_only or not isinstance(p.pattern, RoutePattern)
        if isinstance(p, URLResolver):
            ns = namespaces + ((p.namespace,) if p.namespace else ())
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns, is_regex)
        elif isinstance(p, URLPattern):
            namespace = ":".join(namespaces)
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield Entry(prefix + str(p.pattern), name, namespace, p.callback, is_regex)


def all_entries() -> list[Entry]:
    seen: dict[str, Entry] = {}
    for entry in walk(get_resolver().url_patterns):
        seen.setdefault(entry.route, entry)  # the first match wins, as in resolving
    return list(seen.values())


def schema_operations() -> dict[str, set[str]]:
    """Route of each schema path -> its methods (the schema is generated, not hand-written)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    routes: dict[str, set[str]] = defaultdict(set)
    for path, item in schema["paths"].items():
        sample = re.sub(r"\{[^}]+\}", "1", path)
        match = resolve(sample if sample.endswith("/") or "." in sample else sample)
        methods = {m for m in item if m in {"get", "post", "put", "patch", "delete"}}
        routes[match.route].update(methods)
    return routes


# --- organisation A's objects --------------------------------------------------------------


def _org_lookup(model, depth=3, seen=()):
    """The ORM path from ``model`` to Organisation (``"case__organisation"``), or None."""
    if model is Organisation:
        return "pk"
    if depth == 0:
        return None
    for f in model._meta.get_fields():
        if not (f.concrete and f.is_relation and (f.many_to_one or f.one_to_one)):
            continue
        target = f.related_model
        if target is None or target in seen or target is model:
            continue
        if target is Organisation:
            return f.name
        rest = _org_lookup(target, depth - 1, seen + (model,))
        if rest and rest != "pk":
            return f"{f.name}__{rest}"
    return None


def owned_objects(org: Organisation) -> dict[type, list[Any]]:
    from django.db import connection

    tables = set(connection.introspection.table_names())
    found: dict[type, list[Any]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("intact.") or model._meta.db_table not in tables:
            continue  # a model without its migration yet holds no data
        lookup = _org_lookup(model)
        if lookup is None:
            continue
        qs = model._default_manager.filter(**{lookup: org.pk}).order_by("pk")
        objects = list(qs[:2]) + list(qs.order_by("-pk")[:1])
        if objects:
            found[model] = objects
    return found


def _model_of_view(callback) -> type | None:
    for attr in ("cls", "view_class"):
        klass = getattr(callback, attr, None)
        if klass is None:
            continue
        qs = getattr(klass, "queryset", None)
        if qs is not None:
            return qs.model
        model = getattr(klass, "model", None)
        if model is not None:
            return model
    return None


def _normal(name: str) -> str:
    for suffix in ("_pk", "_id", "_uuid", "_slug", "_ref"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name.replace("_", "").replace("-", "")


def _values(model, objects, conv: str, name: str) -> list[str]:
    out = []
    for obj in objects:
        if conv == "int":
            value = obj.pk if isinstance(obj.pk, int) else None
            if name not in {"pk", "id"} and not name.endswith(("_pk", "_id")) and _normal(name) != model._meta.model_name:
                field_value = getattr(obj, name, None)
                value = field_value if isinstance(field_value, int) else value
        elif conv == "uuid":
            value = next(
                (getattr(obj, f.attname) for f in model._meta.concrete_fields if isinstance(f, models.UUIDField)),
                None,
            )
        else:
            candidates = [name, _normal(name), "slug", "reference", "ref", "code", "public_id", "pk"]
            value = None
            for attr in candidates:
                if attr == "pk" or any(f.attname == attr for f in model._meta.concrete_fields):
                    value = getattr(obj, attr, None)
                    if value not in (None, ""):
                        break
        if value not in (None, ""):
            out.append(str(value))
    return out


# Path segments whose singular is not the segment without its "s".
SEGMENT_SINGULAR = {"people": "person", "organs": "integrityorgan"}


def _models_from_route(route: str, name: str, owned: dict[type, list[Any]]) -> list[type]:
    """The model named by the path segment before ``<…:pk>`` (``people/<int:pk>/`` → Person).

    Without it a function view's ``pk`` was filled with ids of arbitrary models, which
    only matched by chance of the id sequences (SQLite yes, PostgreSQL no).
    """
    match = re.search(r"([\w-]+)/<\w+:" + re.escape(name) + ">", route)
    if not match:
        return []
    segment = match.group(1).replace("-", "").replace("_", "")
    singular = SEGMENT_SINGULAR.get(segment, segment[:-1] if segment.endswith("s") else segment)
    return [m for m in owned if m._meta.model_name == singular]


def real_values(entry: Entry, conv: str, name: str, owned: dict[type, list[Any]]) -> list[str]:
    models_for_name = [m for m in owned if m._meta.model_name == _normal(name)]
    if not models_for_name:
        models_for_name = [m for m in owned if m._meta.model_name.endswith(_normal(name))]
    if not models_for_name and name in {"pk", "id"}:
        view_model = _model_of_view(entry.callback)
        models_for_name = [view_model] if view_model in owned else []
    if not models_for_name and name in {"pk", "id"}:
        models_for_name = _models_from_route(entry.route, name, owned)
    if not models_for_name:
        models_for_name = list(owned)
    values: list[str] = []
    for model in models_for_name:
        for value in _values(model, owned[model], conv, name):
            if value not in values:
                values.append(value)
    return values[: MAX_VARIANTS * 2]


def missing_value(conv: str) -> str:
    return {"int": str(MISSING_INT), "uuid": MISSING_UUID}.get(conv, MISSING_STR)


def fill(route: str, values: dict[str, str]) -> str:
    return "/" + PARAM.sub(lambda m: values[m["name"]], route)


def variants(entry: Entry, org: Organisation, owned) -> list[tuple[str, str, str]]:
    """(real url, same url with non-existent ids, url with an unknown organisation)."""
    org_param = entry.org_param
    per_param = []
    for conv, name in entry.params:
        if name == org_param:
            per_param.append([org.slug])
        else:
            per_param.append(real_values(entry, conv, name, owned) or [missing_value(conv)])
    missing = {
        name: (org.slug if name == org_param else missing_value(conv)) for conv, name in entry.params
    }
    unknown_org = {**missing, **({org_param: "no-such-organisation"} if org_param else {})}
    out = []
    for combo in itertools.islice(itertools.product(*per_param), MAX_VARIANTS):
        real = dict(zip([n for _, n in entry.params], combo, strict=True))
        out.append((fill(entry.route, real), fill(entry.route, missing), fill(entry.route, unknown_org)))
    return out


# --- the world: organisation A (demo province, all hooks), organisation B ---------------


@dataclass
class World:
    a: Organisation
    b: Organisation
    owned: dict
    users: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)

    def user_with(self, org: Organisation, roles: frozenset[str], label: str):
        key = (org.pk, roles, label)
        if key not in self.clients:
            user = UserFactory(username=f"enum-{label}-{len(self.clients)}")
            Person.objects.create(
                organisation=org, user=user, first_name="Enum", last_name=label,
                contract_type="employee", start_date="2024-01-01",
            )
            for role in sorted(roles):
                Membership.objects.create(user=user, organisation=org, role=role)
            client = Client()
            force_login_verified(client, user)
            self.clients[key] = client
        return self.clients[key]


@pytest.fixture
def world(db):
    from intact.core import demo
    from intact.core.demo_data import NGO, PROVINCIE

    a = demo.build_organisation(PROVINCIE, people=16).organisation
    b = demo.build_organisation(NGO, people=12).organisation
    return World(a=a, b=b, owned=owned_objects(a))


def _login_url() -> str:
    return reverse(settings.LOGIN_URL)


def _request(client: Client, method: str, url: str):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data={}, content_type="application/json") if url.startswith(
        "/api/"
    ) else getattr(client, method)(url, data={})


def _same(responses) -> bool:
    first = responses[0]
    return all(
        r.status_code == first.status_code and normalised_body(r) == normalised_body(first)
        for r in responses[1:]
    )


def _methods(entry: Entry) -> list[str]:
    return sorted(entry.methods) if entry.methods else ["get"]


def _outsiders(world: World, entry: Entry):
    roles = declared_roles(entry.callback) or ALL_ROLES
    yield "user of B with every role", world.user_with(world.b, ALL_ROLES, "b-all")
    yield "person of A without a role", world.user_with(world.a, frozenset(), "a-none")
    unfit = ALL_ROLES - roles
    if unfit:
        yield f"user of A with only {sorted(unfit)}", world.user_with(world.a, frozenset(unfit), "a-unfit")


def _check_org_scoped(world: World, entry: Entry, problems: list[str]) -> None:
    for real, missing, unknown in variants(entry, world.a, world.owned):
        for method in _methods(entry):
            if (entry.name, method) in PUBLIC_METHODS:
                continue
            for who, client in _outsiders(world, entry):
                responses = [_request(client, method, url) for url in (real, missing, unknown)]
                method_used = method
                if method == "get" and not entry.methods and responses[0].status_code == 405:
                    method_used = "post"  # a POST-only page (e.g. revoke, delete)
                    responses = [_request(client, "post", url) for url in (real, missing, unknown)]
                status = responses[0].status_code
                if status != 404:
                    problems.append(f"{method_used.upper()} {real} ({entry.name}) as {who}: {status}, not 404")
                elif not _same(responses):
                    problems.append(
                        f"{method_used.upper()} {real} ({entry.name}) as {who}: the 404 differs from "
                        f"the one for {missing} or {unknown}"
                    )
            anonymous = Client()
            responses = [_request(anonymous, method, url) for url in (real, missing)]
            status = responses[0].status_code
            if entry.is_api:
                if status not in (401, 404) or responses[1].status_code != status:
                    problems.append(f"{method.upper()} {real} anonymously: {status}, not 401/404")
            elif status in (301, 302):
                if not responses[0]["Location"].startswith(_login_url()):
                    problems.append(f"{method.upper()} {real} anonymously: redirect to {responses[0]['Location']}")
            elif status not in (404, 405) or responses[1].status_code != status:
                problems.append(f"{method.upper()} {real} anonymously: {status}")


def _check_other(world: World, entry: Entry, problems: list[str]) -> None:
    """URLs outside any organisation: no page for anonymous visitors, nothing of A for B."""
    for real, missing, _unknown in variants(entry, world.a, world.owned):
        for method in _methods(entry):
            response = _request(Client(), method, real)
            status = response.status_code
            ok = status in (401, 403, 404, 405) or (
                status in (301, 302) and response["Location"].startswith(_login_url())
            )
            if not ok:
                problems.append(f"{method.upper()} {real} ({entry.name}) anonymously: {status}")
            client = world.user_with(world.b, ALL_ROLES, "b-all")
            responses = [_request(client, method, url) for url in (real, missing)]
            if A_NAME.encode() in normalised_body(responses[0]):
                problems.append(f"{method.upper()} {real} ({entry.name}) shows {A_NAME} to a user of B")
            if entry.params and responses[0].status_code != responses[1].status_code:
                problems.append(
                    f"{method.upper()} {real} ({entry.name}) as a user of B: {responses[0].status_code} "
                    f"but {responses[1].status_code} for a non-existent object"
                )


def _entries_with_schema() -> list[Entry]:
    entries = all_entries()
    by_route = {entry.route: entry for entry in entries}
    for route, methods in schema_operations().items():
        assert route in by_route, f"schema path {route} not found among the URL patterns"
        by_route[route].methods |= methods
    return entries


def test_enumeration_finds_the_known_urls():
    """A guard against a walker that silently finds nothing."""
    entries = _entries_with_schema()
    routes = {e.route for e in entries}
    assert "app/<slug:org>/people/<int:pk>/" in routes
    assert "api/v1/organisations/<slug:organisation_slug>/people/<int:pk>/" in routes
    people = next(e for e in entries if e.route.startswith("api/v1/organisations/<slug:organisation_slug>/people/<int"))
    assert people.methods == {"get"}
    assert sum(1 for e in entries if e.org_param) >= 15


def test_every_org_scoped_view_declares_its_roles():
    missing = [
        f"{e.route} ({e.name})"
        for e in all_entries()
        if e.org_param and not e.is_public and declared_roles(e.callback) is None
    ]
    assert not missing, (
        "Declare the roles of these views with intact.core.access.for_roles "
        "(or intact_roles on the class):\n" + "\n".join(missing)
    )


def test_no_unfillable_patterns():
    bad = [e.route for e in all_entries() if e.regex_only and not e.is_public]
    assert not bad, f"Use path() so the enumeration can fill these: {bad}"
    known = (IntConverter, SlugConverter, StringConverter, UUIDConverter, PathConverter)
    from django.urls.converters import get_converters

    converters = get_converters()
    for entry in all_entries():
        for conv, _name in entry.params:
            assert isinstance(converters[conv], known), f"{entry.route}: unknown converter {conv}"


def test_need_to_know_over_every_url(world):
    import os

    only = re.compile(os.environ.get("INTACT_ENUM_ONLY", ""))  # to debug one app's URLs
    problems: list[str] = []
    checked = 0
    for entry in _entries_with_schema():
        if entry.is_public or entry.regex_only or not only.search(entry.route):
            continue
        if entry.org_param:
            _check_org_scoped(world, entry, problems)
        else:
            _check_other(world, entry, problems)
        checked += 1
    assert checked >= (20 if not only.pattern else 1)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:80])


def test_fit_roles_do_reach_the_pages_of_this_platform(world):
    """Positive control: the filled URLs are real, so the 404s above mean something.

    For the platform's own pages (core, organisations) a user of A with every
    role gets each page; other apps' pages are counted for information.
    """
    client = world.user_with(world.a, ALL_ROLES, "a-all")
    failures = []
    reached = total = 0
    for entry in _entries_with_schema():
        if entry.is_public or not entry.org_param:
            continue
        statuses = []
        for real, _missing, _unknown in variants(entry, world.a, world.owned):
            statuses.append(client.get(real).status_code)
        total += 1
        if any(s < 400 or s == 405 for s in statuses):
            reached += 1
        elif entry.namespace.split(":")[0] in {"core", "organisations", "organisations_api"}:
            failures.append(f"{entry.route}: {statuses}")
    print(f"fit user reached {reached} of {total} organisation-scoped URLs")
    assert not failures, failures
    assert reached >= total // 2
