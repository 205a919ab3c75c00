"""API of the cases app under /api/v1/ (plural kebab-case resources, nested under the organisation)."""

from django.urls import path

from intact.cases import api

app_name = "cases_api"
BASE = "organisations/<slug:organisation_slug>/"
urlpatterns = [
    path(BASE + "cases/", api.CaseListView.as_view(), name="case-list"),
    path(BASE + "cases/<str:reference>/", api.CaseDetailView.as_view(), name="case-detail"),
    path(
        BASE + "cases/<str:reference>/transitions/",
        api.CaseTransitionView.as_view(),
        name="case-transition",
    ),
    path(BASE + "cases/<str:reference>/triage/", api.CaseTriageView.as_view(), name="case-triage"),
    path(
        BASE + "cases/<str:reference>/triage-actions/<int:pk>/done/",
        api.TriageActionDoneView.as_view(),
        name="case-triage-action-done",
    ),
    path(
        BASE + "cases/<str:reference>/measures/",
        api.CaseMeasuresView.as_view(),
        name="case-measures",
    ),
    path(BASE + "measure-types/", api.MeasureTypeListView.as_view(), name="measure-type-list"),
    path(BASE + "triage-instrument/", api.TriageInstrumentView.as_view(), name="triage-instrument"),
]
