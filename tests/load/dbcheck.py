"""Database-side checks after a load run, run inside the installation's environment.

``python -m tests.load.dbcheck`` prints JSON: the number of reports, the load
nonces that occur in more than one report (a duplicated submission) and the
number of messages per nonce. It decrypts through the normal model path.
"""

from __future__ import annotations

import json
from collections import Counter


def main() -> None:
    import django

    django.setup()
    from intact.reporting.models import Report

    nonces: Counter[str] = Counter()
    total = 0
    for report in Report.objects.only("pk", "organisation_id", "answers").iterator(chunk_size=500):
        total += 1
        nonce = (report.answers or {}).get("where", "")
        if nonce.startswith("load-"):
            nonces[nonce] += 1
    duplicated = sorted(n for n, c in nonces.items() if c > 1)
    print(json.dumps({"reports": total, "load_reports": sum(nonces.values()),
                      "distinct_nonces": len(nonces), "duplicated": duplicated}))


if __name__ == "__main__":
    main()
