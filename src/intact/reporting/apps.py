from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "intact.reporting"
    label = "reporting"
