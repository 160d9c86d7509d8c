"""Operations the dossier apps' kernel migrations share."""

from django.conf import settings
from django.db import migrations, models


def carry_counter(app_label: str, counter_model: str, series: str) -> migrations.RunPython:
    """A RunPython that moves the counter's last number to the series `series` (and back on reverse)."""

    def forwards(apps, schema_editor):
        counter = apps.get_model(app_label, counter_model).objects.filter(pk=1).first()
        if counter is not None:
            apps.get_model("ocp_portal", "NumberSeries").objects.update_or_create(
                name=series, defaults={"last": counter.last}
            )

    def backwards(apps, schema_editor):
        numbers = apps.get_model("ocp_portal", "NumberSeries").objects.filter(name=series).first()
        if numbers is not None:
            apps.get_model(app_label, counter_model).objects.update_or_create(pk=1, defaults={"last": numbers.last})

    return migrations.RunPython(forwards, backwards)


def user_link(**extra) -> models.ForeignKey:
    """The clerk who wrote a bookkeeping row; no reverse accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, blank=True, null=True, related_name="+", **extra
    )
