"""The day's work on the admin's home page, gathered from the apps that have some.

Each app declares its items in its own `dashboard` module::

    from ocp_portal.dashboard import dashboard_item

    @dashboard_item(
        title=_("Extraits à vérifier"),
        permission="extraits.view_demandeextrait",
        url=lambda: admin_changelist("extraits", "demandeextrait", state__exact="en_verification"),
        order=10,
    )
    def extracts_to_check():
        return DemandeExtrait.objects.filter(state="en_verification").count()

The function counts the rows (one cheap query on an indexed filter: the items are small sets);
`url` gives the admin list filtered to exactly those rows. The admin's index imports those modules
(as it imports the `admin` modules), so the ground floor never imports the apps built on it, and
shows a clerk only the items whose permission they hold.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class DashboardItem:
    key: str
    title: str
    count: Callable[[], int]
    url: Callable[[], str]
    permission: str
    order: int = 100


@dataclass(frozen=True)
class Entry:
    """An item as shown to one clerk: its title, count and link."""

    key: str
    title: str
    count: int
    url: str


_registry: dict[str, DashboardItem] = {}


def dashboard_item(*, title, permission: str, url: Callable[[], str], order: int = 100, key: str = ""):
    """Register the decorated `count()` as an item of the dashboard; refuses two items with one key."""

    def decorator(count):
        name = key or f"{count.__module__}.{count.__qualname__}"
        known = _registry.get(name)
        if known and known.count.__qualname__ != count.__qualname__:
            raise ImproperlyConfigured(f"two dashboard items are named {name}")
        _registry[name] = DashboardItem(name, title, count, url, permission, order)
        return count

    return decorator


def admin_changelist(app_label: str, model_name: str, **filters) -> str:
    """The admin list of a model with its query string (`field__lookup=value`)."""
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def items() -> list[DashboardItem]:
    autodiscover_modules("dashboard")
    return sorted(_registry.values(), key=lambda item: (item.order, item.key))


def entries_for(user) -> list[Entry]:
    """The items `user` may see, counted now."""
    return [Entry(item.key, item.title, item.count(), item.url()) for item in items() if user.has_perm(item.permission)]
