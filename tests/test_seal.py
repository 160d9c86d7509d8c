"""The office's electronic seal (ocp_portal.seal) and its check (ocp_portal.seal_check): a PAdES seal that
other readers accept too, and a clear verdict for every file a stranger may upload."""

import asyncio
import io
import shutil
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream, DictionaryObject, NameObject

from extraits.rendering import render_extract_pdf
from ocp_portal import seal
from ocp_portal.seal_check import SealVerdict, check_pdf
from tests.test_pdf_documents import assert_accessible, extract_of

REFERENCE = "AEL-45RX1KL1P2Q"
DOCUMENT = "Extrait du registre des poursuites"


@pytest.fixture(scope="module")
def unsealed(seal_pki):
    """An extract as WeasyPrint renders it (rendered once: WeasyPrint takes a second)."""
    return render_extract_pdf(extract_of(3), reference=REFERENCE, access_key="pXnFJRsNoRJS7UD")


@pytest.fixture
def sealed(unsealed):
    return seal.seal_pdf(unsealed, reference=REFERENCE, document=DOCUMENT)


def anchor_context() -> ValidationContext:
    return ValidationContext(trust_roots=[seal.trust_anchor()], allow_fetching=False)


def only_signature(pdf: bytes):
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    return signature


# --- The seal ----------------------------------------------------------------------------------


def test_pdfsig_lists_one_valid_seal_over_the_whole_document(sealed, tmp_path):
    """poppler's pdfsig, as a reader other than the portal (poppler-utils is installed by .ci/run)."""
    path = tmp_path / "extrait.pdf"
    path.write_bytes(sealed)
    pdfsig = shutil.which("pdfsig")
    assert pdfsig, "poppler-utils (pdfsig) is missing: apt-get install poppler-utils"
    report = subprocess.run([pdfsig, str(path)], capture_output=True, text=True, check=False).stdout  # noqa: S603
    assert report.count("Signature #") == 1
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "Signature Type: ETSI.CAdES.detached" in report  # PAdES
    assert "DEMO — non valable — Sceau électronique" in report


def test_pyhanko_accepts_the_seal_against_the_offices_anchor(sealed):
    signature = only_signature(sealed)
    status = seal.run(async_validate_pdf_signature(signature, anchor_context()))
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert str(signature.sig_object["/Reason"]) == f"{DOCUMENT}, référence {REFERENCE}"
    embedded = {choice.chosen.sha256 for choice in signature.signed_data["certificates"]}
    assert seal.seal_signer().certificate.sha256 in embedded  # the signer's certificate travels with the file


def test_the_seal_is_visible_on_the_first_page_with_office_time_and_reference(sealed):
    reader = PdfReader(io.BytesIO(sealed))
    (widget,) = [annot.get_object() for annot in reader.pages[0].get("/Annots", [])]
    assert widget["/FT"] == "/Sig" and widget["/T"] == seal.SEAL_FIELD
    assert [float(value) for value in widget["/Rect"]] == pytest.approx(list(seal.SEAL_BOX), abs=0.01)
    assert "/N" in widget["/AP"]
    text = appearance_text(reader, widget["/AP"]["/N"])
    assert "Office cantonal des poursuites" in text
    assert "Scellé le 10.03.2027 à 10:00" in text  # the pinned clock, in Geneva
    assert f"Référence {REFERENCE}" in text
    assert "DEMO — non valable" in text


def appearance_text(reader: PdfReader, appearance) -> str:
    """The text of an annotation's appearance, read as pypdf reads a page that draws it."""
    page = PageObject.create_blank_page(reader, 600, 800)
    xobjects = DictionaryObject({NameObject("/Seal"): appearance.indirect_reference})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
    content = ContentStream(None, reader)
    content.set_data(b"/Seal Do")
    page.replace_contents(content)
    return page.extract_text()


def test_the_sealed_pdf_keeps_its_pdf_ua_tags_language_title_and_metadata(unsealed, sealed):
    assert sealed.startswith(unsealed)  # an incremental update: WeasyPrint's objects are untouched
    assert_accessible(sealed, title=f"Extrait du registre des poursuites {REFERENCE}")
    reader = PdfReader(io.BytesIO(sealed))
    (widget,) = reader.pages[0]["/Annots"]
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    numbers = tree["/ParentTree"]["/Nums"]
    parents = dict(zip(numbers[0::2], numbers[1::2], strict=True))
    form = parents[widget.get_object()["/StructParent"]].get_object()  # PDF/UA-1 7.18: the widget is tagged
    assert form["/S"] == "/Form" and form["/K"].raw_get("/Obj") == widget
    assert REFERENCE in form["/Alt"] and REFERENCE in widget.get_object()["/Contents"]
    assert tree["/ParentTreeNextKey"] == max(parents) + 1
    assert form.indirect_reference in [kid.indirect_reference for kid in form["/P"]["/K"]]


def test_the_demo_pki_is_made_once_and_named_as_a_demo(seal_pki, settings, tmp_path):
    settings.SEAL_DEMO_DIR = tmp_path / "seal"
    first = seal.ensure_demo_pki(settings.SEAL_DEMO_DIR)
    fingerprint = seal.fingerprint(seal.trust_anchor())
    assert seal.ensure_demo_pki(settings.SEAL_DEMO_DIR) == first
    assert seal.fingerprint(seal.trust_anchor()) == fingerprint  # not made again
    anchor = seal.trust_anchor().subject.native["common_name"]
    certificate = seal.seal_signer().certificate.subject.native["common_name"]
    assert anchor.startswith("DEMO — non valable") and certificate.startswith("DEMO — non valable")
    assert seal.seal_signer().certificate.issuer == seal.trust_anchor().subject


def make_pkcs12(path, *, passphrase: bytes, common_name="Sceau électronique de l'office"):
    """A production-like PKCS#12: a root, and a seal certificate with its key, under a passphrase."""
    seal.write_pki(path.parent / "made", mark="Test")
    bundle = (path.parent / "made" / "sceau.p12").read_bytes()
    key, certificate, chain = pkcs12.load_key_and_certificates(bundle, None)
    encrypted = pkcs12.serialize_key_and_certificates(
        b"sceau", key, certificate, chain, serialization.BestAvailableEncryption(passphrase)
    )
    path.write_bytes(encrypted)
    return certificate, chain[0]


def test_production_keys_come_from_a_pkcs12_file_and_its_passphrase(settings, tmp_path, unsealed):
    certificate, root = make_pkcs12(tmp_path / "office.p12", passphrase=b"s3cret")
    settings.SEAL_PKCS12_PATH, settings.SEAL_PKCS12_PASSPHRASE = str(tmp_path / "office.p12"), "s3cret"
    assert not seal.uses_demo_key()
    sealed = seal.seal_pdf(unsealed, reference=REFERENCE, document=DOCUMENT)
    signer = only_signature(sealed).signer_cert
    assert signer.dump() == certificate.public_bytes(serialization.Encoding.DER)
    assert seal.trust_anchor().dump() == root.public_bytes(serialization.Encoding.DER)  # the chain's root
    assert check_pdf(sealed).verdict == SealVerdict.VALID

    settings.SEAL_PKCS12_PASSPHRASE = "wrong"
    with pytest.raises(ImproperlyConfigured, match="passphrase"):
        seal.seal_pdf(unsealed, reference=REFERENCE, document=DOCUMENT)


class CountingSigner:
    """Another SealSigner (an HSM would sit here): the seal uses whatever SEAL_SIGNER makes."""

    used = 0

    def __init__(self):
        demo = seal.pkcs12_signer()
        self.certificate = demo.certificate

    def pyhanko_signer(self):
        CountingSigner.used += 1
        return seal.pkcs12_signer().pyhanko_signer()


def counting_signer():
    return CountingSigner()


def test_the_signer_is_the_one_settings_name(settings, unsealed, seal_pki):
    settings.SEAL_SIGNER = "tests.test_seal.counting_signer"
    settings.SEAL_TRUST_ANCHOR_PATH = str(seal_pki.anchor)  # another signer names its anchor
    before = CountingSigner.used
    assert check_pdf(seal.seal_pdf(unsealed, reference=REFERENCE, document=DOCUMENT)).verdict == SealVerdict.VALID
    assert CountingSigner.used == before + 1


# --- PAdES-B-T: a local timestamp authority ---------------------------------------------------------


def _timestamp_authority():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Horodatage de test")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=3650))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(der_key),
    )


@pytest.fixture
def tsa_url():
    """An RFC 3161 authority over HTTP on this machine (pyHanko's test timestamper answers)."""
    stamper = _timestamp_authority()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            answer = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_with_a_timestamp_authority_the_seal_is_pades_b_t(settings, unsealed, tsa_url):
    settings.SEAL_TSA_URL = tsa_url
    sealed = seal.seal_pdf(unsealed, reference=REFERENCE, document=DOCUMENT)
    signature = only_signature(sealed)
    unsigned = signature.signer_info["unsigned_attrs"]
    assert [attribute["type"].native for attribute in unsigned] == ["signature_time_stamp_token"]
    result = check_pdf(sealed)
    assert result.verdict == SealVerdict.VALID and result.timestamped_at is not None


def test_without_a_timestamp_authority_the_seal_is_pades_b_b(sealed, settings):
    assert not settings.SEAL_TSA_URL
    assert not only_signature(sealed).signer_info["unsigned_attrs"].native
    assert check_pdf(sealed).timestamped_at is None


# --- Every file a stranger may upload gets a verdict --------------------------------------------


def test_a_fresh_seal_is_valid_and_names_its_reference(sealed):
    result = check_pdf(sealed)
    assert result.verdict == SealVerdict.VALID and not result.resaved
    assert (result.reference, result.document) == (REFERENCE, DOCUMENT)
    assert result.signer.startswith("DEMO — non valable — Sceau électronique")
    assert result.signer_fingerprint == seal.fingerprint(seal.seal_signer().certificate)


def test_bytes_changed_inside_the_sealed_part_break_the_seal(sealed):
    at = sealed.index(b"/Name (Office")
    altered = sealed[:at] + b"/Name (Offica" + sealed[at + len(b"/Name (Office") :]
    assert check_pdf(altered).verdict == SealVerdict.ALTERED


def append_annotation(pdf: bytes) -> bytes:
    """An incremental update after the seal: a note drawn on the first page (as an editor would save it)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    note = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
            generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(n) for n in (60, 400, 300, 430)]),
            generic.NameObject("/Contents"): generic.pdf_string("Aucune poursuite"),
            generic.NameObject("/DA"): generic.pdf_string("/Helv 12 Tf 0 g"),
        }
    )
    annots = page.get("/Annots")
    annots = annots.get_object() if annots is not None else generic.ArrayObject()
    annots.append(writer.add_object(note))
    page["/Annots"] = annots
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_an_annotation_appended_after_the_seal_is_an_alteration(sealed):
    result = check_pdf(append_annotation(sealed))
    assert result.verdict == SealVerdict.ALTERED
    assert result.reference == REFERENCE  # still read, for the details


def test_a_resave_that_changes_nothing_keeps_the_seal_valid(sealed):
    """A reader that saves the file appends a revision; when it changes nothing shown, the seal holds
    (the byte comparison would have called such a file different)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    writer.update_root()  # the catalog written again, unchanged: a new revision
    output = io.BytesIO()
    writer.write(output)
    resaved = output.getvalue()
    assert len(resaved) > len(sealed)
    result = check_pdf(resaved)
    assert result.verdict == SealVerdict.VALID and result.resaved


def sign_again(pdf: bytes, signer, field_name="Visa") -> bytes:
    meta = signers.PdfSignatureMetadata(field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES)
    return seal.run(signers.async_sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer)).getvalue()


def test_a_second_signature_appended_after_the_seal_gets_its_own_verdict(sealed):
    twice = sign_again(sealed, seal.seal_signer().pyhanko_signer())
    assert check_pdf(twice).verdict == SealVerdict.SEVERAL


@pytest.fixture
def forger(settings, tmp_path):
    """Another CA and seal certificate, named like the office's: the portal must not be fooled."""
    seal.write_pki(tmp_path / "forger", mark="Office cantonal des poursuites")
    return seal.Pkcs12Signer(tmp_path / "forger" / "sceau.p12")


def test_a_seal_made_with_another_key_is_sealed_by_someone_else(unsealed, settings, forger):
    settings.SEAL_SIGNER = "tests.test_seal.forger_signer"
    FORGER["signer"] = forger
    forged = seal.seal_pdf(unsealed, reference=REFERENCE, document=DOCUMENT)
    settings.SEAL_SIGNER = "ocp_portal.seal.pkcs12_signer"
    result = check_pdf(forged)
    assert result.verdict == SealVerdict.FOREIGN
    assert result.reference == REFERENCE and result.signer.startswith("Office cantonal des poursuites")
    status = seal.run(async_validate_pdf_signature(only_signature(forged), anchor_context()))
    assert status.intact and status.valid and not status.trusted  # pyHanko agrees: intact, untrusted


FORGER = {}


def forger_signer():
    return FORGER["signer"]


@pytest.mark.parametrize("cut", ["end", "half"])
def test_a_truncated_file_is_damaged(sealed, cut):
    data = sealed[:-200] if cut == "end" else sealed[: len(sealed) // 2]
    assert check_pdf(data).verdict == SealVerdict.DAMAGED


@pytest.mark.parametrize(
    "data",
    [b"", b"Bonjour", b"\x89PNG\r\n\x1a\n" + bytes(100), b"<html><body>%PDF</body></html>"],
)
def test_what_is_not_a_pdf_is_said_so(data):
    assert check_pdf(data).verdict == SealVerdict.NOT_PDF


def test_a_pdf_header_over_garbage_is_damaged():
    assert check_pdf(b"%PDF-1.7\n" + bytes(range(256)) * 20).verdict == SealVerdict.DAMAGED


def test_a_pdf_without_a_seal_is_not_sealed(unsealed):
    assert check_pdf(unsealed).verdict == SealVerdict.NOT_SEALED
