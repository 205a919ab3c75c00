"""Browser-test harness: Playwright (sync API) driving Debian's Chromium.

Fixtures and helpers for every app's browser tests (``tests/e2e/test_*.py``):

* ``browser`` (session) — headless Chromium at ``/usr/bin/chromium``. When it
  is absent the browser tests are skipped with a clear message, except in CI
  (``CI=true``), where that is an error.
* ``page`` / ``page_nojs`` — a fresh browser context per test, with
  JavaScript on / off; ``page_js_and_nojs`` runs a test once with each. ``new_page(javascript_enabled=..., viewport=...)``
  makes more (e.g. a phone-size one). Every request the page makes is
  recorded (``recorder_for(page).urls``).
* ``live_url`` — base URL of Django's live server (implies ``transactional_db``).
* ``assert_no_third_party_requests(page_or_recorder, live_url)``,
  ``assert_no_csp_violations(page)``, ``assert_no_horizontal_scroll(page)``,
  ``assert_valid_html(response.text())``
* ``axe_check(page)`` — axe-core with the WCAG 2.1 A/AA rules; fails listing
  every violation.
* ``staff_login(page, user)`` — a browser session logged in with the second
  factor satisfied (session cookie made by ``force_login_verified``);
  ``staff_login_form(page, user, password)`` goes through the real login form
  and answers the TOTP challenge with a code computed from the device key.

Import the helpers with ``from tests.e2e.conftest import axe_check, ...``.
Every test in this folder is marked ``e2e`` automatically, so that
``pytest -m "not e2e"`` runs without a browser.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM
# calls from a thread with a running loop unless told that it is safe. The
# tests are sequential, so it is.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("INTACT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
E2E_TIMEOUT_SECONDS = 300
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            # A browser test that hangs (a page that never loads, a script that
            # never resolves) fails after this long instead of stalling CI.
            if item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(E2E_TIMEOUT_SECONDS))


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"{reason} (required in CI)", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


# --- browser -----------------------------------------------------------------


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev dependencies always have it
        _unavailable("the Python package 'playwright' is not installed")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()


@pytest.fixture(scope="session")
def browser(_playwright: Any) -> Iterator[Any]:
    """Headless Chromium, shared by all tests of the session."""
    instance = _playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    try:
        yield instance
    finally:
        instance.close()


class RequestRecorder:
    """Every URL a browser context requested, in order, and its console errors."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.console_errors: list[str] = []

    def __call__(self, request: Any) -> None:
        self.urls.append(request.url)

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def clear(self) -> None:
        self.urls.clear()
        self.console_errors.clear()


_RECORDERS: dict[int, RequestRecorder] = {}
_NO_JS: dict[int, Any] = {}  # id(page) -> browser, for pages with JavaScript off


def recorder_for(page: Any) -> RequestRecorder:
    """The recorder of a page made by the ``page``/``page_nojs``/``new_page`` fixtures."""
    return _RECORDERS[id(page)]


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """new_page(javascript_enabled=True, viewport=DESKTOP, **context_options) -> Page.

    Each call opens a new browser context (own cookies), records its requests,
    and is closed after the test.
    """
    contexts: list[Any] = []
    pages: list[Any] = []

    def make(
        *, javascript_enabled: bool = True, viewport: dict | None = None, **options: Any
    ) -> Any:
        context = browser.new_context(
            java_script_enabled=javascript_enabled,
            viewport=viewport or DESKTOP,
            locale=options.pop("locale", "nl-NL"),
            **options,
        )
        context.set_default_timeout(15_000)
        recorder = RequestRecorder()
        context.on("request", recorder)
        context.on("console", recorder.on_console)
        page = context.new_page()
        _RECORDERS[id(page)] = recorder
        if not javascript_enabled:
            _NO_JS[id(page)] = browser
        contexts.append(context)
        pages.append(page)
        return page

    yield make
    for page in pages:
        _RECORDERS.pop(id(page), None)
        _NO_JS.pop(id(page), None)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A page in a fresh context, JavaScript on."""
    return new_page(javascript_enabled=True)


@pytest.fixture
def page_nojs(new_page: Callable[..., Any]) -> Any:
    """A page in a fresh context with JavaScript switched off."""
    return new_page(javascript_enabled=False)


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def page_js_and_nojs(request: pytest.FixtureRequest, new_page: Callable[..., Any]) -> Any:
    """Runs the test twice: with JavaScript on and off (``page.javascript_enabled`` says which)."""
    page = new_page(javascript_enabled=request.param)
    page.javascript_enabled = request.param  # type: ignore[attr-defined]
    return page


@pytest.fixture(autouse=True)
def _flushable_audit_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let the end-of-test flush of ``transactional_db`` empty the audit log.

    The audit table refuses UPDATE, DELETE and TRUNCATE by database triggers
    (security migration 0002), so Django's flush fails as soon as a test wrote
    an audit entry. For the flush only, the triggers are set aside and put
    back. Autouse, so it is set up before ``transactional_db`` and therefore
    still active when that fixture flushes at teardown.
    """
    from django.db import connections

    patched = []
    for conn in connections.all():
        ops = conn.ops
        original = ops.execute_sql_flush

        def flush(sql_list: Any, _conn: Any = conn, _original: Any = original) -> Any:
            with _conn.cursor() as cursor:
                if _conn.vendor == "sqlite":
                    cursor.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                        " AND tbl_name = 'security_auditentry'"
                    )
                    triggers = cursor.fetchall()
                    for name, _sql in triggers:
                        cursor.execute(f'DROP TRIGGER "{name}"')
                    try:
                        return _original(sql_list)
                    finally:
                        for _name, sql in triggers:
                            cursor.execute(sql)
                if _conn.vendor == "postgresql":
                    cursor.execute("ALTER TABLE security_auditentry DISABLE TRIGGER USER")
                    try:
                        return _original(sql_list)
                    finally:
                        cursor.execute("ALTER TABLE security_auditentry ENABLE TRIGGER USER")
            return _original(sql_list)

        monkeypatch.setattr(ops, "execute_sql_flush", flush)
        patched.append(conn)
    yield


@pytest.fixture
def live_url(transactional_db: Any, live_server: Any) -> str:
    """Base URL of the live server, e.g. ``http://localhost:41234`` (no trailing slash)."""
    return live_server.url.rstrip("/")


# --- assertions ----------------------------------------------------------------


def assert_no_third_party_requests(page_or_recorder: Any, live_url: str) -> None:
    """Fail when the page requested anything from another origin than the live server.

    ``data:`` and ``about:`` URLs make no network request and are allowed.
    """
    recorder = (
        page_or_recorder
        if isinstance(page_or_recorder, RequestRecorder)
        else recorder_for(page_or_recorder)
    )
    own = urlsplit(live_url)
    foreign = []
    for url in recorder.urls:
        parts = urlsplit(url)
        if parts.scheme in {"data", "about", "blob"}:
            continue
        if (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
            foreign.append(url)
    assert recorder.urls, "no request was recorded: did the page load at all?"
    assert not foreign, "requests to another host:\n  " + "\n  ".join(foreign)


def assert_no_csp_violations(page_or_recorder: Any) -> None:
    """Fail when the browser refused something under the Content-Security-Policy
    (an inline style or script, a foreign source): the page would look or work
    differently than its author thought."""
    recorder = (
        page_or_recorder
        if isinstance(page_or_recorder, RequestRecorder)
        else recorder_for(page_or_recorder)
    )
    refused = [m for m in recorder.console_errors if "Content Security Policy" in m]
    assert not refused, "CSP violations:\n  " + "\n  ".join(refused)


def axe_check(page: Any, *, context: Any = None, disable: tuple[str, ...] = ()) -> None:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; fail listing the violations.

    ``disable`` names rules to skip; use it only with a reason in the test.
    axe is JavaScript: on a page with JavaScript off (``page_nojs``,
    ``new_page(javascript_enabled=False)``) the page's current HTML is copied
    into a JavaScript-enabled page on the same origin (same styles, same CSP)
    and checked there.
    """
    from axe_playwright_python.sync_playwright import Axe

    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    browser = _NO_JS.get(id(page))
    if browser is None:
        results = Axe().run(page, context=context, options=options)
    else:
        twin_context = browser.new_context(
            java_script_enabled=True, viewport=page.viewport_size or DESKTOP
        )
        try:
            twin = twin_context.new_page()
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
            twin.goto(origin + "/healthz")  # any page of the origin: its URL is the base
            twin.set_content(page.content(), wait_until="load")
            results = Axe().run(twin, context=context, options=options)
        finally:
            twin_context.close()
    violations = results.response.get("violations", [])
    if violations:
        lines = [f"{len(violations)} axe violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
            for node in violation.get("nodes", [])[:5]:
                lines.append(f"    at {', '.join(map(str, node.get('target', [])))}")
                summary = (node.get("failureSummary") or "").replace("\n", " ")
                if summary:
                    lines.append(f"       {summary[:300]}")
        pytest.fail("\n".join(lines), pytrace=False)


_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
_INTERACTIVE = {"a", "button"}


class _HTMLChecker(HTMLParser):
    """A strict well-formedness check of a server-rendered page (see assert_valid_html)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: dict[str, int] = {}
        self.label_targets: list[str] = []
        self.doctype = False

    def _where(self) -> str:
        return f"line {self.getpos()[0]}"

    def handle_decl(self, decl: str) -> None:
        if decl.lower() == "doctype html":
            self.doctype = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        values = dict(attrs)
        if "style" in names:
            self.errors.append(
                f"{self._where()}: style attribute on <{tag}> (CSP forbids inline styles)"
            )
        handlers = sorted(n for n in names if n.startswith("on"))
        if handlers:
            self.errors.append(f"{self._where()}: event handler attribute(s) {handlers} on <{tag}>")
        if tag == "script" and not values.get("src"):
            self.errors.append(f"{self._where()}: inline <script> (CSP forbids it)")
        if tag == "form" and "form" in self.stack:
            self.errors.append(f"{self._where()}: <form> inside <form>")
        if tag in _INTERACTIVE and _INTERACTIVE & set(self.stack):
            self.errors.append(f"{self._where()}: <{tag}> inside a link or button")
        if values.get("id") is not None:
            ident = values["id"] or ""
            self.ids[ident] = self.ids.get(ident, 0) + 1
        if tag == "label" and values.get("for"):
            self.label_targets.append(values["for"] or "")
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()  # <div/> in HTML is not self-closing, but do not cascade errors

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            self.errors.append(f"{self._where()}: end tag </{tag}> for a void element")
            return
        if not self.stack or self.stack[-1] != tag:
            expected = self.stack[-1] if self.stack else "nothing"
            self.errors.append(f"{self._where()}: </{tag}> closes <{expected}>")
            if tag in self.stack:  # recover: unwind to the matching element
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()


def assert_valid_html(html: str) -> None:
    """Fail on HTML that is not well formed, or that the strict CSP would break.

    Checks: a doctype; every element closed in order; no duplicate ids; every
    <label for> points at an element; no nested forms or interactive elements;
    no style attributes, inline scripts or on* handlers.
    """
    checker = _HTMLChecker()
    checker.feed(html)
    checker.close()
    errors = list(checker.errors)
    if not checker.doctype:
        errors.append("no <!DOCTYPE html>")
    if checker.stack:
        errors.append(f"elements never closed: {checker.stack}")
    errors += [f"id {i!r} used {n} times" for i, n in checker.ids.items() if n > 1]
    errors += [
        f"<label for={t!r}> has no element with that id"
        for t in checker.label_targets
        if t not in checker.ids
    ]
    assert not errors, "invalid HTML:\n  " + "\n  ".join(errors)


def assert_no_horizontal_scroll(page: Any) -> None:
    """Fail when the page is wider than the viewport (content cut off on a phone)."""
    widths = page.evaluate(
        "() => ({doc: document.documentElement.scrollWidth, view: window.innerWidth})"
    )
    assert widths["doc"] <= widths["view"], (
        f"{page.url} scrolls sideways: content {widths['doc']}px in a {widths['view']}px viewport"
    )


# --- logging in ---------------------------------------------------------------------


def _session_cookie(user: Any) -> tuple[str, str]:
    from django.conf import settings
    from django.test import Client

    from intact.security.testing import force_login_verified

    client = Client()
    force_login_verified(client, user)
    name = settings.SESSION_COOKIE_NAME
    return name, client.cookies[name].value


@pytest.fixture
def staff_login(live_url: str) -> Callable[[Any, Any], Any]:
    """staff_login(page, user): log ``page``'s browser context in as ``user`` (2FA passed).

    The session is made server-side with ``force_login_verified`` and its
    cookie copied into the browser: robust, and independent of the login
    page's layout. Use ``staff_login_form`` to test the login form itself.
    """

    def login(page: Any, user: Any) -> Any:
        name, value = _session_cookie(user)
        page.context.add_cookies(
            [
                {
                    "name": name,
                    "value": value,
                    "url": live_url + "/",
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        return page

    return login


@pytest.fixture
def staff_login_form(live_url: str) -> Callable[..., Any]:
    """staff_login_form(page, user, password): log in through the real pages.

    Fills in the login form; when Intact asks for the second factor, computes
    the current TOTP code from the user's confirmed device (creating one when
    the user has none) and submits it.
    """

    def login(page: Any, user: Any, password: str) -> Any:
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        page.goto(f"{live_url}/account/login/")
        page.fill("input[name=username]", user.get_username())
        page.fill("input[name=password]", password)
        page.locator("form.intact-form button[type=submit]").first.click()
        page.wait_for_load_state()
        if "/tweede-factor/" in page.url:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                raise AssertionError(
                    "the user has no confirmed TOTP device; create one before logging in"
                )
            code = totp(
                device.bin_key,
                step=device.step,
                t0=device.t0,
                digits=device.digits,
                drift=device.drift,
            )
            page.fill("input[name=token]", f"{code:0{device.digits}d}")
            page.locator("form.intact-form button[type=submit]").first.click()
            page.wait_for_load_state()
        return page

    return login
