from django.urls import path  # noqa: F401

app_name = "policy_public"
urlpatterns: list = []
