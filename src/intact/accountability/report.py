"""The annual (and half-year) report as chapters of blocks, in a public or internal edition.

:func:`build` takes the figures of :mod:`figures`, the coordinator's
narrative and the organisation's settings, and returns a :class:`Report`:
the document blocks (rendered to HTML/PDF/ODT/DOCX by :mod:`documents`),
every table as plain rows (XLSX/CSV), the figures as published (JSON) and
the suppression log (shown to the coordinator, never published).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from intact.accountability import charts
from intact.accountability.suppression import PRIMARY, suppress, suppress_number
from intact.policy.documents import BulletList, Heading, Meta, Paragraph, Table

PUBLIC = "public"
INTERNAL = "internal"
EDITIONS = (PUBLIC, INTERNAL)


@dataclass
class Svg:
    """A chart (SVG markup, made by :mod:`charts`); ``fallback`` names the table holding its data."""

    markup: str
    title: str
    fallback: str = ""


@dataclass
class NamedTable:
    key: str
    title: str
    header: list[str]
    rows: list[list[Any]]


@dataclass
class Report:
    title: str
    edition: str
    blocks: list[Any] = field(default_factory=list)
    tables: list[NamedTable] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    suppression_log: list[dict[str, str]] = field(default_factory=list)
    language: str = "nl"


@dataclass
class Options:
    edition: str = PUBLIC
    threshold: int = 5
    show_units: bool = False
    show_dates: bool = False
    narrative: dict[str, str] = field(default_factory=dict)
    interim: bool = False


class _Builder:
    def __init__(self, figures: dict[str, Any], options: Options) -> None:
        self.f = figures
        self.o = options
        self.public = options.edition == PUBLIC
        self.t = options.threshold
        self.blocks: list[Any] = []
        self.tables: list[NamedTable] = []
        self.log: list[dict[str, str]] = []
        self.published: dict[str, Any] = {}

    # -- helpers ------------------------------------------------------------------------------

    def fewer(self) -> str:
        return _("minder dan %(n)s") % {"n": self.t}

    def hidden(self) -> str:
        return _("x (afgeschermd)")

    def number(self, key: str, value: int, why: str) -> str:
        value = int(value or 0)
        if self.public:
            shown, was = suppress_number(value, self.t)
            if was:
                self.log.append({"where": key, "why": why, "rule": f"{value} < {self.t}"})
                self.published[key] = None
                return self.fewer()
        self.published[key] = value
        return str(value)

    def count_table(
        self,
        key: str,
        title: str,
        header: list[str],
        rows: list[tuple[str, int]],
        *,
        additive: bool = True,
        chart: bool = False,
    ) -> None:
        values = [int(v) for _l, v in rows]
        cells: list[Any] = list(values)
        total: Any = sum(values) if additive else None
        if self.public and rows:
            s = suppress(values, self.t, additive=additive)
            cells = []
            for (label, v), shown, kind in zip(rows, s.cells, s.kinds, strict=True):
                if shown is None:
                    cells.append(self.fewer() if kind == PRIMARY else self.hidden())
                    self.log.append(
                        {
                            "where": f"{title}: {label}",
                            "why": _("klein aantal")
                            if kind == PRIMARY
                            else _("afgeleid uit het totaal te voorkomen"),
                            "rule": f"{v} ({kind})",
                        }
                    )
                else:
                    cells.append(shown)
            if additive:
                total = s.total if s.total is not None else self.fewer()
                if s.total is None:
                    self.log.append(
                        {
                            "where": f"{title}: {_('totaal')}",
                            "why": _("klein aantal"),
                            "rule": f"{sum(values)} < {self.t}",
                        }
                    )
        table_rows = [[label, cell] for (label, _v), cell in zip(rows, cells, strict=True)]
        if additive and rows:
            table_rows.append([_("Totaal"), total])
        self.published[key] = {
            "title": title,
            "rows": [
                {
                    "label": r[0],
                    "count": r[1] if isinstance(r[1], int) else None,
                    "shown": str(r[1]),
                }
                for r in table_rows
            ],
        }
        if not rows:
            self.blocks.append(Paragraph(_("%(title)s: geen.") % {"title": title}))
            return
        str_rows = [[str(c) for c in r] for r in table_rows]
        self.blocks.append(Table(header=header, rows=str_rows, caption=title))
        self.tables.append(NamedTable(key, title, header, table_rows))
        if chart:
            chart_rows = [
                (label, cell if isinstance(cell, int) else None)
                for (label, _v), cell in zip(rows, cells, strict=True)
            ]
            self.blocks.append(
                Svg(
                    charts.bar_chart(
                        chart_id=f"chart-{key}",
                        title=title,
                        rows=chart_rows,
                        note_suppressed=self.fewer(),
                    ),
                    title=title,
                    fallback=key,
                )
            )

    def narrative(self, chapter: str) -> None:
        text = (self.o.narrative or {}).get(chapter, "")
        if text.strip():
            self.blocks.append(Paragraph(text))

    def date(self, value: Any) -> str:
        if not value:
            return ""
        if self.public and not self.o.show_dates:
            return str(value)[:4]
        return str(value)

    # -- chapters -----------------------------------------------------------------------------

    def build(self) -> list[Any]:
        f = self.f
        labels = f.get("labels", {})
        org = f["organisation"]
        # 1 introduction and legal framework
        self.blocks.append(Heading(_("Inleiding en wettelijk kader"), 1))
        lf = f["legal_framework"]
        self.blocks.append(Heading(lf["title"], 2))
        self.blocks.append(BulletList(list(lf["points"])))
        self.blocks.append(Paragraph(_("Bron: %(source)s.") % {"source": lf["source"]}))
        self.narrative("introduction")
        # 2 vision
        self.blocks.append(Heading(_("Visie en kernwaarden"), 1))
        plan = (f.get("vision") or {}).get("plan")
        if plan:
            self.blocks.append(
                Paragraph(
                    _("Uit het integriteitsplan '%(title)s' (versie %(v)s).")
                    % {"title": plan["title"], "v": plan["version"]}
                )
            )
            for section in plan.get("sections", []):
                if section.get("text"):
                    self.blocks.append(Heading(section["title"], 2))
                    self.blocks.append(Paragraph(section["text"]))
        else:
            self.blocks.append(Paragraph(_("Er is geen vastgesteld integriteitsplan.")))
        self.narrative("vision")
        # 3 procedures
        self.blocks.append(Heading(_("Meldpunten en procedures"), 1))
        for proc in f.get("procedures", []):
            self.blocks.append(Heading(proc["name"], 2))
            self.blocks.append(BulletList(proc["steps"]))
            self.blocks.append(Svg(proc["svg"], title=proc["name"]))
        reports = f.get("reports", {})
        self.count_table(
            "reports_by_route",
            _("Meldingen per route"),
            [_("Route"), _("Aantal")],
            [
                (labels.get("report_type", {}).get(k, k), v)
                for k, v in reports.get("by_route", {}).items()
            ],
        )
        self.count_table(
            "reports_by_channel",
            _("Meldingen per kanaal"),
            [_("Kanaal"), _("Aantal")],
            [
                (labels.get("channel", {}).get(k, k), v)
                for k, v in reports.get("by_channel", {}).items()
            ],
        )
        self.narrative("procedures")
        # 4 activities
        self.blocks.append(Heading(_("Activiteiten van het jaar"), 1))
        acts = [r for r in (f.get("activities") or {}).get("by_type", []) if r.get("sessions")]
        if acts:
            header = [_("Activiteit"), _("Aantal keer"), _("Deelnemers")]
            rows = [[r["label"], r["sessions"], r["participants"]] for r in acts]
            self.blocks.append(
                Table(
                    header=header,
                    rows=[[str(c) for c in r] for r in rows],
                    caption=_("Activiteiten"),
                )
            )
            self.tables.append(NamedTable("activities", _("Activiteiten"), header, rows))
            self.published["activities"] = [
                {"type": r["type"], "sessions": r["sessions"], "participants": r["participants"]}
                for r in acts
            ]
        else:
            self.blocks.append(Paragraph(_("Er zijn geen activiteiten geregistreerd.")))
        regs = f.get("registers") or {}
        reg_rows = [
            (_("Eed of belofte afgelegd"), regs.get("oaths_taken", 0)),
            (_("Integriteitsverklaringen getekend"), regs.get("integrity_declarations_signed", 0)),
            (_("Nevenwerkzaamheden gemeld"), regs.get("outside_activities_declared", 0)),
            (_("Geschenken gemeld"), regs.get("gifts_declared", 0)),
            (_("Opgaven financiële belangen"), regs.get("financial_declarations", 0)),
            (_("Screenings afgerond"), regs.get("screening_checks_completed", 0)),
        ]
        # Register counts are about activities, not about persons in a case; they are
        # published as they are (a count of oaths does not identify anyone).
        header = [_("Register"), _("Aantal")]
        self.blocks.append(
            Table(header=header, rows=[[a, str(b)] for a, b in reg_rows], caption=_("Registers"))
        )
        self.tables.append(
            NamedTable("registers", _("Registers"), header, [[a, b] for a, b in reg_rows])
        )
        self.published["registers"] = {
            k: regs.get(k)
            for k in (
                "oaths_taken",
                "integrity_declarations_signed",
                "outside_activities_declared",
                "gifts_declared",
                "financial_declarations",
                "screening_checks_completed",
            )
        }
        self.narrative("activities")
        # 5 reports and cases
        self.blocks.append(Heading(_("Verantwoording over meldingen"), 1))
        cases = f["cases"]
        self.blocks.append(
            Paragraph(
                _("In %(year)s zijn %(n)s zaken in behandeling genomen of geregistreerd.")
                % {
                    "year": f["year"],
                    "n": self.number("cases_total", cases["total"], _("klein aantal")),
                }
            )
        )
        self.count_table(
            "cases_by_category",
            _("Zaken per standaardcategorie"),
            [_("Categorie"), _("Aantal")],
            [
                (labels.get("standard_category", {}).get(k, k), v)
                for k, v in cases["by_standard_category"].items()
            ],
            additive=False,
            chart=True,
        )
        self.count_table(
            "cases_by_type",
            _("Zaken per soort melding"),
            [_("Soort"), _("Aantal")],
            [
                (labels.get("report_type", {}).get(k, k), v)
                for k, v in cases["by_report_type"].items()
            ],
        )
        self.count_table(
            "cases_by_channel",
            _("Zaken per kanaal"),
            [_("Kanaal"), _("Aantal")],
            [(labels.get("channel", {}).get(k, k), v) for k, v in cases["by_channel"].items()],
        )
        outcome_labels = {
            "open": _("Nog in behandeling"),
            "not_investigated": _("Geen onderzoek"),
            "founded": _("Gegrond"),
            "unfounded": _("Ongegrond"),
            "undetermined": _("Niet vast te stellen"),
        }
        self.count_table(
            "cases_by_outcome",
            _("Zaken per uitkomst"),
            [_("Uitkomst"), _("Aantal")],
            [(outcome_labels.get(k, k), v) for k, v in cases["by_outcome"].items()],
        )
        self.count_table(
            "cases_by_measure",
            _("Maatregelen"),
            [_("Maatregel"), _("Aantal")],
            [(labels.get("measure", {}).get(k, k), v) for k, v in cases["by_measure"].items()],
            additive=False,
        )
        # the table of investigated cases (reviewed public summaries only)
        header = [
            _("Opdrachtgever"),
            _("Omschrijving"),
            _("Object van onderzoek"),
            _("Bevindingen"),
            _("Gevolg"),
        ]
        rows = [
            [
                r["commissioning_authority"],
                r["description"],
                r["object_of_investigation"],
                r["findings"],
                r["consequence"],
            ]
            for r in f.get("investigated_cases", [])
        ]
        if not self.public:
            header = [_("Kenmerk"), *header]
            rows = [
                [r["reference"], *row]
                for r, row in zip(f.get("investigated_cases", []), rows, strict=True)
            ]
        title = _("Onderzochte meldingen")
        if rows:
            self.blocks.append(Table(header=header, rows=rows, caption=title))
        else:
            self.blocks.append(
                Paragraph(
                    _(
                        "Er zijn geen onderzochte meldingen met een gecontroleerde openbare samenvatting."
                    )
                )
            )
        self.tables.append(NamedTable("investigated_cases", title, header, rows))
        self.published["investigated_cases"] = [
            dict(
                zip(
                    [
                        "commissioning_authority",
                        "description",
                        "object_of_investigation",
                        "findings",
                        "consequence",
                    ],
                    r[-5:],
                    strict=True,
                )
            )
            for r in rows
        ]
        # counsellor conversations
        conv = f.get("counsellor_conversations") or {}
        self.blocks.append(
            Paragraph(
                _("Er waren %(n)s gesprekken met vertrouwenspersonen.")
                % {"n": self.number("conversations_total", conv.get("total", 0), _("klein aantal"))}
            )
        )
        self.count_table(
            "conversations_by_topic",
            _("Gesprekken met vertrouwenspersonen per onderwerp"),
            [_("Onderwerp"), _("Aantal")],
            [(t["name"], t["count"]) for t in conv.get("topics", [])],
            chart=True,
        )
        self.blocks.append(
            Paragraph(
                _(
                    "Klachten bij de klachtencommissie: %(c)s. Meldingen van een vermoeden van een misstand (Wbk): %(w)s."
                )
                % {
                    "c": self.number(
                        "complaints_committee", f.get("complaints_committee", 0), _("klein aantal")
                    ),
                    "w": self.number(
                        "whistleblower_reports",
                        f.get("whistleblower_reports", 0),
                        _("klein aantal"),
                    ),
                }
            )
        )
        terms = f.get("terms") or {}
        if terms:
            header = [_("Termijn"), _("Gehaald"), _("Niet gehaald"), _("Aandeel gehaald")]
            trows = []
            for code, t in sorted(terms.items()):
                share = t.get("share_met")
                trows.append(
                    [
                        code,
                        t["met"],
                        t["missed"],
                        f"{round(100 * share)}%" if share is not None else "–",
                    ]
                )
            if self.public:
                trows = [[c, self._small(m), self._small(x), s] for c, m, x, s in trows]
            self.blocks.append(
                Table(
                    header=header,
                    rows=[[str(c) for c in r] for r in trows],
                    caption=_("Wettelijke termijnen"),
                )
            )
            self.tables.append(NamedTable("terms", _("Wettelijke termijnen"), header, trows))
        self.published["terms"] = terms
        # comparison with earlier years
        comp = f.get("comparison", [])
        if comp:
            header = [_("Kengetal"), *[str(c["year"]) for c in comp]]
            spec = [
                ("cases", _("Zaken")),
                ("investigated_rows", _("Onderzochte meldingen")),
                ("conversations", _("Gesprekken vertrouwenspersonen")),
                ("sessions", _("Activiteiten")),
                ("participants", _("Deelnemers")),
                ("oaths_taken", _("Eed of belofte")),
            ]
            crow = []
            for key, label in spec:
                values = [c.get(key, 0) for c in comp]
                if self.public and key in ("cases", "investigated_rows", "conversations"):
                    values = [self._small(v) for v in values]
                crow.append([label, *values])
            self.blocks.append(Heading(_("Vergelijking met eerdere jaren"), 2))
            self.blocks.append(
                Table(
                    header=header,
                    rows=[[str(c) for c in r] for r in crow],
                    caption=_("Vergelijking met eerdere jaren"),
                )
            )
            self.tables.append(
                NamedTable("comparison", _("Vergelijking met eerdere jaren"), header, crow)
            )
            self.published["comparison"] = [
                dict(zip(["label", *[str(c["year"]) for c in comp]], r, strict=True)) for r in crow
            ]
        self.narrative("reports")
        # Partos paragraph
        if org["kind"] == "ngo":
            self.blocks.append(Heading(_("Partos-paragraaf"), 1))
            self.blocks.append(
                Paragraph(
                    _(
                        "Conform de Partos Gedragscode: aantal en aard van de meldingen, de afhandeling en een reflectie op het integriteitsbeleid. Aantal zaken: %(n)s; aard: zie de tabel per categorie; afhandeling: zie de tabel per uitkomst."
                    )
                    % {
                        "n": self.published.get("cases_total")
                        if self.published.get("cases_total") is not None
                        else self.fewer()
                    }
                )
            )
            self.narrative("partos")
        # plan and norms
        self.blocks.append(Heading(_("Integriteitsplan en normen"), 1))
        pol = f.get("vision") or {}
        self._plan_targets(pol.get("targets"), f["year"])
        self._self_assessment(pol.get("self_assessment"))
        inquiry = pol.get("inquiry") or {}
        for r in inquiry.get("rounds", []):
            self.blocks.append(
                Paragraph(
                    _("Uitvraag ronde %(r)s: %(c)s%% beantwoord.")
                    % {
                        "r": r.get("round"),
                        "c": round(float(r.get("percentage", r.get("completeness", 0)) or 0)),
                    }
                )
            )
        self.narrative("plan")
        # action points
        self.blocks.append(Heading(_("Actiepunten"), 1))
        ap = pol.get("action_points") or {}
        items = [
            *ap.get("of_year", []),
            *ap.get("still_open_from_earlier", []),
            *ap.get("next_year", []),
        ]
        today = dt.date.today().isoformat()
        status_labels = {
            "open": _("open"),
            "in_progress": _("in uitvoering"),
            "done": _("afgerond"),
            "carried_over": _("overgenomen in jaarplan"),
            "cancelled": _("vervallen"),
        }
        for a in items:
            a["overdue"] = bool(
                a.get("due_on")
                and str(a["due_on"]) < today
                and a["status"] in ("open", "in_progress")
            )
        if items:
            self.blocks.append(
                BulletList(
                    [
                        f"{a['title']} ({status_labels.get(a['status'], a['status'])}, "
                        f"{self.date(a.get('due_on'))}{', ' + _('te laat') if a['overdue'] else ''})"
                        for a in items
                    ]
                )
            )
        else:
            self.blocks.append(Paragraph(_("Er zijn geen actiepunten vastgelegd.")))
        self.published["action_points"] = [
            {
                "title": a["title"],
                "status": a["status"],
                "due": self.date(a.get("due_on")),
                "overdue": a["overdue"],
            }
            for a in items
        ]
        self.narrative("actions")
        return self.blocks

    # -- plan targets and norm self-assessment (policy app) -----------------------------------

    # Realisations computed from these indicators are counts of cases or
    # conversations: the public edition applies the small-number rule to them.
    SENSITIVE_INDICATORS = ("cases:", "counsellor:")

    def unit_name(self, name: str | None) -> str:
        """A unit's name, or a neutral word in the public edition unless units are chosen."""
        if not name:
            return _("Hele organisatie")
        if self.public and not self.o.show_units:
            return _("Een organisatieonderdeel")
        return name

    @staticmethod
    def _amount(value: Any, measured_in: str, is_percentage: bool) -> str:
        text = f"{value}".replace(".", ",")
        if is_percentage:
            return f"{text}%"
        return f"{text} {measured_in}".strip()

    def _plan_targets(self, targets: dict[str, Any] | None, year: int) -> None:
        self.blocks.append(Heading(_("Doelen uit het jaarplan"), 2))
        if targets is None:
            self.blocks.append(
                Paragraph(_("De stand van de doelen kon niet uit de gegevens worden gehaald."))
            )
            self.published["plan_targets"] = None
            return
        plans = targets.get("plans") or []
        if not any(p.get("measures") for p in plans):
            self.blocks.append(
                Paragraph(
                    _("Er is voor %(year)s geen jaarplan met maatregelen en doelen vastgelegd.")
                    % {"year": year}
                )
            )
            self.published["plan_targets"] = {"summary": targets.get("summary"), "measures": []}
            return
        status_labels = {
            "done": _("Gereed"),
            "on_track": _("Op schema"),
            "behind": _("Achter op schema"),
            "not_started": _("Nog niet begonnen"),
        }
        s = targets.get("summary") or {}
        self.blocks.append(
            Paragraph(
                _(
                    "Van de %(n)s maatregelen zijn er %(done)s gereed, %(on_track)s op schema, "
                    "%(behind)s achter op schema en %(not_started)s nog niet begonnen "
                    "(stand per %(on)s)."
                )
                % {
                    "n": s.get("measures", 0),
                    "done": s.get("done", 0),
                    "on_track": s.get("on_track", 0),
                    "behind": s.get("behind", 0),
                    "not_started": s.get("not_started", 0),
                    "on": self.date(targets.get("judged_on")),
                }
            )
        )
        header = [
            _("Maatregel"),
            _("Plan"),
            _("Doel"),
            _("Gerealiseerd"),
            _("Realisatie"),
            _("Status"),
        ]
        rows: list[list[Any]] = []
        published = []
        for plan in plans:
            where = _("Centraal jaarplan") if plan.get("central") else self.unit_name(plan["unit"])
            for m in plan.get("measures", []):
                realised: Any = m["realised"]
                percent: Any = f"{m['percent']}%"
                shown_realised = self._amount(realised, m["measured_in"], m["is_percentage"])
                if (
                    self.public
                    and str(m.get("indicator") or "").startswith(self.SENSITIVE_INDICATORS)
                    and not m["is_percentage"]
                    and 0 < realised < self.t
                ):
                    self.log.append(
                        {
                            "where": f"{_('Doelen uit het jaarplan')}: {m['title']}",
                            "why": _("klein aantal"),
                            "rule": f"{realised} < {self.t}",
                        }
                    )
                    realised = None
                    shown_realised = self.fewer()
                    percent = "–"
                rows.append(
                    [
                        m["title"],
                        where,
                        self._amount(m["target"], m["measured_in"], m["is_percentage"]),
                        shown_realised,
                        percent,
                        status_labels.get(m["status"], m["status"]),
                    ]
                )
                published.append(
                    {
                        "title": m["title"],
                        "plan": str(where),
                        "target": m["target"],
                        "realised": realised,
                        "measured_in": m["measured_in"],
                        "is_percentage": m["is_percentage"],
                        "status": m["status"],
                        "source": m["source"],
                    }
                )
        title = _("Doelen uit het jaarplan")
        self.blocks.append(
            Table(header=header, rows=[[str(c) for c in r] for r in rows], caption=title)
        )
        self.tables.append(NamedTable("plan_targets", title, header, rows))
        self.published["plan_targets"] = {
            "summary": {
                k: int(s.get(k, 0))
                for k in ("measures", "done", "on_track", "behind", "not_started")
            },
            "measures": published,
        }

    def _self_assessment(self, assessment: dict[str, Any] | None) -> None:
        self.blocks.append(Heading(_("Zelfevaluatie van de normen"), 2))
        items = (assessment or {}).get("assessments") or []
        if assessment is None:
            self.blocks.append(
                Paragraph(
                    _("De stand van de zelfevaluatie kon niet uit de gegevens worden gehaald.")
                )
            )
            self.published["self_assessment"] = None
            return
        if not items:
            self.blocks.append(
                Paragraph(_("Er is nog geen zelfevaluatie aan de hand van een normenkader gedaan."))
            )
            self.published["self_assessment"] = []
            return
        status_labels = {"open": _("bezig"), "done": _("afgerond")}
        header = [
            _("Normenkader"),
            _("Beoordeeld"),
            _("Voldoet"),
            _("Voldoet deels"),
            _("Voldoet niet"),
            _("Niet van toepassing"),
            _("Score"),
            _("Status"),
            _("Datum"),
        ]
        rows = []
        published = []
        for a in items:
            when = self.date(a.get("assessed_on") or a.get("started_on"))
            rows.append(
                [
                    a["framework"],
                    _("%(a)s van %(n)s") % {"a": a["assessed"], "n": a["norms"]},
                    a["met"],
                    a["partly"],
                    a["not_met"],
                    a["not_applicable"],
                    f"{a['score']}%",
                    status_labels.get(a["status"], a["status"]),
                    when,
                ]
            )
            published.append(
                {
                    "framework": a["framework"],
                    "framework_version": a.get("framework_version", ""),
                    "norms": a["norms"],
                    "assessed": a["assessed"],
                    "met": a["met"],
                    "partly": a["partly"],
                    "not_met": a["not_met"],
                    "not_applicable": a["not_applicable"],
                    "percent_met": a["percent_met"],
                    "score": a["score"],
                    "status": a["status"],
                    "date": when,
                }
            )
        title = _("Zelfevaluatie van de normen")
        self.blocks.append(
            Paragraph(
                _(
                    "Score: voldoet telt volledig, voldoet deels voor de helft; normen die niet van "
                    "toepassing zijn tellen niet mee."
                )
            )
        )
        self.blocks.append(
            Table(header=header, rows=[[str(c) for c in r] for r in rows], caption=title)
        )
        self.tables.append(NamedTable("self_assessment", title, header, rows))
        self.published["self_assessment"] = published

    def _small(self, value: Any) -> Any:
        if isinstance(value, int) and 0 < value < self.t:
            self.log.append(
                {
                    "where": _("vergelijking/termijnen"),
                    "why": _("klein aantal"),
                    "rule": f"{value} < {self.t}",
                }
            )
            return self.fewer()
        return value


def build(figures: dict[str, Any], options: Options) -> Report:
    """The report for ``figures`` in ``options.edition``."""
    builder = _Builder(figures, options)
    blocks = builder.build()
    kind = _("Halfjaarrapportage integriteit") if options.interim else _("Jaarverslag integriteit")
    title = f"{kind} {figures['year']} – {figures['organisation']['name']}"
    meta = Meta(
        [
            (_("Organisatie"), figures["organisation"]["name"]),
            (_("Jaar"), str(figures["year"])),
            (_("Editie"), _("openbaar") if options.edition == PUBLIC else _("intern")),
            (
                _("Gemaakt op"),
                str(figures["generated_at"])[:10]
                if options.edition == INTERNAL or options.show_dates
                else str(figures["year"]),
            ),
        ]
    )
    published = {
        "schema_version": figures["schema_version"],
        "organisation": {k: figures["organisation"][k] for k in ("slug", "name", "kind")},
        "year": figures["year"],
        "edition": options.edition,
        "interim": options.interim,
        "threshold": options.threshold if options.edition == PUBLIC else None,
        "figures": builder.published,
    }
    if options.edition == INTERNAL:
        published["raw"] = {k: v for k, v in figures.items() if k not in ("procedures",)}
    return Report(
        title=title,
        edition=options.edition,
        blocks=[meta, *blocks],
        tables=builder.tables,
        figures=published,
        suppression_log=builder.log,
    )


def today() -> dt.date:
    return dt.date.today()
