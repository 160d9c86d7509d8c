from django.urls import path

from . import views

app_name = "contraventions"
urlpatterns = [
    path("", views.pay, name="pay"),
    path("facture-qr/<signed:token>.svg", views.qr_bill_svg_view, name="qr_bill_svg"),
    path("facture-qr/<signed:token>.pdf", views.qr_bill_pdf_view, name="qr_bill_pdf"),
    path("echeancier/<signed:token>.pdf", views.schedule_pdf_view, name="schedule_pdf"),
    path("arrangement/", views.arrangement_request, name="arrangement"),
    path("informations/", views.information, name="information"),
]
