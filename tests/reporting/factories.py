"""Factories and helpers for reports. Reports are made through the real service
(``report_submit``) so that receipts, routing and terms are exactly as in use."""

from __future__ import annotations

import factory

from intact.reporting import services
from intact.reporting.models import Anonymity, Question, ReportType
from tests.organisations.factories import OrganisationFactory

DEFAULT_ANSWERS = {"what": "Er worden declaraties dubbel ingediend.", "where": "Afdeling Financiën"}


def make_report(organisation, *, report_type=ReportType.WRONGDOING, anonymity=Anonymity.ANONYMOUS,
                answers=None, **kwargs):
    """(report, receipt) through ``services.report_submit``."""
    if anonymity != Anonymity.ANONYMOUS and "identity" not in kwargs:
        kwargs["identity"] = {"name": "Jan Melder", "email": "jan@example.test", "phone": "0612345678"}
    return services.report_submit(
        organisation=organisation,
        report_type=report_type,
        anonymity=anonymity,
        answers=dict(DEFAULT_ANSWERS if answers is None else answers),
        **kwargs,
    )


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    organisation = factory.SubFactory(OrganisationFactory)
    report_type = ReportType.WRONGDOING
    order = factory.Sequence(lambda n: n * 10)
    key = factory.Sequence(lambda n: f"q{n}")
    kind = "textarea"
    text_nl = factory.Sequence(lambda n: f"Vraag {n}")
    text_en = factory.Sequence(lambda n: f"Question {n}")
