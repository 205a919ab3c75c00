"""Forms of the case pages. Validation of meaning lives in the services; these parse input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intact.cases import config, triage
from intact.cases.models import (
    Assignment,
    Conclusion,
    InvestigationDecision,
    NotificationKind,
    Origin,
    PartyRole,
    Severity,
    TeamRole,
)

TEXTAREA = forms.Textarea(attrs={"class": "utrecht-textarea", "rows": 4})
TEXT = forms.TextInput(attrs={"class": "utrecht-textbox"})
SELECT = forms.Select(attrs={"class": "utrecht-select"})
DATE = forms.DateInput(attrs={"class": "utrecht-textbox", "type": "date"}, format="%Y-%m-%d")


def _report_types() -> list[tuple[str, Any]]:
    from intact.reporting.choices import ReportType

    return list(ReportType.choices)


def _channels() -> list[tuple[str, Any]]:
    from intact.reporting.choices import Channel

    return [("", _("Onbekend"))] + list(Channel.choices)


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Zoeken"),
        required=False,
        max_length=100,
        widget=TEXT,
        help_text=_("Kenmerk, naam van een partij of samenvatting."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, widget=SELECT)
    category = forms.ChoiceField(label=_("Categorie"), required=False, widget=SELECT)
    severity = forms.ChoiceField(
        label=_("Ernst"),
        required=False,
        widget=SELECT,
        choices=[("", _("Alle"))] + list(Severity.choices),
    )
    unit = forms.TypedChoiceField(
        label=_("Organisatieonderdeel"), required=False, coerce=int, empty_value=None, widget=SELECT
    )
    year = forms.TypedChoiceField(
        label=_("Jaar"), required=False, coerce=int, empty_value=None, widget=SELECT
    )
    overdue = forms.BooleanField(label=_("Alleen met verlopen acties"), required=False)

    def __init__(
        self, *args: Any, organisation: Any, categories: list[Any], units: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        flow = config.workflow_for(organisation, "")
        self.fields["status"].choices = [("", _("Alle"))] + [
            (s["code"], config.label(s)) for s in flow["states"]
        ]
        self.fields["category"].choices = [("", _("Alle"))] + [(c.code, c.name) for c in categories]
        self.fields["unit"].choices = [("", _("Alle"))] + [(u.pk, u.name) for u in units]
        this_year = timezone.localdate().year
        self.fields["year"].choices = [("", _("Alle"))] + [
            (y, str(y)) for y in range(this_year, this_year - 8, -1)
        ]


class RegisterForm(forms.Form):
    origin = forms.ChoiceField(
        label=_("Herkomst"),
        widget=SELECT,
        choices=[c for c in Origin.choices if c[0] != Origin.REPORT],
    )
    report_type = forms.ChoiceField(label=_("Soort melding"), widget=SELECT)
    received_on = forms.DateField(label=_("Binnengekomen op"), widget=DATE)
    channel = forms.ChoiceField(label=_("Kanaal"), required=False, widget=SELECT)
    unit = forms.TypedChoiceField(
        label=_("Organisatieonderdeel"), required=False, coerce=int, empty_value=None, widget=SELECT
    )
    commissioning_authority = forms.CharField(
        label=_("Opdrachtgever"), required=False, max_length=200, widget=TEXT
    )
    description = forms.CharField(
        label=_("Omschrijving (vertrouwelijk)"), widget=TEXTAREA, max_length=20000
    )
    object_of_investigation = forms.CharField(
        label=_("Object van onderzoek"), required=False, widget=TEXTAREA, max_length=5000
    )
    categories = forms.MultipleChoiceField(
        label=_("Categorieën"), required=False, widget=forms.CheckboxSelectMultiple
    )
    accused = forms.CharField(
        label=_("Beschuldigde (naam of omschrijving)"), required=False, max_length=300, widget=TEXT
    )

    def __init__(self, *args: Any, categories: list[Any], units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report_type"].choices = _report_types()
        self.fields["channel"].choices = _channels()
        self.fields["unit"].choices = [("", _("Geen / onbekend"))] + [(u.pk, u.name) for u in units]
        self.fields["categories"].choices = [(c.pk, c.name) for c in categories]


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_(
            "Heeft u een persoonlijk belang bij deze zaak of een band met een van de betrokkenen?"
        ),
        choices=[
            ("no", _("Nee, ik heb geen belang en geen band")),
            ("yes", _("Ja, ik heb een mogelijk belang")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Toelichting bij een mogelijk belang"),
        required=False,
        widget=TEXTAREA,
        max_length=2000,
    )


class FileForm(forms.Form):
    commissioning_authority = forms.CharField(
        label=_("Opdrachtgever"),
        required=False,
        max_length=200,
        widget=TEXT,
        help_text=_("Bijvoorbeeld: directeur, bureauhoofd, bevoegd gezag."),
    )
    description = forms.CharField(
        label=_("Omschrijving (vertrouwelijk)"), required=False, widget=TEXTAREA
    )
    object_of_investigation = forms.CharField(
        label=_("Object van onderzoek"), required=False, widget=TEXTAREA
    )
    unit = forms.TypedChoiceField(
        label=_("Organisatieonderdeel"), required=False, coerce=int, empty_value=None, widget=SELECT
    )
    categories = forms.MultipleChoiceField(
        label=_("Categorieën"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, categories: list[Any], units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Geen / onbekend"))] + [(u.pk, u.name) for u in units]
        self.fields["categories"].choices = [(c.pk, c.name) for c in categories]


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=PartyRole.choices, widget=SELECT)
    name = forms.CharField(
        label=_("Naam of omschrijving"), required=False, max_length=300, widget=TEXT
    )
    person = forms.TypedChoiceField(
        label=_("Persoon in de organisatie"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=SELECT,
    )
    note = forms.CharField(label=_("Toelichting"), required=False, widget=TEXTAREA, max_length=2000)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Geen koppeling"))] + [
            (p.pk, p.full_name) for p in people
        ]


class TriageForm(forms.Form):
    """Fields built from the organisation's triage instrument."""

    def __init__(self, *args: Any, instrument: dict[str, Any], kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = triage.criteria_for(instrument, kind)
        for criterion in self.criteria:
            key = f"c_{criterion['key']}"
            if criterion.get("kind") == "flag":
                self.fields[key] = forms.BooleanField(label=config.label(criterion), required=False)
            else:
                choices = [("", _("Niet van toepassing / onbekend"))] + [
                    (o["value"], config.label(o)) for o in criterion.get("options", [])
                ]
                self.fields[key] = forms.ChoiceField(
                    label=config.label(criterion), choices=choices, required=False, widget=SELECT
                )
        self.fields["severity"] = forms.ChoiceField(
            label=_("Ernst (leeg: zoals berekend)"),
            required=False,
            widget=SELECT,
            choices=[("", _("Zoals berekend"))]
            + [(lvl["code"], config.label(lvl)) for lvl in instrument["levels"]],
        )
        self.fields["motivation"] = forms.CharField(
            label=_("Motivering"), widget=TEXTAREA, max_length=10000
        )

    def answers(self) -> dict[str, Any]:
        return {c["key"]: self.cleaned_data.get(f"c_{c['key']}") for c in self.criteria}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        widget=forms.RadioSelect,
        choices=[c for c in InvestigationDecision.choices if c[0]],
    )
    motivation = forms.CharField(label=_("Motivering (intern)"), widget=TEXTAREA, max_length=10000)
    message_to_reporter = forms.CharField(
        label=_("Bericht aan de melder"),
        required=False,
        widget=TEXTAREA,
        max_length=10000,
        help_text=_("Gaat naar de postbus van de melder. Leeg: een standaardtekst."),
    )


class AssignmentForm(forms.Form):
    assignment = forms.ChoiceField(
        label=_("Onderzoek door"), choices=[c for c in Assignment.choices if c[0]], widget=SELECT
    )
    assignee_label = forms.CharField(
        label=_("Naam onderzoeker of bureau"), required=False, max_length=200, widget=TEXT
    )
    plan = forms.CharField(
        label=_("Onderzoeksplan"), required=False, widget=TEXTAREA, max_length=20000
    )


class HearingForm(forms.Form):
    party = forms.TypedChoiceField(label=_("Gehoorde partij"), coerce=int, widget=SELECT)
    held_on = forms.DateField(label=_("Datum van het gesprek"), widget=DATE)
    record = forms.CharField(label=_("Verslag"), widget=TEXTAREA, max_length=50000)

    def __init__(self, *args: Any, parties: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [
            (p.pk, f"{p.display_name()} ({p.get_role_display()})") for p in parties
        ]


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Reactie van de gehoorde op het verslag"),
        required=False,
        widget=TEXTAREA,
        max_length=20000,
    )
    waived = forms.BooleanField(label=_("De gehoorde ziet af van een reactie"), required=False)


class FindingsForm(forms.Form):
    findings = forms.CharField(label=_("Bevindingen"), widget=TEXTAREA, max_length=50000)
    conclusion = forms.ChoiceField(
        label=_("Conclusie"),
        widget=forms.RadioSelect,
        choices=[c for c in Conclusion.choices if c[0]],
    )


class MeasureForm(forms.Form):
    measure_type = forms.TypedChoiceField(label=_("Maatregel"), coerce=int, widget=SELECT)
    party = forms.TypedChoiceField(
        label=_("Voor"), required=False, coerce=int, empty_value=None, widget=SELECT
    )
    decided_on = forms.DateField(label=_("Besloten op"), widget=DATE, required=False)
    note = forms.CharField(label=_("Toelichting"), required=False, widget=TEXTAREA, max_length=5000)

    def __init__(
        self, *args: Any, measure_types: list[Any], parties: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure_type"].choices = [(m.pk, m.name) for m in measure_types]
        self.fields["party"].choices = [("", _("Niet persoonsgebonden"))] + [
            (p.pk, f"{p.display_name()} ({p.get_role_display()})") for p in parties
        ]


class CareForm(forms.Form):
    description = forms.CharField(label=_("Zorgmaatregel"), widget=TEXTAREA, max_length=5000)
    party = forms.TypedChoiceField(
        label=_("Voor"), required=False, coerce=int, empty_value=None, widget=SELECT
    )
    due_on = forms.DateField(label=_("Afronden uiterlijk"), required=False, widget=DATE)

    def __init__(self, *args: Any, parties: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [("", _("Niet persoonsgebonden"))] + [
            (p.pk, f"{p.display_name()} ({p.get_role_display()})") for p in parties
        ]


class NotificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=NotificationKind.choices, widget=SELECT)
    recipient = forms.CharField(label=_("Ontvanger"), required=False, max_length=200, widget=TEXT)
    sent_on = forms.DateField(label=_("Verzonden op"), widget=DATE)
    external_reference = forms.CharField(
        label=_("Kenmerk ontvanger"), required=False, max_length=100, widget=TEXT
    )
    note = forms.CharField(label=_("Toelichting"), required=False, widget=TEXTAREA, max_length=5000)


class FeedbackForm(forms.Form):
    body = forms.CharField(
        label=_("Terugkoppeling aan de melder"),
        widget=TEXTAREA,
        max_length=20000,
        help_text=_("De melder leest dit in de postbus. Noem geen namen van anderen."),
    )


class SummaryForm(forms.Form):
    description = forms.CharField(
        label=_("Omschrijving schending/melding"), required=False, widget=TEXTAREA, max_length=1000
    )
    object_of_investigation = forms.CharField(
        label=_("Object van onderzoek"), required=False, widget=TEXTAREA, max_length=1000
    )
    findings = forms.CharField(
        label=_("Bevindingen"), required=False, widget=TEXTAREA, max_length=2000
    )
    consequence = forms.CharField(
        label=_("Gevolg"), required=False, widget=TEXTAREA, max_length=1000
    )
    reviewed = forms.BooleanField(
        label=_("Gecontroleerd: geschikt voor het jaarverslag (niet herleidbaar)"), required=False
    )


class InviteForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Gebruiker"), coerce=int, widget=SELECT)
    role = forms.ChoiceField(label=_("Rol in de zaak"), choices=TeamRole.choices, widget=SELECT)

    def __init__(self, *args: Any, users: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [
            (u.pk, u.get_full_name() or u.get_username()) for u in users
        ]


class TransitionForm(forms.Form):
    target = forms.CharField(max_length=30)
    expected_status = forms.CharField(max_length=30, required=False)
    note = forms.CharField(label=_("Toelichting"), required=False, widget=TEXTAREA, max_length=5000)


class ActionDoneForm(forms.Form):
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=2000, widget=TEXT)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"))


class CategoryForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60, widget=TEXT)
    standard = forms.ChoiceField(label=_("Standaardcategorie"), widget=SELECT)
    name_nl = forms.CharField(label=_("Naam (Nederlands)"), max_length=200, widget=TEXT)
    name_en = forms.CharField(label=_("Naam (Engels)"), required=False, max_length=200, widget=TEXT)

    def __init__(self, *args: Any, standards: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [(s["code"], config.label(s)) for s in standards]


class ConfigForm(forms.Form):
    """An organisation's own version of a rule set, edited as YAML."""

    name = forms.ChoiceField(
        choices=[("triage", "triage"), ("workflow", "workflow"), ("retention", "retention")],
        widget=forms.HiddenInput,
    )
    definition = forms.CharField(
        label=_("Definitie (YAML)"),
        widget=forms.Textarea(attrs={"class": "utrecht-textarea intact-code", "rows": 16}),
        max_length=200000,
    )
    note = forms.CharField(
        label=_("Toelichting bij de wijziging"), required=False, max_length=300, widget=TEXT
    )
