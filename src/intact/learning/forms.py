"""Forms of the learning app. They validate input; the services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intact.learning.models import (
    Activity,
    ActivityType,
    Audience,
    CaseLawTag,
    ContactForm,
    ConversationTopic,
    Facilitator,
    FollowUp,
    MoralCase,
    TagKind,
)

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


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ConversationTopic) -> str:
        return obj.full_label


class ConversationForm(StyledForm):
    date = forms.DateField(label=_("Datum van het gesprek"), widget=DateInput())
    topic = TopicChoiceField(
        label=_("Onderwerp"),
        queryset=ConversationTopic.objects.none(),
        empty_label=_("Kies een onderwerp"),
    )
    contact_form = forms.ChoiceField(label=_("Contactvorm"), choices=ContactForm.choices)
    follow_up = forms.ChoiceField(label=_("Vervolg"), choices=FollowUp.choices)
    note = forms.CharField(
        label=_("Notitie (optioneel)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Alleen u ziet deze notitie; zij wordt versleuteld opgeslagen. "
            "Schrijf geen namen of andere herleidbare gegevens op."
        ),
    )

    def __init__(self, *args: Any, topics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics
        if not self.is_bound and "date" not in self.initial:
            self.initial["date"] = timezone.localdate()

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("De datum ligt in de toekomst."))
        return value


class FacilitatorChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Facilitator) -> str:
        return str(obj)


class ActivityForm(StyledForm):
    type = forms.ChoiceField(label=_("Soort activiteit"), choices=ActivityType.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    unit = forms.ModelChoiceField(
        label=_("Organisatieonderdeel (optioneel)"),
        queryset=None,
        required=False,
        empty_label=_("Hele organisatie"),
    )
    audience = forms.ChoiceField(label=_("Doelgroep"), choices=Audience.choices)
    audience_detail = forms.CharField(
        label=_("Toelichting doelgroep (optioneel)"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld de naam van de afdeling of de beroepsgroep."),
    )
    facilitators = FacilitatorChoices(
        label=_("Begeleiders"),
        queryset=Facilitator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants = forms.IntegerField(label=_("Aantal deelnemers"), min_value=0, max_value=100000)
    notes = forms.CharField(
        label=_("Opmerkingen (optioneel)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Geen namen van deelnemers en geen vertrouwelijke inhoud."),
    )

    def __init__(self, *args: Any, units: Any, facilitators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["facilitators"].queryset = facilitators
        if not self.is_bound and "date" not in self.initial:
            self.initial["date"] = timezone.localdate()

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("De datum ligt in de toekomst."))
        return value

    @staticmethod
    def initial_from(activity: Activity) -> dict[str, Any]:
        return {
            "type": activity.type,
            "title": activity.title,
            "date": activity.date,
            "unit": activity.unit_id,
            "audience": activity.audience,
            "audience_detail": activity.audience_detail,
            "facilitators": list(activity.facilitators.values_list("pk", flat=True)),
            "participants": activity.participants,
            "notes": activity.notes,
        }


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}" + (f" – {obj.position}" if obj.position else "")


class FacilitatorForm(StyledForm):
    person = PersonChoice(
        label=_("Medewerker"),
        queryset=None,
        required=False,
        empty_label=_("Geen: externe begeleider"),
    )
    external_name = forms.CharField(
        label=_("Naam externe begeleider"),
        max_length=200,
        required=False,
        help_text=_("Alleen invullen als de begeleider geen medewerker is."),
    )
    affiliation = forms.CharField(
        label=_("Organisatie of bureau (optioneel)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("person") and not (data.get("external_name") or "").strip():
            raise forms.ValidationError(
                _("Kies een medewerker of vul de naam van een externe begeleider in.")
            )
        if data.get("person") and (data.get("external_name") or "").strip():
            raise forms.ValidationError(
                _("Kies een medewerker óf vul een externe naam in, niet allebei.")
            )
        return data


class TopicForm(StyledForm):
    name = forms.CharField(label=_("Naam"), max_length=120)
    name_en = forms.CharField(
        label=_("Naam in het Engels (optioneel)"), max_length=120, required=False
    )
    parent = TopicChoiceField(
        label=_("Hoofdonderwerp (optioneel)"),
        queryset=ConversationTopic.objects.none(),
        required=False,
        empty_label=_("Geen: dit is een hoofdonderwerp"),
    )

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents


class TagForm(StyledForm):
    kind = forms.ChoiceField(label=_("Soort"), choices=TagKind.choices)
    name = forms.CharField(label=_("Naam"), max_length=120)
    name_en = forms.CharField(
        label=_("Naam in het Engels (optioneel)"), max_length=120, required=False
    )


class TagChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CaseLawTag) -> str:
        return obj.label


class ActivityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.date:%d-%m-%Y} – {obj.title}"


class MoralCaseForm(StyledForm):
    title = forms.CharField(label=_("Titel"), max_length=200)
    dilemma = forms.CharField(
        label=_("Het dilemma"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Beschrijf de situatie zonder namen, functies of details die naar personen herleidbaar zijn."
        ),
    )
    considerations = forms.CharField(
        label=_("Overwegingen"), widget=forms.Textarea(attrs={"rows": 6})
    )
    conclusion = forms.CharField(label=_("Conclusie"), widget=forms.Textarea(attrs={"rows": 4}))
    discussed_on = forms.DateField(
        label=_("Besproken op (optioneel)"), required=False, widget=DateInput()
    )
    activity = ActivityChoice(
        label=_("Besproken in (optioneel)"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("Geen sessie gekoppeld"),
    )
    core_values = TagChoices(
        label=_("Kernwaarden"),
        queryset=CaseLawTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = TagChoices(
        label=_("Thema's"),
        queryset=CaseLawTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    anonymised_confirmed = forms.BooleanField(
        label=_(
            "Ik bevestig dat deze casus geanonimiseerd is: er staan geen namen of herleidbare details in."
        ),
        required=True,
        error_messages={"required": _("Bevestig dat de casus geanonimiseerd is.")},
    )
    names_checked = forms.BooleanField(
        label=_("Ik heb de gemarkeerde woorden gecontroleerd: het zijn geen namen van personen."),
        required=False,
    )
    publish = forms.BooleanField(
        label=_("Publiceren in het morele manifest (zichtbaar voor alle medewerkers)"),
        required=False,
    )

    def __init__(
        self, *args: Any, tags: Any, activities: Any, name_check: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["core_values"].queryset = tags.filter(kind=TagKind.CORE_VALUE)
        self.fields["topics"].queryset = tags.filter(kind=TagKind.TOPIC)
        self.fields["activity"].queryset = activities
        self.name_check = name_check
        self.name_hits: list[str] = []

    def clean_discussed_on(self) -> Any:
        value = self.cleaned_data.get("discussed_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("De datum ligt in de toekomst."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.name_check is not None and not data.get("names_checked"):
            texts = [data.get(f, "") for f in ("title", "dilemma", "considerations", "conclusion")]
            self.name_hits = self.name_check(texts)
            if self.name_hits:
                self.add_error(
                    None,
                    _(
                        "De tekst lijkt namen van personen te bevatten: %(hits)s. Haal ze weg, "
                        "of bevestig hieronder dat het geen namen zijn."
                    )
                    % {"hits": ", ".join(self.name_hits)},
                )
        return data

    @staticmethod
    def initial_from(case: MoralCase) -> dict[str, Any]:
        tags = list(case.tags.all())
        return {
            "title": case.title,
            "dilemma": case.dilemma,
            "considerations": case.considerations,
            "conclusion": case.conclusion,
            "discussed_on": case.discussed_on,
            "activity": case.activity_id,
            "core_values": [t.pk for t in tags if t.kind == TagKind.CORE_VALUE],
            "topics": [t.pk for t in tags if t.kind == TagKind.TOPIC],
            "publish": case.is_published,
        }


class CaseSearchForm(StyledForm):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    tag = forms.ModelChoiceField(
        label=_("Kernwaarde of thema"),
        queryset=CaseLawTag.objects.none(),
        required=False,
        empty_label=_("Alle"),
    )

    def __init__(self, *args: Any, tags: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = tags


IMPORT_KINDS = (
    ("activities", _("Activiteiten")),
    ("conversations", _("Gesprekken vertrouwenspersonen")),
)


class ImportForm(StyledForm):
    kind = forms.ChoiceField(label=_("Wat importeert u?"), choices=IMPORT_KINDS)
    file = forms.FileField(
        label=_("Bestand (CSV of XLSX)"),
        help_text=_("De eerste regel bevat de kolomnamen. Zie de uitleg hierboven."),
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in IMPORT_KINDS if c[0] in kinds]
