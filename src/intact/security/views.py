"""Login, second factor and account pages; the coordinator's audit page.

Views stay thin: forms validate, services write (with their audit entry),
selectors read through the policy.
"""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from intact.core.access import for_roles
from intact.organisations.models import Role
from intact.security import audit, policy, selectors, services
from intact.security.forms import LoginForm, TokenForm


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    from urllib.parse import urlencode

    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", None) and request.user.is_verified())


def _after_password(request: HttpRequest, next_url: str) -> str:
    """Where a user goes once the password is right: set-up, verification or onward."""
    user = request.user
    if policy.needs_second_factor(user) and not _verified(request):
        if user_has_device(user):
            return _with_next("security:otp_verify", next_url)
        return _with_next("security:otp_setup", next_url)
    return next_url


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Password login. django-axes refuses a locked account (per username, no IP)."""
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return redirect(_after_password(request, next_url))
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())  # cycles the session key (no fixation)
        return redirect(_after_password(request, next_url))
    return render(
        request,
        "security/login.html",
        {
            "form": form,
            "next": next_url,
            "oidc_enabled": getattr(settings, "OIDC_ENABLED", False),
        },
    )


@require_POST
@csrf_protect
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out (POST only, with CSRF): the session is flushed."""
    auth_logout(request)
    return redirect("security:login")


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: QR code (inline SVG) and the secret as text."""
    next_url = _next_url(request)
    user = request.user
    if user_has_device(user):
        # Never let a password alone replace an existing second factor.
        if not _verified(request):
            return redirect(_with_next("security:otp_verify", next_url))
        return redirect("security:account")
    device = services.totp_device_pending(user=user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_device_confirm(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            return render(
                request,
                "security/backup_codes.html",
                {"codes": codes, "next": next_url, "first_time": True},
            )
        form.add_error("token", _("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat en probeer de nieuwe code."))
    return render(
        request,
        "security/otp_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": _qr_svg(device),
            "secret": _grouped_secret(device),
        },
    )


def _otpauth_url(device: TOTPDevice) -> str:
    url = device.config_url
    if "issuer=" not in url:
        url += "&issuer=Intact"
    return url


def _qr_svg(device: TOTPDevice) -> str:
    """The otpauth URL as an inline SVG QR code, made on the server (no script, no request)."""
    return segno.make(_otpauth_url(device), error="m").svg_inline(
        scale=5, title=_("QR-code om Intact toe te voegen aan uw authenticator-app"), border=4
    )


def _grouped_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the code from the app, or a backup code."""
    next_url = _next_url(request)
    user = request.user
    if _verified(request):
        return redirect(next_url)
    if not user_has_device(user):
        return redirect(_with_next("security:otp_setup", next_url))
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, services.normalise_token(form.cleaned_data["token"]))
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("token", _("Deze code klopt niet of is al gebruikt. Probeer de nieuwe code uit uw app."))
    return render(request, "security/otp_verify.html", {"form": form, "next": next_url})


def _verified_required(view):  # noqa: ANN001, ANN202
    """The account's security settings need a verified session."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _verified(request):
            name = "security:otp_verify" if user_has_device(request.user) else "security:otp_setup"
            return redirect(_with_next(name, request.get_full_path()))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Your own second factor, backup codes and API token."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return render(
        request,
        "security/account.html",
        {
            "device": device,
            "verified": _verified(request),
            "needs_second_factor": policy.needs_second_factor(user),
            "backup_codes_left": StaticToken.objects.filter(device__user=user).count(),
            "has_token": Token.objects.filter(user=user).exists(),
            "token_form": TokenForm(),
        },
    )


@require_POST
@csrf_protect
@never_cache
@login_required
@_verified_required
def backup_codes_new(request: HttpRequest) -> HttpResponse:
    """Replace the backup codes and show the new ones once."""
    codes = services.backup_codes_regenerate(user=request.user)
    return render(
        request,
        "security/backup_codes.html",
        {"codes": codes, "next": reverse("security:account"), "first_time": False},
    )


@sensitive_post_parameters("token")
@require_POST
@csrf_protect
@never_cache
@login_required
@_verified_required
def otp_reset(request: HttpRequest) -> HttpResponse:
    """Remove the app (after a current code) so that a new phone can be set up."""
    form = TokenForm(request.POST)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if form.is_valid() and device is not None:
        token = services.normalise_token(form.cleaned_data["token"])
        if token.isdigit() and device.verify_token(token):
            services.second_factor_reset(user=request.user)
            return redirect("security:otp_setup")
    from django.contrib import messages

    messages.error(request, _("De code klopt niet; de tweede factor is niet gewijzigd."))
    return redirect("security:account")


@require_POST
@csrf_protect
@never_cache
@login_required
@_verified_required
def api_token(request: HttpRequest) -> HttpResponse:
    """Create (replace) or revoke the personal API token; a new token is shown once."""
    if request.POST.get("action") == "revoke":
        from django.contrib import messages

        if services.api_token_revoke(user=request.user):
            messages.success(request, _("Uw API-sleutel is ingetrokken."))
        return redirect("security:account")
    raw = services.api_token_create(user=request.user)
    return render(request, "security/api_token.html", {"token": raw})


@for_roles(Role.COORDINATOR)
@never_cache
@login_required
def audit_list(request: HttpRequest, org: str) -> HttpResponse:
    """The coordinator's view of the organisation's audit log (filtered, paged, itself audited)."""
    filters = selectors.AuditFilters.from_query(request.GET)
    with transaction.atomic():
        organisation, entries = selectors.audit_entries_for_organisation(
            user=request.user, slug=org, filters=filters
        )
        page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
        page.object_list = list(page.object_list)  # read before this view is itself recorded
        audit.record(
            request.user,
            "audit.viewed",
            organisation=organisation,
            detail={"filters": filters.as_detail(), "page": page.number},
        )
    return render(
        request,
        "security/audit_list.html",
        {
            "organisation": organisation,
            "page": page,
            "filters": filters,
            "query": filters.as_query(),
        },
    )
