"""Third parties verify an extract by reference and access key; every attempt is logged."""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from extraits import keys, services
from extraits.constants import ACCESS_KEY_ALPHABET, REFERENCE_ALPHABET
from extraits.models import Extrait, VerificationExtrait

pytestmark = pytest.mark.django_db
KEY = "pXnFJRsNoRJS7UD"


@pytest.fixture
def document(paid_request):
    """The issued document, its key replaced by a known one (the real key is only on the PDF)."""
    document = paid_request.current_document
    Extrait.objects.filter(pk=document.pk).update(access_key_hash=keys.hash_access_key(document.reference, KEY))
    document.refresh_from_db()
    return document


def verify(client, reference, key=KEY, **extra):
    return client.post(reverse("extraits:verify"), {"reference": reference, "access_key": key}, **extra)


def test_references_and_keys_have_the_documented_shape():
    reference, key = keys.new_reference(), keys.new_access_key()
    assert reference.startswith("AEL-") and len(reference) == 15 and set(reference[4:]) <= set(REFERENCE_ALPHABET)
    assert not set("0OI") & set(REFERENCE_ALPHABET)
    assert len(key) == 15 and set(key) <= set(ACCESS_KEY_ALPHABET)
    assert len({keys.new_access_key() for _ in range(100)}) == 100


def test_the_key_is_stored_as_a_hash_keyed_by_the_office_secret(settings):
    first = keys.hash_access_key("AEL-45RX1KL1P2Q", KEY)
    settings.EXTRACT_ACCESS_KEY_SECRET = "another secret"
    assert keys.hash_access_key("AEL-45RX1KL1P2Q", KEY) != first and KEY not in first


@pytest.mark.parametrize("typed", ["{ref}", " {lower} ", "{bare}", "ael - {bare}"])
def test_copy_paste_friendly_reference_shows_the_pro_forma_copy(client, document, typed):
    reference = document.reference
    text = typed.format(ref=reference, lower=reference.lower(), bare=reference[4:])
    response = verify(client, text.replace(" - ", "-"), key=f" {KEY} ")
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert "a bien été émis par l'Office cantonal des poursuites" in html and "Dupont" in html
    assert reverse("extraits:verified_pdf", args=[response.context["token"]]) in html
    assert VerificationExtrait.objects.get().success


def test_wrong_pairs_get_one_neutral_message_and_are_logged(client, document):
    wrong_key = verify(client, document.reference, key=KEY.lower()).content.decode()
    unknown = verify(client, "AEL-45RX1KL1P2Q").content.decode()
    malformed = verify(client, "n'importe quoi").content.decode()
    message = "Aucun extrait ne correspond à cette référence et à cette clé"
    assert all(message in html.replace("&#x27;", "'") for html in (wrong_key, unknown, malformed))
    assert "Dupont" not in wrong_key
    log = VerificationExtrait.objects.order_by("at")
    assert [(entry.reference, entry.success) for entry in log][:2] == [
        (document.reference, False),
        ("AEL-45RX1KL1P2Q", False),
    ]


def test_the_verified_pdf_is_the_issued_file(client, document):
    token = verify(client, document.reference).context["token"]
    response = client.get(reverse("extraits:verified_pdf", args=[token]))
    with document.pdf.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()
    assert client.get("/extraits/verifier/forged/extrait.pdf").status_code == 404


def test_an_uploaded_pdf_is_compared_byte_for_byte(client, document):
    token = verify(client, document.reference).context["token"]
    with document.pdf.open("rb") as handle:
        original = handle.read()
    url = reverse("extraits:compare", args=[token])
    same = client.post(url, {"file": io.BytesIO(original)}, format="multipart")
    assert "identique, octet pour octet" in same.content.decode()
    altered = client.post(url, {"file": io.BytesIO(original + b"\n")})
    assert "n'est pas identique" in altered.content.decode().replace("&#x27;", "'")
    assert list(VerificationExtrait.objects.filter(method="fichier").values_list("success", flat=True)) == [
        False,
        True,
    ]


def test_an_oversized_upload_is_cut_short_with_a_message(client, document):
    token = verify(client, document.reference).context["token"]
    big = io.BytesIO(b"%PDF" + b"0" * (5 * 1024 * 1024))
    big.name = "gros.pdf"
    response = client.post(reverse("extraits:compare", args=[token]), {"file": big})
    assert response.status_code == 413 and "dépasse 5 Mo" in response.content.decode()
    assert not VerificationExtrait.objects.filter(method="fichier").exists()


def test_the_comparison_keeps_its_csrf_protection(document):
    from django.test import Client

    token = Client().post(reverse("extraits:verify"), {"reference": document.reference, "access_key": KEY})
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("extraits:compare", args=[token.context["token"]]), {"file": io.BytesIO(b"x")})
    assert response.status_code == 403


def test_a_superseded_extract_says_so(client, clerk, document, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.reissue(document.extract_request, actor=clerk)
    html = verify(client, document.reference).content.decode().replace("&#x27;", "'")
    assert "a été remplacé le" in html


def test_attempts_are_rate_limited_per_client(client, document, settings):
    settings.VERIFY_RATE_LIMIT = 3
    for _ in range(3):
        assert verify(client, "AEL-45RX1KL1P2Q").status_code == 200
    response = verify(client, document.reference)
    assert response.status_code == 429 and "Trop de tentatives" in response.content.decode()
    assert VerificationExtrait.objects.filter(throttled=True).count() == 1


def test_failed_keys_are_rate_limited_per_reference_and_client(client, document, settings):
    settings.VERIFY_REFERENCE_LIMIT = 3
    for _ in range(3):
        verify(client, document.reference, key="wrong", REMOTE_ADDR="10.0.0.1")
    assert verify(client, document.reference, REMOTE_ADDR="10.0.0.1").status_code == 429  # even the right key
    assert verify(client, document.reference, REMOTE_ADDR="10.0.0.2").status_code == 200  # others are not locked out


def test_failed_keys_from_everywhere_stop_at_a_higher_ceiling_per_reference(client, document, settings):
    settings.VERIFY_REFERENCE_GLOBAL_LIMIT = 4
    for number in range(4):
        verify(client, document.reference, key="wrong", REMOTE_ADDR=f"10.0.0.{number}")
    assert verify(client, document.reference, REMOTE_ADDR="10.0.0.99").status_code == 429
    cache.clear()
    assert verify(client, document.reference).status_code == 200


def test_an_ipv6_client_is_counted_by_its_64_network(client, document, settings):
    settings.VERIFY_RATE_LIMIT = 2
    for host in ("2001:db8::1", "2001:db8::2"):
        assert verify(client, "AEL-45RX1KL1P2Q", REMOTE_ADDR=host).status_code == 200
    assert verify(client, document.reference, REMOTE_ADDR="2001:db8::ffff").status_code == 429
    assert verify(client, document.reference, REMOTE_ADDR="2001:db8:0:1::1").status_code == 200


def test_comparisons_are_rate_limited_per_client(client, document, settings):
    token = verify(client, document.reference).context["token"]
    settings.VERIFY_RATE_LIMIT = 2
    url = reverse("extraits:compare", args=[token])
    for _ in range(2):
        assert client.post(url, {"file": io.BytesIO(b"%PDF-1.7 x")}).status_code == 200
    response = client.post(url, {"file": io.BytesIO(b"%PDF-1.7 x")})
    assert response.status_code == 429 and "Trop de tentatives" in response.content.decode()


def test_the_verification_form_is_prefilled_from_the_qr_code_link(client):
    html = client.get(reverse("extraits:verify"), {"reference": "AEL-45RX1KL1P2Q"}).content.decode()
    assert 'value="AEL-45RX1KL1P2Q"' in html


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_keys_never_pass_the_per_reference_limit(document, settings, monkeypatch):
    """Fifteen wrong keys sent at once against a limit of 10: at most 10 are checked."""
    import threading
    import time

    from django.db import connection
    from django.test import Client

    settings.VERIFY_REFERENCE_LIMIT, settings.VERIFY_RATE_LIMIT = 10, 100
    checked = []
    real_verify = services.verify

    def slow_verify(**kwargs):  # every attempt is in flight before the first one ends
        checked.append(kwargs["reference"])
        time.sleep(0.3)
        return real_verify(**kwargs)

    monkeypatch.setattr(services, "verify", slow_verify)
    start = threading.Barrier(15)
    statuses = []

    def attempt():
        start.wait()
        try:
            statuses.append(verify(Client(), document.reference, key="wrong", REMOTE_ADDR="10.0.0.7").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == 10
    assert sorted(statuses) == [200] * 10 + [429] * 5


def test_a_right_key_gives_back_its_reserved_attempt(client, document, settings):
    settings.VERIFY_REFERENCE_LIMIT = 3
    for _ in range(2):
        verify(client, document.reference, key="wrong")
    for _ in range(3):
        assert verify(client, document.reference).status_code == 200
    assert verify(client, document.reference, key="wrong").status_code == 200  # the third failure
    assert verify(client, document.reference).status_code == 429
