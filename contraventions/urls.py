from django.urls import path

from . import views

app_name = "contraventions"
urlpatterns = [
    path("", views.pay, name="pay"),
    path("echeancier/<signed:token>.pdf", views.schedule_pdf_view, name="schedule_pdf"),
    path("arrangement/", views.arrangement_request, name="arrangement"),
    path("arrangement/suivi/", views.arrangement_status, name="arrangement_status"),
    path("arrangement/suivi/<signed:token>/", views.arrangement_status_link, name="arrangement_status_link"),
    path("informations/", views.information, name="information"),
]
