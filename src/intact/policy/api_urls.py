"""API of the policy app, under /api/v1/organisations/<org>/."""

from django.urls import path

from intact.policy import api

app_name = "policy_api"
_P = "organisations/<slug:org>/"
urlpatterns = [
    path(_P + "integrity-plans/", api.PlanList.as_view(), name="plan_list"),
    path(_P + "integrity-plan-format/", api.PlanFormat.as_view(), name="plan_format"),
    path(_P + "plan-versions/<int:pk>/", api.VersionDetail.as_view(), name="version_detail"),
    path(_P + "plan-versions/<int:pk>/adopt/", api.VersionAdopt.as_view(), name="version_adopt"),
    path(_P + "annual-plans/", api.AnnualPlanList.as_view(), name="annual_list"),
    path(
        _P + "annual-plans/<int:pk>/monitoring/",
        api.AnnualPlanMonitoring.as_view(),
        name="annual_monitoring",
    ),
    path(_P + "measures/", api.MeasureList.as_view(), name="measure_list"),
    path(_P + "measures/<int:pk>/", api.MeasureDetail.as_view(), name="measure_detail"),
    path(
        _P + "measures/<int:pk>/progress-entries/",
        api.MeasureProgress.as_view(),
        name="measure_progress",
    ),
    path(_P + "frameworks/", api.FrameworkList.as_view(), name="framework_list"),
    path(_P + "frameworks/import/", api.FrameworkImport.as_view(), name="framework_import"),
    path(_P + "assessments/", api.AssessmentList.as_view(), name="assessment_list"),
    path(_P + "assessment-items/<int:pk>/", api.ItemDetail.as_view(), name="item_detail"),
    path(_P + "action-points/", api.ActionList.as_view(), name="action_list"),
    path(_P + "action-points/<int:pk>/", api.ActionDetail.as_view(), name="action_detail"),
    path(_P + "inquiry-rounds/", api.RoundList.as_view(), name="round_list"),
    path(_P + "inquiry-rounds/<int:pk>/", api.RoundDetail.as_view(), name="round_detail"),
    path(_P + "inquiry-requests/", api.MyRequestList.as_view(), name="request_list"),
    path(
        _P + "inquiry-requests/<int:pk>/answer/",
        api.MyRequestAnswer.as_view(),
        name="request_answer",
    ),
]
