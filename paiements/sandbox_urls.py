from django.urls import path

from . import sandbox_views

app_name = "sandbox_psp"
urlpatterns = [path("checkout/<sandbox_session:session_id>/", sandbox_views.checkout, name="checkout")]
