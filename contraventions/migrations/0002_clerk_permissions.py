from django.db import migrations

GUICHET = {
    "ordonnancepenale": ["view", "add", "change"],
    "ordonnancepenaleconversion": ["view", "add", "change"],
    "evenement": ["view"],
    "frais": ["view"],
    "paiement": ["view"],
    "etaperecouvrement": ["view", "change"],
    "arrangementpaiement": ["view", "change"],
    "echeance": ["view"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("contraventions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model, actions in GUICHET.items() for action in actions]
    permissions = Permission.objects.filter(content_type__app_label="contraventions", codename__in=codenames)
    for name in ("Guichet", "Supervision"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Guichet", "Supervision"]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="contraventions"))


class Migration(migrations.Migration):
    dependencies = [("contraventions", "0001_initial"), ("poursuites", "0002_clerk_groups")]
    operations = [migrations.RunPython(grant, revoke)]
