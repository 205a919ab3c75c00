from django.urls import path

from intact.accountability import views

app_name = "accountability"
urlpatterns = [
    path("verantwoording/", views.report_index, name="index"),
    path("verantwoording/<int:year>/", views.report_preview, name="preview"),
    path(
        "verantwoording/<int:year>/tekst/<slug:chapter>/", views.chapter_edit, name="chapter_edit"
    ),
    path("verantwoording/taak/<int:pk>/", views.job_detail, name="job_detail"),
    path("verantwoording/taak/<int:pk>/download/", views.job_download, name="job_download"),
    path("verantwoording/instellingen/", views.settings_edit, name="settings"),
    path("verantwoording/sector/", views.sector_overview, name="sector"),
    path(
        "verantwoording/incidentmelding/<str:reference>.<slug:fmt>",
        views.incident_export,
        name="incident_export",
    ),
]
