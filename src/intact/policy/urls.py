"""Staff pages of the policy app, under /app/<org>/beleid/."""

from django.urls import path

from intact.policy import views

app_name = "policy"
_B = "beleid/"
urlpatterns = [
    path(_B + "plannen/", views.plan_list, name="plan_list"),
    path(_B + "plannen/<int:pk>/nieuwe-versie/", views.version_new, name="version_new"),
    path(_B + "versies/<int:pk>/", views.version_detail, name="version_detail"),
    path(_B + "versies/<int:pk>/bewerken/", views.version_edit, name="version_edit"),
    path(_B + "versies/<int:pk>/vaststellen/", views.version_adopt, name="version_adopt"),
    path(
        _B + "versies/<int:pk>/plan.pdf", views.version_export, {"fmt": "pdf"}, name="version_pdf"
    ),
    path(
        _B + "versies/<int:pk>/plan.odt", views.version_export, {"fmt": "odt"}, name="version_odt"
    ),
    path(
        _B + "versies/<int:pk>/plan.docx",
        views.version_export,
        {"fmt": "docx"},
        name="version_docx",
    ),
    path(_B + "jaarplannen/", views.annual_list, name="annual_list"),
    path(_B + "jaarplannen/<int:pk>/", views.annual_detail, name="annual_detail"),
    path(_B + "jaarplannen/<int:pk>/maatregel/", views.measure_create, name="measure_create"),
    path(_B + "maatregelen/<int:pk>/", views.measure_detail, name="measure_detail"),
    path(_B + "maatregelen/<int:pk>/bewerken/", views.measure_edit, name="measure_edit"),
    path(_B + "mijn-maatregelen/", views.my_measures, name="my_measures"),
    path(_B + "normenkaders/", views.framework_list, name="framework_list"),
    path(_B + "normenkaders/<int:pk>/", views.framework_detail, name="framework_detail"),
    path(_B + "zelfevaluaties/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path(_B + "normen/<int:pk>/", views.item_edit, name="item_edit"),
    path(_B + "actiepunten/", views.action_list, name="action_list"),
    path(_B + "actiepunten/<int:pk>/", views.action_detail, name="action_detail"),
    path(_B + "uitvraag/", views.round_list, name="round_list"),
    path(_B + "uitvraag/instellingen/", views.inquiry_settings, name="inquiry_settings"),
    path(_B + "uitvraag/rondes/<int:pk>/", views.round_detail, name="round_detail"),
    path(_B + "uitvraag/mijn/", views.inquiry_mine, name="inquiry_mine"),
    path(_B + "uitvraag/mijn/<int:pk>/", views.inquiry_answer, name="inquiry_answer"),
]
