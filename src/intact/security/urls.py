"""Staff pages of the security app under /app/<org>/."""

from django.urls import path

from intact.security import views

app_name = "security_org"
urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
]
