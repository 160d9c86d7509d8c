"""Reads: the account's pages, and the work the sweep must redo."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse

from paiements.links import checkout_path

from .constants import RequestState
from .models import DemandeExtrait, Extrait


def request_rows(user) -> list[dict]:
    """The account's requests, newest first, as the list page and its live update show them."""
    extract_requests = DemandeExtrait.objects.filter(account=user).prefetch_related("documents")
    rows = []
    for extract_request in extract_requests:
        document = extract_request.current_document
        rows.append(
            {
                "id": str(extract_request.public_id),
                "label": extract_request.display_name,
                "created_at": extract_request.created_at,
                "state": extract_request.state,
                "state_label": str(RequestState(extract_request.state).label),
                "reference": document.reference if document else "",
                "download_url": reverse("extraits:download", args=[document.reference]) if document else "",
                "pay_url": checkout_path("extrait", str(extract_request.public_id))
                if extract_request.state == RequestState.A_PAYER
                else "",
            }
        )
    return rows


@dataclass(frozen=True)
class UnfinishedWork:
    stuck: list[int]  # paid requests not issued after EXTRACT_STUCK_AFTER: for the clerks
    unissued: list[int]  # paid requests not issued after EXTRACT_SWEEP_AFTER: to process again
    unconfirmed: list[int]  # payment confirmations never sent
    unannounced: list[int]  # current documents whose "ready" e-mail was never sent

    @property
    def count(self) -> int:
        return len(self.stuck) + len(self.unissued) + len(self.unconfirmed) + len(self.unannounced)


def unfinished_work(now: datetime) -> UnfinishedWork:
    """What lost messages left undone some minutes ago (a rendering that keeps failing included)."""
    stale = now - timedelta(seconds=settings.EXTRACT_SWEEP_AFTER)
    stuck = now - timedelta(seconds=settings.EXTRACT_STUCK_AFTER)
    paid = DemandeExtrait.objects.filter(paid_at__lt=stale)
    unissued = paid.filter(state__in=[RequestState.PAYEE, RequestState.EN_TRAITEMENT])
    documents = Extrait.objects.filter(
        ready_notice_sent_at__isnull=True, superseded_at__isnull=True, issued_at__lt=stale
    )
    return UnfinishedWork(
        stuck=list(unissued.filter(paid_at__lt=stuck).values_list("pk", flat=True)),
        unissued=list(unissued.filter(paid_at__gte=stuck).values_list("pk", flat=True)),
        unconfirmed=list(paid.filter(confirmation_sent_at__isnull=True).values_list("pk", flat=True)),
        unannounced=list(documents.values_list("pk", flat=True)),
    )
