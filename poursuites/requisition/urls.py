from django.urls import path

from . import filing_views, views

app_name = "requisition"
urlpatterns = [
    path("", views.start, name="start"),
    path("debiteur/", views.debtor, name="debtor"),
    path("creancier/", views.creditor, name="creditor"),
    path("creances/", views.claims, name="claims"),
    path("remarques/", views.notes, name="notes"),
    path("recapitulatif/", views.summary, name="summary"),
    path("requisition-de-poursuite.pdf", views.pdf, name="pdf"),
    path("recommencer/", views.restart, name="restart"),
    path("deposer/", filing_views.file_view, name="file"),
    path("deposer/requisition-a-signer.pdf", filing_views.file_pdf, name="file_pdf"),
    path("mes-poursuites/", filing_views.mine, name="mine"),
    path("mes-poursuites/<uuid:public_id>/", filing_views.mine_detail, name="mine_detail"),
    path("mes-poursuites/<uuid:public_id>/demande/<slug:kind>/", filing_views.follow_up_view, name="follow_up"),
    path(
        "mes-poursuites/<uuid:public_id>/demande/<slug:kind>/document.pdf",
        filing_views.follow_up_pdf,
        name="follow_up_pdf",
    ),
]
