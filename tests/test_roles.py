"""The clerks' roles come from one table, applied after migrate: exactly its permissions, idempotently."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from ocp_portal.roles import ROLES, apply_roles, codenames

pytestmark = pytest.mark.django_db


def granted(name: str) -> set[tuple[str, str]]:
    permissions = Group.objects.get(name=name).permissions.select_related("content_type")
    return {(permission.content_type.app_label, permission.codename) for permission in permissions}


def test_each_group_has_exactly_the_permissions_of_its_role():
    for name, tables in ROLES.items():
        assert granted(name) == codenames(tables)
    assert ("poursuites", "annul_poursuite") in granted("Supervision") - granted("Guichet")
    assert ("paiements", "add_refund") in granted("Supervision") - granted("Guichet")


def test_applying_again_changes_nothing_and_takes_back_what_was_added_by_hand():
    guichet = Group.objects.get(name="Guichet")
    guichet.permissions.add(Permission.objects.get(codename="delete_poursuite"))
    apply_roles()
    apply_roles()
    assert granted("Guichet") == codenames(ROLES["Guichet"])
    assert Group.objects.filter(name__in=ROLES).count() == 2


def test_migrate_applies_the_roles():
    Group.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert granted("Supervision") == codenames(ROLES["Supervision"])
