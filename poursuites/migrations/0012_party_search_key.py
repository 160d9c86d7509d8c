"""The clerks' search by names: `Party.search_key` (first name and name, normalised), filled for the
parties already registered, and on PostgreSQL a trigram index (pg_trgm) that serves its contains search."""

from django.db import migrations, models

from ocp_portal.names import normalize_name

BATCH = 5000
INDEX = "party_search_key_trgm"


def fill(apps, schema_editor):
    Party = apps.get_model("poursuites", "Party")
    batch = []
    for party in Party.objects.only("pk", "name", "first_name").iterator(chunk_size=BATCH):
        party.search_key = normalize_name(f"{party.first_name} {party.name}")
        batch.append(party)
        if len(batch) == BATCH:
            Party.objects.bulk_update(batch, ["search_key"])
            batch = []
    Party.objects.bulk_update(batch, ["search_key"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON poursuites_party USING gin (search_key gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("poursuites", "0011_number_series")]

    operations = [
        migrations.AddField(
            model_name="party",
            name="search_key",
            field=models.CharField(default="", editable=False, max_length=220),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_index, drop_index),
    ]
