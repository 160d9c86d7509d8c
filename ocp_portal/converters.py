"""Strict URL converters: a path parameter that is not of its expected shape is a 404 before any
view or database sees it (a NUL byte, a 3,000-character token, a stray slash or quote)."""

from django.urls import register_converter


class _Pattern:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class SignedConverter(_Pattern):
    """A value signed by django.core.signing: base64url segments joined by colons, the first one
    led by a dot when compressed."""

    regex = r"\.?[A-Za-z0-9_\-]{1,512}(?::[A-Za-z0-9_\-]{1,128}){1,3}"


class Base64Converter(_Pattern):
    """A user id in an e-mailed link (urlsafe_base64_encode)."""

    regex = r"[A-Za-z0-9_\-]{1,32}"


class AccountTokenConverter(_Pattern):
    """A token of django.contrib.auth's PasswordResetTokenGenerator: `<timestamp>-<hash>`; also the
    « set-password » placeholder of Django's reset view."""

    regex = r"[0-9A-Za-z]{1,13}-[0-9A-Za-z]{1,64}"


class SessionIdConverter(_Pattern):
    """The sandbox PSP's checkout session id (`sbcs_` + urlsafe random)."""

    regex = r"sbcs_[A-Za-z0-9_\-]{16,64}"


class ExtractReferenceConverter(_Pattern):
    """An extract's reference as typed or linked (`AEL-45RX1KL1P2Q`, any case, spaces or dashes)."""

    regex = r"[A-Za-z0-9\- ]{4,40}"


def register() -> None:
    register_converter(SignedConverter, "signed")
    register_converter(Base64Converter, "b64")
    register_converter(AccountTokenConverter, "account_token")
    register_converter(SessionIdConverter, "sandbox_session")
    register_converter(ExtractReferenceConverter, "extract_reference")
