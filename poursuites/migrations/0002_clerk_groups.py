from django.db import migrations

GUICHET = {
    "poursuites": {
        "party": ["view", "add", "change"],
        "poursuite": ["view", "add", "change"],
        "actedefautbiens": ["view", "change"],
        "poursuiteevent": ["view"],
        "feeline": ["view"],
        "paymentline": ["view"],
        "historyentry": ["view"],
    },
}
SUPERVISION_EXTRA = {
    "poursuites": {"party": ["delete"], "poursuite": ["annul"]},
    "admin": {"logentry": ["view"]},
}


def _codenames(spec):
    for app_label, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                yield app_label, f"{action}_{model}"


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(spec):
        found = []
        for app_label, codename in _codenames(spec):
            found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        return found

    guichet, _ = Group.objects.get_or_create(name="Guichet")
    guichet.permissions.set(perms(GUICHET))
    supervision, _ = Group.objects.get_or_create(name="Supervision")
    supervision.permissions.set(perms(GUICHET) + perms(SUPERVISION_EXTRA))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Guichet", "Supervision"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("poursuites", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
