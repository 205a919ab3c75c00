"""Forms of the register pages. They only parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from intact.organisations.models import ContractType
from intact.registers.models import (
    ActivityStatus,
    CheckKind,
    CheckStatus,
    CommitmentForm,
    CommitmentRule,
    FinancialKind,
    GiftDecision,
    GiftKind,
    Measure,
    ReviewStatus,
)

MAX_UPLOAD = 5 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class StyledForm(forms.Form):
    """Adds the NL Design System classes to every widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, fld in self.fields.items():
            widget = fld.widget
            css = {
                forms.Textarea: "utrecht-textarea",
                forms.Select: "utrecht-select",
                forms.CheckboxInput: "utrecht-checkbox",
                forms.CheckboxSelectMultiple: "",
                forms.RadioSelect: "",
                forms.ClearableFileInput: "",
                forms.FileInput: "",
            }.get(type(widget), "utrecht-textbox")
            if css:
                widget.attrs.setdefault("class", css)
            if fld.help_text:
                widget.attrs.setdefault("aria-describedby", f"id_{name}_help")

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


def _yes_no() -> list[tuple[str, str]]:
    return [("no", _("Nee")), ("yes", _("Ja"))]


class ActivityDeclareForm(StyledForm):
    description = forms.CharField(label=_("Wat doet u?"), max_length=300)
    for_whom = forms.CharField(label=_("Voor wie (organisatie of opdrachtgever)?"), max_length=300)
    hours_per_month = forms.DecimalField(
        label=_("Hoeveel uur per maand?"),
        min_value=0,
        max_value=744,
        decimal_places=1,
        max_digits=5,
    )
    paid = forms.TypedChoiceField(
        label=_("Wordt u ervoor betaald?"),
        choices=_yes_no,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    conflict_possible = forms.TypedChoiceField(
        label=_("Kan het werk raken aan uw functie (mogelijke belangenverstrengeling)?"),
        choices=_yes_no,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    conflict_explanation = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Verplicht als u hierboven 'Ja' kiest."),
    )
    started_on = forms.DateField(label=_("Sinds wanneer?"), required=False, widget=DateInput())


class AssessForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Oordeel"),
        choices=[
            (s.value, s.label)
            for s in ActivityStatus
            if s not in (ActivityStatus.DECLARED, ActivityStatus.ENDED)
        ],
        widget=forms.RadioSelect,
    )
    conditions = forms.CharField(
        label=_("Voorwaarden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij 'Toegestaan onder voorwaarden'."),
    )
    reasons = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 4}))


class GiftDeclareForm(StyledForm):
    kind = forms.ChoiceField(label=_("Soort"), choices=GiftKind.choices, widget=forms.RadioSelect)
    giver = forms.CharField(label=_("Van wie (gever)?"), max_length=200)
    occasion = forms.CharField(label=_("Aanleiding"), max_length=300)
    estimated_value = forms.DecimalField(
        label=_("Geschatte waarde in euro"), min_value=0, max_digits=9, decimal_places=2
    )
    received_on = forms.DateField(
        label=_("Datum ontvangen of datum van de uitnodiging"), widget=DateInput()
    )


class GiftDecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[(d.value, d.label) for d in GiftDecision if d != GiftDecision.PENDING],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FinancialDeclareForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Soort melding"), choices=FinancialKind.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Welk belang of welke transactie; niet nodig bij een nihilverklaring."),
    )


class FinancialReviewForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Oordeel"),
        choices=[(s.value, s.label) for s in ReviewStatus if s != ReviewStatus.SUBMITTED],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DesignationForm(StyledForm):
    position = forms.CharField(label=_("Functie"), required=False, max_length=200)
    person = forms.ModelChoiceField(label=_("Of één persoon"), queryset=None, required=False)
    reason = forms.CharField(label=_("Reden van aanwijzing"), required=False, max_length=300)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class CeremonyForm(StyledForm):
    people = forms.ModelMultipleChoiceField(
        label=_("Wie legden de eed of belofte af of tekenden de verklaring?"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    oath_form = forms.ChoiceField(
        label=_("Eed of belofte"),
        choices=[
            (CommitmentForm.OATH, CommitmentForm.OATH.label),
            (CommitmentForm.AFFIRMATION, CommitmentForm.AFFIRMATION.label),
        ],
        widget=forms.RadioSelect,
        initial=CommitmentForm.OATH,
        help_text=_("Voor wie een integriteitsverklaring tekent, geldt dit niet."),
    )
    taken_on = forms.DateField(label=_("Datum"), widget=DateInput())
    sworn_before = forms.CharField(label=_("Ten overstaan van"), max_length=200, required=False)
    witness = forms.CharField(label=_("Getuige"), max_length=200, required=False)
    ceremony = forms.CharField(label=_("Bijeenkomst"), max_length=200, required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda p: (
            f"{p.full_name} ({p.get_contract_type_display()}, {p.unit or '-'})"
        )


class CodeVersionForm(StyledForm):
    title = forms.CharField(label=_("Titel"), max_length=200)
    version = forms.CharField(label=_("Versie"), max_length=40)
    adopted_on = forms.DateField(label=_("Vastgesteld op"), widget=DateInput())
    text = forms.CharField(
        label=_("Tekst"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    file = forms.FileField(label=_("Of een bestand (PDF)"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Het bestand is groter dan 5 MB."))
        return upload


class VulnerablePositionForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Organisatieonderdeel"), queryset=None, required=False)
    position = forms.CharField(label=_("Functie"), max_length=200)
    risk = forms.CharField(label=_("Risico"), widget=forms.Textarea(attrs={"rows": 4}))
    measures = forms.MultipleChoiceField(
        label=_("Maatregelen"),
        choices=Measure.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_measure = forms.CharField(label=_("Andere maatregel"), max_length=300, required=False)
    assessed_on = forms.DateField(label=_("Geïnventariseerd op"), widget=DateInput())
    review_on = forms.DateField(label=_("Herbeoordelen op"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ScreeningProfileForm(StyledForm):
    name = forms.CharField(label=_("Naam"), max_length=200)
    checks = forms.MultipleChoiceField(
        label=_("Controles"), choices=CheckKind.choices, widget=forms.CheckboxSelectMultiple
    )
    positions = forms.CharField(
        label=_("Functies"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén functie per regel."),
    )
    rescreen_months = forms.IntegerField(
        label=_("Opnieuw screenen na (maanden)"), required=False, min_value=1, max_value=240
    )


class ScreeningStartForm(StyledForm):
    profile = forms.ModelChoiceField(label=_("Screeningsprofiel"), queryset=None)

    def __init__(self, *args: Any, profiles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles


class ScreeningCheckForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=CheckStatus.choices)
    completed_on = forms.DateField(label=_("Uitgevoerd op"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Aantekening"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SettingsForm(StyledForm):
    oath_term_months = forms.IntegerField(
        label=_("Termijn eed of belofte (maanden na indiensttreding)"), min_value=0, max_value=24
    )
    commitment_employee = forms.ChoiceField(
        label=ContractType.EMPLOYEE.label, choices=CommitmentRule.choices
    )
    commitment_external = forms.ChoiceField(
        label=ContractType.EXTERNAL.label, choices=CommitmentRule.choices
    )
    commitment_volunteer = forms.ChoiceField(
        label=ContractType.VOLUNTEER.label, choices=CommitmentRule.choices
    )
    publish_min_salary_scale = forms.IntegerField(
        label=_("Nevenwerkzaamheden openbaar vanaf salarisschaal"),
        required=False,
        min_value=1,
        max_value=30,
    )
    publish_positions = forms.CharField(
        label=_("Functies waarvan nevenwerkzaamheden openbaar zijn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén functie per regel."),
    )
    reconfirm_months = forms.IntegerField(
        label=_("Nevenwerkzaamheden opnieuw bevestigen na (maanden)"), min_value=1, max_value=60
    )
    gift_threshold = forms.DecimalField(
        label=_("Drempel geschenken (euro)"), min_value=0, max_digits=8, decimal_places=2
    )
    invitations_need_approval = forms.BooleanField(
        label=_("Uitnodigingen altijd ter goedkeuring"), required=False
    )
    code_reminder_after_days = forms.IntegerField(
        label=_("Herinnering gedragscode na (dagen)"), min_value=1, max_value=365
    )
    code_reminder_interval_days = forms.IntegerField(
        label=_("Herinnering herhalen na (dagen)"), min_value=1, max_value=365
    )


class ImportUploadForm(StyledForm):
    register = forms.ChoiceField(label=_("Register"), choices=())
    file = forms.FileField(label=_("Bestand (CSV of XLSX)"))

    def __init__(self, *args: Any, registers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["register"].choices = registers

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Het bestand is groter dan 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Alleen CSV- en XLSX-bestanden."))
        return upload
