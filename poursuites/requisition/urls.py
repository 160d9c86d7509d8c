from django.urls import path

from . import views

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
]
