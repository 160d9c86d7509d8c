"""Issue 19: a réquisition filed online, signed electronically or by hand, checked and registered
once by a clerk, then followed by the creditor on « Mes poursuites » and by e-mail."""

import io
import threading
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader

from ocp_portal.dates import today
from ocp_portal.formats import format_date
from poursuites import services
from poursuites.constants import EventType, PoursuiteStatus
from poursuites.models import Poursuite
from poursuites.procedure import continuation_lapses_on
from poursuites.requisition import codec, document, filing, signature_check
from poursuites.requisition.models import AvisCreancier, DepotEnLigne, DepotState
from tests.poursuites.qes import make_pki, sign_pdf
from tests.poursuites.test_requisition_guichet import party, payload

pytestmark = pytest.mark.django_db
FILE_URL = reverse("poursuites:requisition:file")
MINE_URL = reverse("poursuites:requisition:mine")
UID = "CHE-116.281.710"  # the creditor of tests.poursuites.test_requisition_guichet.payload
DEBTOR_WORDS = ("Rochat", "Marie", "Carouge", "1984")


def new_payload(**values) -> dict:
    return payload(id=codec.new_id(), **values)


def render(payload_: dict, *, code: str | None = None) -> bytes:
    context = document.document_context(payload_)
    if code is not None:
        context["code"] = code
    return document.render_document(context)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("qes"))


@pytest.fixture(scope="module")
def foreign_pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("foreign"), root_name="Unknown Root CA", signer_name="Eve Inconnue")


@pytest.fixture(scope="module")
def unsigned_pdf():
    """A réquisition as printed, rendered once for the module (WeasyPrint takes a second)."""
    current = new_payload()
    return current, render(current)


@pytest.fixture(autouse=True)
def _anchors(settings, pki):
    settings.REQUISITION_SIGNATURE_TRUST_ANCHORS = [str(pki.anchor_path)]


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def post_signed(client, pdf: bytes, **values):
    data = {"qualite": "entreprise", "uid": UID, "signed_pdf": upload("signee.pdf", pdf, "application/pdf"), **values}
    return client.post(FILE_URL, data)


def post_scan(client, code: str, data: bytes | None = None, **values):
    fields = {"qualite": "entreprise", "uid": UID, "code": code, "scan": upload("scan.jpg", data or jpeg()), **values}
    return client.post(FILE_URL, fields)


def page_errors(response) -> str:
    return response.content.decode()


@pytest.fixture
def creditor(client, account):
    client.force_login(account)
    return account


@pytest.fixture
def filed(creditor, client, django_capture_on_commit_callbacks):
    """A réquisition filed with a scan, its receipt e-mailed."""
    current = new_payload()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_scan(client, codec.encode(current))
    assert response.status_code == 302, page_errors(response)
    return DepotEnLigne.objects.get(code_id=current["id"])


def assert_no_debtor_data(message):
    for word in DEBTOR_WORDS:
        assert word not in message.subject and word not in message.body, word


# --- Both ways of signing ---------------------------------------------------------------------------


def test_a_pdf_signed_electronically_is_filed_with_its_signer_and_the_decoded_payload(
    client, creditor, pki, unsigned_pdf, django_capture_on_commit_callbacks
):
    current, pdf = unsigned_pdf
    with django_capture_on_commit_callbacks(execute=True):
        response = post_signed(client, sign_pdf(pdf, pki))
    filed = DepotEnLigne.objects.get(user=creditor)
    assert response.status_code == 302 and response["Location"] == reverse(
        "poursuites:requisition:mine_detail", args=[filed.public_id]
    )
    assert filed.state == DepotState.RECUE and filed.way == "electronique"
    assert filed.payload == current and filed.code == codec.encode(current)
    assert filed.signer_name == "Paul Favre, Test QES SA" and "Test Qualified Root CA" in filed.signer_issuer
    assert filed.signer_certificate.startswith("-----BEGIN CERTIFICATE-----") and len(filed.signer_fingerprint) == 95
    assert filed.document.read().startswith(b"%PDF-") and filed.uid == UID
    assert Poursuite.objects.count() == 0  # nothing reaches the register before a clerk
    [receipt] = mail.outbox
    assert receipt.to == [creditor.email] and filed.reference in receipt.subject and "reçue" in receipt.subject
    assert_no_debtor_data(receipt)


def test_a_scan_of_the_form_signed_by_hand_is_filed_with_the_code_issued_with_it(client, creditor):
    current = new_payload()
    response = post_scan(client, codec.encode(current))
    assert response.status_code == 302
    filed = DepotEnLigne.objects.get(user=creditor)
    assert filed.way == "scan" and filed.document_type == "image/jpeg" and filed.payload == current
    assert filed.signer_name == ""


def test_the_filing_page_issues_one_code_per_draft_and_its_pdf_carries_it(client, creditor):
    session = client.session
    session["requisition"] = {key: value for key, value in new_payload().items() if key not in ("v", "id", "d")}
    session.save()
    page = client.get(FILE_URL)
    html = page.content.decode()
    code = page.context["code"]
    assert page.status_code == 200 and f'value="{code}"' in html and page.context["reference"] in html
    assert client.get(FILE_URL).context["code"] == code  # the same form until the draft changes
    pdf = client.get(reverse("poursuites:requisition:file_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfFileReader(io.BytesIO(pdf.content))
    assert signature_check.code_in_revision(reader, reader.xrefs.total_revisions - 1) == code


def test_a_representative_files_with_a_procuration(client, creditor):
    representative = party(kind="morale", name="Étude Favre", first_name="", birth_date="", uid="")
    current = new_payload(representative=representative)
    response = post_scan(
        client,
        codec.encode(current),
        qualite="representant",
        uid="",
        procuration=upload("procuration.png", png()),
    )
    assert response.status_code == 302, page_errors(response)
    filed = DepotEnLigne.objects.get(user=creditor)
    assert filed.qualite == "representant" and filed.procuration.read().startswith(b"\x89PNG")


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_person_files_in_its_own_name(client, creditor):
    person = {**party(name="Dupont", first_name="Jean", birth_date="1970-01-01"), "iban": "CH9300762011623852957"}
    response = post_scan(client, codec.encode(new_payload(creditor=person)), qualite="propre_nom", uid="")
    assert response.status_code == 302


# --- Bad input ------------------------------------------------------------------------------------


def refused(response, message: str, status: int = 400):
    assert response.status_code == status, response.status_code
    assert message in response.content.decode()
    assert DepotEnLigne.objects.count() == 0


def test_an_unsigned_pdf_is_refused(client, creditor, unsigned_pdf):
    refused(post_signed(client, unsigned_pdf[1]), "Ce PDF ne porte aucune signature électronique.")


def test_a_pdf_altered_after_signing_is_refused(client, creditor, pki, unsigned_pdf):
    signed = sign_pdf(unsigned_pdf[1], pki)
    # A byte of the signed content changed: the signature no longer matches.
    position = signed.index(b"stream") + 20
    altered = signed[:position] + bytes([signed[position] ^ 0x01]) + signed[position + 1 :]
    refused(post_signed(client, altered), "Ce PDF a été modifié après sa signature")


def with_annotation(pdf: bytes, subtype: str = "/Text") -> bytes:
    """`pdf` with an annotation on its first page, in an incremental revision."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Annots"] = generic.ArrayObject(
        [
            writer.add_object(
                generic.DictionaryObject(
                    {
                        generic.NameObject("/Type"): generic.NameObject("/Annot"),
                        generic.NameObject("/Subtype"): generic.NameObject(subtype),
                        generic.NameObject("/Rect"): generic.ArrayObject(
                            [generic.NumberObject(n) for n in (0, 0, 10, 10)]
                        ),
                        generic.NameObject("/Contents"): generic.TextStringObject("montant corrigé"),
                    }
                )
            )
        ]
    )
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_a_pdf_with_content_added_after_signing_is_refused(client, creditor, pki, unsigned_pdf):
    altered = with_annotation(sign_pdf(unsigned_pdf[1], pki))
    refused(post_signed(client, altered), "Ce PDF a été modifié après sa signature")


SHOWS_OTHER_CONTENT = "Le contenu du PDF signé ne correspond pas au formulaire du portail"


def test_a_signed_pdf_showing_other_amounts_than_its_code_is_refused(client, creditor, pki):
    """The signer signed what the pages show: a PDF showing CHF 100 whose code says CHF 98'000 is no
    réquisition of CHF 98'000 (review 1)."""
    shown = new_payload(claims=[{"amount": "100.00", "rate": "", "from": "", "title": "Loyer"}])
    coded = new_payload(claims=[{"amount": "98000.00", "rate": "5", "from": "2026-01-31", "title": "Loyer"}])
    forged = sign_pdf(render(shown, code=codec.encode(coded)), pki)
    assert signature_check.check_signed_pdf(forged).ok  # well signed, and its code is genuine
    refused(post_signed(client, forged), SHOWS_OTHER_CONTENT)


def test_a_signed_pdf_with_an_annotation_over_its_pages_is_refused(client, creditor, pki, unsigned_pdf):
    """A text box drawn over the form could hide an amount: only links and the signature may be drawn."""
    covered = sign_pdf(with_annotation(unsigned_pdf[1], "/FreeText"), pki)
    assert signature_check.check_signed_pdf(covered).ok
    refused(post_signed(client, covered), SHOWS_OTHER_CONTENT)


def test_a_signature_by_an_untrusted_certificate_is_refused(client, creditor, foreign_pki, unsigned_pdf):
    refused(
        post_signed(client, sign_pdf(unsigned_pdf[1], foreign_pki)),
        "n&#x27;est pas une signature électronique qualifiée reconnue par l&#x27;office",
    )


def test_without_trust_anchors_no_electronic_signature_is_accepted(client, creditor, pki, unsigned_pdf, settings):
    settings.REQUISITION_SIGNATURE_TRUST_ANCHORS = []
    refused(post_signed(client, sign_pdf(unsigned_pdf[1], pki)), "reconnue par l&#x27;office")


def test_a_signed_pdf_that_is_not_a_requisition_of_the_portal_is_refused(client, creditor, pki):
    from weasyprint import HTML

    other = HTML(string="<html><head><title>Facture</title></head><body><p>Facture</p></body></html>").write_pdf()
    refused(post_signed(client, sign_pdf(other, pki)), "n&#x27;est pas une réquisition produite par le portail")


def test_a_signed_pdf_whose_code_does_not_match_its_hmac_is_refused(client, creditor, pki):
    current = new_payload()
    code = codec.encode(current)
    forged = code[:-1] + str((int(code[-1]) + 1) % 10)
    refused(post_signed(client, sign_pdf(render(current, code=forged), pki)), "ne correspond pas à sa signature")


def test_a_scan_whose_code_does_not_match_its_hmac_is_refused(client, creditor):
    code = codec.encode(new_payload())
    forged = code[:30] + str((int(code[30]) + 1) % 10) + code[31:]
    refused(post_scan(client, forged), "ne correspond pas à sa signature : il a été modifié")


@pytest.mark.parametrize(
    "name,data",
    [("scan.pdf", b"PK\x03\x04 a word document"), ("photo.jpg", b"GIF89a not a jpeg"), ("scan.png", b"hello")],
)
def test_an_upload_that_is_neither_pdf_nor_image_is_refused(client, creditor, name, data):
    refused(post_scan(client, codec.encode(new_payload()), data=data), "ni un PDF, ni une image JPEG ou PNG")


def test_a_broken_image_is_refused(client, creditor):
    refused(post_scan(client, codec.encode(new_payload()), data=jpeg()[:30]), "Ce fichier est illisible ou incomplet")


def truncated_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((800, 600), 64).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()[: len(buffer.getvalue()) // 3]


def png_without_pixels(width: int, height: int) -> bytes:
    """A well-formed PNG of `width` x `height` whose image data holds no pixel at all."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.mark.parametrize("data", [truncated_jpeg(), png_without_pixels(1000, 1000)], ids=["jpeg", "png"])
def test_an_image_whose_pixels_do_not_all_decode_is_refused(client, creditor, data, monkeypatch):
    """WeasyPrint has Pillow accept truncated images process-wide: the scan's check must not (review 1)."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    refused(post_scan(client, codec.encode(new_payload()), data=data), "Ce fichier est illisible ou incomplet")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as WeasyPrint wants it


@pytest.mark.parametrize("side", [12_000, 100_000])
def test_an_image_of_too_many_pixels_is_refused(client, creditor, side):
    refused(
        post_scan(client, codec.encode(new_payload()), data=png_without_pixels(side, side)),
        "Cette image est trop grande : 50 millions de pixels au plus.",
    )


def test_an_oversized_file_is_refused(client, creditor, settings):
    settings.REQUISITION_UPLOAD_MAX_BYTES = 2_000
    big = jpeg() + b"\0" * 3_000
    refused(post_scan(client, codec.encode(new_payload()), data=big), "trop volumineux : 0.00190735 Mo au plus")


def test_a_request_body_far_over_the_limit_is_cut_short(client, creditor, settings):
    settings.REQUISITION_UPLOAD_MAX_BYTES = 1_000
    huge = jpeg() + b"\0" * 200_000
    refused(post_scan(client, codec.encode(new_payload()), data=huge), "trop volumineux", status=413)


def test_a_debtor_outside_geneva_is_refused(client, creditor):
    lausanne = new_payload(debtor=party(postal_code="1003", town="Lausanne"))
    refused(post_scan(client, codec.encode(lausanne)), "n&#x27;est pas domicilié dans le canton de Genève")


def test_a_form_filed_twice_is_refused(client, creditor):
    code = codec.encode(new_payload())
    assert post_scan(client, code).status_code == 302
    response = post_scan(client, code)
    assert response.status_code == 400 and "déjà été déposée" in response.content.decode()
    assert DepotEnLigne.objects.count() == 1


@pytest.mark.parametrize(
    "values,message",
    [
        ({"uid": ""}, "Indiquez le numéro IDE de l&#x27;entreprise."),
        ({"uid": "CHE-116.281.711"}, "numéro IDE n&#x27;est pas valable"),
        ({"uid": "CHE-109.322.551"}, "n&#x27;est pas l&#x27;entreprise de ce numéro IDE"),
        ({"qualite": "propre_nom", "uid": ""}, "Le créancier est une entreprise"),
        ({"qualite": "representant", "uid": ""}, "ne nomme pas de représentant"),
        ({"qualite": ""}, "Choisissez en quelle qualité"),
    ],
)
def test_the_capacity_must_match_the_requisition(client, creditor, values, message):
    refused(post_scan(client, codec.encode(new_payload()), **values), message)


def test_a_representative_without_procuration_is_refused(client, creditor):
    representative = party(kind="morale", name="Étude Favre", first_name="", birth_date="", uid="")
    current = new_payload(representative=representative)
    refused(post_scan(client, codec.encode(current), qualite="representant", uid=""), "Joignez la procuration")


def test_both_files_or_none_are_refused(client, creditor, unsigned_pdf):
    refused(post_scan(client, codec.encode(new_payload()), data=None, scan=""), "Déposez soit le PDF")


def test_filings_are_rate_limited_per_account(client, creditor, settings):
    settings.REQUISITION_FILING_RATE_LIMIT = 2
    assert post_scan(client, codec.encode(new_payload())).status_code == 302
    assert post_scan(client, "91011234").status_code == 400  # a failed attempt counts too
    response = post_scan(client, codec.encode(new_payload()))
    assert response.status_code == 429 and "Trop de dépôts depuis ce compte" in response.content.decode()
    assert DepotEnLigne.objects.count() == 1


def test_filing_needs_an_account(client):
    response = client.get(FILE_URL)
    assert response.status_code == 302 and reverse("comptes:login") in response["Location"]


# --- The clerks' queue ------------------------------------------------------------------------------


def check_url(filed):
    return reverse("admin:poursuites_depotenligne_change", args=[filed.pk])


def register_data(filed, **values):
    return {
        "decision": "enregistrer",
        "code": filed.code,
        "requisition_date": today().isoformat(),
        "kind": "saisie",
        "party_debtor": "new",
        "party_creditor": "new",
        **values,
    }


def test_the_queue_lists_filings_to_check_with_the_signature_verdict(client, clerk, pki, unsigned_pdf, account):
    client.force_login(account)
    post_signed(client, sign_pdf(unsigned_pdf[1], pki))
    client.force_login(clerk)
    listing = client.get(reverse("admin:poursuites_depotenligne_changelist")).content.decode()
    assert "Qualifiée, vérifiée : Paul Favre, Test QES SA" in listing
    filed = DepotEnLigne.objects.get()
    page = client.get(check_url(filed)).content.decode()
    assert "Signature électronique qualifiée vérifiée" in page and filed.signer_fingerprint in page
    document_page = client.get(reverse("admin:poursuites_depotenligne_file", args=[filed.pk, "document"]))
    assert document_page["Content-Type"] == "application/pdf"


def test_a_clerk_checks_then_registers_the_filing_once(client, clerk, filed, django_capture_on_commit_callbacks):
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(check_url(filed))
    assert "Scan du formulaire signé" in page.content.decode() or "Scan ou photo" in page.content.decode()
    filed.refresh_from_db()
    assert filed.state == DepotState.EN_VERIFICATION and filed.checked_by == clerk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(check_url(filed), register_data(filed))
    filed.refresh_from_db()
    poursuite = Poursuite.objects.get()
    assert response.status_code == 302 and filed.state == DepotState.ENREGISTREE and filed.poursuite == poursuite
    assert poursuite.requisition_code == filed.code_id and poursuite.claim_amount == D("1290.00")
    assert poursuite.history_entries.filter(action__contains=filed.reference).exists()
    again = client.post(check_url(filed), register_data(filed))
    assert Poursuite.objects.count() == 1 and "Enregistrer" not in again.content.decode().split("</h1>")[-1]
    assert filing_steps(filed) == ["depot:recue", "depot:en_verification", "depot:enregistree"]
    registered = mail.outbox[-1]
    assert poursuite.reference in registered.subject and poursuite.reference in registered.body
    for message in mail.outbox:
        assert_no_debtor_data(message)


def filing_steps(filed):
    return list(AvisCreancier.objects.filter(depot=filed).values_list("step", flat=True))


def test_registering_a_decided_filing_is_refused_by_the_service(filed, clerk):
    filing.register(filed.pk, party_choices={}, kind="saisie", requisition_date=today(), actor=clerk)
    with pytest.raises(filing.AlreadyDecided):
        filing.register(filed.pk, party_choices={}, kind="saisie", requisition_date=today(), actor=clerk)
    assert Poursuite.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_clerks_clicking_at_once_register_one_poursuite(client, account, django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL)")
    from django.contrib.auth.models import Group

    clerks = []
    for name in ("clerk-a", "clerk-b"):
        user = django_user_model.objects.create_user(name, password="x", is_staff=True)
        user.groups.add(Group.objects.get(name="Guichet"))
        clerks.append(user)
    client.force_login(account)
    assert post_scan(client, codec.encode(new_payload())).status_code == 302
    filed = DepotEnLigne.objects.get()
    barrier, outcomes = threading.Barrier(2), []

    def click(clerk):
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            poursuite = filing.register(
                filed.pk, party_choices={}, kind="saisie", requisition_date=today(), actor=clerk
            )
            outcomes.append(poursuite.number)
        except filing.AlreadyDecided:
            outcomes.append("already")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=click, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=str)[-1] == "already" and len(outcomes) == 2
    assert Poursuite.objects.count() == 1 and DepotEnLigne.objects.get().state == DepotState.ENREGISTREE


def test_a_refusal_needs_a_reason_and_is_emailed(client, clerk, filed, django_capture_on_commit_callbacks):
    client.force_login(clerk)
    page = client.post(check_url(filed), {"decision": "refuser", "reason": "  "})
    assert "Indiquez le motif du refus" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(check_url(filed), {"decision": "refuser", "reason": "La signature manque."})
    filed.refresh_from_db()
    assert response.status_code == 302 and filed.state == DepotState.REFUSEE and Poursuite.objects.count() == 0
    refusal = mail.outbox[-1]
    assert "refusée" in refusal.subject and "La signature manque." in refusal.body
    client.force_login(filed.user)
    page = client.get(reverse("poursuites:requisition:mine_detail", args=[filed.public_id]))
    assert page.context["state"].label == "Refusée" and "La signature manque." in page.content.decode()
    assert client.get(reverse("admin:poursuites_depotenligne_file", args=["abc", "document"])).status_code == 302


def test_a_clerk_without_rights_cannot_decide(client, filed, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(viewer)
    assert client.post(check_url(filed), register_data(filed)).status_code == 403
    assert Poursuite.objects.count() == 0


# --- Following it -----------------------------------------------------------------------------------


def register(filed, clerk, *, days_ago=0):
    return filing.register(
        filed.pk,
        party_choices={},
        kind="saisie",
        requisition_date=today() - timedelta(days=days_ago),
        actor=clerk,
    )


def state_on_page(client, filed) -> str:
    page = client.get(reverse("poursuites:requisition:mine_detail", args=[filed.public_id]))
    assert page.status_code == 200
    return page.context["state"].label


def test_mes_poursuites_says_each_state_in_plain_words(client, creditor, filed, clerk):
    assert state_on_page(client, filed) == "Reçue"
    filing.start_check(filed.pk, actor=clerk)
    assert state_on_page(client, filed) == "En vérification"
    poursuite = register(filed, clerk, days_ago=60)
    assert state_on_page(client, filed) == f"Enregistrée — poursuite n° {poursuite.reference}"
    notified = today() - timedelta(days=5)
    services.record_notification(poursuite=poursuite, on=notified)
    assert state_on_page(client, filed) == f"Commandement de payer notifié le {format_date(notified)}"
    listing = client.get(MINE_URL).content.decode()
    assert f"Poursuite n° {poursuite.reference}" in listing and "CHF 1&#x27;290.00" in listing


def test_after_twenty_days_the_continuation_is_possible_until_its_lapse(client, creditor, filed, clerk):
    poursuite = register(filed, clerk, days_ago=60)
    notified = today() - timedelta(days=40)
    services.record_notification(poursuite=poursuite, on=notified)
    lapse = format_date(continuation_lapses_on(notified))
    assert state_on_page(client, filed) == f"Délai de paiement échu — continuation possible jusqu'au {lapse}"


def test_opposition_payment_and_withdrawal_in_plain_words(client, creditor, filed, clerk):
    poursuite = register(filed, clerk, days_ago=30)
    services.record_notification(poursuite=poursuite, on=today() - timedelta(days=20))
    services.record_event(poursuite=poursuite, type=EventType.OPPOSITION_TOTALE, on=today() - timedelta(days=15))
    assert state_on_page(client, filed) == "Opposition totale du débiteur"
    services.record_event(poursuite=poursuite, type=EventType.CONTRORDRE, on=today())
    assert state_on_page(client, filed) == "Retirée (contrordre)"


def test_a_paid_poursuite_and_an_adb(client, creditor, clerk, django_capture_on_commit_callbacks):
    first, second = [], []
    for bucket in (first, second):
        current = new_payload()
        assert post_scan(client, codec.encode(current)).status_code == 302
        bucket.append(DepotEnLigne.objects.get(code_id=current["id"]))
    paid = register(first[0], clerk, days_ago=10)
    services.record_payment(target=paid, on=today(), amount=D("5000"), allow_surplus=True)
    assert state_on_page(client, first[0]) == "Payée"
    poursuite = register(second[0], clerk, days_ago=90)
    services.record_notification(poursuite=poursuite, on=today() - timedelta(days=80))
    services.record_event(poursuite=poursuite, type=EventType.CONTINUATION, on=today() - timedelta(days=40))
    services.record_event(poursuite=poursuite, type=EventType.AVIS_SAISIE, on=today() - timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        adb = services.issue_adb(poursuite=poursuite, on=today())
    assert state_on_page(client, second[0]) == f"Acte de défaut de biens (ADB n° {adb.reference})"
    assert "acte de défaut de biens" in mail.outbox[-1].body


def test_an_email_at_each_step_names_the_poursuite_and_never_the_debtor(
    client, creditor, filed, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        poursuite = register(filed, clerk, days_ago=30)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_notification(poursuite=poursuite, on=today() - timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        services.record_event(poursuite=poursuite, type=EventType.OPPOSITION_TOTALE, on=today() - timedelta(days=15))
    assert filing_steps(filed) == [
        "depot:recue",
        "depot:enregistree",
        f"statut:{PoursuiteStatus.NOTIFIEE}",
        f"statut:{PoursuiteStatus.OPPOSITION_TOTALE}",
    ]
    subjects = [message.subject for message in mail.outbox]
    assert subjects[-2] == f"Poursuite n° {poursuite.reference} : commandement de payer notifié"
    assert subjects[-1] == f"Poursuite n° {poursuite.reference} : opposition totale"
    detail = reverse("poursuites:requisition:mine_detail", args=[filed.public_id])
    for message in mail.outbox:
        assert message.to == [creditor.email] and detail in message.body
        assert_no_debtor_data(message)
    assert AvisCreancier.objects.filter(sent_at__isnull=True).count() == 0


def test_a_poursuite_registered_at_the_guichet_sends_no_email(clerk, django_capture_on_commit_callbacks):
    from tests.factories import PersonFactory

    with django_capture_on_commit_callbacks(execute=True):
        poursuite = services.register_poursuite(
            creditor=PersonFactory(),
            debtor=PersonFactory(),
            kind="saisie",
            claims=[{"amount": D("100"), "title": "Loyer"}],
            requisition_date=today(),
        )
        services.record_notification(poursuite=poursuite, on=today())
    assert mail.outbox == [] and AvisCreancier.objects.count() == 0


def test_the_sweep_sends_what_a_lost_message_left_unsent(filed, time_machine):
    from poursuites.tasks import creditor_notices_sweep

    AvisCreancier.objects.update(sent_at=None)
    mail.outbox.clear()
    assert creditor_notices_sweep() == 0  # too recent: its own task may still run
    time_machine.shift(timedelta(minutes=11))
    assert creditor_notices_sweep() == 1 and len(mail.outbox) == 1


def test_a_creditor_sees_only_its_own_filings(filed, other_account):
    from django.test import Client

    client = Client()
    client.force_login(other_account)
    detail = reverse("poursuites:requisition:mine_detail", args=[filed.public_id])
    assert client.get(detail).status_code == 404
    assert filed.reference not in client.get(MINE_URL).content.decode()


def test_the_account_page_links_mes_poursuites(client, creditor):
    assert MINE_URL in client.get(reverse("comptes:home")).content.decode()


# --- Contrordre and réquisition de continuer through the same path ----------------------------------


def follow_up_url(filed, kind):
    return reverse("poursuites:requisition:follow_up", args=[filed.public_id, kind])


def issued_token(client, filed, kind) -> str:
    page = client.get(follow_up_url(filed, kind))
    assert page.status_code == 200
    return page.context["form"].initial["code"]


def test_a_contrordre_signed_electronically_withdraws_the_poursuite(
    client, creditor, filed, clerk, pki, django_capture_on_commit_callbacks
):
    poursuite = register(filed, clerk, days_ago=5)
    detail = client.get(reverse("poursuites:requisition:mine_detail", args=[filed.public_id]))
    steps = {step["kind"]: step for step in detail.context["next_steps"]}
    assert steps["contrordre"]["obstacle"] is None
    assert "n'est pas possible" in steps["continuation"]["obstacle"]  # the procedure's own words
    token = issued_token(client, filed, "contrordre")
    pdf = client.get(reverse("poursuites:requisition:follow_up_pdf", args=[filed.public_id, "contrordre"])).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            follow_up_url(filed, "contrordre"), {"signed_pdf": upload("contrordre.pdf", sign_pdf(pdf, pki))}
        )
    assert response.status_code == 302, page_errors(response)
    request = DepotEnLigne.objects.get(kind="contrordre")
    assert request.target == poursuite and request.code == token and request.signer_name == "Paul Favre, Test QES SA"
    assert mail.outbox[-1].subject == f"Contrordre n° {request.reference} reçu — poursuite n° {poursuite.reference}"
    client.force_login(clerk)
    check_page = client.get(check_url(request)).content.decode()
    assert "Stade actuel : Réquisition enregistrée" in check_page and "Signature électronique qualifiée" in check_page
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(check_url(request), {"decision": "enregistrer", "on": today().isoformat()})
    assert done.status_code == 302
    poursuite.refresh_from_db()
    request.refresh_from_db()
    assert poursuite.status == PoursuiteStatus.RETIREE and request.state == DepotState.ENREGISTREE
    assert mail.outbox[-1].subject == f"Poursuite n° {poursuite.reference} : retirée par le créancier (contrordre)"
    assert_no_debtor_data(mail.outbox[-1])


def test_a_signed_contrordre_whose_pages_show_another_request_is_refused(client, creditor, filed, clerk, pki):
    """The pages of a follow-up are checked like those of a réquisition: here they ask for the
    continuation while the code is a contrordre's."""
    from ocp_portal.pdf import render_pdf
    from poursuites.requisition import follow_up
    from poursuites.requisition.models import DepotKind

    register(filed, clerk, days_ago=5)
    token = issued_token(client, filed, "contrordre")
    filed.refresh_from_db()
    shown = {**follow_up.document_context(filed, token), "kind": "continuation"}
    shown["title"] = DepotKind("continuation").label
    pdf = sign_pdf(render_pdf("pdf/requisition_follow_up.html", shown), pki)
    response = client.post(follow_up_url(filed, "contrordre"), {"signed_pdf": upload("contrordre.pdf", pdf)})
    assert SHOWS_OTHER_CONTENT in response.content.decode()
    assert not DepotEnLigne.objects.filter(kind="contrordre").exists()


def test_the_continuation_before_twenty_days_says_why_not(client, creditor, filed, clerk):
    poursuite = register(filed, clerk, days_ago=10)
    services.record_notification(poursuite=poursuite, on=today() - timedelta(days=5))
    page = client.get(follow_up_url(filed, "continuation"))
    assert (
        "La continuation ne peut être requise qu&#x27;après le délai de paiement de 20 jours" in page.content.decode()
    )
    response = client.post(follow_up_url(filed, "continuation"), {"scan": upload("scan.jpg", jpeg())})
    assert response.status_code == 409 and not DepotEnLigne.objects.filter(kind="continuation").exists()


def test_a_continuation_by_scan_after_twenty_days_is_registered(
    client, creditor, filed, clerk, django_capture_on_commit_callbacks
):
    poursuite = register(filed, clerk, days_ago=60)
    services.record_notification(poursuite=poursuite, on=today() - timedelta(days=40))
    token = issued_token(client, filed, "continuation")
    response = client.post(follow_up_url(filed, "continuation"), {"code": token, "scan": upload("scan.jpg", jpeg())})
    assert response.status_code == 302, page_errors(response)
    again = client.post(follow_up_url(filed, "continuation"), {"code": token, "scan": upload("scan.jpg", jpeg())})
    assert again.status_code == 409  # one request of a kind at a time
    request = DepotEnLigne.objects.get(kind="continuation")
    with django_capture_on_commit_callbacks(execute=True):
        filing.register_follow_up(request.pk, on=today(), actor=clerk)
    poursuite.refresh_from_db()
    assert poursuite.status == PoursuiteStatus.CONTINUATION
    assert f"statut:{PoursuiteStatus.CONTINUATION}" in filing_steps(filed)
    with pytest.raises(filing.AlreadyDecided):
        filing.register_follow_up(request.pk, on=today(), actor=clerk)


def test_a_follow_up_with_a_forged_or_foreign_token_is_refused(client, creditor, filed, clerk):
    register(filed, clerk, days_ago=5)
    token = issued_token(client, filed, "contrordre")
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(follow_up_url(filed, "contrordre"), {"code": forged, "scan": upload("s.jpg", jpeg())})
    assert response.status_code == 400 and "ne correspond pas à sa signature" in response.content.decode()
    other = post_scan(client, codec.encode(new_payload()))
    assert other.status_code == 302
    second = DepotEnLigne.objects.exclude(pk=filed.pk).get(kind="requisition")
    register(second, clerk, days_ago=5)
    response = client.post(follow_up_url(second, "contrordre"), {"code": token, "scan": upload("s.jpg", jpeg())})
    assert response.status_code == 400 and "n&#x27;est pas la demande pour cette poursuite" in response.content.decode()
    assert not DepotEnLigne.objects.filter(kind="contrordre").exists()


def test_a_follow_up_of_another_account_is_not_found(filed, clerk, other_account):
    from django.test import Client

    register(filed, clerk, days_ago=5)
    client = Client()
    client.force_login(other_account)
    assert client.get(follow_up_url(filed, "contrordre")).status_code == 404
    assert (
        client.get(reverse("poursuites:requisition:follow_up_pdf", args=[filed.public_id, "contrordre"])).status_code
        == 404
    )


def test_an_account_whose_address_is_not_confirmed_cannot_file(client):
    from tests.factories import AccountFactory

    unconfirmed = AccountFactory(email="nouveau@exemple.ch", compte__verified_at=None)
    client.force_login(unconfirmed)
    response = post_scan(client, codec.encode(new_payload()))
    assert response.status_code == 403 and "abord votre adresse e-mail avec le lien" in response.content.decode()
    assert DepotEnLigne.objects.count() == 0


def test_the_clerk_sees_the_scan_itself(client, clerk, filed):
    client.force_login(clerk)
    page = client.get(check_url(filed)).content.decode()
    image_url = reverse("admin:poursuites_depotenligne_file", args=[filed.pk, "document"])
    assert f'<img src="{image_url}"' in page
    shown = client.get(image_url)
    assert shown["Content-Type"] == "image/jpeg" and b"".join(shown.streaming_content).startswith(b"\xff\xd8\xff")
    assert client.get(reverse("admin:poursuites_depotenligne_file", args=[filed.pk, "procuration"])).status_code == 404
    assert client.get(reverse("admin:poursuites_depotenligne_file", args=["abc", "document"])).status_code == 404


def test_a_short_lived_certificate_is_checked_at_the_time_of_its_timestamp(tmp_path, settings, time_machine):
    """Qualified signing services issue certificates valid for minutes, and time-stamp the signature:
    a day later the signature holds by its time-stamp, and without one it does not."""
    pki = make_pki(tmp_path / "on-demand", signer_minutes=10)
    settings.REQUISITION_SIGNATURE_TRUST_ANCHORS = [str(pki.anchor_path)]
    current = new_payload()
    pdf = render(current)
    stamped, plain = sign_pdf(pdf, pki, timestamp=True), sign_pdf(pdf, pki)
    assert signature_check.check_signed_pdf(plain).ok  # within the certificate's minutes
    time_machine.shift(timedelta(days=1))
    verdict = signature_check.check_signed_pdf(stamped)
    assert verdict.ok and verdict.code == codec.encode(current)
    assert verdict.signers[0].signed_at is not None
    assert signature_check.check_signed_pdf(plain).verdict == signature_check.SignatureVerdict.UNTRUSTED


def with_document_timestamp(pdf: bytes, pki) -> bytes:
    """What a signing service returns for PAdES-B-LTA: the signature, then a document time-stamp."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from ocp_portal import seal
    from tests.poursuites.qes import _asn1_cert, _asn1_key

    stamper = DummyTimeStamper(
        tsa_cert=_asn1_cert(pki.tsa_cert),
        tsa_key=_asn1_key(pki.tsa_key),
        certs_to_embed=SimpleCertificateStore.from_certs([_asn1_cert(pki.root_cert)]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return seal.run(signers.PdfTimeStamper(stamper).async_timestamp_pdf(writer, "sha256")).getvalue()


def test_a_pades_b_lta_signature_with_a_document_timestamp_is_filed(client, creditor, pki, unsigned_pdf):
    """The document time-stamp is no signature of the creditor, and adds nothing to the pages (review 1)."""
    current, pdf = unsigned_pdf
    lta = with_document_timestamp(sign_pdf(pdf, pki, timestamp=True), pki)
    verdict = signature_check.check_signed_pdf(lta)
    assert verdict.ok and verdict.code == codec.encode(current)
    assert [signer.name for signer in verdict.signers] == ["Paul Favre, Test QES SA"]
    response = post_signed(client, lta)
    assert response.status_code == 302, page_errors(response)
    assert DepotEnLigne.objects.get().payload == current


def test_content_added_after_the_document_timestamp_is_refused(client, creditor, pki, unsigned_pdf):
    lta = with_document_timestamp(sign_pdf(unsigned_pdf[1], pki, timestamp=True), pki)
    refused(post_signed(client, with_annotation(lta)), "Ce PDF a été modifié après sa signature")


def test_a_document_timestamp_alone_is_no_signature(pki, unsigned_pdf):
    stamped = with_document_timestamp(unsigned_pdf[1], pki)
    assert signature_check.check_signed_pdf(stamped).verdict == signature_check.SignatureVerdict.NOT_SIGNED


def test_a_timestamp_by_an_untrusted_authority_does_not_save_an_expired_certificate(tmp_path, settings, time_machine):
    pki = make_pki(tmp_path / "on-demand", signer_minutes=10)
    other = make_pki(tmp_path / "other")
    settings.REQUISITION_SIGNATURE_TRUST_ANCHORS = [str(pki.anchor_path)]
    from dataclasses import replace

    foreign_tsa = replace(pki, tsa_key=other.tsa_key, tsa_cert=other.tsa_cert)
    stamped = sign_pdf(render(new_payload()), foreign_tsa, timestamp=True)
    time_machine.shift(timedelta(days=1))
    assert signature_check.check_signed_pdf(stamped).verdict == signature_check.SignatureVerdict.UNTRUSTED


def test_the_days_work_counts_the_filings_to_check(client, clerk, filed, account):
    from ocp_portal.dashboard import entries_for

    post_scan(client, codec.encode(new_payload()))  # a second one, then the first is decided
    filing.refuse(filed.pk, reason="Illisible.", actor=clerk)
    [item] = [entry for entry in entries_for(clerk) if entry.key == "poursuites.dashboard.online_filings_to_check"]
    client.force_login(clerk)
    listed = client.get(item.url).context["cl"].result_list
    assert item.count == 1 and [row.pk for row in listed] == [DepotEnLigne.objects.get(state="recue").pk]


def test_a_form_registered_from_its_paper_copy_meanwhile_is_flagged_and_not_registered_again(client, clerk, filed):
    from poursuites.requisition import intake

    intake.register_from_code(
        payload=filed.payload, party_choices={}, kind="saisie", requisition_date=today(), actor=clerk
    )
    client.force_login(clerk)
    page = client.get(check_url(filed)).content.decode()
    assert "déjà été enregistré au guichet" in page
    response = client.post(check_url(filed), register_data(filed))
    assert "Ce code a déjà été enregistré" in response.content.decode() and Poursuite.objects.count() == 1
    filed.refresh_from_db()
    assert filed.state == DepotState.EN_VERIFICATION


def test_the_office_may_require_the_policy_of_qualified_certificates(settings, pki, unsigned_pdf):
    signed = sign_pdf(unsigned_pdf[1], pki)  # its certificate names the policy 2.16.756.5.99.1
    settings.REQUISITION_SIGNATURE_POLICIES = ["2.16.756.5.99.1", "2.16.756.5.99.2"]
    assert signature_check.check_signed_pdf(signed).ok
    settings.REQUISITION_SIGNATURE_POLICIES = ["2.16.756.5.99.2"]  # an advanced, not a qualified, certificate
    verdict = signature_check.check_signed_pdf(signed)
    assert verdict.verdict == signature_check.SignatureVerdict.UNTRUSTED and "POLICIES" in verdict.problems[0]
