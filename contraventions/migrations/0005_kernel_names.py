"""The kernel's bookkeeping: English names (PaymentLine, FeeLine, OrderEvent) with their tables
kept, fee lines with who charged them, and the case numbers in ocp_portal.NumberSeries."""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from ocp_portal.migration_operations import carry_counter, user_link

RENAMED = {"Paiement": "PaymentLine", "Frais": "FeeLine", "Evenement": "OrderEvent"}


def rename_permissions(apps, schema_editor, renamed=RENAMED):
    """Permissions follow their model, so that a clerk granted one directly keeps it."""
    Permission = apps.get_model("auth", "Permission")
    for old, new in renamed.items():
        for action in ("add", "change", "delete", "view"):
            Permission.objects.filter(
                content_type__app_label="contraventions", codename=f"{action}_{old.lower()}"
            ).update(codename=f"{action}_{new.lower()}", name=f"Can {action} {new}")


def restore_permissions(apps, schema_editor):
    rename_permissions(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contraventions", "0004_money_received_kernel"),
        ("ocp_portal", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        *(
            operation
            for old, new in RENAMED.items()
            for operation in (
                migrations.AlterModelTable(old, f"contraventions_{old.lower()}"),
                migrations.RenameModel(old, new),
            )
        ),
        migrations.RunPython(rename_permissions, restore_permissions, elidable=True),
        carry_counter("contraventions", "CaseNumberCounter", "ordonnances-penales"),
        migrations.DeleteModel(name="CaseNumberCounter"),
        migrations.AddField(
            model_name="feeline",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="feeline",
            name="created_by",
            field=user_link(),
        ),
        migrations.AddField(
            model_name="feeline",
            name="label",
            field=models.CharField(blank=True, max_length=140, verbose_name="libellé"),
        ),
        migrations.AlterField(
            model_name="orderevent",
            name="recorded_by",
            field=user_link(verbose_name="saisi par"),
        ),
        migrations.AlterField(
            model_name="paymentline",
            name="created_by",
            field=user_link(),
        ),
    ]
