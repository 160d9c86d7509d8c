from django.urls import path

from . import views

app_name = "contraventions"
urlpatterns = [
    path("", views.pay, name="pay"),
    path("echeancier/<signed:token>.pdf", views.schedule_pdf_view, name="schedule_pdf"),
    path("arrangement/", views.arrangement_request, name="arrangement"),
    path("informations/", views.information, name="information"),
]
