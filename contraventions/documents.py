"""The instalment schedule of the Service des contraventions (one QR-bill per unpaid instalment, in
one PDF). An order's own QR-bill is served by paiements through OrdonnancePenalePurpose.qr_bill."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from ocp_portal.pdf import pdf_response, render_pdf
from paiements.payment_part import payment_part
from paiements.qrbill import build_qr_bill

from .arrangements import covered_instalments
from .balance import order_balance
from .issuer import service_issuer


def schedule_pdf(arrangement) -> bytes:
    order = arrangement.ordonnance
    covered = covered_instalments(arrangement)
    rows = []
    for instalment in arrangement.instalments.all():
        paid = covered[instalment.position]
        bill = None
        if not paid:
            bill = build_qr_bill(
                amount=instalment.amount,
                reference=instalment.qr_reference,
                additional_information=_("%(order)s, mensualité %(n)s/%(count)s")
                % {"order": order, "n": instalment.position, "count": len(covered)},
                issuer=service_issuer(),
            )
        rows.append({"instalment": instalment, "paid": paid, "part": payment_part(bill) if bill else None})
    context = {
        "office": service_issuer(),  # the service, not the OCP, heads its documents
        "service": settings.CONTRAVENTIONS,
        "arrangement": arrangement,
        "order": order,
        "balance": order_balance(order),
        "rows": rows,
    }
    return render_pdf("pdf/contraventions/schedule.html", context)


def schedule_download(arrangement) -> HttpResponse:
    """The schedule PDF for the public link and the clerks' admin; 404 before any instalment."""
    if not arrangement.instalments.exists():
        raise Http404
    return pdf_response(schedule_pdf(arrangement), f"echeancier-op-{arrangement.ordonnance.case_number}.pdf")
