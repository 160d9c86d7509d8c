"""Reads for the account's pages."""

from django.urls import reverse

from paiements.links import checkout_path

from .constants import RequestState
from .models import DemandeExtrait


def request_rows(user) -> list[dict]:
    """The account's requests, newest first, as the list page and its live update show them."""
    requests = DemandeExtrait.objects.filter(account=user).prefetch_related("documents")
    rows = []
    for demande in requests:
        document = next((doc for doc in demande.documents.all() if doc.superseded_at is None), None)
        rows.append(
            {
                "id": str(demande.public_id),
                "label": demande.display_name,
                "created_at": demande.created_at,
                "state": demande.state,
                "state_label": str(RequestState(demande.state).label),
                "reference": document.reference if document else "",
                "download_url": reverse("extraits:download", args=[document.reference]) if document else "",
                "pay_url": checkout_path("extrait", str(demande.public_id))
                if demande.state == RequestState.A_PAYER
                else "",
            }
        )
    return rows
