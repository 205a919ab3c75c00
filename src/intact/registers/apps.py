from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "intact.registers"
    label = "registers"

    def ready(self) -> None:
        # Registers the daily reminder job with the platform's scheduler, when there is one.
        from intact.registers import tasks  # noqa: F401
