"""A réquisition filed online: submitted by a creditor's account, checked by a clerk, registered
once with the guichet's intake (which allocates the number) or refused with a reason.

Nothing reaches the register unchecked: a filing only ever becomes a poursuite through
``register``, by a clerk, under the filing's row lock.
"""

import logging
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocp_portal.accounts.models import format_uid
from ocp_portal.dates import today

from ..models import Poursuite
from ..services import record_event, record_history
from . import codec, document, follow_up, intake, notices, signature_check, signed_content
from .geneva import FEDERAL_PORTAL_URL, is_in_geneva
from .models import DepotEnLigne, DepotState, Qualite, SignatureWay

log = logging.getLogger(__name__)

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
MAX_IMAGE_PIXELS = 50_000_000  # a phone's photo has 12 to 48 millions; decoding more costs too much memory


class FilingRefused(Exception):
    """Bad input from the creditor: ``str()`` is the French message, ``field`` the form field it is about."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class AlreadyDecided(Exception):
    """The filing was registered or refused meanwhile (by another clerk)."""


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


# --- What the creditor uploads ------------------------------------------------------------------


def sniff(data: bytes) -> str | None:
    """The real type of a file by its first bytes, whatever its name says."""
    if data[:1024].find(b"%PDF-") != -1:
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def check_size(upload: Upload, field: str) -> None:
    limit = settings.REQUISITION_UPLOAD_MAX_BYTES
    if len(upload.data) > limit:
        raise FilingRefused(too_large_message(), field=field)
    if not upload.data:
        raise FilingRefused(_("Ce fichier est vide."), field=field)


def too_large_message() -> str:
    megabytes = settings.REQUISITION_UPLOAD_MAX_BYTES / (1024 * 1024)
    return _("Ce fichier est trop volumineux : %(size)s Mo au plus.") % {"size": f"{megabytes:g}"}


def check_document(upload: Upload, field: str) -> str:
    """A scan, a photo or a procuration: a readable PDF, JPEG or PNG; its real type."""
    check_size(upload, field)
    kind = sniff(upload.data)
    if kind is None:
        raise FilingRefused(
            _("Ce fichier n'est ni un PDF, ni une image JPEG ou PNG. Déposez un scan en PDF ou une photo."),
            field=field,
        )
    if kind != PDF and _pixels(upload.data) > MAX_IMAGE_PIXELS:
        raise FilingRefused(
            _("Cette image est trop grande : %(megapixels)s millions de pixels au plus. Réduisez sa définition.")
            % {"megapixels": MAX_IMAGE_PIXELS // 1_000_000},
            field=field,
        )
    if not _readable(upload.data, kind):
        raise FilingRefused(_("Ce fichier est illisible ou incomplet. Déposez-le à nouveau."), field=field)
    return kind


def _readable(data: bytes, kind: str) -> bool:
    try:
        if kind == PDF:
            from pyhanko.pdf_utils.reader import PdfFileReader

            return len(PdfFileReader(BytesIO(data), strict=False).root["/Pages"]["/Kids"]) > 0
        return _image_decodes(data)
    except Exception:  # noqa: BLE001 - a stranger's file: its parser's errors are no closed set
        return False


_STRICT_DECODING = threading.Lock()


def _pixels(data: bytes) -> int:
    """How many pixels the image's header announces (0 if it has no readable header)."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # measured here, refused above 50 MP
            with Image.open(BytesIO(data)) as image:
                return image.width * image.height
    except Image.DecompressionBombError:  # over twice Pillow's own limit
        return MAX_IMAGE_PIXELS + 1
    except Exception:  # noqa: BLE001 - a stranger's file: _readable says it is unreadable
        return 0


def _image_decodes(data: bytes) -> bool:
    """All the pixels of the image decode. WeasyPrint sets Pillow's
    ``LOAD_TRUNCATED_IMAGES`` for the whole process, under which a truncated JPEG or a PNG without
    pixel data "loads" as grey: it is turned off here while the scan is decoded (under a lock, as it
    is a process-wide setting). A JPEG is decoded at an eighth of its size: all its data is still read."""
    from PIL import Image, ImageFile

    with Image.open(BytesIO(data)) as image:
        image.verify()
    with _STRICT_DECODING:
        tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            with Image.open(BytesIO(data)) as image:
                if image.format == "JPEG":
                    image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    return True


# --- The réquisition it carries -----------------------------------------------------------------


def decode(code: str, *, field: str | None) -> dict:
    try:
        return codec.decode(code)
    except codec.InvalidCode as error:
        message = (
            _("Le code de cette réquisition ne correspond pas à sa signature : il a été modifié. ")
            if error.reason == "signature"
            else _("Le code de cette réquisition est illisible. ")
        )
        raise FilingRefused(
            message + _("Téléchargez à nouveau la réquisition depuis son récapitulatif."), field=field
        ) from None


def check_payload(payload: dict, *, qualite: str, uid: str, has_procuration: bool) -> str:
    """The réquisition may be filed here, by this account in this capacity; the UID formatted."""
    debtor = payload["debtor"]
    if not is_in_geneva(country=debtor["country"], postal_code=debtor["postal_code"]):
        raise FilingRefused(
            _(
                "Le débiteur n'est pas domicilié dans le canton de Genève : l'office des poursuites de son "
                "domicile est compétent (art. 46 LP). Déposez la réquisition sur %(url)s."
            )
            % {"url": FEDERAL_PORTAL_URL}
        )
    if DepotEnLigne.objects.filter(code_id=payload["id"]).exists() or intake.registered_by(payload):
        raise FilingRefused(
            _(
                "Cette réquisition a déjà été déposée. Chaque formulaire ne se dépose qu'une fois ; pour une autre "
                "poursuite, remplissez une nouvelle réquisition."
            )
        )
    creditor = payload["creditor"]
    if qualite == Qualite.ENTREPRISE:
        if not uid:
            raise FilingRefused(_("Indiquez le numéro IDE de l'entreprise."), field="uid")
        try:
            uid = format_uid(uid)
        except ValidationError as error:
            raise FilingRefused(error.messages[0], field="uid") from None
        if creditor["kind"] != "morale" or creditor.get("uid") != uid:
            raise FilingRefused(
                _("Le créancier de la réquisition n'est pas l'entreprise de ce numéro IDE (%(uid)s).") % {"uid": uid},
                field="uid",
            )
        return uid
    if qualite == Qualite.REPRESENTANT:
        if not payload.get("representative"):
            raise FilingRefused(
                _("La réquisition ne nomme pas de représentant : ajoutez-vous comme représentant du créancier."),
                field="qualite",
            )
        if not has_procuration:
            raise FilingRefused(_("Joignez la procuration que le créancier vous a donnée."), field="procuration")
        return ""
    if creditor["kind"] != "physique":
        raise FilingRefused(
            _("Le créancier est une entreprise : choisissez « Pour une entreprise que je représente »."),
            field="qualite",
        )
    return ""


# --- Submitting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedForm:
    """What the creditor filed: the code it carries, the file and how it was signed."""

    code: str
    upload: Upload
    content_type: str
    way: str
    signers: tuple[signature_check.Signer, ...] = ()  # the first one is recorded whole, the others by name
    revision: bytes = b""  # a signed PDF as its first signature covers it


def signed_form(*, signed_pdf: Upload | None, scan: Upload | None, scan_code: str, mark: str) -> SignedForm:
    """A PDF signed electronically (its code read from what was signed), or a scan of the form
    signed by hand (its code the one issued with the form to print)."""
    if (signed_pdf is None) == (scan is None):
        raise FilingRefused(
            _("Déposez soit le PDF signé électroniquement, soit le scan du formulaire signé à la main."), field=None
        )
    if signed_pdf is not None:
        check_size(signed_pdf, "signed_pdf")
        verdict = signature_check.check_signed_pdf(signed_pdf.data, mark=mark)
        if not verdict.ok:
            log.info("online filing refused: %s %s", verdict.verdict.value, verdict.problems)
            raise FilingRefused(verdict.message, field="signed_pdf")
        return SignedForm(
            verdict.code, signed_pdf, PDF, SignatureWay.ELECTRONIQUE, tuple(verdict.signers), verdict.revision
        )
    content_type = check_document(scan, "scan")
    if not scan_code:
        raise FilingRefused(
            _("Le scan se dépose depuis la page où vous avez téléchargé le formulaire : remplissez-le d'abord."),
            field="scan",
        )
    return SignedForm("".join(scan_code.split()), scan, content_type, SignatureWay.SCAN)


def check_signed_content(form: SignedForm, render_portal_pdf: Callable[[], bytes]) -> None:
    """A PDF signed electronically shows what its code carries: the portal's own PDF of it (see
    ``signed_content``); rendered only for a signed PDF, a scan being read by the clerk."""
    if form.way != SignatureWay.ELECTRONIQUE:
        return
    if not signed_content.shows(form.revision, render_portal_pdf()):
        raise FilingRefused(
            _(
                "Le contenu du PDF signé ne correspond pas au formulaire du portail : ses pages ne montrent pas "
                "ce que porte son code. Signez le PDF téléchargé sur le portail, sans le modifier."
            ),
            field="signed_pdf",
        )


def _save(filing: DepotEnLigne, form: SignedForm, procuration: Upload | None = None) -> DepotEnLigne:
    filing.code, filing.way, filing.document_type = form.code, form.way, form.content_type
    if form.signers:
        signer = form.signers[0]
        names = "; ".join(item.name for item in form.signers)
        filing.signer_name, filing.signer_issuer = names[:300], signer.issuer[:300]
        filing.signer_fingerprint, filing.signer_certificate = signer.fingerprint, signer.certificate_pem
        filing.signed_at = signer.signed_at
    reference = codec.short_reference(filing.code_id)
    extension = EXTENSIONS[form.content_type]
    filing.document.save(f"{filing.kind}-{reference}.{extension}", ContentFile(form.upload.data), save=False)
    if procuration is not None:
        filing.procuration.save(
            f"procuration-{reference}.{EXTENSIONS[sniff(procuration.data)]}", ContentFile(procuration.data), save=False
        )
    try:
        with transaction.atomic():
            filing.save()
            notices.notify(filing, notices.RECEIVED)
    except IntegrityError:  # the same form filed twice at once
        raise FilingRefused(_("Ce formulaire a déjà été déposé.")) from None
    log.info("online filing received: %s %s (%s)", filing.kind, filing.public_id, filing.way)
    return filing


def submit(
    *,
    user,
    qualite: str,
    uid: str = "",
    signed_pdf: Upload | None = None,
    scan: Upload | None = None,
    scan_code: str = "",
    procuration: Upload | None = None,
) -> DepotEnLigne:
    """File a réquisition de poursuite."""
    form = signed_form(signed_pdf=signed_pdf, scan=scan, scan_code=scan_code, mark=signature_check.CODE_MARK)
    payload = decode(form.code, field="signed_pdf" if form.way == SignatureWay.ELECTRONIQUE else "scan")
    if procuration is not None:
        check_document(procuration, "procuration")
    uid = check_payload(payload, qualite=qualite, uid=uid, has_procuration=procuration is not None)
    check_signed_content(form, lambda: document.render_document(document.document_context(payload)))
    filing = DepotEnLigne(user=user, qualite=qualite, uid=uid, code_id=payload["id"], payload=payload)
    return _save(filing, form, procuration)


def submit_follow_up(
    *,
    origin: DepotEnLigne,
    kind: str,
    signed_pdf: Upload | None = None,
    scan: Upload | None = None,
    scan_code: str = "",
) -> DepotEnLigne:
    """File a contrordre or a réquisition de continuer for the poursuite `origin` became."""
    form = signed_form(signed_pdf=signed_pdf, scan=scan, scan_code=scan_code, mark=follow_up.CODE_MARK)
    field = "signed_pdf" if form.way == SignatureWay.ELECTRONIQUE else "scan"
    try:
        content = follow_up.read(form.code)
    except follow_up.BadToken:
        raise FilingRefused(
            _("Le code de ce document ne correspond pas à sa signature, ou ce n'est pas un document du portail. ")
            + _("Téléchargez à nouveau le document à signer."),
            field=field,
        ) from None
    if content["k"] != kind or content["f"] != str(origin.public_id) or content["p"] != origin.poursuite.number:
        raise FilingRefused(
            _("Ce document n'est pas la demande pour cette poursuite : déposez celui téléchargé sur cette page."),
            field=field,
        )
    if DepotEnLigne.objects.filter(code_id=content["id"]).exists():
        raise FilingRefused(_("Ce formulaire a déjà été déposé."))
    if reason := follow_up.obstacle(origin, kind, today()):
        raise FilingRefused(reason)
    check_signed_content(form, lambda: follow_up.render(origin, form.code))
    filing = DepotEnLigne(
        user=origin.user,
        kind=kind,
        target=origin.poursuite,
        qualite=origin.qualite,
        uid=origin.uid,
        code_id=content["id"],
        payload=content,
    )
    return _save(filing, form)


# --- At the guichet -------------------------------------------------------------------------------


def _locked(filing_id: int) -> DepotEnLigne:
    return DepotEnLigne.objects.select_for_update(of=("self",)).get(pk=filing_id)


def _open(filing_id: int) -> DepotEnLigne:
    """The filing, locked, still to be decided."""
    filing = _locked(filing_id)
    if filing.state not in DepotEnLigne.OPEN_STATES:
        raise AlreadyDecided(
            _("Ce dépôt a déjà été traité : %(state)s.") % {"state": filing.get_state_display().lower()}
        )
    return filing


@transaction.atomic
def start_check(filing_id: int, *, actor) -> DepotEnLigne:
    """A clerk opens a received filing: it is « en vérification » from then on."""
    filing = _locked(filing_id)
    if filing.state == DepotState.RECUE:
        filing.state, filing.checked_by, filing.check_started_at = DepotState.EN_VERIFICATION, actor, timezone.now()
        filing.save(update_fields=["state", "checked_by", "check_started_at"])
        notices.notify(filing, notices.CHECKING)
    return filing


def register(filing_id: int, *, party_choices: dict, kind: str, requisition_date: date, actor) -> Poursuite:
    """Register the filing with the intake, once: the filing's row lock orders two clerks, the
    one-to-one link and the intake's refusal of a code already used stop any second poursuite."""
    with transaction.atomic():
        filing = _open(filing_id)
        if not filing.is_requisition:
            raise ValidationError(_("Ce dépôt n'est pas une réquisition de poursuite."))
        poursuite = intake.register_from_code(
            payload=filing.payload,
            party_choices=party_choices,
            kind=kind,
            requisition_date=requisition_date,
            actor=actor,
        )
        filing.state, filing.poursuite = DepotState.ENREGISTREE, poursuite
        filing.decided_by, filing.decided_at = actor, timezone.now()
        filing.save(update_fields=["state", "poursuite", "decided_by", "decided_at"])
        record_history(
            poursuite=poursuite,
            actor=actor,
            action=_("Réquisition déposée en ligne (%(way)s), formulaire n° %(reference)s")
            % {"way": filing.get_way_display().lower(), "reference": filing.reference},
        )
        notices.notify(filing, notices.REGISTERED)
    return poursuite


@transaction.atomic
def register_follow_up(filing_id: int, *, on: date, actor):
    """Record the contrordre or the continuation on its poursuite, once, if the procedure allows it
    on `on` (its refusal is the clerk's message); the creditor hears of it by the status e-mail."""
    filing = _open(filing_id)
    if filing.is_requisition:
        raise ValidationError(_("Ce dépôt est une réquisition : enregistrez-la avec ses parties."))
    event = record_event(
        poursuite=filing.target,
        type=follow_up.EVENTS[filing.kind],
        on=on,
        actor=actor,
        note=_("Demande en ligne n° %(reference)s") % {"reference": filing.reference},
    )
    filing.state, filing.decided_by, filing.decided_at = DepotState.ENREGISTREE, actor, timezone.now()
    filing.save(update_fields=["state", "decided_by", "decided_at"])
    return event


@transaction.atomic
def refuse(filing_id: int, *, reason: str, actor) -> DepotEnLigne:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif du refus : il est envoyé au créancier."))
    filing = _open(filing_id)
    filing.state, filing.refusal_reason = DepotState.REFUSEE, reason
    filing.decided_by, filing.decided_at = actor, timezone.now()
    filing.save(update_fields=["state", "refusal_reason", "decided_by", "decided_at"])
    notices.notify(filing, notices.REFUSED)
    return filing
