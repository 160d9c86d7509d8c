from django.urls import path

from . import views

app_name = "paiements"
urlpatterns = [
    path("payer/<signed:token>/", views.start, name="start"),
    path("facture-qr/<signed:token>.svg", views.qr_bill_svg_view, name="qr_bill_svg"),
    path("facture-qr/<signed:token>.pdf", views.qr_bill_pdf_view, name="qr_bill_pdf"),
    path("<uuid:public_id>/retour/", views.checkout_return, name="return"),
    path("<uuid:public_id>/abandon/", views.abandon, name="abandon"),
    path("<uuid:public_id>/quittance.pdf", views.receipt, name="receipt"),
    path("notifications/<slug:gateway>/", views.webhook, name="webhook"),
]
