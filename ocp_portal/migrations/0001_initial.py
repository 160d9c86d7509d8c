from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="NumberSeries",
            fields=[
                ("name", models.CharField(max_length=32, primary_key=True, serialize=False, verbose_name="série")),
                ("last", models.PositiveBigIntegerField(verbose_name="dernier numéro attribué")),
            ],
            options={"verbose_name": "série de numéros", "verbose_name_plural": "séries de numéros"},
        ),
    ]
