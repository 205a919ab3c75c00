"""Forms of the organisations staff pages. They validate input; services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from intact.organisations.models import (
    ContractType,
    IntegrityOrgan,
    Organisation,
    Person,
    Role,
    Unit,
)


class StyledFormMixin:
    """Give every widget the NL Design System class that fits it."""

    def _style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.Select):
                css = "utrecht-select"
            elif isinstance(widget, forms.Textarea):
                css = "utrecht-textarea"
            elif isinstance(widget, forms.CheckboxInput):
                css = "utrecht-checkbox"
            else:
                css = "utrecht-textbox"
            widget.attrs.setdefault("class", css)


def _units(organisation: Organisation) -> Any:
    return Unit.objects.filter(organisation=organisation).order_by("name")


class PersonFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)
    unit = forms.ModelChoiceField(
        label=_("Organisatieonderdeel"), queryset=Unit.objects.none(), required=False,
        empty_label=_("Alle onderdelen"),
    )
    contract_type = forms.ChoiceField(
        label=_("Soort dienstverband"),
        choices=[("", _("Alle soorten"))] + list(ContractType.choices),
        required=False,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(organisation)
        self._style()


class PersonForm(StyledFormMixin, forms.ModelForm):
    username = forms.CharField(
        label=_("Gebruikersnaam voor een login (optioneel)"),
        required=False,
        max_length=150,
        help_text=_(
            "Vul in om een login aan te maken. De persoon stelt zelf een wachtwoord en "
            "tweestapsverificatie in."
        ),
    )

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "email",
            "employee_number",
            "contract_type",
            "position",
            "salary_scale",
            "unit",
            "start_date",
            "end_date",
            "vulnerable_position",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, organisation: Organisation, with_account: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(organisation)
        self.fields["salary_scale"].min_value = 1
        self.fields["salary_scale"].max_value = 18
        if not with_account:
            del self.fields["username"]
        self._style()

    def clean_salary_scale(self) -> int | None:
        value = self.cleaned_data.get("salary_scale")
        if value is not None and not 1 <= value <= 18:
            raise forms.ValidationError(_("Een salarisschaal ligt tussen 1 en 18."))
        return value

    def _post_clean(self) -> None:
        # The organisation is set by the service; skip model validation of the
        # unsaved instance here (the service runs full_clean itself).
        pass


class UnitForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=30, required=False)
    parent = forms.ModelChoiceField(
        label=_("Valt onder"), queryset=Unit.objects.none(), required=False,
        empty_label=_("(hoogste niveau)"),
    )
    is_central = forms.BooleanField(
        label=_("Centraal onderdeel"), required=False,
        help_text=_("Centraal (staf, concern) of decentraal (uitvoering, regio, landenkantoor)."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["parent"].queryset = _units(organisation)
        self._style()

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Unit.objects.filter(organisation=self.organisation, name=name).exists():
            raise forms.ValidationError(_("Er is al een onderdeel met deze naam."))
        return name


class MembershipForm(StyledFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Persoon"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Beperkt tot onderdeel"), queryset=Unit.objects.none(), required=False,
        empty_label=_("De hele organisatie"),
        help_text=_("Bijvoorbeeld een leidinggevende of decentrale coördinator voor één onderdeel."),
    )

    def __init__(
        self, *args: Any, organisation: Organisation, people: Any, roles: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in roles]
        self.fields["unit"].queryset = _units(organisation)
        self._style()


class OrganForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = IntegrityOrgan
        fields = [
            "kind",
            "name",
            "description",
            "person",
            "email",
            "phone",
            "website",
            "is_external",
            "order",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"website": forms.URLField}

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(organisation=organisation)
        self._style()

    def _post_clean(self) -> None:
        pass
