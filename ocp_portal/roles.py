"""The clerks' roles: one table (role → app → model → actions), applied after every `migrate`.

A permission change is a one-line diff here. The groups are set to exactly this table each time,
so a permission taken out of it is taken away too.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

GUICHET = {
    "poursuites": {
        "party": ["view", "add", "change"],
        "poursuite": ["view", "add", "change"],
        "actedefautbiens": ["view", "change"],
        "poursuiteevent": ["view"],
        "feeline": ["view"],
        "paymentline": ["view"],
        "historyentry": ["view"],
        "demandenondivulgation": ["view", "change"],
        # Réquisitions filed online: checked, then registered or refused.
        "depotenligne": ["view", "change"],
        "aviscreancier": ["view"],
    },
    "contraventions": {
        "ordonnancepenale": ["view", "add", "change"],
        "ordonnancepenaleconversion": ["view", "add", "change"],
        "orderevent": ["view"],
        "feeline": ["view"],
        "paymentline": ["view"],
        "etaperecouvrement": ["view", "change"],
        "arrangementpaiement": ["view", "change"],
        "echeance": ["view"],
    },
    "paiements": {
        "payment": ["view"],
        "paymentevent": ["view"],
        "incident": ["view", "change"],
        "refund": ["view"],
    },
    # Clerks decide the ambiguous requests and re-issue extracts.
    "extraits": {"demandeextrait": ["view", "change"], "extrait": ["view"], "verificationextrait": ["view"]},
    # Clerks look accounts up to help the public; they change nothing.
    "accounts": {"compte": ["view"]},
}
SUPERVISION_EXTRA = {
    "poursuites": {"party": ["delete"], "poursuite": ["annul"]},
    "paiements": {"payment": ["change", "cancel"], "refund": ["add"]},
    "admin": {"logentry": ["view"]},
}
ROLES = {"Guichet": [GUICHET], "Supervision": [GUICHET, SUPERVISION_EXTRA]}


def codenames(tables) -> set[tuple[str, str]]:
    """(app label, codename) of every permission the tables grant."""
    return {
        (app_label, f"{action}_{model}")
        for table in tables
        for app_label, models in table.items()
        for model, actions in models.items()
        for action in actions
    }


def apply_roles(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Create the groups and give each exactly the permissions of its role (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for name, tables in ROLES.items():
        wanted = codenames(tables)
        permissions = [
            permission
            for permission in Permission.objects.using(using).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
        if missing:
            raise LookupError(f"role {name!r} names permissions that do not exist: {sorted(missing)}")
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)
