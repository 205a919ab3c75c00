from django.urls import path  # noqa: F401

app_name = "registers_api"
urlpatterns: list = []
