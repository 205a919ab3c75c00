"""Give organisations that existed before the learning app the default topics and tags."""

from django.db import migrations


def forwards(apps, schema_editor):
    from intact.learning import defaults

    Organisation = apps.get_model("organisations", "Organisation")
    Topic = apps.get_model("learning", "ConversationTopic")
    Tag = apps.get_model("learning", "CaseLawTag")
    for organisation in Organisation.objects.all():
        if Topic.objects.filter(organisation=organisation).exists():
            continue
        for order, item in enumerate(defaults.conversation_topics(), start=1):
            parent = Topic.objects.create(
                organisation=organisation,
                code=item["code"],
                name=item["name_nl"],
                name_en=item.get("name_en", ""),
                order=order * 10,
            )
            for sub_order, sub in enumerate(item.get("subtopics", []), start=1):
                Topic.objects.create(
                    organisation=organisation,
                    parent=parent,
                    code=sub["code"],
                    name=sub["name_nl"],
                    name_en=sub.get("name_en", ""),
                    order=order * 10 + sub_order,
                )
        for kind, items in defaults.case_law_tags().items():
            for order, item in enumerate(items, start=1):
                Tag.objects.get_or_create(
                    organisation=organisation,
                    code=item["code"],
                    defaults={
                        "kind": kind,
                        "name": item["name_nl"],
                        "name_en": item.get("name_en", ""),
                        "order": order,
                    },
                )


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_initial"),
        ("organisations", "0002_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
