"""A third party uploads the PDF they were given: the portal checks it by its seal, then says what the
reference in the seal names. One verdict first (focused; an alert when the file is not to be trusted),
the details after; bad files get a verdict too, never a 500; uploads keep their limits."""

import hashlib
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from extraits import services
from extraits.constants import MAX_UPLOAD_BYTES, SEALED_DOCUMENT, VerificationMethod
from extraits.models import VerificationExtrait
from extraits.rendering import render_extract_pdf
from ocp_portal import seal
from tests.test_pdf_documents import extract_of
from tests.test_seal import FORGER, append_annotation, sign_again

from .test_comparison_verdict import focused_tags, main_of, title_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(paid_request):
    return paid_request.current_document


def pdf_of(document) -> bytes:
    with document.pdf.open("rb") as handle:
        return handle.read()


def upload(client, content: bytes, name="extrait.pdf", **extra):
    stream = io.BytesIO(content)
    stream.name = name
    return client.post(reverse("extraits:verify_file"), {"file": stream}, **extra)


def verdict_of(response) -> tuple[str, str]:
    """The role and the text of the first thing on the page, which must be the focused verdict."""
    main = main_of(response)
    first = re.match(r'<div class="alert[^"]*" role="(\w+)" id="verdict"[^>]*autofocus>(.*?)</div>', main, re.S)
    assert first, main[:300]
    assert [('id="verdict"' in tag) for tag in focused_tags(main)] == [True]
    return first.group(1), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", first.group(2))).strip()


def test_the_verification_page_offers_the_file_first_then_the_reference(client):
    html = client.get(reverse("extraits:verify")).content.decode()
    assert html.index(reverse("extraits:verify_file")) < html.index('name="access_key"')
    assert 'enctype="multipart/form-data"' in html and 'accept="application/pdf,.pdf"' in html
    assert reverse("seal") in html


def test_a_fresh_extract_is_authentic_and_current(client, document):
    response = upload(client, pdf_of(document))
    role, text = verdict_of(response)
    assert response.status_code == 200 and role == "status"
    assert text.startswith("Ce fichier est un extrait authentique de l'office, à jour.")
    issued = timezone.localtime(document.issued_at)
    assert document.reference in text and f"{issued:%d.%m.%Y à %H:%M}" in text
    assert title_of(response).startswith("Ce fichier est un extrait authentique")
    html = main_of(response)
    assert seal.fingerprint(seal.seal_signer().certificate) in html  # the details after the verdict
    assert html.index('id="verdict"') < html.index("Empreinte SHA-256 du certificat")
    attempt = VerificationExtrait.objects.get()
    assert (attempt.method, attempt.document, attempt.success) == (VerificationMethod.SEAL, document, True)
    assert attempt.reference == document.reference


def test_the_stored_extract_is_the_sealed_one(document):
    """What « Mes demandes » serves and the SHA-256 kept are those of the sealed bytes."""
    pdf = pdf_of(document)
    assert b"/ETSI.CAdES.detached" in pdf
    assert document.sha256 == hashlib.sha256(pdf).hexdigest() and document.size == len(pdf)


def test_a_superseded_extract_says_so_although_its_seal_is_valid(client, document, clerk):
    old = pdf_of(document)
    services.reissue(document.extract_request, actor=clerk)
    role, text = verdict_of(upload(client, old))
    assert role == "alert"
    assert text.startswith("Cet extrait authentique a été remplacé")
    assert "Demandez la version à jour" in text
    assert not VerificationExtrait.objects.get().success


def test_a_seal_naming_no_issued_extract_is_an_unknown_reference(client):
    pdf = render_extract_pdf(extract_of(1), reference="AEL-45RX1KL1P2Q", access_key="pXnFJRsNoRJS7UD")
    sealed = seal.seal_pdf(pdf, reference="AEL-45RX1KL1P2Q", document=SEALED_DOCUMENT)
    role, text = verdict_of(upload(client, sealed))
    assert role == "alert"
    assert text.startswith("Ce fichier ne correspond à aucun document émis par l'office.")
    assert "AEL-45RX1KL1P2Q" in text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("bytes", "Ce fichier a été modifié après son émission par l'office."),
        ("annotation", "Ce fichier a été modifié après son émission par l'office."),
        ("second signature", "Ce fichier porte plusieurs signatures"),
        ("truncated", "Ce fichier PDF est incomplet ou endommagé."),
    ],
)
def test_a_file_changed_after_sealing_is_not_to_be_trusted(client, document, change, expected):
    pdf = pdf_of(document)
    if change == "bytes":
        at = pdf.index(b"/Name (Office")
        pdf = pdf[:at] + b"/Name (Offica" + pdf[at + 13 :]
    elif change == "annotation":
        pdf = append_annotation(pdf)
    elif change == "second signature":
        pdf = sign_again(pdf, seal.seal_signer().pyhanko_signer())
    else:
        pdf = pdf[: len(pdf) - 300]
    response = upload(client, pdf)
    role, text = verdict_of(response)
    assert response.status_code == 200 and role == "alert"
    assert text.startswith(expected)
    assert not VerificationExtrait.objects.get().success


def test_a_file_sealed_with_another_key_is_sealed_by_someone_else(client, document, settings, tmp_path):
    seal.write_pki(tmp_path / "forger", mark="Office cantonal des poursuites")
    FORGER["signer"] = seal.Pkcs12Signer(tmp_path / "forger" / "sceau.p12")
    settings.SEAL_SIGNER = "tests.test_seal.forger_signer"
    forged = seal.seal_pdf(_unsealed(document), reference=document.reference, document=SEALED_DOCUMENT)
    settings.SEAL_SIGNER = "ocp_portal.seal.pkcs12_signer"
    role, text = verdict_of(upload(client, forged))
    assert role == "alert"
    assert text.startswith("Ce fichier n'a pas été scellé par l'office.")
    assert "Office cantonal des poursuites — Sceau électronique" in text  # whose certificate it was


def _unsealed(document) -> bytes:
    return render_extract_pdf(document.content, reference=document.reference, access_key="pXnFJRsNoRJS7UD")


def test_an_extract_issued_before_sealing_falls_back_to_the_byte_comparison(client, document):
    unsealed = _unsealed(document)
    document.pdf.save(f"{document.reference}.pdf", ContentFile(unsealed), save=False)
    document.sha256, document.size = hashlib.sha256(unsealed).hexdigest(), len(unsealed)
    document.save()
    role, text = verdict_of(upload(client, unsealed))
    assert role == "status" and text.startswith("Ce fichier est un extrait authentique de l'office, à jour.")
    assert "avant que l'office ne scelle ses extraits" in text

    other = render_extract_pdf(document.content, reference=document.reference, access_key="another0key0000")
    role, text = verdict_of(upload(client, other))
    assert role == "alert" and text.startswith("Ce fichier ne porte pas le sceau de l'office.")


@pytest.mark.parametrize("content", [b"Bonjour", b"\x89PNG\r\n\x1a\n" + bytes(64)], ids=["text", "png"])
def test_a_file_that_is_not_a_pdf_gets_a_clear_verdict(client, content):
    response = upload(client, content, name="photo.png")
    role, text = verdict_of(response)
    assert response.status_code == 200 and role == "alert" and text.startswith("Ce fichier n'est pas un PDF.")


def test_an_empty_or_missing_file_is_a_form_error(client):
    missing = client.post(reverse("extraits:verify_file"), {})
    assert missing.status_code == 400 and "Choisissez le fichier PDF à vérifier." in missing.content.decode()
    empty = upload(client, b"")
    assert empty.status_code == 400 and "Ce fichier est vide." in empty.content.decode()


def test_an_upload_over_5_mb_is_cut_short(client):
    response = upload(client, b"%PDF-1.7\n" + bytes(MAX_UPLOAD_BYTES + 1))
    assert response.status_code == 413
    assert "Le fichier dépasse 5 Mo" in response.content.decode()
    assert not VerificationExtrait.objects.exists()


def test_checks_are_rate_limited_per_client(client, settings):
    settings.VERIFY_RATE_LIMIT = 2
    for _ in range(2):
        assert upload(client, b"Bonjour").status_code == 200
    throttled = upload(client, b"Bonjour")
    assert throttled.status_code == 429 and "Trop de tentatives de vérification" in throttled.content.decode()


def test_the_upload_needs_the_csrf_token(document):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert upload(strict, pdf_of(document)).status_code == 403


def test_the_office_publishes_its_anchor_and_fingerprints(client):
    page = client.get(reverse("seal"))
    html = page.content.decode()
    anchor, certificate = seal.trust_anchor(), seal.seal_signer().certificate
    assert page.status_code == 200
    assert seal.fingerprint(anchor) in html and seal.fingerprint(certificate) in html
    assert "DEMO — non valable" in html

    pem = client.get(reverse("seal_anchor_pem"))
    assert pem["Content-Type"] == "application/x-pem-file" and pem.content == seal.pem(anchor)
    der = client.get(reverse("seal_anchor_cer"))
    assert der["Content-Type"] == "application/pkix-cert" and der.content == anchor.dump()
    assert 'filename="ocp-ancre-de-confiance.cer"' in der["Content-Disposition"]
    assert client.get(reverse("seal_certificate_pem")).content == seal.pem(certificate)


def _signed_by(pki, pdf: bytes, reason: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from tests.poursuites.qes import _asn1_cert, _asn1_key

    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(pki.signer_cert),
        signing_key=_asn1_key(pki.signer_key),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(pki.root_cert)]),
    )
    meta = signers.PdfSignatureMetadata(field_name="Sceau", reason=reason, subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return seal.run(signers.async_sign_pdf(writer, meta, signer=signer)).getvalue()


def test_a_seal_by_another_customer_of_the_offices_ca_is_sealed_by_someone_else(client, document, settings, tmp_path):
    """The anchor of a regulated seal is the provider's root, which seals for others too: the seal must
    be the office's own certificate, not merely one chaining to the anchor (found by a review)."""
    from tests.poursuites.qes import make_pki

    provider = make_pki(tmp_path / "ca", root_name="Swiss QTSP Root", signer_name="Eve Faussaire")
    settings.SEAL_TRUST_ANCHOR_PATH = str(provider.anchor_path)
    forged = _signed_by(provider, _unsealed(document), f"{SEALED_DOCUMENT}{seal.REFERENCE_MARK}{document.reference}")
    role, text = verdict_of(upload(client, forged))
    assert role == "alert" and text.startswith("Ce fichier n'a pas été scellé par l'office.")

    # The office's earlier certificate, once named, keeps its seals valid after a renewal.
    from ocp_portal.seal_check import SealVerdict, check_pdf

    settings.SEAL_ACCEPTED_FINGERPRINTS = [check_pdf(forged).signer_fingerprint.replace(":", "").lower()]
    assert check_pdf(forged).verdict == SealVerdict.VALID


def test_a_title_rewritten_after_sealing_is_an_altered_file(client, document):
    """Readers show the title in their title bar (DisplayDocTitle): a later revision that changes it,
    which pyHanko counts as harmless, is an alteration (found by a review)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_of(document)))
    info = writer.trailer["/Info"].get_object()
    info["/Title"] = generic.TextStringObject("Extrait : aucune poursuite")
    writer.update_container(info)
    output = io.BytesIO()
    writer.write(output)
    role, text = verdict_of(upload(client, output.getvalue()))
    assert role == "alert" and text.startswith("Ce fichier a été modifié après son émission par l'office.")


def test_a_resave_that_changes_nothing_shown_keeps_the_seal(document):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from ocp_portal.seal_check import SealVerdict, check_pdf

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_of(document)))
    writer.update_container(writer.trailer["/Info"].get_object())  # the same information, saved again
    output = io.BytesIO()
    writer.write(output)
    result = check_pdf(output.getvalue())
    assert result.verdict == SealVerdict.VALID and result.resaved
