"""Forms of the accountability pages."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from intact.accountability import documents
from intact.accountability.models import ReportSettings

FORMAT_CHOICES = [
    ("pdf", _("PDF (PDF/A, toegankelijk)")),
    ("odt", _("ODT (OpenDocument)")),
    ("docx", _("DOCX (Word)")),
    ("xlsx", _("XLSX (tabellen)")),
    ("csv", _("CSV (zip met één bestand per tabel)")),
    ("json", _("JSON (alle cijfers)")),
    ("html", _("HTML")),
]
assert {c for c, _l in FORMAT_CHOICES} == set(documents.FORMATS)


def _years() -> list[tuple[int, int]]:
    this = dt.date.today().year
    return [(y, y) for y in range(this, this - 10, -1)]


class GenerateForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Jaar"), coerce=int, choices=_years)
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=[("annual", _("Jaarverslag")), ("interim", _("Halfjaarrapportage"))],
    )
    edition = forms.ChoiceField(label=_("Editie"), choices=[])
    format = forms.ChoiceField(label=_("Formaat"), choices=FORMAT_CHOICES)

    def __init__(self, *args, editions=("public",), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = {"public": _("Openbaar (kleine aantallen afgeschermd)"), "internal": _("Intern")}
        self.fields["edition"].choices = [(e, labels[e]) for e in editions]


class ChapterForm(forms.Form):
    text = forms.CharField(
        label=_("Tekst"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "class": "utrecht-textarea"}),
        help_text=_("Lege regels scheiden alinea's. Cijfers komen altijd uit de gegevens."),
        max_length=20000,
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ReportSettings
        fields = ["threshold", "show_units", "show_dates", "sector_participation"]

    def clean_threshold(self) -> int:
        value = self.cleaned_data["threshold"]
        if value < 3:
            raise forms.ValidationError(
                _("Kies 3 of meer: bij 2 betekent 'minder dan 2' precies 1.")
            )
        return value
