"""Forms of the login and account pages (Dutch labels, English in the .po)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Username and password; django-axes counts the failures (per account)."""

    error_messages = {
        "invalid_login": _(
            "De combinatie van gebruikersnaam en wachtwoord is onjuist. Let op hoofdletters."
        ),
        "inactive": _("Dit account is niet actief. Neem contact op met de beheerder."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["username"].error_messages["required"] = _("Vul uw gebruikersnaam in.")
        self.fields["password"].label = _("Wachtwoord")
        self.fields["password"].error_messages["required"] = _("Vul uw wachtwoord in.")


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app (or, on the verify page, a backup code)."""

    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        error_messages={"required": _("Vul de code in.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "utrecht-textbox"}
        ),
    )
