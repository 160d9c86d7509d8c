"""Extract workflows: order, payment, matching, issue, clerk's decision, re-issue, verification.

Views, admin actions, tasks and the payment purpose all call these functions.
"""

import hashlib
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocp_portal.accounts.models import AccountKind
from ocp_portal.queue import enqueue_on_commit
from ocp_portal.seal import seal_pdf
from poursuites.constants import PartyKind
from poursuites.models import Party

from . import keys
from .constants import SEALED_DOCUMENT, MatchOutcome, RequestState, Subject, VerificationMethod
from .content import extract_content
from .matching import match_subject
from .models import DemandeExtrait, Extrait, VerificationExtrait
from .rendering import render_extract_pdf

log = logging.getLogger(__name__)
S = RequestState


def subject_of(account, *, kind: str, uid: str = "") -> str:
    """Whose extract: the holder's own, or that of a company the holder represents.

    A personne morale's account orders about companies only; its own extract is the one with its UID.
    """
    compte = getattr(account, "compte", None)
    if compte is None or not account.is_active:
        raise PermissionDenied  # clerks and unconfirmed accounts do not order extracts
    if compte.kind == AccountKind.PERSONNE_MORALE:
        if kind != PartyKind.MORALE:
            raise PermissionDenied
        return Subject.HOLDER if uid and uid == compte.uid else Subject.COMPANY
    return Subject.HOLDER if kind == PartyKind.PHYSIQUE else Subject.COMPANY


def create_request(*, account, **fields) -> DemandeExtrait:
    subject = subject_of(account, kind=fields["kind"], uid=fields.get("uid", ""))
    extract_request = DemandeExtrait(account=account, subject=subject, **fields)
    extract_request.full_clean()
    extract_request.save()
    log.info("extract request %s created", extract_request.public_id)
    return extract_request


def mark_paid(extract_request: DemandeExtrait, *, payment_reference: str) -> None:
    """Called by the payment purpose inside the capture's transaction; the request is locked."""
    from . import tasks

    extract_request.state = S.PAYEE
    extract_request.paid_at = timezone.now()
    extract_request.payment_reference = payment_reference
    extract_request.save(update_fields=["state", "paid_at", "payment_reference"])
    enqueue_on_commit(tasks.send_payment_confirmation, extract_request.pk)
    enqueue_on_commit(tasks.process_request, extract_request.pk)


def process_request(extract_request_id: int) -> str:
    """Match the paid request's subject, then issue the extract or queue it for a clerk.

    Idempotent: a request already issued or queued is left alone; one caught half-way
    (a worker that died) is taken up again.
    """
    with transaction.atomic():
        extract_request = DemandeExtrait.objects.select_for_update().get(pk=extract_request_id)
        if extract_request.state not in (S.PAYEE, S.EN_TRAITEMENT):
            return extract_request.state
        extract_request.state = S.EN_TRAITEMENT  # seen at once on the account's page
        extract_request.save(update_fields=["state"])
    with transaction.atomic():
        extract_request = DemandeExtrait.objects.select_for_update().get(pk=extract_request_id)
        if extract_request.state != S.EN_TRAITEMENT:
            return extract_request.state
        match = match_subject(extract_request)
        extract_request.match, extract_request.candidates = match.outcome, match.candidates
        if match.outcome == MatchOutcome.AMBIGU:
            extract_request.state = S.EN_VERIFICATION
            extract_request.save(update_fields=["match", "candidates", "state"])
            log.info("extract request %s queued for a clerk", extract_request.public_id)
            return extract_request.state
        extract_request.save(update_fields=["match", "candidates"])
        extract_request.matched_parties.set(match.parties)
        _issue(extract_request)
    return S.DISPONIBLE


def hand_to_clerks(extract_request_id: int) -> bool:
    """A paid request the workers could not issue in time goes to the clerks' queue, once."""
    with transaction.atomic():
        extract_request = DemandeExtrait.objects.select_for_update().get(pk=extract_request_id)
        if extract_request.state not in (S.PAYEE, S.EN_TRAITEMENT):
            return False
        extract_request.state = S.EN_VERIFICATION
        extract_request.save(update_fields=["state"])
    log.error("extract request %s not issued by the workers: handed to the clerks", extract_request.public_id)
    return True


def decide(extract_request: DemandeExtrait, *, parties: list[Party], actor) -> Extrait:
    """A clerk names the subject among the register's parties, or none ("no entry")."""
    with transaction.atomic():
        extract_request = DemandeExtrait.objects.select_for_update().get(pk=extract_request.pk)
        if extract_request.state != S.EN_VERIFICATION:
            raise ValidationError(_("Cette demande n'attend plus de vérification au guichet."))
        extract_request.match = MatchOutcome.GUICHET if parties else MatchOutcome.GUICHET_AUCUNE
        extract_request.decided_by, extract_request.decided_at = actor, timezone.now()
        extract_request.save(update_fields=["match", "decided_by", "decided_at"])
        extract_request.matched_parties.set(parties)
        return _issue(extract_request, actor=actor)


def reissue(extract_request: DemandeExtrait, *, actor) -> Extrait:
    """A new document from the register as it is now; the old one is marked superseded, never changed."""
    with transaction.atomic():
        extract_request = DemandeExtrait.objects.select_for_update().get(pk=extract_request.pk)
        if extract_request.state != S.DISPONIBLE:
            raise ValidationError(_("Seul un extrait déjà émis peut être émis à nouveau."))
        return _issue(extract_request, actor=actor)


def _issue(extract_request: DemandeExtrait, *, actor=None) -> Extrait:
    """Render and store a new document for the locked request; the caller holds the transaction."""
    from . import tasks

    now = timezone.now()
    content = extract_content(list(extract_request.matched_parties.all()), at=now, asked=extract_request)
    access_key = keys.new_access_key()
    reference = keys.new_reference()  # 33**11 references: the unique constraint is the only guard needed
    pdf = render_extract_pdf(content, reference=reference, access_key=access_key)
    pdf = seal_pdf(pdf, reference=reference, document=SEALED_DOCUMENT)  # the stored bytes are the sealed ones
    previous = extract_request.current_document
    if previous:
        Extrait.objects.filter(pk=previous.pk).update(superseded_at=now)
    document = Extrait(
        reference=reference,
        access_key_hash=keys.hash_access_key(reference, access_key),
        extract_request=extract_request,
        issued_at=now,
        content=content,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        issued_by=actor,
    )
    document.pdf.save(f"{reference}.pdf", ContentFile(pdf), save=False)
    document.save()
    if previous:
        Extrait.objects.filter(pk=previous.pk).update(superseded_by=document)
    extract_request.state = S.DISPONIBLE
    extract_request.save(update_fields=["state"])
    enqueue_on_commit(tasks.send_ready_notice, document.pk)
    log.info("extract %s issued for request %s", reference, extract_request.public_id)
    return document


def verify(*, reference: str, access_key: str, client: str) -> Extrait | None:
    """The document the pair opens, or None; every attempt is logged for the office."""
    reference = keys.normalize_reference(reference)
    candidate = Extrait.objects.filter(reference=reference).first() if keys.is_well_formed(reference) else None
    # The key is hashed whether or not the reference exists: the answer's timing tells nothing.
    matches = keys.key_matches(candidate or Extrait(reference=reference), keys.normalize_key(access_key))
    document = candidate if candidate and matches else None
    log_verification(reference=reference, document=document, method=VerificationMethod.KEY, client=client)
    return document


def log_verification(*, reference: str, document, method: str, client: str, throttled: bool = False, success=None):
    VerificationExtrait.objects.create(
        reference=reference[:40],
        document=document,
        method=method,
        success=document is not None if success is None else success,
        throttled=throttled,
        client=client[:45],
    )


def is_identical(document: Extrait, data: bytes) -> bool:
    """Is the visitor's file byte for byte the issued PDF?"""
    return hashlib.sha256(data).hexdigest() == document.sha256
