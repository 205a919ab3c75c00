"""The registers' API under ``/api/v1/organisations/{slug}/`` (plural kebab-case resources)."""

from django.urls import path

from intact.registers import api

app_name = "registers_api"
P = "organisations/<slug:slug>/"
urlpatterns = [
    path(P + "my-integrity/", api.MyIntegrityView.as_view(), name="my-integrity"),
    path(P + "oaths/", api.OathListView.as_view(), name="oaths"),
    path(P + "oath-ceremonies/", api.OathCeremonyView.as_view(), name="oath-ceremonies"),
    path(P + "code-of-conduct-versions/", api.CodeVersionListView.as_view(), name="code-versions"),
    path(
        P + "code-of-conduct-versions/<int:pk>/acknowledgements/",
        api.CodeAcknowledgementView.as_view(),
        name="code-acknowledgements",
    ),
    path(P + "code-of-conduct-rates/", api.CodeRatesView.as_view(), name="code-rates"),
    path(P + "outside-activities/", api.ActivityListView.as_view(), name="outside-activities"),
    path(
        P + "outside-activities/<int:pk>/",
        api.ActivityDetailView.as_view(),
        name="outside-activity",
    ),
    path(
        P + "outside-activities/<int:pk>/assessment/",
        api.ActivityAssessmentView.as_view(),
        name="outside-activity-assessment",
    ),
    path(
        P + "outside-activities/<int:pk>/confirmation/",
        api.ActivityConfirmationView.as_view(),
        name="outside-activity-confirmation",
    ),
    path(
        P + "financial-designations/",
        api.DesignationListView.as_view(),
        name="financial-designations",
    ),
    path(
        P + "financial-declarations/",
        api.FinancialListView.as_view(),
        name="financial-declarations",
    ),
    path(
        P + "financial-declarations/<int:pk>/",
        api.FinancialDetailView.as_view(),
        name="financial-declaration",
    ),
    path(
        P + "financial-declarations/<int:pk>/review/",
        api.FinancialReviewView.as_view(),
        name="financial-declaration-review",
    ),
    path(P + "gifts/", api.GiftListView.as_view(), name="gifts"),
    path(P + "gifts/<int:pk>/", api.GiftDetailView.as_view(), name="gift"),
    path(P + "gifts/<int:pk>/decision/", api.GiftDecisionView.as_view(), name="gift-decision"),
    path(
        P + "vulnerable-positions/", api.VulnerableListView.as_view(), name="vulnerable-positions"
    ),
    path(P + "screening-profiles/", api.ProfileListView.as_view(), name="screening-profiles"),
    path(P + "screening-checks/", api.CheckListView.as_view(), name="screening-checks"),
    path(
        P + "screening-checks/<int:pk>/result/",
        api.CheckResultView.as_view(),
        name="screening-check-result",
    ),
    path(P + "register-counts/", api.CountsView.as_view(), name="register-counts"),
    path(P + "register-imports/", api.ImportView.as_view(), name="register-imports"),
]
