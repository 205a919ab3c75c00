"""Seed the annual-report benchmark: one organisation, N people, cases and gift declarations in one year.

``python -m benchmarks.annual_seed --people 10000 --cases 2000 --entries 20000 --year 2026``
(with the installation's environment, after ``migrate``). Through the models
with ``bulk_create`` in batches, so encrypted fields are really encrypted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from decimal import Decimal


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--year", type=int, required=True)
    args = parser.parse_args()
    import django

    django.setup()
    from intact.cases.models import Case, Origin
    from intact.organisations.models import Organisation, Person, Unit
    from intact.registers.models import GiftDecision, GiftDeclaration, GiftKind

    rng = random.Random(7)  # noqa: S311 - test data
    org = Organisation.objects.create(slug="jaar", name="Jaarverslag Provincie", kind="government", sector="provincie")
    central = Unit.objects.create(organisation=org, name="Centraal", is_central=True)
    units = [central] + [Unit.objects.create(organisation=org, name=f"Afdeling {i}", parent=central) for i in range(19)]
    start = dt.date(args.year, 1, 1)

    def day() -> dt.date:
        return start + dt.timedelta(days=rng.randrange(0, 180))

    for lo in range(0, args.people, 2000):
        Person.objects.bulk_create([
            Person(organisation=org, first_name=f"Voornaam{i}", last_name=f"Achternaam{i}",
                   contract_type=rng.choice(["employee", "employee", "volunteer", "external"]),
                   position="Beleidsmedewerker", unit=rng.choice(units), start_date=dt.date(2015, 1, 1),
                   employee_number=f"P{i:06d}")
            for i in range(lo, min(args.people, lo + 2000))])
    people = list(Person.objects.filter(organisation=org).values_list("pk", flat=True))
    for lo in range(0, args.cases, 1000):
        Case.objects.bulk_create([
            Case(organisation=org, reference=f"Z-{args.year}-{i:05d}", origin=Origin.OTHER,
                 report_type=rng.choice(["wrongdoing", "business_integrity", "undesirable_behaviour"]),
                 channel="web", received_on=day(), unit=rng.choice(units), status="opened",
                 severity=rng.choice(["low", "medium", "high"]),
                 description=f"Omschrijving {i}", summary_description=f"Openbare samenvatting {i}",
                 summary_reviewed=True)
            for i in range(lo, min(args.cases, lo + 1000))])
    kinds, decisions = GiftKind.values, GiftDecision.values
    for lo in range(0, args.entries, 2000):
        GiftDeclaration.objects.bulk_create([
            GiftDeclaration(organisation=org, person_id=rng.choice(people), kind=rng.choice(kinds),
                            giver=f"Leverancier {i % 300}", occasion="Relatiegeschenk",
                            estimated_value=Decimal(rng.randrange(5, 200)), received_on=day(), declared_on=day(),
                            needs_approval=False, threshold_applied=Decimal(50), decision=rng.choice(decisions))
            for i in range(lo, min(args.entries, lo + 2000))])
    print(org.slug)


if __name__ == "__main__":
    main()
