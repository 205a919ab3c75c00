from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "intact.registers"
    label = "registers"
