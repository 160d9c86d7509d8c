"""Where the office publishes its seal: the trust anchor to download and the fingerprints to compare."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from . import seal

FORMATS = {
    "pem": ("application/x-pem-file", seal.pem),
    "cer": ("application/pkix-cert", lambda certificate: certificate.dump()),
}


def _described(certificate) -> dict:
    name = certificate.subject.native
    return {
        "name": name.get("common_name", ""),
        "organisation": name.get("organization_name", ""),
        "fingerprint": seal.fingerprint(certificate),
        "not_after": certificate["tbs_certificate"]["validity"]["not_after"].native,
    }


@require_GET
def publication(request):
    context = {
        "anchor": _described(seal.trust_anchor()),
        "certificate": _described(seal.seal_signer().certificate),
        "demo": seal.uses_demo_key(),
    }
    return render(request, "seal/publication.html", context)


def _download(certificate, filename: str, fmt: str) -> HttpResponse:
    content_type, encode = FORMATS[fmt]
    response = HttpResponse(encode(certificate), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response


@require_GET
def anchor_pem(request):
    return _download(seal.trust_anchor(), "ocp-ancre-de-confiance", "pem")


@require_GET
def anchor_cer(request):
    return _download(seal.trust_anchor(), "ocp-ancre-de-confiance", "cer")


@require_GET
def certificate_pem(request):
    return _download(seal.seal_signer().certificate, "ocp-certificat-du-sceau", "pem")
