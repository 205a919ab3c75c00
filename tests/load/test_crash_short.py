"""The short form of the load and crash test (the full one: scripts/loadtest, docs/benchmarks.md).

20 reporters and 5 staff users for 15 s against gunicorn and the db_worker on
a fresh SQLite installation; in the middle both are killed with SIGKILL and
started again. Afterwards every receipt the client was shown must open its
report, every confirmed message must be there, no report may exist twice and
the audit chain must verify.
"""

from __future__ import annotations

import os

import pytest

from tests.load.client import run_load_test


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("INTACT_DATABASE_URL", "").startswith("postgres"),
                    reason="runs once, in make test's SQLite run; PostgreSQL: scripts/loadtest")
def test_load_with_sigkill_loses_nothing(tmp_path):
    result = run_load_test(reporters=20, staff=5, duration=15, kills=1, record=tmp_path / "record.jsonl",
                           log=lambda _msg: None)
    load, verify = result["load"], result["verify"]
    assert result["run"]["restart_seconds"], "the server was not killed"
    assert result["run"]["threads_still_running"] == 0
    assert load["errors"] == {}, load["error_samples"]
    # Staff really worked: they read the inbox and opened reports from it.
    assert load["ok"].get("inbox", 0) > 0 and load["ok"].get("report_open", 0) > 0, load["ok"]
    assert verify["receipts_recorded"] > 0 and verify["messages_confirmed"] > 0
    assert verify["receipts_not_opening"] == 0, verify["samples"]
    assert verify["messages_missing"] == 0, verify["samples"]
    assert verify["duplicated_reports"] == 0
    assert verify["reports_without_shown_receipt"] >= 0
    assert verify["audit_verify_exit"] == 0, verify["audit_verify_output"]
    # The record on the client side holds exactly what was confirmed.
    lines = (tmp_path / "record.jsonl").read_text().splitlines()
    assert len(lines) == verify["receipts_recorded"] + verify["messages_confirmed"]
