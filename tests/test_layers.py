"""The ground floor (`ocp_portal`) imports none of the domain apps built on it.

Settings and urls name the apps in strings (INSTALLED_APPS, `include("poursuites.urls")`): those are
not imports. Only `import` and `from ... import` statements count, wherever they sit in a module.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

GROUND_FLOOR = Path(settings.BASE_DIR) / "ocp_portal"


def domain_apps() -> set[str]:
    """The project's own apps outside the ground floor (a new one is covered as soon as it is installed)."""
    base = Path(settings.BASE_DIR).resolve()
    return {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base and config.name != "ocp_portal"
    }


def imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def test_the_domain_apps_are_known():
    assert {"paiements", "poursuites", "extraits", "contraventions"} <= domain_apps()


def test_the_ground_floor_imports_no_domain_app():
    domain = domain_apps()
    offences = [
        f"{path.relative_to(GROUND_FLOOR.parent)}:{line} imports {module}"
        for path in sorted(GROUND_FLOOR.rglob("*.py"))
        if "migrations" not in path.parts
        for line, module in imported_modules(path)
        if module.split(".")[0] in domain
    ]
    assert not offences, "\n".join(offences)
