"""The browser-test harness's checks can fail: each is shown a page that breaks its rule.

Without these, a check that silently passes everything (axe not injected, no
request recorded) would make every browser test worthless.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import (
    assert_no_csp_violations,
    assert_no_third_party_requests,
    assert_valid_html,
    axe_check,
)

BAD_PAGE = """<!DOCTYPE html><html><head><title>x</title></head>
<body><main><img src="/static/nothing.png"><a href="#"></a></main></body></html>"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_axe_check_reports_violations(new_page, live_url, javascript):
    page = new_page(javascript_enabled=javascript)
    page.goto(live_url + "/healthz")
    page.set_content(BAD_PAGE)
    with pytest.raises(pytest.fail.Exception) as failure:
        axe_check(page)
    message = str(failure.value)
    for rule in ("html-has-lang", "image-alt", "link-name"):
        assert rule in message


def test_third_party_requests_are_caught(page, live_url):
    page.route("http://third-party.invalid/**", lambda route: route.abort())
    page.goto(live_url + "/healthz")
    page.set_content('<!DOCTYPE html><img alt="" src="http://third-party.invalid/pixel.gif">')
    with pytest.raises(AssertionError, match="third-party.invalid"):
        assert_no_third_party_requests(page, live_url)


def test_csp_refuses_inline_styles_and_scripts(page, live_url):
    # A real page of ours, then inline code added the way a careless template would.
    page.goto(live_url + "/account/login/")
    page.evaluate(
        """() => {
            const s = document.createElement('script');
            s.textContent = 'document.title = "ran"';
            document.body.appendChild(s);
        }"""
    )
    assert page.title() != "ran", "an inline script ran despite the CSP"
    with pytest.raises(AssertionError, match="CSP violations"):
        assert_no_csp_violations(page)


@pytest.mark.parametrize(
    "html, problem",
    [
        ("<html><body><p>x</p></body></html>", "no <!DOCTYPE html>"),
        ("<!DOCTYPE html><html><body><div><p>x</div></body></html>", "</div> closes <p>"),
        (
            '<!DOCTYPE html><html><body><b id="a"></b><i id="a"></i></body></html>',
            "id 'a' used 2 times",
        ),
        ('<!DOCTYPE html><html><body><label for="q">Q</label></body></html>', "has no element"),
        ('<!DOCTYPE html><html><body><p style="color:red">x</p></body></html>', "style attribute"),
        ("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "inline <script>"),
        (
            '<!DOCTYPE html><html><body><a href="#"><button>x</button></a></body></html>',
            "inside a link",
        ),
        (
            "<!DOCTYPE html><html><body><form><form></form></form></body></html>",
            "<form> inside <form>",
        ),
    ],
)
def test_valid_html_check_finds_problems(html, problem):
    with pytest.raises(AssertionError, match="invalid HTML") as failure:
        assert_valid_html(html)
    assert problem in str(failure.value)


def test_valid_html_check_accepts_a_good_page():
    assert_valid_html(
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><main><label for="q">Q</label><input id="q"><br><img alt="" src="/x.png">'
        "</main></body></html>"
    )
