from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import seal_views, views
from .accounts import views as accounts_views

admin.site.site_header = _("Office cantonal des poursuites — guichet")
admin.site.site_title = _("OCP guichet")
admin.site.index_title = _("Registre et guichet")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("contact/", views.contact, name="contact"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("accessibilite/message-envoye/", views.accessibility_sent, name="accessibility_sent"),
    path("protection-des-donnees/", views.data_protection, name="data_protection"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("sceau/", seal_views.publication, name="seal"),
    path("sceau/ocp-ancre-de-confiance.pem", seal_views.anchor_pem, name="seal_anchor_pem"),
    path("sceau/ocp-ancre-de-confiance.cer", seal_views.anchor_cer, name="seal_anchor_cer"),
    path("sceau/ocp-certificat-du-sceau.pem", seal_views.certificate_pem, name="seal_certificate_pem"),
    path("poursuites/", include("poursuites.urls")),
    path("paiements/", include("paiements.urls")),
    path("extraits/", include("extraits.urls")),
    path("contraventions/", include("contraventions.urls")),
    path("psp-test/", include("paiements.sandbox_urls")),
    path("compte/", include("ocp_portal.accounts.urls")),
    path("guichet/login/", accounts_views.admin_login),  # before the admin's own: the per-address limit
    path("guichet/", admin.site.urls),
]
