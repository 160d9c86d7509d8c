from django.db import migrations

# Once the clerks' groups; they are now declared in ocp_portal/roles.py and applied after every migrate.


class Migration(migrations.Migration):
    dependencies = [("poursuites", "0006_non_divulgation")]
    operations = []
