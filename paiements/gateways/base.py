"""The contract of a card payment gateway (PSP), in the shape of Django's e-mail backends."""

from dataclasses import dataclass, field


class GatewayError(Exception):
    """The PSP could not be reached or answered with an error; nothing is known to have changed."""


class BadSignature(Exception):
    """A notification whose signature does not verify: it is dropped and an incident recorded."""


@dataclass(frozen=True)
class GatewayStatus:
    """What the PSP says of one payment, in the portal's own words (PaymentState values)."""

    state: str
    session_id: str = ""
    payment_id: str = ""
    amount_centimes: int | None = None
    card_brand: str = ""
    card_funding: str = ""
    card_last4: str = ""
    failure_reason: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Notification:
    """One verified PSP notification (webhook or sandbox callback)."""

    event_id: str
    type: str
    session_id: str = ""
    payment_id: str = ""
    status: GatewayStatus | None = None  # when the notification itself tells the state
    public_id: str = ""  # the portal's own payment id, when the PSP carries it back (metadata)


@dataclass(frozen=True)
class Checkout:
    session_id: str
    redirect_url: str
    expires_at: object = None  # aware datetime


class Gateway:
    name = ""

    def start(self, payment, *, return_url: str, cancel_url: str) -> Checkout:
        """Open a hosted checkout for `payment` (manual capture, debit cards only)."""
        raise NotImplementedError

    def fetch(self, payment) -> GatewayStatus:
        """Ask the PSP for the real state of `payment` (never trust a return URL)."""
        raise NotImplementedError

    def capture(self, payment) -> GatewayStatus:
        raise NotImplementedError

    def cancel(self, payment) -> GatewayStatus:
        """Release the hold of an authorized payment, or close an open checkout."""
        raise NotImplementedError

    def parse_notification(self, body: bytes, headers) -> Notification:
        """Verify and read a notification; raises BadSignature."""
        raise NotImplementedError
