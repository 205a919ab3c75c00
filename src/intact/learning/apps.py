from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "intact.learning"
    label = "learning"
