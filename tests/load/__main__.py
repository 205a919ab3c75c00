"""``python -m tests.load`` — see scripts/loadtest."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from benchmarks.instance import pg_database_url

from tests.load.client import run_load_test


def main() -> int:
    parser = argparse.ArgumentParser(description="Load and crash test against a fresh installation.")
    parser.add_argument("--reporters", type=int, default=200)
    parser.add_argument("--staff", type=int, default=50)
    parser.add_argument("--run-time", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--kills", type=int, default=1, help="SIGKILL+restart of web server and worker")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "auto"], default="auto",
                        help="auto: PostgreSQL when scripts/with-postgres set INTACT_DATABASE_URL")
    parser.add_argument("--pace", type=float, default=3.0,
                        help="multiplies the users' think times (1.0: 0.5-3 s between steps, a saturation test; "
                        "3.0: 1.5-9 s, still far faster than a person writing a report)")
    parser.add_argument("--record", type=Path, help="client-side record of receipts and messages (JSON lines)")
    parser.add_argument("--json", type=Path, help="write the result here")
    parser.add_argument("--keep", action="store_true", help="keep the installation's folder")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers (processes)")
    parser.add_argument("--web-threads", type=int, default=112,
                        help="gunicorn threads per worker (more than INTACT_REQUEST_CONCURRENCY + INTACT_REQUEST_QUEUE)")
    args = parser.parse_args()
    db_url = None
    if args.database in ("postgresql", "auto"):
        db_url = pg_database_url("intact_load")
        if db_url is None and args.database == "postgresql":
            print("PostgreSQL requested but INTACT_DATABASE_URL/INTACT_PG_* are not set "
                  "(run under scripts/with-postgres).", file=sys.stderr)
            return 2
    result = run_load_test(reporters=args.reporters, staff=args.staff, duration=args.run_time,
                           kills=args.kills, db_url=db_url, pace=args.pace, record=args.record, keep=args.keep,
                           web_workers=args.web_workers, web_threads=args.web_threads)
    text = json.dumps(result, indent=2, default=str)
    print(text)
    if args.json:
        args.json.write_text(text)
    print("PASSED" if result["passed"] else "FAILED", file=sys.stderr)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
