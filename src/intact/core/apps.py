from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "intact.core"
    label = "core"
    verbose_name = "Intact"
