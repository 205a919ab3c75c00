from django.urls import path  # noqa: F401

app_name = "learning_api"
urlpatterns: list = []
