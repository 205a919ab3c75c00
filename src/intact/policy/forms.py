"""Forms of the policy pages (NL Design System classes, errors linked to their fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from intact.organisations.models import Role
from intact.policy import data, indicators
from intact.policy.models import ActionSource, ActionStatus, Compliance, MatterCategory, OwnerRole

_CLASSES = {
    forms.TextInput: "utrecht-textbox utrecht-textbox--html-input",
    forms.NumberInput: "utrecht-textbox utrecht-textbox--html-input",
    forms.DateInput: "utrecht-textbox utrecht-textbox--html-input",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.ClearableFileInput: "utrecht-textbox",
    forms.FileInput: "utrecht-textbox",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class StyledForm(forms.Form):
    """NL Design System classes on every widget; errors linked to their field for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields()
        self._style()

    def add_fields(self) -> None:
        """Subclasses add fields built from data here (they get the same styling)."""

    def _style(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            for klass, css in _CLASSES.items():
                if isinstance(widget, klass):
                    widget.attrs.setdefault("class", css)
                    break
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                described = widget.attrs.get("aria-describedby", "")
                widget.attrs["aria-describedby"] = f"{described} id_{name}_error".strip()
        return valid


class UnitChoice(forms.ModelChoiceField):
    def __init__(self, units: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", _("Hele organisatie"))
        super().__init__(queryset=units, **kwargs)


class PlanCreateForm(StyledForm):
    title = forms.CharField(label=_("Titel"), max_length=200)
    unit = forms.ModelChoiceField(
        label=_("Organisatieonderdeel (optioneel)"),
        queryset=None,
        required=False,
        empty_label=_("Hele organisatie"),
    )
    author = forms.CharField(label=_("Steller"), max_length=200, required=False)
    adopting_body = forms.CharField(label=_("Vast te stellen door"), max_length=200, required=False)
    term_start = forms.DateField(label=_("Looptijd van"), widget=DateInput(), required=False)
    term_end = forms.DateField(label=_("Looptijd tot en met"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class VersionForm(StyledForm):
    """Metadata and one text area per section of the VNG format, with the sub-points as help text."""

    author = forms.CharField(label=_("Steller"), max_length=200, required=False)
    adopting_body = forms.CharField(label=_("Vast te stellen door"), max_length=200, required=False)
    term_start = forms.DateField(label=_("Looptijd van"), widget=DateInput(), required=False)
    term_end = forms.DateField(label=_("Looptijd tot en met"), widget=DateInput(), required=False)

    def add_fields(self) -> None:
        for number, section in enumerate(data.plan_format()["sections"], 1):
            self.fields[f"section_{section['code']}"] = forms.CharField(
                label=f"{number}. {data.section_title(section)}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_("Denk aan: %(points)s.")
                % {"points": "; ".join(data.section_guidance(section))},
            )

    def sections(self) -> dict[str, str]:
        return {
            k[len("section_") :]: v
            for k, v in self.cleaned_data.items()
            if k.startswith("section_")
        }

    def meta(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data[k] for k in ("author", "adopting_body", "term_start", "term_end")
        }


class AdoptForm(StyledForm):
    adopted_on = forms.DateField(label=_("Datum van vaststelling"), widget=DateInput())


class AnnualPlanForm(StyledForm):
    year = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(
        label=_("Organisatieonderdeel"),
        queryset=None,
        required=False,
        empty_label=_("Centraal jaarplan (hele organisatie)"),
        help_text=_(
            "Kies een onderdeel voor een decentraal werkplan; het telt mee in het centrale jaarplan."
        ),
    )
    plan = forms.ModelChoiceField(
        label=_("Afgeleid van integriteitsplan"),
        queryset=None,
        required=False,
        empty_label=_("(geen)"),
    )

    def __init__(self, *args: Any, units: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["plan"].queryset = plans


class MeasureForm(StyledForm):
    title = forms.CharField(label=_("Maatregel"), max_length=250)
    description = forms.CharField(
        label=_("Toelichting (optioneel)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    section = forms.ChoiceField(label=_("Hoofdstuk van het plan"), required=False)
    target_value = forms.DecimalField(
        label=_("Doel (getal)"), min_value=0, max_digits=10, decimal_places=1
    )
    target_unit = forms.CharField(
        label=_("Eenheid"), max_length=60, help_text=_("Bijvoorbeeld: sessies, afdelingen, %.")
    )
    is_percentage = forms.BooleanField(label=_("Het doel is een percentage"), required=False)
    owner_role = forms.ChoiceField(label=_("Eigenaar (rol)"), choices=OwnerRole.choices)
    budget = forms.DecimalField(
        label=_("Budget in euro (optioneel)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    fte = forms.DecimalField(
        label=_("Fte (optioneel)"), required=False, min_value=0, max_digits=6, decimal_places=2
    )
    start_on = forms.DateField(label=_("Start"), widget=DateInput())
    end_on = forms.DateField(label=_("Gereed"), widget=DateInput())
    indicator = forms.ChoiceField(
        label=_("Indicator"),
        required=False,
        help_text=_(
            "Kies een indicator als Intact de realisatie zelf kan tellen; anders houdt u de voortgang met de hand bij."
        ),
    )

    def add_fields(self) -> None:
        self.fields["section"].choices = [("", _("(geen)"))] + list(data.section_titles().items())
        self.fields["indicator"].choices = indicators.choices()


class ProgressForm(StyledForm):
    on = forms.DateField(label=_("Datum"), widget=DateInput())
    value = forms.DecimalField(
        label=_("Gerealiseerd tot nu toe"), min_value=0, max_digits=10, decimal_places=1
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResponsibilityForm(StyledForm):
    role = forms.ChoiceField(label=_("Rol"), choices=OwnerRole.choices)
    person = forms.ModelChoiceField(label=_("Persoon"), queryset=None)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class FrameworkImportForm(StyledForm):
    text = forms.CharField(
        label=_("Normenkader (YAML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "In het formaat van de ingebouwde kaders: code, version, name, source, requirements (ref_id, name, description, children)."
        ),
    )
    upload = forms.FileField(label=_("Of upload een YAML-bestand"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload:
            if upload.size > 512 * 1024:
                raise forms.ValidationError(_("Het bestand is groter dan 512 kB."))
            try:
                cleaned["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("Het bestand is geen UTF-8-tekst.")) from None
        if not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("Plak de YAML-tekst of kies een bestand."))
        return cleaned


class FrameworkCreateForm(StyledForm):
    name = forms.CharField(label=_("Naam"), max_length=250)
    version = forms.CharField(label=_("Versie"), max_length=40, initial="1")
    source = forms.CharField(label=_("Bron"), required=False)
    requirements = forms.CharField(
        label=_("Normen, één per regel"), widget=forms.Textarea(attrs={"rows": 8})
    )


class ItemForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=Compliance.choices, required=False)
    evidence = forms.CharField(
        label=_("Bewijs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Verwijzingen naar plannen, registers, documenten; één per regel."),
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(
        label=_("Eigenaar"), queryset=None, required=False, empty_label=_("(niemand)")
    )
    next_review = forms.DateField(
        label=_("Volgende beoordeling"), required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class ActionForm(StyledForm):
    title = forms.CharField(label=_("Actiepunt"), max_length=250)
    description = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.ChoiceField(label=_("Bron"), choices=ActionSource.choices)
    source_label = forms.CharField(
        label=_("Bron (omschrijving)"), required=False, help_text=_("Bijv. Jaarverslag 2019.")
    )
    owner_role = forms.ChoiceField(label=_("Eigenaar (rol)"), choices=OwnerRole.choices)
    owner = forms.ModelChoiceField(
        label=_("Eigenaar (persoon, optioneel)"),
        queryset=None,
        required=False,
        empty_label=_("(niemand)"),
    )
    due_on = forms.DateField(label=_("Uiterlijk gereed"), widget=DateInput())

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class ActionStatusForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=[c for c in ActionStatus.choices if c[0] != ActionStatus.CARRIED_OVER],
    )
    reason = forms.CharField(
        label=_("Reden of toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht als het actiepunt vervalt."),
    )


class CarryOverForm(StyledForm):
    annual_plan = forms.ModelChoiceField(label=_("Naar jaarplan"), queryset=None)
    target_value = forms.DecimalField(
        label=_("Doel (getal)"), min_value=0, max_digits=10, decimal_places=1
    )
    target_unit = forms.CharField(label=_("Eenheid"), max_length=60)

    def __init__(self, *args: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["annual_plan"].queryset = plans


INQUIRY_ROLE_CHOICES = [
    (r.value, r.label)
    for r in (
        Role.MANAGER,
        Role.COUNSELLOR,
        Role.COORDINATOR,
        Role.INVESTIGATOR,
        Role.COMPETENT_AUTHORITY,
    )
]


class InquirySettingsForm(StyledForm):
    rounds_per_year = forms.IntegerField(label=_("Rondes per jaar"), min_value=1, max_value=12)
    roles = forms.MultipleChoiceField(
        label=_("Wie krijgt de uitvraag (rollen)"),
        choices=INQUIRY_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    extra_people = forms.ModelMultipleChoiceField(
        label=_("Ook vragen aan (bijvoorbeeld HR-adviseurs)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    answer_days = forms.IntegerField(label=_("Dagen om te antwoorden"), min_value=1, max_value=120)
    reminder_days = forms.IntegerField(label=_("Herinnering na dagen"), min_value=1, max_value=60)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["extra_people"].queryset = people


class RoundOpenForm(StyledForm):
    period_start = forms.DateField(label=_("Over de periode van"), widget=DateInput())
    period_end = forms.DateField(label=_("tot en met"), widget=DateInput())
    due_on = forms.DateField(label=_("Antwoord uiterlijk"), widget=DateInput())


class AnswerForm(StyledForm):
    """Nothing to report, or up to three matters (more rounds of the form add more)."""

    MATTERS = 3
    nothing_to_report = forms.BooleanField(
        label=_("Er is in deze periode niets te melden"), required=False
    )

    def add_fields(self) -> None:
        for i in range(1, self.MATTERS + 1):
            self.fields[f"category_{i}"] = forms.ChoiceField(
                label=_("Zaak %(n)s: soort") % {"n": i},
                required=False,
                choices=[("", _("(kies)"))] + list(MatterCategory.choices),
            )
            self.fields[f"description_{i}"] = forms.CharField(
                label=_("Zaak %(n)s: korte omschrijving") % {"n": i},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Wat speelde er, zonder meer namen dan nodig.") if i == 1 else "",
            )
            self.fields[f"already_reported_{i}"] = forms.BooleanField(
                label=_("Zaak %(n)s is al gemeld (bij de coördinator of via het meldpunt)")
                % {"n": i},
                required=False,
            )

    def matters(self) -> list[dict[str, Any]]:
        out = []
        for i in range(1, self.MATTERS + 1):
            text = (self.cleaned_data.get(f"description_{i}") or "").strip()
            if text:
                out.append(
                    {
                        "category": self.cleaned_data.get(f"category_{i}"),
                        "description": text,
                        "already_reported": self.cleaned_data.get(f"already_reported_{i}", False),
                    }
                )
        return out


class MatterHandledForm(StyledForm):
    note = forms.CharField(label=_("Hoe is deze zaak verwerkt?"), max_length=200)
