from django.db import migrations

CODENAMES = ["view_demandenondivulgation", "change_demandenondivulgation"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("poursuites")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="poursuites", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=["Guichet", "Supervision"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="poursuites", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=["Guichet", "Supervision"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("poursuites", "0006_non_divulgation")]
    operations = [migrations.RunPython(grant, revoke)]
