from django.urls import path

from . import views

app_name = "comptes"

urlpatterns = [
    path("", views.home, name="home"),
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoye/", views.signup_done, name="signup_done"),
    path("confirmer/<b64:uidb64>/<account_token:token>/", views.verify, name="verify"),
    path("nouveau-lien/", views.resend, name="resend"),
    path("nouveau-lien/envoye/", views.resend_done, name="resend_done"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/oublie/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<b64:uidb64>/<account_token:token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/nouveau/fait/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("mot-de-passe/changer/", views.PasswordChangeView.as_view(), name="password_change"),
]
