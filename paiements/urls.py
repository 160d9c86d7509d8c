from django.urls import path

from . import views

app_name = "paiements"
urlpatterns = [
    path("payer/<signed:token>/", views.start, name="start"),
    path("<uuid:public_id>/retour/", views.checkout_return, name="return"),
    path("<uuid:public_id>/abandon/", views.abandon, name="abandon"),
    path("notifications/<slug:gateway>/", views.webhook, name="webhook"),
]
