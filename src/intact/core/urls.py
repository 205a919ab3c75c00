from django.urls import path

from intact.core import views

app_name = "core"
urlpatterns = [
    path("", views.org_start, name="org_start"),
]
