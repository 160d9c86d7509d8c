"""The public service a page speaks for, in the header and the footer: the Office cantonal des
poursuites, or the Service des contraventions on its own pages, each with its own name, address and
contacts (never the OCP's hotline on the Service des contraventions' pages).

The addresses come from settings.OFFICE and settings.CONTRAVENTIONS. The ground floor imports no
domain app, so the service is told by the page's URL namespace, or by the issuer that a payment page
names (`paiements.issuers.Issuer`, matched on its name).
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import URLResolver, get_resolver
from django.utils.translation import gettext_lazy as _

# The URL namespaces whose pages belong to the Service des contraventions.
CONTRAVENTIONS_NAMESPACES = frozenset({"contraventions"})


@dataclass(frozen=True)
class PublicService:
    key: str  # "ocp" or "sdc": the anchor of its block on the contact page
    name: str
    street: str
    house_number: str
    postal_code: str
    town: str
    phone: str
    home: str  # the URL name of its first page
    post_box: str = ""
    email: str = ""
    phone_hours: str = ""
    counter_hours: str = ""

    @property
    def phone_link(self) -> str:
        return "tel:" + self.phone.replace(" ", "")

    @property
    def address_lines(self) -> tuple[str, ...]:
        lines = (f"{self.street} {self.house_number}", self.post_box, f"{self.postal_code} {self.town}")
        return tuple(line for line in lines if line.strip())


def _from_settings(data: dict, **extra) -> PublicService:
    fields = ("name", "street", "house_number", "postal_code", "town", "phone", "post_box", "email")
    return PublicService(**{field: data[field] for field in fields if data.get(field)}, **extra)


def office() -> PublicService:
    return _from_settings(settings.OFFICE, key="ocp", home="home", phone_hours=_("jours ouvrés"))


def contraventions() -> PublicService:
    # Seed 002: « Nous contacter ».
    return _from_settings(
        settings.CONTRAVENTIONS,
        key="sdc",
        home="contraventions:pay",
        phone_hours=_("du lundi au vendredi (sauf jours fériés), de 08:00 à 14:00"),
        counter_hours=_("du lundi au vendredi (sauf jours fériés), de 07:30 à 14:00"),
    )


def for_page(namespace: str | None, issuer=None) -> PublicService:
    """The Service des contraventions for its own URLs and for the payment pages of what it issued;
    the office for every other page."""
    if issuer is not None and getattr(issuer, "name", None) == settings.CONTRAVENTIONS["name"]:
        return contraventions()
    if namespace in CONTRAVENTIONS_NAMESPACES:
        return contraventions()
    return office()


def namespace_of_path(path: str) -> str | None:
    """The URL namespace whose prefix `path` falls under, for a page that resolved to no view (a 404
    under /contraventions/ is the Service des contraventions' page not found, not the office's)."""
    path = path.lstrip("/")
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace and entry.pattern.match(path):
            return entry.namespace
    return None
