"""A third party's file checked by its seal, then against the register of issued extracts.

The seal says whether the file is the office's and untouched (ocp_portal.seal_check); the reference
in the seal says which extract it is, and whether that one is still current. A file without a
seal (an extract issued before sealing) is looked up by its bytes.
"""

import enum
import hashlib
from dataclasses import dataclass

from ocp_portal.seal_check import SealCheck, SealVerdict, check_pdf
from paiements.receipts import SEALED_DOCUMENT as RECEIPT_DOCUMENT
from paiements.receipts import sealed_receipt_payment

from . import keys
from .constants import SEALED_DOCUMENT, VerificationMethod
from .models import Extrait


class FileVerdict(enum.Enum):
    VALID = "valid"  # the office's seal, intact; the extract is current
    SUPERSEDED = "superseded"  # the office's seal, intact; a newer extract replaced it
    UNKNOWN = "unknown"  # the office's seal, intact; its reference names no issued extract
    RECEIPT = "receipt"  # the office's seal, intact, on a payment receipt
    ALTERED = "altered"
    FOREIGN = "foreign"
    SEVERAL = "several"
    IDENTICAL = "identical"  # no seal, but byte for byte an extract issued before sealing (current)
    IDENTICAL_SUPERSEDED = "identical_superseded"  # the same, since superseded
    NOT_SEALED = "not_sealed"  # no seal, and no extract has these bytes
    NOT_PDF = "not_pdf"
    DAMAGED = "damaged"

    @property
    def trustworthy(self) -> bool:
        return self in (FileVerdict.VALID, FileVerdict.RECEIPT, FileVerdict.IDENTICAL)


SEAL_ONLY = {
    SealVerdict.ALTERED: FileVerdict.ALTERED,
    SealVerdict.FOREIGN: FileVerdict.FOREIGN,
    SealVerdict.SEVERAL: FileVerdict.SEVERAL,
    SealVerdict.NOT_PDF: FileVerdict.NOT_PDF,
    SealVerdict.DAMAGED: FileVerdict.DAMAGED,
}


@dataclass(frozen=True)
class FileCheck:
    verdict: FileVerdict
    seal: SealCheck
    document: Extrait | None = None
    payment: object = None  # paiements.Payment, for RECEIPT


def check_file(data: bytes) -> FileCheck:
    sealed = check_pdf(data)
    if sealed.verdict in SEAL_ONLY:
        return FileCheck(SEAL_ONLY[sealed.verdict], sealed)
    if sealed.verdict == SealVerdict.NOT_SEALED:
        document = Extrait.objects.filter(sha256=hashlib.sha256(data).hexdigest()).first()
        if document is None:
            return FileCheck(FileVerdict.NOT_SEALED, sealed)
        verdict = FileVerdict.IDENTICAL_SUPERSEDED if document.superseded_at else FileVerdict.IDENTICAL
        return FileCheck(verdict, sealed, document)
    if sealed.document == RECEIPT_DOCUMENT:
        payment = sealed_receipt_payment(sealed.reference)
        return FileCheck(FileVerdict.RECEIPT if payment else FileVerdict.UNKNOWN, sealed, payment=payment)
    reference = keys.normalize_reference(sealed.reference)
    document = None
    if sealed.document == SEALED_DOCUMENT and keys.is_well_formed(reference):
        document = Extrait.objects.filter(reference=reference).first()
    if document is None:
        return FileCheck(FileVerdict.UNKNOWN, sealed)
    return FileCheck(FileVerdict.SUPERSEDED if document.superseded_at else FileVerdict.VALID, sealed, document)


def log_check(result: FileCheck, *, client: str) -> None:
    from .services import log_verification

    log_verification(
        reference=result.document.reference if result.document else result.seal.reference,
        document=result.document,
        method=VerificationMethod.SEAL,
        client=client,
        success=result.verdict.trustworthy,
    )
