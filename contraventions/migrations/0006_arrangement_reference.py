"""Each arrangement request gets a public reference (one per existing row, then unique) and the
time its acknowledgement e-mail was sent."""

from django.db import migrations, models

import contraventions.references


def fill_references(apps, schema_editor):
    Arrangement = apps.get_model("contraventions", "ArrangementPaiement")
    taken = set()
    for arrangement in Arrangement.objects.filter(reference__isnull=True).only("pk"):
        reference = contraventions.references.new_request_reference()
        while reference in taken:
            reference = contraventions.references.new_request_reference()
        taken.add(reference)
        Arrangement.objects.filter(pk=arrangement.pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [
        ("contraventions", "0005_kernel_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="arrangementpaiement",
            name="reference",
            field=models.CharField(editable=False, max_length=12, null=True, verbose_name="référence de la demande"),
        ),
        migrations.RunPython(fill_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="arrangementpaiement",
            name="reference",
            field=models.CharField(
                default=contraventions.references.new_request_reference,
                editable=False,
                max_length=12,
                unique=True,
                verbose_name="référence de la demande",
            ),
        ),
        migrations.AddField(
            model_name="arrangementpaiement",
            name="acknowledged_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="accusé de réception envoyé le"
            ),
        ),
    ]
