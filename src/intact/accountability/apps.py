from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "intact.accountability"
    label = "accountability"
