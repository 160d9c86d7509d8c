"""The office's electronic seal: a PAdES signature on every PDF it issues (extracts, receipts).

The seal is applied after rendering, as an incremental update: the PDF/UA structure, metadata and
objects WeasyPrint wrote stay as they are, and the signature covers the whole file. It carries a
visible block (office, date and time, reference) on the first page, and the seal certificate with
its chain. With `SEAL_TSA_URL` set, a timestamp from that authority makes it PAdES-B-T; otherwise
PAdES-B-B.

Where the key lives is behind `SealSigner` (setting `SEAL_SIGNER`): the one implementation shipped
reads a PKCS#12 file (`SEAL_PKCS12_PATH`, `SEAL_PKCS12_PASSPHRASE`). With nothing configured, a demo
trust anchor and seal certificate, named « DEMO — non valable », are made under `SEAL_DEMO_DIR` on
first use.
"""

import asyncio
import hashlib
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Protocol

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

SEAL_FIELD = "SceauOCP"
# The reference is read back from the signature's /Reason (inside the signed bytes): « …, référence X ».
REFERENCE_MARK = ", référence "
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
MM = 72 / 25.4
A4_HEIGHT = 297 * MM
# Top right of the first page, above the text column: free on the extract (header band) and the receipt.
SEAL_BOX = (122 * MM, A4_HEIGHT - 34 * MM, 192 * MM, A4_HEIGHT - 12 * MM)
DEMO_MARK = "DEMO — non valable"


class SealSigner(Protocol):
    """Where the seal key lives. An HSM (pyHanko's `PKCS11Signer`) or a remote signing service
    (pyHanko's CSC signer) fits behind the same two members; name its factory in `SEAL_SIGNER`."""

    certificate: asn1_x509.Certificate  # the seal certificate, embedded in every seal
    # The certificates above it (may be empty), where `trust_anchor` finds the root when
    # SEAL_TRUST_ANCHOR_PATH is unset (name the anchor in that setting otherwise).
    chain: list[asn1_x509.Certificate]

    def pyhanko_signer(self):
        """A `pyhanko.sign.signers.Signer` holding the key, the certificate and its chain."""


class Pkcs12Signer:
    """The seal key and certificate (with its chain) from a PKCS#12 file."""

    def __init__(self, path: str | Path, passphrase: str = ""):
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise ImproperlyConfigured(f"SEAL_PKCS12_PATH: cannot read {path} ({error.strerror})") from error
        try:
            key, certificate, others = pkcs12.load_key_and_certificates(data, passphrase.encode() or None)
        except ValueError as error:
            raise ImproperlyConfigured(f"SEAL_PKCS12_PATH: {path} does not open with its passphrase") from error
        if key is None or certificate is None:
            raise ImproperlyConfigured(f"SEAL_PKCS12_PATH: {path} holds no key with its certificate")
        self.certificate = _to_asn1(certificate)
        self.chain = [_to_asn1(other) for other in others]
        der_key = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        registry = SimpleCertificateStore()
        registry.register_multiple(self.chain)
        self._signer = _kept_key_signer_class()(
            signing_cert=self.certificate, signing_key=asn1_keys.PrivateKeyInfo.load(der_key), cert_registry=registry
        )
        self._signer.key = key

    def pyhanko_signer(self):
        return self._signer


def _to_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


@lru_cache(maxsize=1)
def _kept_key_signer_class():
    from pyhanko.sign import signers

    class KeptKeySigner(signers.SimpleSigner):
        """pyHanko's in-memory signer parses (and checks) the RSA key at every signature, which costs
        more than the rest of the seal: this one keeps the parsed key."""

        key = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            if mechanism != "rsassa_pkcs1v15" or not isinstance(self.key, rsa.RSAPrivateKey):
                return super().sign_raw(data, digest_algorithm)
            return self.key.sign(data, padding.PKCS1v15(), getattr(hashes, digest_algorithm.upper())())

    return KeptKeySigner


def pkcs12_signer() -> SealSigner:
    """The default `SEAL_SIGNER`: the configured PKCS#12 file, or the demo one."""
    if settings.SEAL_PKCS12_PATH:
        path, passphrase = str(settings.SEAL_PKCS12_PATH), settings.SEAL_PKCS12_PASSPHRASE
    else:
        path, passphrase = str(ensure_demo_pki(Path(settings.SEAL_DEMO_DIR)).pkcs12), ""
    return _pkcs12(path, passphrase, _modified(path))


def _modified(path: str) -> int:
    """Part of the caches' keys: a file replaced at the same path (a renewed certificate) is read again."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0  # Pkcs12Signer says what is wrong


@lru_cache(maxsize=4)
def _pkcs12(path: str, passphrase: str, modified: int) -> Pkcs12Signer:
    return Pkcs12Signer(path, passphrase)  # opened once per process: PKCS#12 key derivation is slow


def seal_signer() -> SealSigner:
    return import_string(settings.SEAL_SIGNER)()


def uses_demo_key() -> bool:
    return not settings.SEAL_PKCS12_PATH and settings.SEAL_SIGNER == "ocp_portal.seal.pkcs12_signer"


# --- The trust anchor: what the portal (and anyone) checks a seal against ---------------------------


def trust_anchor() -> asn1_x509.Certificate:
    """The office's published anchor: `SEAL_TRUST_ANCHOR_PATH`, or the root of the demo PKI, or else
    the self-signed certificate of the seal's chain."""
    if settings.SEAL_TRUST_ANCHOR_PATH:
        path = str(settings.SEAL_TRUST_ANCHOR_PATH)
        return _load_certificate(path, _modified(path))
    if uses_demo_key():
        path = str(ensure_demo_pki(Path(settings.SEAL_DEMO_DIR)).anchor)
        return _load_certificate(path, _modified(path))
    for certificate in getattr(seal_signer(), "chain", []):
        if certificate.self_signed in ("yes", "maybe"):
            return certificate
    raise ImproperlyConfigured("SEAL_TRUST_ANCHOR_PATH: the seal's chain holds no root; name the anchor")


@lru_cache(maxsize=4)
def _load_certificate(path: str, modified: int) -> asn1_x509.Certificate:
    from pyhanko.keys import load_cert_from_pemder

    try:
        return load_cert_from_pemder(path)
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"SEAL_TRUST_ANCHOR_PATH: {path} is no readable certificate ({error})") from error


def office_fingerprints() -> frozenset[str]:
    """The seal certificates whose seals are the office's: the current one and the earlier ones
    named in SEAL_ACCEPTED_FINGERPRINTS (written with or without colons, any case)."""
    earlier = (value.replace(":", "").strip().upper() for value in settings.SEAL_ACCEPTED_FINGERPRINTS)
    earlier = (":".join(value[index : index + 2] for index in range(0, len(value), 2)) for value in earlier)
    return frozenset({fingerprint(seal_signer().certificate), *earlier})


def fingerprint(certificate: asn1_x509.Certificate) -> str:
    """SHA-256 of the DER certificate, as readers show it: `AB:CD:…`."""
    digest = hashlib.sha256(certificate.dump()).hexdigest().upper()
    return ":".join(digest[index : index + 2] for index in range(0, len(digest), 2))


def pem(certificate: asn1_x509.Certificate) -> bytes:
    return x509.load_der_x509_certificate(certificate.dump()).public_bytes(serialization.Encoding.PEM)


# --- Sealing ------------------------------------------------------------------------------------------


def seal_pdf(pdf: bytes, *, reference: str, document: str) -> bytes:
    """The PDF with the office's seal; `document` names it (« Extrait du registre des poursuites »),
    `reference` is the one printed on it, written into the seal so a verifier finds the record."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    when = timezone.localtime()
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=f"{document}{REFERENCE_MARK}{reference}",
        location=settings.OFFICE["town"],
        name=settings.OFFICE["name"],
        contact_info=settings.PORTAL_URL,
    )
    signer = seal_signer().pyhanko_signer()
    pdf_signer = signers.PdfSigner(meta, signer, timestamper=_timestamper(), stamp_style=_style())
    writer = IncrementalPdfFileWriter.from_reader(_indexed_reader_class()(BytesIO(pdf), strict=False))
    description = _("Sceau électronique de l'%(office)s, apposé le %(when)s, référence %(reference)s") % {
        "office": settings.OFFICE["name"],
        "when": when.strftime("%d.%m.%Y à %H:%M"),
        "reference": reference,
    }
    _add_tagged_field(writer, description)
    lines = {
        "office": settings.OFFICE["name"],
        "when": when.strftime("%d.%m.%Y à %H:%M"),
        "reference": reference if len(reference) <= 20 else f"\n{reference}",  # a UUID gets its own line
        "demo": f"\n{DEMO_MARK}" if uses_demo_key() else "",
    }
    reserved = None if settings.SEAL_TSA_URL else _reserved_bytes(signer)  # a token's size is the TSA's
    output = run(pdf_signer.async_sign_pdf(writer, bytes_reserved=reserved, appearance_text_params=lines))
    return output.getvalue()


def _add_tagged_field(writer, description: str) -> None:
    """The seal's field, its widget tagged as PDF/UA-1 asks of every annotation (7.18): a Form element of
    the structure tree pointing at it, its StructParent in the parent tree, a text alternative. Made in
    the revision the seal signs."""
    from pyhanko.pdf_utils import generic
    from pyhanko.sign import fields

    spec = fields.SigFieldSpec(SEAL_FIELD, on_page=0, box=SEAL_BOX, readable_field_name=_("Sceau électronique"))
    fields.append_signature_field(writer, spec)
    root = writer.root
    field_ref = next(ref for ref in root["/AcroForm"]["/Fields"] if ref.get_object().get("/T") == SEAL_FIELD)
    widget = field_ref.get_object()
    widget["/Contents"] = generic.TextStringObject(description)
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return  # an untagged PDF: nothing to keep in step
    tree = tree.get_object()
    parent_tree = tree["/ParentTree"].get_object()
    numbers = parent_tree.get("/Nums")
    if numbers is None:
        return  # a parent tree split into /Kids: WeasyPrint writes none
    numbers = numbers.get_object()
    key = max(
        [int(numbers[index]) + 1 for index in range(0, len(numbers), 2)] + [int(tree.get("/ParentTreeNextKey", 0))]
    )
    top = tree["/K"]
    top = top.get_object()
    document_ref = top[0] if isinstance(top, generic.ArrayObject) else tree.raw_get("/K")
    document = document_ref.get_object()
    page_ref = writer.find_page_for_modification(0)[0]
    marked = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/OBJR"),
            generic.NameObject("/Obj"): field_ref,
            generic.NameObject("/Pg"): page_ref,
        }
    )
    form_ref = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/StructElem"),
                generic.NameObject("/S"): generic.NameObject("/Form"),
                generic.NameObject("/P"): document_ref,
                generic.NameObject("/Pg"): page_ref,
                generic.NameObject("/Alt"): generic.TextStringObject(description),
                generic.NameObject("/K"): marked,
            }
        )
    )
    kids = document.get("/K")
    kids = kids.get_object() if kids is not None else None
    if isinstance(kids, generic.ArrayObject):
        kids.append(form_ref)
    else:
        document["/K"] = generic.ArrayObject([*([document.raw_get("/K")] if kids is not None else []), form_ref])
    writer.update_container(kids if isinstance(kids, generic.ArrayObject) else document)
    numbers.extend([generic.NumberObject(key), form_ref])
    writer.update_container(numbers)
    tree["/ParentTreeNextKey"] = generic.NumberObject(key + 1)
    writer.update_container(tree)
    widget["/StructParent"] = generic.NumberObject(key)
    writer.update_container(widget)


def _reserved_bytes(signer) -> int | None:
    """Room for the signature container without pyHanko's trial signature (a quarter of the seal's time):
    the certificates the signer embeds, a signature of the key's size, and 4 KB for the attributes."""
    if signer.signing_cert is None:
        return None  # a remote signer that tells its certificate late: pyHanko measures
    certificates = [signer.signing_cert, *(signer.cert_registry or ())]
    key_bytes = signer.signing_cert.public_key.bit_size // 8
    return 2 * (4096 + key_bytes + sum(len(certificate.dump()) for certificate in certificates))  # in hex digits


def _timestamper():
    if not settings.SEAL_TSA_URL:
        return None  # PAdES-B-B
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.SEAL_TSA_URL, timeout=10)


@lru_cache(maxsize=1)
def _indexed_reader_class():
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    class IndexedReader(PdfFileReader):
        """pyHanko reads an object out of an object stream by parsing the stream's header up to it, again
        for each object: on a long extract (WeasyPrint packs thousands of objects in a few streams) that
        is most of the seal's time. This reader indexes each stream's header once; anything unexpected
        goes the library's own way."""

        def _get_object_from_stream(self, idnum, stmnum, idx):
            try:
                indexes = self.__dict__.setdefault("_stream_indexes", {})
                if stmnum not in indexes:
                    stream = generic.Reference(stmnum, 0, self).get_object()
                    data = stream.data
                    numbers = [int(number) for number in data[: stream["/First"]].split()]
                    offsets = dict(zip(numbers[0::2], numbers[1::2], strict=True))
                    indexes[stmnum] = (data, int(stream["/First"]), offsets)
                data, first, offsets = indexes[stmnum]
                handle = BytesIO(data)
                handle.seek(first + offsets[idnum])
                found = generic.read_object(handle, generic.Reference(idnum, 0, self))
            except Exception:  # noqa: BLE001 - the library's own reading decides
                return super()._get_object_from_stream(idnum, stmnum, idx)
            if isinstance(found, generic.StreamObject | generic.IndirectObject):
                return super()._get_object_from_stream(idnum, stmnum, idx)
            return found

    return IndexedReader


@lru_cache(maxsize=1)
def _style():
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    class SealFont(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None):
            from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

            if obj_stream is None and writer.stream_xrefs:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(writer, BytesIO(_latin_font()), font_size=self.font_size, obj_stream=obj_stream)

    return TextStampStyle(
        stamp_text=("Sceau électronique de l'office\n%(office)s\nScellé le %(when)s\nRéférence %(reference)s%(demo)s"),
        text_box_style=TextBoxStyle(font=SealFont(FONT, font_size=8), font_size=8, leading=10),
        border_width=1,
        background=None,
    )


@lru_cache(maxsize=1)
def _latin_font() -> bytes:
    """DejaVu Sans cut down once to the letters of French and German text, without its layout
    tables: each seal then embeds a subset of a small font instead of subsetting the whole one
    (from 400 ms to a few)."""
    from fontTools import subset
    from fontTools.ttLib.scaleUpem import scale_upem

    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "FFTM"]
    font = subset.load_font(FONT, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[*range(0x20, 0x7F), *range(0xA0, 0x180), 0x2013, 0x2014, 0x2019])
    subsetter.subset(font)
    scale_upem(font, 1000)  # pyHanko spaces the glyphs of a font of 2048 units per em too widely
    buffer = BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def run(coroutine):
    """pyHanko's work is asynchronous: run it here, or in a thread when this one already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    result = {}

    def target():
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as error:  # handed back to the caller's thread
            result["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


# --- The demo PKI (embedded default, tests) -------------------------------------------------------------


@dataclass(frozen=True)
class DemoPki:
    directory: Path

    @property
    def anchor(self) -> Path:
        return self.directory / "ancre-de-confiance.pem"

    @property
    def pkcs12(self) -> Path:
        return self.directory / "sceau.p12"


def ensure_demo_pki(directory: Path) -> DemoPki:
    """A demo root CA and a seal certificate it issued, made once in `directory`. Made in a
    temporary folder then renamed, so that two processes starting together keep one of them."""
    pki = DemoPki(directory)
    if pki.pkcs12.exists():
        return pki
    directory.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=directory.parent, prefix=".seal-"))
    try:
        write_pki(scratch, mark=DEMO_MARK)
        os.rename(scratch, directory)
    except OSError:
        if not pki.pkcs12.exists():
            raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return pki


def write_pki(directory: Path, *, mark: str, organisation: str = "Office cantonal des poursuites") -> None:
    """A root CA (`ancre-de-confiance.pem`) and a seal certificate with its key (`sceau.p12`,
    no passphrase) whose subjects start with `mark`. Tests make other ones, « sealed by someone else »."""
    now = datetime.now(UTC)
    validity = (now - timedelta(days=5 * 365), now + timedelta(days=10 * 365))
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    root_name = _name(f"{mark} — Autorité racine du sceau", organisation)
    root = (
        _builder(root_name, root_name, root_key.public_key(), validity)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    seal_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    seal_name = _name(f"{mark} — Sceau électronique", organisation)
    seal = (
        _builder(seal_name, root_name, seal_key.public_key(), validity)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "ancre-de-confiance.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    bundle = pkcs12.serialize_key_and_certificates(b"sceau", seal_key, seal, [root], serialization.NoEncryption())
    (directory / "sceau.p12").write_bytes(bundle)


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CH"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Genève"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(subject, issuer, public_key, validity) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )
