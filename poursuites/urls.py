from django.urls import include, path

from . import views
from .guide import views as guide
from .non_divulgation import views as non_divulgation

app_name = "poursuites"
urlpatterns = [
    path("solde/", views.balance_lookup, name="balance_lookup"),
    path("minimum-vital/", views.minimum_vital, name="minimum_vital"),
    path("requisition/", include("poursuites.requisition.urls")),
    path("comprendre/", guide.index, name="guide"),
    path("comprendre/vous-etes-poursuivi/", guide.debtor, name="guide_debiteur"),
    path("comprendre/vous-etes-poursuivant/", guide.creditor, name="guide_creancier"),
    path("comprendre/glossaire/", guide.glossary, name="glossaire"),
    path("comprendre/bases-legales-et-formulaires/", guide.legal_bases, name="bases_legales"),
    path("non-divulgation/", non_divulgation.request_view, name="non_divulgation"),
    path("non-divulgation/mes-demandes/", non_divulgation.list_view, name="non_divulgation_list"),
    path("non-divulgation/mes-demandes/<uuid:public_id>/", non_divulgation.detail_view, name="non_divulgation_detail"),
]
