"""The demo data of `make run` (`manage.py seed_demo`), gathered from the apps that have some.

Each app adds its part in its own `demo` module::

    from ocp_portal.demo import demo_part

    @demo_part
    def seed_demo(command, **options):
        command.stdout.write("...")  # build what is worth a look, then say where to try it

`seed_demo` imports those modules (as the admin imports the `admin` modules) and runs the parts
in INSTALLED_APPS order, so the ground floor never imports the apps built on it. A part gets the
running command (its `stdout` and `style`) and every option; the options it reads it declares
with `demo_part(add_arguments=...)`.
"""

from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class DemoPart:
    seed: Callable[..., None]
    add_arguments: Callable[[ArgumentParser], None] | None = None

    @property
    def module(self) -> str:
        return self.seed.__module__


_registry: dict[str, DemoPart] = {}  # one part per module


def demo_part(seed=None, *, add_arguments=None):
    """`@demo_part` or `@demo_part(add_arguments=...)` over an app's `seed_demo(command, **options)`."""

    def decorator(function):
        part = DemoPart(function, add_arguments)
        known = _registry.get(part.module)
        if known and known.seed.__qualname__ != function.__qualname__:  # not a module imported again
            raise ImproperlyConfigured(f"{part.module} adds two parts to the demo")
        _registry[part.module] = part
        return function

    return decorator if seed is None else decorator(seed)


def parts() -> list[DemoPart]:
    """Every app's part, in INSTALLED_APPS order."""
    autodiscover_modules("demo")
    order = {config.name: index for index, config in enumerate(apps.get_app_configs())}

    def position(part):
        config = apps.get_containing_app_config(part.module)
        return order[config.name] if config else len(order)

    return sorted(_registry.values(), key=position)
