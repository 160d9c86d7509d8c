"""Checking a PDF by its seal: does it carry the office's seal, whole and untouched since?

The answer is one verdict about the file itself; what the reference in the seal names (an extract
still current, superseded, unknown) is for the app that issued it to say (extraits.verification).
"""

import enum
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from types import SimpleNamespace

from . import seal

log = logging.getLogger(__name__)

# The PDF header may follow a little junk (ISO 32000-1, 7.5.2 allows readers to look for it).
HEADER_WINDOW = 1024


class SealVerdict(enum.Enum):
    VALID = "valid"  # the office's seal, intact, over the whole file (or a harmless re-save)
    ALTERED = "altered"  # signed bytes changed, or content added after sealing
    FOREIGN = "foreign"  # a signature intact in itself, by a certificate not chaining to the anchor
    SEVERAL = "several"  # more than one signature: the office's documents carry exactly one
    NOT_SEALED = "not_sealed"  # a PDF without any signature
    NOT_PDF = "not_pdf"
    DAMAGED = "damaged"  # a PDF that cannot be read whole (truncated, corrupt)


@dataclass(frozen=True)
class SealCheck:
    verdict: SealVerdict
    reference: str = ""  # as written in the seal, whatever the verdict
    document: str = ""  # what the seal says the file is (« Extrait du registre des poursuites »)
    signer: str = ""  # the certificate's subject, as readers show it
    signer_fingerprint: str = ""
    signed_at: datetime | None = None  # the time the signer reports (or the timestamp's)
    timestamped_at: datetime | None = None  # PAdES-B-T: the authority's time, when its token is intact
    resaved: bool = False  # valid, but a reader appended a revision that changes nothing shown
    problems: list[str] = field(default_factory=list)  # for the log, never shown as is


def check_pdf(data: bytes) -> SealCheck:
    """The verdict on an uploaded file; never raises on bad input."""
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        return SealCheck(SealVerdict.NOT_PDF)
    # Outside the guard below: a portal without its anchor or its library is no bad file.
    anchor, api = seal.trust_anchor(), _pyhanko()
    try:
        return _check(data, anchor, api)
    except Exception as error:  # noqa: BLE001 - a stranger's file parsed by pyHanko: its errors are no closed set
        log.info("seal check: unreadable PDF (%s: %s)", type(error).__name__, error)
        return SealCheck(SealVerdict.DAMAGED, problems=[type(error).__name__])


@lru_cache(maxsize=1)
def _pyhanko() -> SimpleNamespace:
    """pyHanko's reader and validator, imported when the first file comes (heavy, as WeasyPrint is)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    return SimpleNamespace(
        PdfFileReader=PdfFileReader,
        ModificationLevel=ModificationLevel,
        validate=async_validate_pdf_signature,
        SignatureCoverageLevel=SignatureCoverageLevel,
        ValidationContext=ValidationContext,
    )


def _check(data: bytes, anchor, api: SimpleNamespace) -> SealCheck:
    reader = api.PdfFileReader(BytesIO(data), strict=False)
    signatures = reader.embedded_signatures
    if not signatures:
        if _looks_truncated(data):
            return SealCheck(SealVerdict.DAMAGED)
        return SealCheck(SealVerdict.NOT_SEALED)
    about = _about(signatures[0])
    if len(signatures) > 1:
        return SealCheck(SealVerdict.SEVERAL, **about)
    return _validate(signatures[0], about, anchor, api)


def _looks_truncated(data: bytes) -> bool:
    """No end-of-file marker, or something after the last one: a cut file, which a lenient reader may
    still open as an earlier revision (the one before the seal)."""
    end = data.rfind(b"%%EOF")
    return end == -1 or bool(data[end + 5 :].strip())


def _about(signature) -> dict:
    reason = str(signature.sig_object.get("/Reason", ""))
    document, _, reference = reason.rpartition(seal.REFERENCE_MARK)
    certificate = signature.signer_cert
    name = certificate.subject.native
    return {
        "reference": clean_reference(reference.strip()) if document else "",
        "document": document,
        "signer": ", ".join(part for part in (name.get("common_name"), name.get("organization_name")) if part),
        "signer_fingerprint": seal.fingerprint(certificate),
        "signed_at": signature.self_reported_timestamp,
    }


def _validate(signature, about: dict, anchor, api: SimpleNamespace) -> SealCheck:
    context = api.ValidationContext(trust_roots=[anchor], allow_fetching=False, revocation_mode="soft-fail")
    status = seal.run(api.validate(signature, context, context))
    timestamp = status.timestamp_validity
    timestamped_at = timestamp.timestamp if timestamp and timestamp.intact and timestamp.valid else None
    if not (status.intact and status.valid):
        return SealCheck(SealVerdict.ALTERED, **about, problems=["signed bytes changed"])
    if status.coverage == api.SignatureCoverageLevel.ENTIRE_FILE:
        resaved = False
    elif status.coverage == api.SignatureCoverageLevel.ENTIRE_REVISION and status.modification_level in (
        api.ModificationLevel.NONE,
        api.ModificationLevel.LTA_UPDATES,
    ):
        resaved = True  # a reader's save that adds nothing a reader shows (or validation data)
    else:
        level = status.modification_level.name if status.modification_level else "?"
        return SealCheck(SealVerdict.ALTERED, **about, problems=[f"modified after sealing: {level}"])
    if not status.trusted:
        return SealCheck(SealVerdict.FOREIGN, **about, problems=[str(status.trust_problem_indic)])
    if about["signer_fingerprint"] not in seal.office_fingerprints():
        # Chaining to the anchor is not enough: a provider's root issues seals to others too.
        return SealCheck(SealVerdict.FOREIGN, **about, problems=["not the office's seal certificate"])
    if resaved and _shown_information_changed(signature):
        return SealCheck(SealVerdict.ALTERED, **about, problems=["document information changed after sealing"])
    return SealCheck(SealVerdict.VALID, **about, timestamped_at=timestamped_at, resaved=resaved)


# What a reader shows of a file besides its pages: the title (in the title bar, as the office's
# documents ask with DisplayDocTitle), subject, author, keywords.
SHOWN_INFORMATION = ("/Title", "/Subject", "/Author", "/Keywords")


def _resolved(resolver, dictionary, key):
    """`dictionary[key]` as `resolver` (a revision of the file) has it, not as the latest one does."""
    value = dictionary.raw_get(key) if key in dictionary else None
    reference = getattr(value, "reference", None)
    return resolver.get_object(reference) if reference is not None else value


def _shown(resolver) -> tuple:
    info = _resolved(resolver, resolver.trailer_view, "/Info") or {}
    root = _resolved(resolver, resolver.trailer_view, "/Root")
    metadata = _resolved(resolver, root, "/Metadata")
    xmp = metadata.data if metadata is not None else b""
    return (*(str(info.get(key, "")) for key in SHOWN_INFORMATION), xmp)


def _shown_information_changed(signature) -> bool:
    """A later revision that pyHanko lets through may still rewrite the document information or its
    XMP metadata: the file then shows something the office did not seal."""
    reader = signature.reader
    return _shown(reader.get_historical_resolver(signature.signed_revision)) != _shown(reader)


_REFERENCE = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def clean_reference(text: str) -> str:
    """A reference read from a stranger's file, before it is looked up or logged."""
    return text if _REFERENCE.match(text) else ""
