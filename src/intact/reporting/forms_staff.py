"""Forms of the staff side of reporting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from intact.organisations.models import Role
from intact.reporting.models import Anonymity, Channel, OralRecord, ReportType
from intact.reporting.models_procedures import StepKind, TermUnit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "utrecht-textbox"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "utrecht-textarea", "rows": rows})


class ActionErrorForm(forms.Form):
    """Carries the error of an action without fields (shown in the error summary)."""


class _OwnIds(forms.Form):
    """Several forms share one page: each gets its own id prefix (ids must be unique)."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class MessageForm(_OwnIds):
    id_prefix = "message"
    body = forms.CharField(label=_("Bericht aan de melder"), widget=_textarea(), max_length=20000)
    files = MultipleFileField(label=_("Bestanden"))


class NoteForm(_OwnIds):
    id_prefix = "note"
    body = forms.CharField(
        label=_("Interne notitie"),
        help_text=_("De melder ziet deze notitie nooit."),
        widget=_textarea(4),
        max_length=20000,
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van afsluiten"),
        help_text=_("De melder krijgt deze reden te zien in de postbus."),
        widget=_textarea(4),
        max_length=5000,
    )


class RevealRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden om de identiteit te zien"),
        help_text=_("Een bewaarder beslist over uw verzoek. Alles wordt vastgelegd."),
        widget=_textarea(3),
        max_length=2000,
    )


class RevealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("approve", _("Goedkeuren")), ("refuse", _("Weigeren"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Toelichting"), widget=_textarea(3), required=False, max_length=2000)


class TermExtendForm(forms.Form):
    term = forms.IntegerField(widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("Aantal dagen"), min_value=1, max_value=365,
                              widget=forms.NumberInput(attrs={"class": "utrecht-textbox"}))
    reason = forms.CharField(label=_("Reden van verlenging"), widget=_textarea(2), max_length=2000)


class TermPauseForm(forms.Form):
    term = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reden van opschorten"), widget=_textarea(2), max_length=2000,
                             required=False)


INTAKE_CHANNELS = [(c.value, c.label) for c in Channel if c not in (Channel.WEB, Channel.COUNSELLOR)]


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(label=_("Hoe kwam de melding binnen?"), choices=INTAKE_CHANNELS,
                                widget=forms.Select(attrs={"class": "utrecht-select"}))
    report_type = forms.ChoiceField(label=_("Waar gaat de melding over?"), choices=ReportType.choices,
                                    widget=forms.Select(attrs={"class": "utrecht-select"}))
    anonymity = forms.ChoiceField(label=_("Wijze van melden"), choices=Anonymity.choices,
                                  widget=forms.Select(attrs={"class": "utrecht-select"}))
    through_counsellor = forms.BooleanField(
        label=_("Anoniem via de vertrouwenspersoon"),
        help_text=_("U kent de melder; de registratie niet. Er wordt geen identiteit opgeslagen."),
        required=False,
    )
    name = forms.CharField(label=_("Naam van de melder"), required=False, max_length=200,
                           widget=forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}))
    email = forms.EmailField(label=_("E-mailadres van de melder"), required=False,
                             widget=forms.EmailInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}))
    phone = forms.CharField(label=_("Telefoonnummer van de melder"), required=False, max_length=40,
                            widget=forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}))
    what = forms.CharField(label=_("Wat is er gemeld?"), widget=_textarea(6), max_length=20000)
    implicated = forms.CharField(label=_("Betrokkenen (één per regel)"), widget=_textarea(2),
                                 required=False, max_length=2000)
    oral_record = forms.ChoiceField(
        label=_("Vastlegging van een mondelinge melding"),
        choices=[("", _("Niet van toepassing (schriftelijk)")), (OralRecord.MINUTES, OralRecord.MINUTES.label),
                 (OralRecord.RECORDING, OralRecord.RECORDING.label)],
        required=False,
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    recording_consent = forms.BooleanField(label=_("De melder geeft toestemming voor de opname"), required=False)
    minutes = forms.CharField(
        label=_("Verslag van het gesprek"),
        help_text=_("Het verslag gaat naar de postbus van de melder, die het kan controleren, verbeteren en bevestigen."),
        widget=_textarea(6), required=False, max_length=20000,
    )
    files = MultipleFileField(label=_("Bestanden (bijvoorbeeld de brief, de e-mail of de opname)"))


class SettingsForm(forms.Form):
    custodian_role = forms.ChoiceField(
        label=_("Bewaarder van verzegelde identiteiten"),
        choices=[(r.value, r.label) for r in Role if r in (Role.COUNSELLOR, Role.COORDINATOR,
                                                           Role.COMPETENT_AUTHORITY, Role.MANAGER)],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    reminder_days_before = forms.IntegerField(
        label=_("Herinnering zoveel dagen voor het verstrijken van een termijn"), min_value=0, max_value=30,
        widget=forms.NumberInput(attrs={"class": "utrecht-textbox"}),
    )


ROLE_CHOICES = [("", "–")] + [(r.value, r.label) for r in Role if r not in (Role.TECHNICAL_ADMIN, Role.AUDITOR,
                                                                             Role.EMPLOYEE)]


class StepForm(forms.Form):
    position = forms.IntegerField(label=_("Trede"), min_value=1, max_value=9,
                                  widget=forms.NumberInput(attrs={"class": "utrecht-textbox"}))
    kind = forms.ChoiceField(label=_("Soort stap"), choices=StepKind.choices,
                             widget=forms.Select(attrs={"class": "utrecht-select"}))
    role = forms.ChoiceField(label=_("Rol"), choices=ROLE_CHOICES, required=False,
                             widget=forms.Select(attrs={"class": "utrecht-select"}))
    organ = forms.TypedChoiceField(label=_("Integriteitsorgaan"), coerce=int, required=False, empty_value=None,
                                   widget=forms.Select(attrs={"class": "utrecht-select"}))
    label_nl = forms.CharField(label=_("Andere partij (Nederlands)"), required=False, max_length=200,
                               widget=forms.TextInput(attrs={"class": "utrecht-textbox"}))
    label_en = forms.CharField(label=_("Andere partij (Engels)"), required=False, max_length=200,
                               widget=forms.TextInput(attrs={"class": "utrecht-textbox"}))
    DELETE = forms.BooleanField(label=_("Stap verwijderen"), required=False)

    def __init__(self, *args, organs=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organ"].choices = [("", "–")] + [(o.pk, o.name) for o in organs]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if not data.get("DELETE") and not (data.get("role") or data.get("organ") or data.get("label_nl")):
            raise forms.ValidationError(_("Kies een rol of een orgaan, of vul een andere partij in."))
        return data


class ProcedureMetaForm(forms.Form):
    change_note = forms.CharField(label=_("Toelichting bij de wijziging"), max_length=300,
                                  widget=forms.TextInput(attrs={"class": "utrecht-textbox"}))


class TermDefinitionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40,
                           help_text=_("Een bestaande code van een eigen termijn maakt een nieuwe versie."),
                           widget=forms.TextInput(attrs={"class": "utrecht-textbox"}))
    name_nl = forms.CharField(label=_("Naam (Nederlands)"), max_length=200,
                              widget=forms.TextInput(attrs={"class": "utrecht-textbox"}))
    name_en = forms.CharField(label=_("Naam (Engels)"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"class": "utrecht-textbox"}))
    length = forms.IntegerField(label=_("Lengte"), min_value=1, max_value=730,
                                widget=forms.NumberInput(attrs={"class": "utrecht-textbox"}))
    unit = forms.ChoiceField(label=_("Eenheid"), choices=TermUnit.choices,
                             widget=forms.Select(attrs={"class": "utrecht-select"}))
    starts_on = forms.ChoiceField(label=_("Begint bij"), choices=[("received", _("ontvangst")),
                                                                  ("acknowledged", _("ontvangstbevestiging"))],
                                  widget=forms.Select(attrs={"class": "utrecht-select"}))
    met_by = forms.MultipleChoiceField(label=_("Voldaan door"), widget=forms.CheckboxSelectMultiple,
                                       choices=[("acknowledged", _("ontvangstbevestiging")),
                                                ("feedback_given", _("terugkoppeling")),
                                                ("case_opened", _("in behandeling genomen")),
                                                ("closed", _("afsluiten"))])
    applies_to = forms.MultipleChoiceField(label=_("Geldt voor"), widget=forms.CheckboxSelectMultiple,
                                           choices=ReportType.choices)
    extendable = forms.BooleanField(label=_("Verlengbaar (met reden)"), required=False)
    max_extension_days = forms.IntegerField(label=_("Maximale verlenging (dagen)"), min_value=1, max_value=365,
                                            required=False, widget=forms.NumberInput(attrs={"class": "utrecht-textbox"}))
    pausable = forms.BooleanField(label=_("Op te schorten (met reden)"), required=False)
