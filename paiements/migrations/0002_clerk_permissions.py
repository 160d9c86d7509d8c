from django.db import migrations

GUICHET = ["view_payment", "view_paymentevent", "view_incident", "change_incident", "view_refund"]
SUPERVISION = GUICHET + ["change_payment", "cancel_payment", "add_refund"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("paiements")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Guichet", GUICHET), ("Supervision", SUPERVISION)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="paiements", codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Guichet", "Supervision"]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="paiements"))


class Migration(migrations.Migration):
    dependencies = [("paiements", "0001_initial"), ("poursuites", "0002_clerk_groups")]
    operations = [migrations.RunPython(grant, revoke)]
