"""Seed a throwaway installation: one organisation and staff coordinators with API tokens.

``python -m benchmarks.seed --org bench --staff 5 --out seed.json`` (with the
installation's environment). Tokens are written to the JSON file for the
load client; they exist only in that temporary installation.
"""

from __future__ import annotations

import argparse
import json


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--org", default="bench")
    parser.add_argument("--staff", type=int, default=5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from intact.organisations.models import Membership, Organisation, Role, Unit
    from intact.security.services import api_token_create

    org, _ = Organisation.objects.get_or_create(
        slug=args.org, defaults={"name": "Benchmark Provincie", "kind": "government", "sector": "provincie"})
    if not Unit.objects.filter(organisation=org).exists():
        Unit.objects.create(organisation=org, name="Centraal", is_central=True)
    User = get_user_model()  # noqa: N806
    staff = []
    for i in range(args.staff):
        user, created = User.objects.get_or_create(username=f"staff{i}", defaults={"first_name": "Staff", "last_name": str(i)})
        if created:
            user.set_unusable_password()
            user.save()
            Membership.objects.create(user=user, organisation=org, role=Role.COORDINATOR)
        staff.append({"username": user.username, "token": api_token_create(user=user)})
    with open(args.out, "w") as fh:
        json.dump({"organisation": org.slug, "organisation_id": org.pk, "staff": staff}, fh)


if __name__ == "__main__":
    main()
