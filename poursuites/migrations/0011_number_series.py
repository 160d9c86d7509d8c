"""The kernel's bookkeeping: the register's numbers in ocp_portal.NumberSeries, fee amounts as wide as
every other amount, and no reverse accessors on the user for bookkeeping rows."""

from decimal import Decimal

import django.core.validators
from django.conf import settings
from django.db import migrations, models

from ocp_portal.migration_operations import carry_counter, user_link


class Migration(migrations.Migration):
    dependencies = [
        ("ocp_portal", "0001_initial"),
        ("poursuites", "0010_money_received_kernel"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        carry_counter("poursuites", "NumberCounter", "poursuites"),
        migrations.DeleteModel(name="NumberCounter"),
        migrations.AlterField(
            model_name="feeline",
            name="amount",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=12,
                validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                verbose_name="montant",
            ),
        ),
        migrations.AlterField(model_name="feeline", name="created_by", field=user_link()),
        migrations.AlterField(model_name="paymentline", name="created_by", field=user_link()),
        migrations.AlterField(
            model_name="poursuiteevent", name="recorded_by", field=user_link(verbose_name="saisi par")
        ),
    ]
