from django.urls import include, path

from . import views

app_name = "poursuites"
urlpatterns = [
    path("solde/", views.balance_lookup, name="balance_lookup"),
    path("solde/facture-qr/<str:token>.svg", views.qr_bill_svg_view, name="qr_bill_svg"),
    path("solde/facture-qr/<str:token>.pdf", views.qr_bill_pdf_view, name="qr_bill_pdf"),
    path("requisition/", include("poursuites.requisition.urls")),
]
