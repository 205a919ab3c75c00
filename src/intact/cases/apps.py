from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "intact.cases"
    label = "cases"
