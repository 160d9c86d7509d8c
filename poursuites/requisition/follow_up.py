"""The next steps a creditor asks online for a poursuite filed online: a contrordre (withdrawal)
or a réquisition de continuer. Each is a document to sign like the réquisition, carrying a signed
token (kind, poursuite, the filing it came from, its own id), and goes to the clerks' queue.

Whether the step is possible is poursuites.procedure's to say (`next_status`): its refusal is
what the creditor reads when it is not."""

import uuid
from datetime import date

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from ocp_portal.dates import today
from ocp_portal.pdf import render_pdf

from ..constants import EventType
from ..procedure import ProcedureError, next_status
from . import codec, document
from .models import DepotEnLigne, DepotKind

SALT = "poursuites.requisition.follow_up"
CODE_MARK = "ocp-demande-code:"
EVENTS = {DepotKind.CONTRORDRE: EventType.CONTRORDRE, DepotKind.CONTINUATION: EventType.CONTINUATION}
KINDS = tuple(EVENTS)


class BadToken(Exception):
    pass


def obstacle(origin: DepotEnLigne, kind: str, on: date) -> str | None:
    """Why the step cannot be asked for now (the procedure's words), or None when it can."""
    poursuite = origin.poursuite
    if poursuite is None:
        return _("La réquisition n'est pas encore enregistrée : attendez son numéro de poursuite.")
    if DepotEnLigne.objects.filter(target=poursuite, kind=kind, state__in=DepotEnLigne.OPEN_STATES).exists():
        return _("Une demande de ce type est déjà en cours de traitement à l'office pour cette poursuite.")
    try:
        next_status(poursuite, EVENTS[kind], on)
    except ProcedureError as refusal:
        return str(refusal)
    return None


def issue(origin: DepotEnLigne, kind: str) -> str:
    """A new signed token for a document to sign (each one is filed once)."""
    content = {
        "k": kind,
        "p": origin.poursuite.number,
        "f": str(origin.public_id),
        "id": uuid.uuid4().hex,
        "d": today().isoformat(),
    }
    return signing.dumps(content, key=settings.REQUISITION_SIGNING_KEY, salt=SALT)


def read(token: str) -> dict:
    try:
        content = signing.loads(token, key=settings.REQUISITION_SIGNING_KEY, salt=SALT)
    except signing.BadSignature:
        raise BadToken from None
    if not isinstance(content, dict) or set(content) != {"k", "p", "f", "id", "d"} or content["k"] not in KINDS:
        raise BadToken
    return content


def document_context(origin: DepotEnLigne, token: str) -> dict:
    content = read(token)
    poursuite = origin.poursuite
    return {
        "kind": content["k"],
        "title": DepotKind(content["k"]).label,
        "poursuite": poursuite,
        "token": token,
        "reference": codec.short_reference(content["id"]),
        "made_on": date.fromisoformat(content["d"]),
        "requisition": document.describe(origin.payload),
    }


def render(origin: DepotEnLigne, token: str) -> bytes:
    return render_pdf("pdf/requisition_follow_up.html", document_context(origin, token))
