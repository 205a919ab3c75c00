"""Forms of the reporter's pages (reporting page and mailbox). Plain HTML, no JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from intact.reporting.models import Anonymity, Question, QuestionKind, ReportType

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
AREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 6}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the checks live in ``uploads`` (called by the service)."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={
                    "class": "utrecht-textbox utrecht-textbox--html-input",
                    "accept": ".pdf,.jpg,.jpeg,.png,.docx,.odt,.txt,.mp3,.m4a",
                }
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class TopicForm(forms.Form):
    """Step 1: what the report is about."""

    report_type = forms.ChoiceField(
        label=_("Waar gaat uw melding over?"),
        choices=ReportType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies waar uw melding over gaat."),
            "invalid_choice": _("Kies een van de onderwerpen."),
        },
    )


class HowForm(forms.Form):
    """Step 2: named, confidential or anonymous."""

    anonymity = forms.ChoiceField(
        label=_("Hoe wilt u melden?"),
        choices=Anonymity.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies hoe u wilt melden."),
            "invalid_choice": _("Kies een van de manieren van melden."),
        },
    )


def _question_field(q: Question, language: str) -> forms.Field:
    label = q.text(language)
    help_text = q.help(language)
    common: dict[str, Any] = {
        "label": label,
        "help_text": help_text,
        "required": q.required,
        "error_messages": {
            "required": _("Beantwoord deze vraag."),
            "invalid_choice": _("Kies een van de mogelijkheden."),
            "max_length": _("Dit antwoord is te lang."),
        },
    }
    if q.kind == QuestionKind.TEXT:
        return forms.CharField(max_length=500, widget=forms.TextInput(attrs=TEXT), **common)
    if q.kind == QuestionKind.DATE:
        return forms.DateField(
            widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"),
            **{**common, "error_messages": {**common["error_messages"], "invalid": _("Vul een datum in als JJJJ-MM-DD.")}},
        )
    if q.kind == QuestionKind.CHOICE:
        choices = [(c["value"], q.choice_label(c, language)) for c in q.choices]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if q.kind == QuestionKind.YESNO:
        return forms.ChoiceField(
            choices=[("yes", _("Ja")), ("no", _("Nee")), ("unknown", _("Weet ik niet"))],
            widget=forms.RadioSelect,
            **common,
        )
    return forms.CharField(max_length=20000, widget=forms.Textarea(attrs=AREA), **common)


class DetailsForm(forms.Form):
    """Step 3: the questionnaire for the chosen type, who is involved, contact."""

    def __init__(self, *args: Any, questions: list[Question], anonymity: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "nl"
        self.question_keys = []
        for q in questions:
            name = f"q_{q.key}"
            self.fields[name] = _question_field(q, language)
            self.question_keys.append((q.key, name))
        self.fields["implicated"] = forms.CharField(
            label=_("Wie gaat de melding aan? (optioneel)"),
            help_text=_(
                "Eén naam of functie per regel. Wie u hier noemt, krijgt nooit toegang tot uw melding."
            ),
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={**AREA, "rows": 3}),
        )
        self.anonymity = anonymity
        if anonymity != Anonymity.ANONYMOUS:
            self.fields["name"] = forms.CharField(
                label=_("Uw naam"),
                max_length=200,
                widget=forms.TextInput(attrs={**TEXT, "autocomplete": "name"}),
                error_messages={"required": _("Vul uw naam in, of ga terug en kies voor anoniem melden.")},
            )
            self.fields["email"] = forms.EmailField(
                label=_("Uw e-mailadres (optioneel)"),
                required=False,
                max_length=254,
                widget=forms.EmailInput(attrs={**TEXT, "autocomplete": "email"}),
                error_messages={"invalid": _("Vul een geldig e-mailadres in.")},
            )
            self.fields["phone"] = forms.CharField(
                label=_("Uw telefoonnummer (optioneel)"),
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs={**TEXT, "autocomplete": "tel", "inputmode": "tel"}),
            )
        self.fields["notify_email"] = forms.EmailField(
            label=_("E-mailadres voor een seintje bij een nieuw bericht (optioneel)"),
            help_text=_(
                "Wij sturen alleen een seintje dat er een bericht klaarstaat, nooit de inhoud. "
                "Let op: een e-mailadres kan verraden wie u bent. Wilt u anoniem blijven, gebruik dan "
                "een nieuw adres dat niet naar u te herleiden is, of laat dit leeg en kijk zelf in de postbus."
            ),
            required=False,
            max_length=254,
            widget=forms.EmailInput(attrs=TEXT),
            error_messages={"invalid": _("Vul een geldig e-mailadres in.")},
        )
        self.fields["meeting_requested"] = forms.BooleanField(
            label=_("Ik wil graag een persoonlijk gesprek"),
            help_text=_("Een gesprek kan ook met een vertrouwenspersoon. Wij nemen contact op via de postbus."),
            required=False,
        )

    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, name in self.question_keys:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            out[key] = value.isoformat() if hasattr(value, "isoformat") else value
        return out

    def implicated(self) -> list[str]:
        text = self.cleaned_data.get("implicated") or ""
        return [line.strip() for line in text.splitlines() if line.strip()][:20]

    def identity(self) -> dict[str, str] | None:
        if self.anonymity == Anonymity.ANONYMOUS:
            return None
        return {k: self.cleaned_data.get(k) or "" for k in ("name", "email", "phone")}


class SubmitForm(forms.Form):
    """Step 4: files and the final submit."""

    attachments = MultipleFileField(
        label=_("Bestanden toevoegen"),
        help_text=_(
            "PDF, JPG, PNG, DOCX, ODT, TXT, MP3 of M4A; ten hoogste 10 MB per bestand en 25 MB samen. "
            "Uit foto's verwijderen wij de metadata (zoals GPS-locatie en toestel). "
            "Documenten en geluid kunnen zelf ook gegevens over u bevatten, zoals de auteur: controleer dat voordat u ze toevoegt."
        ),
    )


class ReceiptConfirmForm(forms.Form):
    """The reporter confirms having saved the receipt before going on."""

    token = forms.CharField(widget=forms.HiddenInput)
    saved = forms.BooleanField(
        label=_("Ik heb mijn ontvangstbewijs opgeschreven of veilig bewaard"),
        error_messages={"required": _("Bevestig dat u uw ontvangstbewijs hebt bewaard. Zonder bewijs kunt u de postbus niet openen.")},
    )


class MailboxLoginForm(forms.Form):
    receipt = forms.CharField(
        label=_("Ontvangstbewijs"),
        help_text=_("20 tekens, bijvoorbeeld 7KQ2M-XR9TD-4HN8P-W3ZCB. Streepjes en hoofdletters maken niet uit."),
        max_length=64,
        widget=forms.TextInput(
            attrs={**TEXT, "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Vul uw ontvangstbewijs in.")},
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Uw bericht"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs=AREA),
        error_messages={"max_length": _("Het bericht is te lang.")},
    )
    attachments = MultipleFileField(
        label=_("Bestanden toevoegen"),
        help_text=SubmitForm.base_fields["attachments"].help_text,
    )


class NotifyEmailForm(forms.Form):
    notify_email = forms.EmailField(
        label=_("E-mailadres voor een seintje"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs=TEXT),
        error_messages={"invalid": _("Vul een geldig e-mailadres in.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notify_email"].help_text = _(
            "Wij sturen alleen een seintje dat er een bericht klaarstaat, nooit de inhoud. "
            "Een e-mailadres kan verraden wie u bent. Laat het leeg om geen seintjes te krijgen."
        )
