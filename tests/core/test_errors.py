import json

from django.test import RequestFactory

from intact.core import views


def test_server_error_under_api_is_problem_json(db):
    response = views.server_error(RequestFactory().get("/api/v1/organisations/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["status"] == 500


def test_server_error_page_elsewhere_is_html(db):
    response = views.server_error(RequestFactory().get("/app/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_unknown_staff_page_is_the_html_404(client, db):
    response = client.get("/app/no-such-org/people/")
    assert response.status_code == 302  # anonymous: to the login page first
    response = client.get("/does-not-exist/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Pagina niet gevonden" in response.content.decode()


def test_api_csrf_failure_view_is_problem_json(db):
    response = views.csrf_failure(RequestFactory().post("/api/v1/organisations/"))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
