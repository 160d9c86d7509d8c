"""The Service des contraventions' PDFs: the QR-bill of an order and the instalment schedule
(one QR-bill per unpaid instalment, in one PDF)."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from ocp_portal.pdf import pdf_response, render_pdf
from paiements.qrbill import qr_bill_data_uri

from .arrangements import covered_instalments
from .balance import order_balance
from .qrbills import order_qr_bill


def pdf_context() -> dict:
    """The service, not the OCP, heads its documents (pdf/base.html prints `office`)."""
    service = settings.CONTRAVENTIONS
    return {"office": {**service, "post_box": ""}, "service": service}


def order_bill(result):
    return order_qr_bill(result.order, amount=result.balance.total)


def schedule_pdf(arrangement) -> bytes:
    order = arrangement.ordonnance
    covered = covered_instalments(arrangement)
    rows = []
    for instalment in arrangement.instalments.all():
        paid = covered[instalment.position]
        bill = None
        if not paid:
            bill = order_qr_bill(
                order,
                amount=instalment.amount,
                reference=instalment.qr_reference,
                information=_("%(order)s, mensualité %(n)s/%(count)s")
                % {"order": order, "n": instalment.position, "count": len(covered)},
            )
        rows.append({"instalment": instalment, "paid": paid, "qr_bill_uri": qr_bill_data_uri(bill) if bill else ""})
    context = {
        **pdf_context(),
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
