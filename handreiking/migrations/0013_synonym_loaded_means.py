"""Synonyms remember what the last load wrote, so admin edits of them are guarded too."""

from django.db import migrations, models


def rows_came_from_files(apps, schema_editor):
    """Until now synonyms could only come from synonyms.yml: what is stored was loaded."""
    Synonym = apps.get_model("handreiking", "Synonym")
    Synonym.objects.update(loaded_means=models.F("means"))


class Migration(migrations.Migration):

    dependencies = [
        ("handreiking", "0012_editor_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="synonym",
            name="loaded_means",
            field=models.CharField(blank=True, editable=False, max_length=100),
        ),
        migrations.RunPython(rows_came_from_files, migrations.RunPython.noop),
    ]
