"""Staff pages of reporting, under /app/<org>/ (namespace ``reporting``)."""

from django.urls import path

from intact.reporting import views_staff as views

app_name = "reporting"
urlpatterns = [
    path("meldingen/", views.inbox, name="inbox"),
    path("meldingen/registreren/", views.intake, name="intake"),
    path("meldingen/procedures/", views.procedure_list, name="procedure_list"),
    path("meldingen/procedures/<int:pk>/", views.procedure_edit, name="procedure_edit"),
    path("meldingen/identiteit/", views.reveal_requests, name="reveal_requests"),
    path("meldingen/identiteit/<int:pk>/", views.reveal_decide, name="reveal_decide"),
    path("meldingen/instellingen/", views.settings_edit, name="settings"),
    path("meldingen/termijnen/", views.term_settings, name="terms"),
    path("meldingen/<str:ref>/", views.detail, name="detail"),
    path("meldingen/<str:ref>/actie/<slug:action>/", views.action, name="action"),
    path("meldingen/<str:ref>/bijlagen/<int:attachment>/", views.attachment_download, name="attachment"),
]
