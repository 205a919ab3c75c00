"""Login, second factor and account pages under /account/."""

from django.urls import path

from intact.security import views

app_name = "security"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("tweede-factor/instellen/", views.otp_setup, name="otp_setup"),
    path("tweede-factor/controleren/", views.otp_verify, name="otp_verify"),
    path("beveiliging/", views.account, name="account"),
    path("beveiliging/back-upcodes/", views.backup_codes_new, name="backup_codes"),
    path("beveiliging/tweede-factor-opnieuw/", views.otp_reset, name="otp_reset"),
    path("beveiliging/api-sleutel/", views.api_token, name="api_token"),
]
