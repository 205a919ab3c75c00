from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _organisation_created(sender, instance, created, raw=False, **kwargs):
    """A new organisation starts with the default topics and tags (data/*.yaml)."""
    if created and not raw:
        from intact.learning.services import organisation_defaults_ensure

        organisation_defaults_ensure(organisation=instance)


class LearningConfig(AppConfig):
    name = "intact.learning"
    label = "learning"
    verbose_name = _("Leren en preventie")

    def ready(self) -> None:
        from intact.organisations.models import Organisation

        post_save.connect(
            _organisation_created, sender=Organisation, dispatch_uid="learning_org_defaults"
        )
