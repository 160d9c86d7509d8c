"""Absolute links to the portal, for whatever is read outside it: e-mails, PDFs, letters.

They are always built on settings.PORTAL_URL, the public address (deploy check ocp.W001), never on
the request's Host header: a link printed on a sealed extract must not depend on how one visitor
reached the portal, and a password-reset link must not be poisoned through a forged Host header.
"""

from urllib.parse import urlencode

from django.conf import settings


def absolute_url(path: str, **query: str) -> str:
    """PORTAL_URL + `path` (an absolute path, e.g. from reverse()), with `query` if any (empty values left out)."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"not a path of the portal: {path!r}")
    url = settings.PORTAL_URL.rstrip("/") + path
    query = {key: value for key, value in query.items() if value}
    return f"{url}?{urlencode(query, safe='/')}" if query else url
