from django.urls import path

from intact.organisations import views

app_name = "organisations_public"
urlpatterns = [
    path("integriteit/", views.integrity_page, name="integrity"),
]
