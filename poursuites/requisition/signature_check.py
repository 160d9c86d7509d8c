"""Checking a réquisition signed with a qualified electronic signature (art. 33a LP, ZertES).

The creditor signs the PDF the portal made, whose metadata carry the signed code of the réquisition
(``CODE_MARK`` in the keywords). The check answers, for the file as uploaded:

- is it a PDF, signed, untouched since it was signed (the signature covers the whole file, or a
  later revision adds nothing but validation data);
- does every signature chain to one of the office's trust anchors (``trust_anchors``);
- which code it carries, read from the revision the signature covers (kept in ``revision``, so
  that ``signed_content`` can compare what the pages show with the code).

Document time-stamps added after the signature (PAdES-B-LTA) are not signatures of the creditor:
they are left out of the loop and not validated themselves. They cannot hide a change either: the
diff analysis of the creditor's signature already requires every later revision to add nothing but
validation data and time-stamps (``ModificationLevel.LTA_UPDATES``).

Who signed (the certificate's subject) is recorded for the clerk, who compares it with the
creditor or representative named in the réquisition.
"""

import enum
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from ocp_portal import seal

log = logging.getLogger(__name__)

# Written by templates/pdf/requisition.html into the PDF's keywords, before the code's digits (and
# by templates/pdf/requisition_follow_up.html before the signed token of a contrordre or continuation).
CODE_MARK = "ocp-requisition-code:"
_CODE = re.compile(r"[A-Za-z0-9_:.\-]{1,8000}")
CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer", ".der")
HEADER_WINDOW = 1024


class SignatureVerdict(enum.Enum):
    VALID = "valid"
    NOT_PDF = "not_pdf"
    DAMAGED = "damaged"
    NOT_SIGNED = "not_signed"
    ALTERED = "altered"
    UNTRUSTED = "untrusted"
    NOT_A_REQUISITION = "not_a_requisition"


MESSAGES = {
    SignatureVerdict.NOT_PDF: _(
        "Ce fichier n'est pas un PDF. Déposez le PDF de la réquisition signé électroniquement, "
        "ou déposez un scan du formulaire signé à la main."
    ),
    SignatureVerdict.DAMAGED: _("Ce PDF est illisible ou incomplet. Déposez à nouveau le fichier signé."),
    SignatureVerdict.NOT_SIGNED: _(
        "Ce PDF ne porte aucune signature électronique. Signez-le avec une signature électronique "
        "qualifiée, ou imprimez-le, signez-le à la main et déposez-en un scan."
    ),
    SignatureVerdict.ALTERED: _(
        "Ce PDF a été modifié après sa signature : la signature ne le couvre plus. Déposez le fichier "
        "tel que l'outil de signature l'a produit, sans l'ouvrir ni l'enregistrer à nouveau."
    ),
    SignatureVerdict.UNTRUSTED: _(
        "Cette signature n'est pas une signature électronique qualifiée reconnue par l'office : son "
        "certificat n'a pas été émis par un fournisseur reconnu (ZertES), ou il est échu. Signez avec une "
        "signature qualifiée reconnue, ou déposez un scan du formulaire signé à la main."
    ),
    SignatureVerdict.NOT_A_REQUISITION: _(
        "Ce PDF signé n'est pas une réquisition produite par le portail. Signez le PDF téléchargé à "
        "l'étape 1, sans le modifier."
    ),
}


@dataclass(frozen=True)
class Signer:
    name: str  # the certificate's subject, as readers show it
    issuer: str
    fingerprint: str
    certificate_pem: str
    signed_at: datetime | None


@dataclass(frozen=True)
class SignatureCheck:
    verdict: SignatureVerdict
    code: str = ""  # the digits of the réquisition's code, as signed (not yet checked by the codec)
    signers: list[Signer] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # for the log and the clerk, never for the creditor
    revision: bytes = field(default=b"", repr=False)  # the file as the first signature covers it: what was signed

    @property
    def ok(self) -> bool:
        return self.verdict == SignatureVerdict.VALID

    @property
    def message(self) -> str:
        return str(MESSAGES.get(self.verdict, ""))


def trust_anchors() -> list:
    """The certificates a signature must chain to: ``REQUISITION_SIGNATURE_TRUST_ANCHORS`` names
    files (PEM or DER) or folders of them (``*.pem``, ``*.crt``, ``*.cer``, ``*.der``)."""
    return list(_load_anchors(tuple(str(path) for path in settings.REQUISITION_SIGNATURE_TRUST_ANCHORS)))


@lru_cache(maxsize=8)
def _load_anchors(paths: tuple[str, ...]) -> tuple:
    files = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(item for item in path.iterdir() if item.suffix.lower() in CERTIFICATE_SUFFIXES)
        else:
            files.append(path)
    return tuple(load_cert_from_pemder(str(path)) for path in files)


def check_signed_pdf(data: bytes, *, mark: str = CODE_MARK) -> SignatureCheck:
    """The verdict on an uploaded file, and the code written after `mark`; never raises on bad input."""
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        return SignatureCheck(SignatureVerdict.NOT_PDF)
    anchors = trust_anchors()  # outside the guard: a misconfigured anchor is no bad file
    try:
        return _check(data, anchors, mark)
    except Exception as error:  # noqa: BLE001 - a stranger's file parsed by pyHanko: its errors are no closed set
        log.info("requisition signature: unreadable PDF (%s: %s)", type(error).__name__, error)
        return SignatureCheck(SignatureVerdict.DAMAGED, problems=[type(error).__name__])


def _check(data: bytes, anchors: list, mark: str) -> SignatureCheck:
    reader = PdfFileReader(BytesIO(data), strict=False)
    signatures = reader.embedded_regular_signatures  # not the document time-stamps of PAdES-B-LTA
    if not signatures:
        return SignatureCheck(SignatureVerdict.NOT_SIGNED)
    context = ValidationContext(
        trust_roots=anchors,
        allow_fetching=settings.REQUISITION_SIGNATURE_FETCH_REVOCATION,
        revocation_mode=settings.REQUISITION_SIGNATURE_REVOCATION_MODE,
    )
    signers, untrusted = [], []
    for signature in signatures:
        status = seal.run(async_validate_pdf_signature(signature, context, context))
        if not (status.intact and status.valid):
            return SignatureCheck(SignatureVerdict.ALTERED, problems=["signed bytes changed"])
        if not _covers_the_file(status):
            level = status.modification_level.name if status.modification_level else "?"
            return SignatureCheck(SignatureVerdict.ALTERED, problems=[f"modified after signing: {level}"])
        stamped_at = _trusted_timestamp(status)
        signer = _signer(signature, stamped_at)
        signers.append(signer)
        if not status.trusted and not (stamped_at and _trusted_at(signature, stamped_at, anchors, context)):
            untrusted.append(f"{signer.name}: {status.trust_problem_indic}")
        elif not _has_required_policy(signature.signer_cert):
            untrusted.append(f"{signer.name}: none of the certificate policies REQUISITION_SIGNATURE_POLICIES")
    if untrusted:
        return SignatureCheck(SignatureVerdict.UNTRUSTED, signers=signers, problems=untrusted)
    code = code_in_revision(reader, signatures[0].signed_revision, mark=mark)
    if not code:
        return SignatureCheck(SignatureVerdict.NOT_A_REQUISITION, signers=signers)
    byte_range = signatures[0].byte_range
    end = int(byte_range[2]) + int(byte_range[3])
    return SignatureCheck(SignatureVerdict.VALID, code=code, signers=signers, revision=data[:end])


def _covers_the_file(status) -> bool:
    """The signature covers the whole file, or what follows it adds only validation data (LTV)."""
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.modification_level in (
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,
    )


def _has_required_policy(certificate) -> bool:
    """With ``REQUISITION_SIGNATURE_POLICIES`` set (the OIDs under which providers issue qualified
    certificates), the signer's certificate must name one of them; unset, the anchors decide alone."""
    required = set(settings.REQUISITION_SIGNATURE_POLICIES)
    if not required:
        return True
    policies = certificate.certificate_policies_value
    named = {policy["policy_identifier"].dotted for policy in policies} if policies else set()
    return bool(named & required)


def _trusted_timestamp(status) -> datetime | None:
    """The time of the signature's time-stamp (PAdES-B-T), when its authority chains to an anchor."""
    stamp = status.timestamp_validity
    if stamp is not None and stamp.intact and stamp.valid and stamp.trusted:
        return stamp.timestamp
    return None


def _trusted_at(signature, moment: datetime, anchors: list, now_context: ValidationContext) -> bool:
    """Was the signer's certificate valid when the time-stamp says the signature existed? Qualified
    signing services issue certificates valid for minutes: checked now, they would have expired."""
    then = ValidationContext(
        trust_roots=anchors,
        moment=moment,
        allow_fetching=settings.REQUISITION_SIGNATURE_FETCH_REVOCATION,
        revocation_mode=settings.REQUISITION_SIGNATURE_REVOCATION_MODE,
    )
    status = seal.run(async_validate_pdf_signature(signature, then, now_context))
    return bool(status.intact and status.valid and status.trusted)


def _signer(signature, stamped_at: datetime | None) -> Signer:
    certificate = signature.signer_cert
    return Signer(
        name=_short_name(certificate.subject),
        issuer=_short_name(certificate.issuer),
        fingerprint=seal.fingerprint(certificate),
        certificate_pem=seal.pem(certificate).decode(),
        signed_at=stamped_at or signature.self_reported_timestamp,
    )


def _short_name(name) -> str:
    """A certificate's name as readers show it: common name and organisation."""
    values = name.native
    parts = [values.get(key) for key in ("common_name", "organization_name") if values.get(key)]
    return ", ".join(str(part) for part in parts) or name.human_friendly


def code_in_revision(reader: PdfFileReader, revision: int, *, mark: str = CODE_MARK) -> str:
    """The code in the keywords of the document information as it stood in the signed revision."""
    info = reader.get_historical_resolver(revision).trailer_view.get("/Info")
    if info is None:
        return ""
    keywords = str(info.get_object().get("/Keywords", ""))
    for keyword in keywords.split(","):
        keyword = keyword.strip()
        if keyword.startswith(mark):
            code = keyword.removeprefix(mark)
            return code if _CODE.fullmatch(code) else ""
    return ""
