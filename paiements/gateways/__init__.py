"""Card payment gateways. `get_gateway(name)` returns the one a payment was started with."""

from django.conf import settings

from .base import Gateway


def get_gateway(name: str | None = None) -> Gateway:
    from .sandbox import SandboxGateway
    from .stripe import StripeGateway

    gateways = {"sandbox": SandboxGateway, "stripe": StripeGateway}
    return gateways[name or settings.PAYMENT_GATEWAY]()
