from django.urls import include, path

from . import views
from .non_divulgation import views as non_divulgation

app_name = "poursuites"
urlpatterns = [
    path("solde/", views.balance_lookup, name="balance_lookup"),
    path("requisition/", include("poursuites.requisition.urls")),
    path("non-divulgation/", non_divulgation.request_view, name="non_divulgation"),
    path("non-divulgation/mes-demandes/", non_divulgation.list_view, name="non_divulgation_list"),
    path("non-divulgation/mes-demandes/<uuid:public_id>/", non_divulgation.detail_view, name="non_divulgation_detail"),
]
