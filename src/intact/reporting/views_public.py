"""The reporter's pages: the reporting page (``melden/``) and the mailbox (``postbus/``).

Everything works without JavaScript: the reporting page is one URL that moves
between steps by POST. What the reporter typed waits in the session between
steps, encrypted with the organisation's data key, and is removed on submit.
Files are sent only with the final step, so nothing is stored before the
report is. The receipt is shown once and carried through the confirmation
step only as a signed hidden field in the reporter's own page.

The only cookies are the session and CSRF cookies (plus the language cookie
if the reporter switches language); Django's messages framework is not used.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from intact.organisations import selectors as org_selectors
from intact.organisations.models import Organisation
from intact.reporting import receipts, selectors, services, uploads
from intact.reporting.forms import (
    DetailsForm,
    HowForm,
    MailboxLoginForm,
    NotifyEmailForm,
    ReceiptConfirmForm,
    ReplyForm,
    SubmitForm,
    TopicForm,
)
from intact.reporting.models import Anonymity, Report, ReportType
from intact.security import crypto, files

DRAFT_KEY = "intact_report_draft"
MAILBOX_KEY = "intact_mailbox"
RECEIPT_SALT = "intact.reporting.receipt-confirm"
STEPS = ("topic", "how", "details", "submit")


# --- draft (between steps) ---------------------------------------------------------------


def _draft_get(request: HttpRequest, org: Organisation) -> dict[str, Any]:
    stored = request.session.get(DRAFT_KEY)
    if not stored or stored.get("org") != org.pk:
        return {}
    try:
        return json.loads(crypto.decrypt(base64.b64decode(stored["blob"])))
    except Exception:  # noqa: BLE001 - an unreadable draft is simply gone
        return {}


def _draft_set(request: HttpRequest, org: Organisation, draft: dict[str, Any]) -> None:
    blob = crypto.encrypt(org.pk, json.dumps(draft).encode())
    request.session[DRAFT_KEY] = {"org": org.pk, "blob": base64.b64encode(blob).decode()}


def _draft_clear(request: HttpRequest) -> None:
    request.session.pop(DRAFT_KEY, None)


# --- the reporting page ---------------------------------------------------------------------


def _ctx(org: Organisation, step: str, **extra: Any) -> dict[str, Any]:
    index = STEPS.index(step) + 1 if step in STEPS else 0
    return {
        "organisation": org,
        "step": step,
        "step_number": index,
        "step_count": len(STEPS),
        "report_types": ReportType,
        "anonymity_choices": Anonymity,
        **extra,
    }


def _render_step(request: HttpRequest, org: Organisation, step: str, draft: dict[str, Any], *,
                 form: Any = None, error: str = "", status: int = 200) -> HttpResponse:
    if step == "topic":
        form = form or TopicForm(initial={"report_type": draft.get("report_type")})
        return render(request, "reporting/public/step_topic.html", _ctx(org, step, form=form, error=error), status=status)
    if step == "how":
        form = form or HowForm(initial={"anonymity": draft.get("anonymity")})
        return render(request, "reporting/public/step_how.html",
                      _ctx(org, step, form=form, error=error, report_type_label=ReportType(draft["report_type"]).label),
                      status=status)
    if step == "details":
        if form is None:
            initial = {f"q_{k}": v for k, v in draft.get("answers", {}).items()}
            initial.update(draft.get("identity") or {})
            initial["implicated"] = "\n".join(draft.get("implicated", []))
            initial["notify_email"] = draft.get("notify_email", "")
            initial["meeting_requested"] = draft.get("meeting_requested", False)
            form = DetailsForm(
                initial=initial,
                questions=services.questions_for(org, draft["report_type"]),
                anonymity=draft["anonymity"],
            )
        return render(request, "reporting/public/step_details.html",
                      _ctx(org, step, form=form, error=error, draft=draft,
                           report_type_label=ReportType(draft["report_type"]).label), status=status)
    # review and submit
    language = get_language() or "nl"
    questions = services.questions_for(org, draft["report_type"])
    answers = [
        (q.text(language), _display_answer(q, draft.get("answers", {}).get(q.key), language))
        for q in questions
        if draft.get("answers", {}).get(q.key) not in (None, "")
    ]
    return render(
        request,
        "reporting/public/step_submit.html",
        _ctx(
            org, "submit", form=form or SubmitForm(), error=error, draft=draft, answers=answers,
            report_type_label=ReportType(draft["report_type"]).label,
            anonymity_label=Anonymity(draft["anonymity"]).label,
        ),
        status=status,
    )


def _display_answer(q: Any, value: Any, language: str) -> str:
    if q.kind == "choice":
        for c in q.choices:
            if c["value"] == value:
                return q.choice_label(c, language)
    if q.kind == "yesno":
        return {"yes": _("Ja"), "no": _("Nee"), "unknown": _("Weet ik niet")}.get(value, value)
    return str(value)


def _complete_for(draft: dict[str, Any], step: str) -> bool:
    need = {"topic": (), "how": ("report_type",), "details": ("report_type", "anonymity"),
            "submit": ("report_type", "anonymity", "answers")}[step]
    if not all(k in draft for k in need):
        return False
    if "report_type" in need and draft["report_type"] not in ReportType.values:
        return False
    return not ("anonymity" in need and draft["anonymity"] not in Anonymity.values)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, org: str) -> HttpResponse:
    """The multi-step reporting page (works without JavaScript).

    Files stay in memory (never a temp file); the CSRF check runs inside,
    after the upload handler is set (Django reads the body for CSRF).
    """
    uploads.use_memory_only(request)
    return _report_page(request, org)


@csrf_protect
def _report_page(request: HttpRequest, org: str) -> HttpResponse:
    organisation = org_selectors.organisation_get_public(slug=org)
    draft = _draft_get(request, organisation)
    if request.method == "GET":
        if request.GET.get("opnieuw"):
            _draft_clear(request)
            draft = {}
        return _render_step(request, organisation, "topic", draft)

    step = request.POST.get("step", "")
    goto = request.POST.get("goto", "")
    expired = _("Deze stap hoort niet bij uw melding of de pagina is verlopen. Begin opnieuw; er is niets opgeslagen.")
    if goto:
        if goto not in STEPS or not _complete_for(draft, goto):
            return _render_step(request, organisation, "topic", {}, error=expired, status=400)
        return _render_step(request, organisation, goto, draft)
    if step not in STEPS or not _complete_for(draft, step):
        return _render_step(request, organisation, "topic", {}, error=expired, status=400)

    if step == "topic":
        form = TopicForm(request.POST)
        if not form.is_valid():
            return _render_step(request, organisation, "topic", draft, form=form, status=400)
        if draft.get("report_type") != form.cleaned_data["report_type"]:
            draft.pop("answers", None)
        draft["report_type"] = form.cleaned_data["report_type"]
        _draft_set(request, organisation, draft)
        return _render_step(request, organisation, "how", draft)

    if step == "how":
        form = HowForm(request.POST)
        if not form.is_valid():
            return _render_step(request, organisation, "how", draft, form=form, status=400)
        draft["anonymity"] = form.cleaned_data["anonymity"]
        if draft["anonymity"] == Anonymity.ANONYMOUS:
            draft.pop("identity", None)
        _draft_set(request, organisation, draft)
        return _render_step(request, organisation, "details", draft)

    if step == "details":
        form = DetailsForm(
            request.POST,
            questions=services.questions_for(organisation, draft["report_type"]),
            anonymity=draft["anonymity"],
        )
        if not form.is_valid():
            return _render_step(request, organisation, "details", draft, form=form, status=400)
        draft.update(
            answers=form.answers(),
            implicated=form.implicated(),
            identity=form.identity(),
            notify_email=form.cleaned_data.get("notify_email") or "",
            meeting_requested=bool(form.cleaned_data.get("meeting_requested")),
        )
        _draft_set(request, organisation, draft)
        return _render_step(request, organisation, "submit", draft)

    # step == "submit"
    form = SubmitForm(request.POST, request.FILES)
    if uploads.too_large(request):
        form.is_valid()
        form.add_error("attachments", uploads.too_large_message())
        return _render_step(request, organisation, "submit", draft, form=form, status=400)
    if not form.is_valid():
        return _render_step(request, organisation, "submit", draft, form=form, status=400)
    try:
        report, receipt = services.report_submit(
            organisation=organisation,
            report_type=draft["report_type"],
            anonymity=draft["anonymity"],
            answers=draft.get("answers", {}),
            implicated=draft.get("implicated", []),
            attachments=form.cleaned_data["attachments"],
            identity=draft.get("identity"),
            notify_email=draft.get("notify_email", ""),
            language=(get_language() or "nl")[:10],
            meeting_requested=draft.get("meeting_requested", False),
        )
    except uploads.UploadRejected as exc:
        form.add_error("attachments", str(exc))
        return _render_step(request, organisation, "submit", draft, form=form, status=400)
    except services.ReportInvalid as exc:
        message = " ".join(m for msgs in exc.errors.values() for m in msgs)
        return _render_step(request, organisation, "submit", draft, error=message, status=400)
    except services.MailboxBusy:
        response = _render_step(
            request, organisation, "submit", draft, status=503,
            error=_("Het is op dit moment erg druk. Uw melding is nog niet verstuurd. Wacht een paar seconden en verstuur opnieuw; uw antwoorden zijn bewaard, alleen bestanden moet u opnieuw kiezen."),
        )
        response["Retry-After"] = str(services.MailboxBusy.retry_after)
        return response
    _draft_clear(request)
    stripped = report.attachments.filter(stripped_metadata=True).count()
    token = signing.dumps({"r": receipt, "o": organisation.pk, "s": stripped}, salt=RECEIPT_SALT, compress=True)
    return _render_receipt(request, organisation, receipt, ReceiptConfirmForm(initial={"token": token}),
                           stripped=stripped)


def _render_receipt(request: HttpRequest, org: Organisation, receipt: str, form: ReceiptConfirmForm,
                    status: int = 200, stripped: int = 0) -> HttpResponse:
    return render(
        request,
        "reporting/public/receipt.html",
        {
            "organisation": org,
            "receipt_groups": receipts.groups(receipt),
            "receipt_formatted": receipts.format_receipt(receipt),
            "form": form,
            "stripped": stripped,
        },
        status=status,
    )


@require_POST
def receipt_confirm(request: HttpRequest, org: str) -> HttpResponse:
    """The reporter confirms having saved the receipt; only then the page lets go."""
    organisation = org_selectors.organisation_get_public(slug=org)
    form = ReceiptConfirmForm(request.POST)
    try:
        data = signing.loads(request.POST.get("token", ""), salt=RECEIPT_SALT, max_age=3 * 3600)
        if data.get("o") != organisation.pk:
            raise signing.BadSignature
        receipt = data["r"]
        stripped = int(data.get("s", 0))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return render(request, "reporting/public/receipt_expired.html", {"organisation": organisation}, status=400)
    if not form.is_valid():
        return _render_receipt(request, organisation, receipt, form, status=400, stripped=stripped)
    return HttpResponseRedirect(reverse("reporting_public:mailbox", kwargs={"org": organisation.slug}) + "?bewaard=1")


# --- the mailbox ----------------------------------------------------------------------------


def event_label(kind: str) -> str:
    """How a timeline entry reads for the reporter."""
    labels = {
        "received": _("Melding ontvangen"),
        "acknowledged": _("Ontvangst bevestigd door de behandelaar"),
        "message_to_reporter": _("Bericht van de behandelaar"),
        "message_from_reporter": _("Bericht van u"),
        "feedback_given": _("Informatie gegeven over de beoordeling en het vervolg"),
        "case_opened": _("Besloten de melding verder te onderzoeken"),
        "closed": _("Melding afgesloten"),
        "meeting_requested": _("U hebt om een gesprek gevraagd"),
        "identity_revealed": _("Uw identiteit is aan een behandelaar getoond, met instemming van de bewaarder"),
        "identity_reveal_approved": _("Uw identiteit is aan een behandelaar getoond, met instemming van de bewaarder"),
        "minutes_sent": _("Verslag van uw mondelinge melding staat klaar om te controleren"),
        "minutes_confirmed": _("U hebt het verslag bevestigd"),
        "escalated": _("Melding doorgezet volgens de meldprocedure"),
    }
    return str(labels.get(kind, _("Bijgewerkt")))


def _idle_seconds() -> int:
    return int(services.mailbox_policy()["session_idle_minutes"]) * 60


def _mailbox_report(request: HttpRequest, org: Organisation) -> Report | None:
    """The report of this browser's mailbox session, if it is still valid."""
    state = request.session.get(MAILBOX_KEY)
    if not state or state.get("org") != org.pk:
        return None
    now = int(time.time())
    if now - int(state.get("seen", 0)) > _idle_seconds():
        request.session.pop(MAILBOX_KEY, None)
        return None
    report = Report.objects.filter(pk=state.get("report"), organisation=org).first()
    if report is None or report.mailbox_blocked:
        request.session.pop(MAILBOX_KEY, None)
        return None
    state["seen"] = now
    request.session[MAILBOX_KEY] = state
    return report


def _busy(request: HttpRequest, org: Organisation) -> HttpResponse:
    response = render(request, "reporting/public/busy.html", {"organisation": org}, status=503)
    response["Retry-After"] = str(services.MailboxBusy.retry_after)
    return response




def _login_error() -> str:
    return _(
        "Met dit ontvangstbewijs kunnen wij geen postbus openen. Controleer de tekens en probeer het opnieuw. "
        "Na meerdere onjuiste pogingen kunt u het een tijd niet opnieuw proberen."
    )


def _render_mailbox(request: HttpRequest, org: Organisation, report: Report, *,
                    reply_form: ReplyForm | None = None, email_form: NotifyEmailForm | None = None,
                    notice: str = "", status: int = 200) -> HttpResponse:
    unread = selectors.mailbox_unread_count(report=report)
    messages = selectors.mailbox_messages(report=report)
    services.mailbox_mark_read(report=report)
    return render(
        request,
        "reporting/public/mailbox.html",
        {
            "organisation": org,
            "report": report,
            "timeline": [
                {"at": e.at, "label": event_label(e.kind)} for e in selectors.mailbox_timeline(report=report)
            ],
            "messages": messages,
            "unread": unread,
            "report_attachments": selectors.report_attachments(report=report),
            "reply_form": reply_form or ReplyForm(),
            "email_form": email_form or NotifyEmailForm(initial={"notify_email": report.notify_email or ""}),
            "notice": notice,
            "idle_minutes": _idle_seconds() // 60,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def mailbox(request: HttpRequest, org: str) -> HttpResponse:
    """Log in with the receipt; then the status, timeline and messages."""
    organisation = org_selectors.organisation_get_public(slug=org)
    report = _mailbox_report(request, organisation)
    if request.method == "GET":
        if report is not None:
            return _render_mailbox(request, organisation, report)
        return render(request, "reporting/public/mailbox_login.html", {
            "organisation": organisation, "form": MailboxLoginForm(),
            "after_report": bool(request.GET.get("bewaard")),
            "expired": bool(request.GET.get("verlopen")),
        })
    form = MailboxLoginForm(request.POST)
    if not form.is_valid():
        return render(request, "reporting/public/mailbox_login.html",
                      {"organisation": organisation, "form": form}, status=400)
    try:
        report = services.mailbox_login(organisation=organisation, receipt=form.cleaned_data["receipt"])
    except services.MailboxBusy:
        return _busy(request, organisation)
    except services.MailboxBlocked:
        return render(request, "reporting/public/mailbox_blocked.html", {"organisation": organisation}, status=403)
    except (services.InvalidReceipt, services.MailboxLocked):
        form = MailboxLoginForm()
        return render(request, "reporting/public/mailbox_login.html",
                      {"organisation": organisation, "form": form, "login_error": _login_error()}, status=400)
    request.session.cycle_key()  # no session fixation into a mailbox
    request.session[MAILBOX_KEY] = {"org": organisation.pk, "report": report.pk, "seen": int(time.time())}
    return HttpResponseRedirect(reverse("reporting_public:mailbox", kwargs={"org": organisation.slug}))


def _require_mailbox(request: HttpRequest, organisation: Organisation) -> Report | HttpResponse:
    report = _mailbox_report(request, organisation)
    if report is None:
        return HttpResponseRedirect(
            reverse("reporting_public:mailbox", kwargs={"org": organisation.slug}) + "?verlopen=1"
        )
    return report


@csrf_exempt
@require_POST
def mailbox_reply(request: HttpRequest, org: str) -> HttpResponse:
    """The reporter answers with text and/or files (kept in memory only; CSRF checked inside)."""
    uploads.use_memory_only(request)
    return _mailbox_reply(request, org)


@csrf_protect
def _mailbox_reply(request: HttpRequest, org: str) -> HttpResponse:
    organisation = org_selectors.organisation_get_public(slug=org)
    report = _require_mailbox(request, organisation)
    if isinstance(report, HttpResponse):
        return report
    form = ReplyForm(request.POST, request.FILES)
    if uploads.too_large(request):
        form.is_valid()
        form.add_error("attachments", uploads.too_large_message())
        return _render_mailbox(request, organisation, report, reply_form=form, status=400)
    if not form.is_valid():
        return _render_mailbox(request, organisation, report, reply_form=form, status=400)
    try:
        services.reporter_message_send(
            report=report, body=form.cleaned_data["body"], attachments=form.cleaned_data["attachments"]
        )
    except uploads.UploadRejected as exc:
        form.add_error("attachments", str(exc))
        return _render_mailbox(request, organisation, report, reply_form=form, status=400)
    except services.ReportInvalid as exc:
        for key, msgs in exc.errors.items():
            form.add_error("body" if key == "body" else None, " ".join(msgs))
        return _render_mailbox(request, organisation, report, reply_form=form, status=400)
    except services.MailboxBlocked:
        request.session.pop(MAILBOX_KEY, None)
        return render(request, "reporting/public/mailbox_blocked.html", {"organisation": organisation}, status=403)
    return HttpResponseRedirect(reverse("reporting_public:mailbox", kwargs={"org": organisation.slug}) + "#berichten")


@require_POST
def mailbox_email(request: HttpRequest, org: str) -> HttpResponse:
    """Set or clear the notification address."""
    organisation = org_selectors.organisation_get_public(slug=org)
    report = _require_mailbox(request, organisation)
    if isinstance(report, HttpResponse):
        return report
    form = NotifyEmailForm(request.POST)
    if not form.is_valid():
        return _render_mailbox(request, organisation, report, email_form=form, status=400)
    services.reporter_notify_email_set(report=report, email=form.cleaned_data["notify_email"] or "")
    return _render_mailbox(request, organisation, report, notice=_("Uw e-mailadres voor seintjes is bijgewerkt."))


@require_POST
def mailbox_meeting(request: HttpRequest, org: str) -> HttpResponse:
    """Ask for a personal meeting."""
    organisation = org_selectors.organisation_get_public(slug=org)
    report = _require_mailbox(request, organisation)
    if isinstance(report, HttpResponse):
        return report
    services.reporter_meeting_request(report=report)
    return _render_mailbox(request, organisation, report,
                           notice=_("Uw verzoek om een gesprek is doorgegeven. U hoort via de postbus wanneer en waar."))


@require_POST
def mailbox_minutes_confirm(request: HttpRequest, org: str) -> HttpResponse:
    """The reporter confirms (signs) the minutes of an oral report (Wbk; EU Directive art. 18).

    Corrections go as an ordinary reply; confirming is a separate, explicit act.
    """
    from intact.reporting import services_staff

    organisation = org_selectors.organisation_get_public(slug=org)
    report = _require_mailbox(request, organisation)
    if isinstance(report, HttpResponse):
        return report
    try:
        report = services_staff.minutes_confirm_by_reporter(report=report)
    except services.ReportInvalid:
        return _render_mailbox(request, organisation, report, status=400,
                               notice=_("Bij deze melding hoort geen verslag om te bevestigen."))
    return _render_mailbox(request, organisation, report,
                           notice=_("U hebt het verslag bevestigd. Dank u wel."))


@require_POST
def mailbox_logout(request: HttpRequest, org: str) -> HttpResponse:
    """Leave the mailbox: the session forgets the report at once."""
    organisation = org_selectors.organisation_get_public(slug=org)
    request.session.pop(MAILBOX_KEY, None)
    request.session.cycle_key()
    return render(request, "reporting/public/mailbox_logged_out.html", {"organisation": organisation})


def mailbox_attachment(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Download a file of the reporter's own report."""
    organisation = org_selectors.organisation_get_public(slug=org)
    report = _mailbox_report(request, organisation)
    if report is None:
        raise Http404
    item = selectors.mailbox_attachment(report=report, attachment_id=pk)
    data = files.file_read(item.file)
    response = HttpResponse(data, content_type=item.content_type)
    safe = uploads.safe_name(item.name).replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{safe.encode("ascii", "replace").decode()}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
