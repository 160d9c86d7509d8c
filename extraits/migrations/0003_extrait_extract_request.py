import django.db.models.deletion
from django.db import migrations, models

# `Extrait.request` becomes `extract_request` (not to be read as Django's request). Its column stays
# `request_id` and the partial unique index keeps its name: the database does not change.


class Migration(migrations.Migration):
    dependencies = [("extraits", "0002_clerk_groups")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(model_name="extrait", name="extrait_one_current"),
                migrations.AlterField(
                    model_name="extrait",
                    name="request",
                    field=models.ForeignKey(
                        db_column="request_id",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="extraits.demandeextrait",
                        verbose_name="demande",
                    ),
                ),
                migrations.RenameField(model_name="extrait", old_name="request", new_name="extract_request"),
                migrations.AddConstraint(
                    model_name="extrait",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("superseded_at__isnull", True)),
                        fields=("extract_request",),
                        name="extrait_one_current",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
