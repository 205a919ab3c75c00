from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "intact.policy"
    label = "policy"
