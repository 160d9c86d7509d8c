from django.urls import path

from . import views

app_name = "extraits"
urlpatterns = [
    path("commander/", views.order_start, name="order_start"),
    path("commander/<slug:kind>/", views.order, name="order"),
    path("mes-demandes/", views.requests_list, name="requests"),
    path("mes-demandes/etat/", views.requests_status, name="requests_status"),
    path("telecharger/", views.download_by_reference, name="download_by_reference"),
    path("telecharger/<extract_reference:reference>/", views.download, name="download"),
    path("verifier/", views.verify, name="verify"),
    path("verifier/fichier/", views.verify_file, name="verify_file"),
    path("verifier/<signed:token>/extrait.pdf", views.verified_pdf, name="verified_pdf"),
    path("verifier/<signed:token>/comparer/", views.compare, name="compare"),
]
