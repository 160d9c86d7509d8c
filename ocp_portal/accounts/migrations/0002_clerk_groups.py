from django.db import migrations

# Clerks look accounts up to help the public (which address, confirmed or not); they change nothing.
GUICHET = ["view_compte"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ("Guichet", "Supervision"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="accounts", codename__in=GUICHET))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Guichet", "Supervision"]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="accounts"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("poursuites", "0002_clerk_groups")]
    operations = [migrations.RunPython(grant, revoke)]
