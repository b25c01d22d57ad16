"""Synonyms from content/; typo candidates now come from the in-memory vocabulary.

Search looks words up in the vocabulary each process keeps in memory (the same on
SQLite and PostgreSQL, and no query per word), so the trigram table (SQLite) and the
trigram index (PostgreSQL) that served "Did you mean …?" go.
"""

from django.db import migrations, models

FORWARD = {
    "sqlite": ["DROP TABLE IF EXISTS handreiking_searchterm_trigram"],
    "postgresql": ["DROP INDEX IF EXISTS searchterm_word_trgm"],
}
BACKWARD = {
    "sqlite": [
        "CREATE VIRTUAL TABLE handreiking_searchterm_trigram USING fts5("
        "word, content='handreiking_searchterm', content_rowid='id', tokenize='trigram')",
        "INSERT INTO handreiking_searchterm_trigram(handreiking_searchterm_trigram) "
        "VALUES('rebuild')",
    ],
    "postgresql": ["CREATE EXTENSION IF NOT EXISTS pg_trgm",
                   "CREATE INDEX searchterm_word_trgm ON handreiking_searchterm "
                   "USING GIN (word gin_trgm_ops)"],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('handreiking', '0007_content_version_and_model_rules'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchterm',
            name='is_concept',
            field=models.BooleanField(default=False, help_text="A glossary term's name or alias, or a synonym's everyday word."),
        ),
        migrations.AlterField(
            model_name='searchterm',
            name='synonyms',
            field=models.TextField(blank=True, help_text="Other names of the same glossary term, and the guide's words a synonym stands for, one per line."),
        ),
        migrations.CreateModel(
            name='Synonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=[('nl', 'Nederlands'), ('en', 'English')], max_length=8, verbose_name='language')),
                ('word', models.CharField(max_length=60, verbose_name='everyday word')),
                ('means', models.CharField(max_length=100, verbose_name="the guide's words")),
            ],
            options={
                'verbose_name': 'synonym',
                'verbose_name_plural': 'synonyms',
                'ordering': ['language', 'means', 'word'],
                'constraints': [models.UniqueConstraint(fields=('language', 'word'), name='synonym_unique_word')],
            },
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
