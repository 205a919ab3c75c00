"""Staff pages of the cases app, under /app/<org>/ (namespace ``cases``)."""

from django.urls import path

from intact.cases import views

app_name = "cases"
urlpatterns = [
    path("zaken/", views.case_list, name="list"),
    path("zaken/registreren/", views.case_register, name="register"),
    path("zaken/categorieen/", views.category_list, name="categories"),
    path("zaken/regels/", views.rules, name="rules"),
    path("zaken/openen/<str:report_ref>/", views.case_open, name="open"),
    path("zaken/<str:ref>/", views.case_detail, name="detail"),
    path("zaken/<str:ref>/verklaring/", views.case_declare, name="declare"),
    path("zaken/<str:ref>/triage/", views.case_triage, name="triage"),
    path("zaken/<str:ref>/actie/<slug:action>/", views.case_action, name="action"),
    path("zaken/<str:ref>/documenten/<int:document>/", views.case_document, name="document"),
]
