"""API of the organisations app under /api/v1/ (plural kebab-case resources)."""

from django.urls import path

from intact.organisations import api

app_name = "organisations_api"
urlpatterns = [
    path(
        "organisations/",
        api.OrganisationViewSet.as_view({"get": "list"}),
        name="organisation-list",
    ),
    path(
        "organisations/<slug:organisation_slug>/",
        api.OrganisationViewSet.as_view({"get": "retrieve"}),
        name="organisation-detail",
    ),
    path(
        "organisations/<slug:organisation_slug>/units/",
        api.UnitViewSet.as_view({"get": "list"}),
        name="unit-list",
    ),
    path(
        "organisations/<slug:organisation_slug>/people/",
        api.PersonViewSet.as_view({"get": "list"}),
        name="person-list",
    ),
    path(
        "organisations/<slug:organisation_slug>/people/<int:pk>/",
        api.PersonViewSet.as_view({"get": "retrieve"}),
        name="person-detail",
    ),
]
