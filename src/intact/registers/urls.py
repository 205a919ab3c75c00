"""Staff pages of the registers under ``/app/<org>/``: the employee portal and the registers."""

from django.urls import path

from intact.registers import views

app_name = "registers"
urlpatterns = [
    # the employee portal (every person working for the organisation)
    path("mijn-integriteit/", views.portal, name="portal"),
    path("mijn-integriteit/gedragscode/", views.code_acknowledge, name="code_acknowledge"),
    path(
        "mijn-integriteit/nevenwerkzaamheden/nieuw/",
        views.activity_declare,
        name="activity_declare",
    ),
    path(
        "mijn-integriteit/nevenwerkzaamheden/<int:pk>/bevestigen/",
        views.activity_own,
        {"action": "confirm"},
        name="activity_confirm",
    ),
    path(
        "mijn-integriteit/nevenwerkzaamheden/<int:pk>/beeindigen/",
        views.activity_own,
        {"action": "end"},
        name="activity_end",
    ),
    path("mijn-integriteit/geschenken/nieuw/", views.gift_declare, name="gift_declare"),
    path(
        "mijn-integriteit/financiele-belangen/nieuw/",
        views.financial_declare,
        name="financial_declare",
    ),
    path("gedragscode/<int:pk>/", views.code_read, name="code_read"),
    path("gedragscode/<int:pk>/bestand/", views.code_file, name="code_file"),
    # the registers (managers, coordinators; counts for auditors)
    path("registers/", views.overview, name="overview"),
    path("registers/oaths/", views.oaths, name="oaths"),
    path("registers/oaths/ceremony/", views.oath_ceremony, name="oath_ceremony"),
    path("registers/code-of-conduct/", views.code, name="code"),
    path("registers/code-of-conduct/new/", views.code_new, name="code_new"),
    path("registers/outside-activities/", views.activities, name="activities"),
    path("registers/outside-activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("registers/financial-interests/", views.financial, name="financial"),
    path(
        "registers/financial-interests/<int:pk>/", views.financial_detail, name="financial_detail"
    ),
    path(
        "registers/financial-interests/designations/<int:pk>/delete/",
        views.designation_delete,
        name="designation_delete",
    ),
    path("registers/gifts/", views.gifts, name="gifts"),
    path("registers/gifts/<int:pk>/", views.gift_detail, name="gift_detail"),
    path("registers/vulnerable-positions/", views.vulnerable, name="vulnerable"),
    path("registers/vulnerable-positions/new/", views.vulnerable_edit, name="vulnerable_new"),
    path("registers/vulnerable-positions/<int:pk>/", views.vulnerable_edit, name="vulnerable_edit"),
    path(
        "registers/vulnerable-positions/<int:pk>/delete/",
        views.vulnerable_delete,
        name="vulnerable_delete",
    ),
    path("registers/screening/", views.screening, name="screening"),
    path(
        "registers/screening/profiles/new/",
        views.screening_profile_edit,
        name="screening_profile_new",
    ),
    path(
        "registers/screening/profiles/<int:pk>/",
        views.screening_profile_edit,
        name="screening_profile_edit",
    ),
    path("registers/screening/people/<int:pk>/", views.screening_person, name="screening_person"),
    path("registers/settings/", views.settings_edit, name="settings"),
    path("registers/import/", views.import_upload, name="import"),
    path("registers/import/<int:file_id>/", views.import_confirm, name="import_confirm"),
]
