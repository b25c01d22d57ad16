"""The Redacteur group (handreiking.roles): editors, not superusers, keep the guide current."""

from django.db import migrations


def create_editor_group(apps, schema_editor):
    from handreiking.roles import ensure_editor_group

    ensure_editor_group(apps, make_permissions=True)


def remove_editor_group(apps, schema_editor):
    from handreiking.roles import EDITOR_GROUP

    apps.get_model("auth", "Group").objects.filter(name=EDITOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("handreiking", "0011_search_index_analysis"),
    ]

    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
