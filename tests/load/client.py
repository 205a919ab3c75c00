"""Load and crash test: reporters and staff against a real server, with a SIGKILL in the middle.

A small threaded client (``http.client``; no browser, no locust) so that the
run is exactly bounded and every answer is classified:

* **reporters** submit an anonymous report through the public API, keep the
  receipt the server showed (written to the record file at once), open the
  mailbox with it, read the report's status, send a message and keep the
  message id when the server confirmed it (201), then start again;
* **staff** (coordinators with API tokens) list the inbox and open reports.

``kill_at`` (seconds after the start) SIGKILLs gunicorn (master and workers)
and the ``db_worker`` and starts them again on the same data. Requests that
fail between the kill and the moment the server answers again are counted as
*interrupted* (their outcome is unknown to the client, so nothing is
required of them); any other failure is an *error*.

A **503 with ``Retry-After`` is documented back-pressure, not an error**: the
load shedding (``intact.core.backpressure``, before any work) or the
key-derivation limit of the reporting services (``MailboxBusy``, before
anything is stored) refused the request. The client waits ``Retry-After``
(plus up to 50 % jitter) and sends the *same* request again, for at most
``REQUEST_TIMEOUT`` seconds in all — still refused after that is an error, like
a timeout. Requests that failed in any other way are never retried, and each
submission carries a fresh nonce, so a report that appears twice is a
duplicate made by the server (a retried 503 that had stored something would
show up here too).

At the end :func:`verify` opens every recorded receipt through the mailbox
API, checks that every confirmed message is there, looks for duplicated
reports in the database and runs ``intact audit verify``.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.instance import Instance

REQUEST_TIMEOUT = 60.0


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    ok: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    interrupted: Counter = field(default_factory=Counter)
    busy: Counter = field(default_factory=Counter)
    busy_by_source: Counter = field(default_factory=Counter)
    retried_requests: Counter = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    waits: dict[str, list[float]] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)

    def add(self, bucket: Counter, name: str, sample: str = "") -> None:
        with self.lock:
            bucket[name] += 1
            if sample and bucket is self.errors and len(self.error_samples) < 20:
                self.error_samples.append(sample)

    def latency(self, name: str, seconds: float, total: float) -> None:
        """``seconds``: the answered attempt; ``total``: from the first attempt, 503 pauses included."""
        with self.lock:
            self.latencies.setdefault(name, []).append(seconds)
            self.waits.setdefault(name, []).append(total)


class Outage:
    """The window in which the server is down on purpose (between kill and ready again)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.windows: list[list[float]] = []

    def begin(self) -> None:
        with self.lock:
            self.windows.append([time.monotonic(), float("inf")])

    def end(self) -> None:
        with self.lock:
            # Requests already queued when the server came back may still fail for a moment.
            self.windows[-1][1] = time.monotonic() + 1.0

    def covers(self, started: float, ended: float) -> bool:
        with self.lock:
            return any(started <= b and ended >= a for a, b in self.windows)


class Recorder:
    """Receipts shown and messages confirmed, one JSON line each, flushed at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh = open(path, "w", buffering=1)  # noqa: SIM115 - closed in close(); a new run starts empty
        self.lock = threading.Lock()

    def write(self, **entry: Any) -> None:
        with self.lock:
            self.fh.write(json.dumps(entry) + "\n")
            self.fh.flush()

    def close(self) -> None:
        self.fh.close()


def _request(port: int, method: str, path: str, body: Any = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        data = None if body is None else json.dumps(body).encode()
        hdrs = {"Accept": "application/json", **(headers or {})}
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def busy_source(raw: bytes) -> str:
    """Who refused, from the problem's ``code``: the load shedding before any work (``shed``), a
    database lock timeout whose transaction was rolled back (``overloaded``, reporting.dbbusy), or
    the reporting services' key-derivation limit (no code)."""
    try:
        code = json.loads(raw).get("code")
    except (ValueError, AttributeError):
        return "other"
    return {"shed": "load shedding before any work", "overloaded": "database lock timeout, rolled back"}.get(
        code, "key-derivation limit")


class Load:
    def __init__(self, instance: Instance, seed: dict, record: Path, *, run_id: str) -> None:
        self.inst = instance
        self.seed = seed
        self.org = seed["organisation"]
        self.stats = Stats()
        self.outage = Outage()
        self.recorder = Recorder(record)
        self.run_id = run_id
        self.deadline = 0.0
        self.stop = threading.Event()
        self.pace = 1.0

    # One request, classified. Returns (status, body) or None when it failed.
    def call(self, name: str, method: str, path: str, body: Any = None, headers: dict | None = None,
             expect: tuple[int, ...] = (200,)) -> tuple[int, Any] | None:
        first = time.monotonic()
        retried = False
        while True:
            started = time.monotonic()
            try:
                status, hdrs, raw = _request(self.inst.port, method, path, body, headers)
            except (OSError, http.client.HTTPException) as exc:
                ended = time.monotonic()
                if self.outage.covers(started, ended):
                    self.stats.add(self.stats.interrupted, name)
                else:
                    self.stats.add(self.stats.errors, name, f"{name}: {type(exc).__name__}: {exc}")
                return None
            ended = time.monotonic()
            if status == 503 and "Retry-After" in hdrs:
                # Documented back-pressure: refused before anything was stored. Wait and send
                # the same request again, within the same budget as one request's timeout.
                self.stats.add(self.stats.busy, name)
                self.stats.add(self.stats.busy_by_source, busy_source(raw))
                if not retried:
                    retried = True
                    self.stats.add(self.stats.retried_requests, name)
                pause = float(hdrs["Retry-After"]) * random.uniform(1.0, 1.5)  # noqa: S311 - jitter
                if time.monotonic() + pause - first > REQUEST_TIMEOUT:
                    self.stats.add(self.stats.errors, name,
                                   f"{name}: still 503 busy after {REQUEST_TIMEOUT:.0f} s of retries")
                    return None
                time.sleep(pause)
                continue
            if status in expect:
                self.stats.add(self.stats.ok, name)
                self.stats.latency(name, ended - started, ended - first)
                try:
                    return status, json.loads(raw) if raw else None
                except ValueError:
                    return status, raw
            if status in (502, 503, 504) and self.outage.covers(started, ended):
                self.stats.add(self.stats.interrupted, name)
            else:
                self.stats.add(self.stats.errors, name, f"{name}: HTTP {status}: {raw[:200]!r}")
            return None

    def think(self, lo: float, hi: float) -> None:
        self.stop.wait(random.uniform(lo, hi) * self.pace)  # noqa: S311 - load pacing, not security

    def reporter(self, n: int) -> None:
        cycle = 0
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            cycle += 1
            nonce = f"load-{self.run_id}-{n}-{cycle}"
            res = self.call("submit", "POST", f"/api/v1/organisations/{self.org}/reports/", {
                "report_type": "wrongdoing", "anonymity": "anonymous",
                "answers": {"what": f"Belastingtest melding {cycle} van melder {n}.", "where": nonce},
            }, expect=(201,))
            if res is None:
                self.think(0.5, 1.5)
                continue
            receipt = res[1]["receipt"]
            self.recorder.write(kind="receipt", receipt=receipt, nonce=nonce)
            self.think(0.5, 2.0)
            res = self.call("mailbox_login", "POST", "/api/v1/mailbox/session",
                            {"organisation": self.org, "receipt": receipt}, expect=(201,))
            if res is None:
                continue
            auth = {"Authorization": f"Mailbox {res[1]['token']}"}
            if self.call("mailbox_report", "GET", "/api/v1/mailbox/report", headers=auth) is None:
                continue
            self.think(0.5, 2.0)
            body = f"Aanvulling {nonce}"
            res = self.call("mailbox_message", "POST", "/api/v1/mailbox/messages", {"body": body},
                            headers=auth, expect=(201,))
            if res is not None:
                self.recorder.write(kind="message", receipt=receipt, nonce=nonce, id=res[1]["id"], body=body)
            self.think(1.0, 3.0)

    def staff(self, n: int) -> None:
        token = self.seed["staff"][n % len(self.seed["staff"])]["token"]
        auth = {"Authorization": f"Token {token}"}
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            res = self.call("inbox", "GET", f"/api/v1/organisations/{self.org}/reports/", headers=auth)
            rows = res[1].get("results") if res is not None and isinstance(res[1], dict) else None
            if rows:  # one page of the inbox (count, next, previous, results)
                ref = random.choice(rows)["reference"]  # noqa: S311
                self.call("report_open", "GET", f"/api/v1/organisations/{self.org}/reports/{ref}/",
                          headers=auth)
            self.think(1.0, 3.0)

    def run(self, *, reporters: int, staff: int, duration: float, kill_at: list[float],
            spawn_rate: float = 50.0, log: Callable[[str], None] = print) -> dict:
        start = time.monotonic()
        self.deadline = start + duration
        threads = []
        kinds = [("reporter", i) for i in range(reporters)] + [("staff", i) for i in range(staff)]
        random.Random(1).shuffle(kinds)
        for i, (kind, n) in enumerate(kinds):
            target = self.reporter if kind == "reporter" else self.staff
            t = threading.Thread(target=target, args=(n,), daemon=True, name=f"{kind}-{n}")
            threads.append(t)
            # spawn_rate users per second, like locust's --spawn-rate
            delay = start + i / spawn_rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            t.start()
        restarts = []
        for at in sorted(kill_at):
            delay = start + at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            log(f"  t={time.monotonic() - start:5.1f}s  SIGKILL web server and worker")
            self.outage.begin()
            t_kill = time.monotonic()
            self.inst.kill()
            self.inst.start()
            self.outage.end()
            restarts.append(round(time.monotonic() - t_kill, 2))
            log(f"  t={time.monotonic() - start:5.1f}s  restarted and answering ({restarts[-1]} s down)")
        for t in threads:
            t.join(timeout=max(0.0, self.deadline - time.monotonic()) + REQUEST_TIMEOUT * 2 + 40)
        self.stop.set()
        alive = sum(t.is_alive() for t in threads)
        self.recorder.close()
        return {"elapsed": round(time.monotonic() - start, 1), "restart_seconds": restarts,
                "threads_still_running": alive}

    def summary(self) -> dict:
        s = self.stats
        def pct(values: list[float]) -> dict:
            values = sorted(values)
            return {"n": len(values), "p50_ms": round(statistics.median(values) * 1000, 1),
                    "p95_ms": round(values[min(len(values) - 1, int(len(values) * 0.95))] * 1000, 1),
                    "max_ms": round(values[-1] * 1000, 1)}

        lat = {name: pct(values) for name, values in sorted(s.latencies.items())}
        waits = {name: pct(values) for name, values in sorted(s.waits.items())}
        return {"ok": dict(s.ok), "errors": dict(s.errors), "interrupted": dict(s.interrupted),
                "busy_503_retried": dict(s.busy), "busy_by_source": dict(s.busy_by_source),
                "requests_retried_after_503": dict(s.retried_requests),
                "latency": lat, "latency_with_503_waits": waits, "error_samples": s.error_samples}


def _patient(port: int, method: str, path: str, body: Any = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """A request that waits out 503 + Retry-After (up to REQUEST_TIMEOUT in all)."""
    first = time.monotonic()
    while True:
        status, hdrs, raw = _request(port, method, path, body, headers)
        if status != 503 or "Retry-After" not in hdrs or time.monotonic() - first > REQUEST_TIMEOUT:
            return status, raw
        time.sleep(float(hdrs["Retry-After"]))


def verify(inst: Instance, record: Path, org: str, workers: int = 4) -> dict:
    """Every receipt opens its report, every confirmed message is there, no duplicates, audit chain."""
    receipts: dict[str, str] = {}
    messages: dict[str, set[int]] = {}
    for line in record.read_text().splitlines():
        entry = json.loads(line)
        if entry["kind"] == "receipt":
            receipts[entry["receipt"]] = entry["nonce"]
        else:
            messages.setdefault(entry["receipt"], set()).add(int(entry["id"]))
    missing_reports: list[str] = []
    missing_messages: list[tuple[str, int]] = []
    lock = threading.Lock()
    todo = list(receipts)

    def check() -> None:
        while True:
            with lock:
                if not todo:
                    return
                receipt = todo.pop()
            status, raw = _patient(inst.port, "POST", "/api/v1/mailbox/session",
                                   {"organisation": org, "receipt": receipt})
            if status != 201:
                with lock:
                    missing_reports.append(receipt)
                continue
            auth = {"Authorization": f"Mailbox {json.loads(raw)['token']}"}
            status, _raw = _patient(inst.port, "GET", "/api/v1/mailbox/report", headers=auth)
            if status != 200:
                with lock:
                    missing_reports.append(receipt)
                continue
            if receipt in messages:
                status, raw = _patient(inst.port, "GET", "/api/v1/mailbox/messages", headers=auth)
                present = {m["id"] for m in json.loads(raw)} if status == 200 else set()
                with lock:
                    missing_messages.extend((receipt, i) for i in messages[receipt] - present)

    threads = [threading.Thread(target=check) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db = json.loads(inst.python("-m", "tests.load.dbcheck").stdout)
    audit = inst.intact("audit", "verify", check=False)
    return {
        "receipts_recorded": len(receipts),
        "messages_confirmed": sum(len(v) for v in messages.values()),
        "receipts_not_opening": len(missing_reports),
        "messages_missing": len(missing_messages),
        "reports_in_db": db["reports"],
        "duplicated_reports": len(db["duplicated"]),
        "reports_without_shown_receipt": max(0, db["load_reports"] - len(receipts)),
        "audit_verify_exit": audit.returncode,
        "audit_verify_output": (audit.stdout + audit.stderr).strip()[-300:],
        "samples": {"missing_reports": missing_reports[:5], "missing_messages": missing_messages[:5]},
    }


def shedding_config() -> str:
    """The load-shedding settings the server runs with (defaults as in settings/base.py)."""
    env = os.environ.get
    return (f"{env('INTACT_REQUEST_CONCURRENCY', '4')} requests at work + {env('INTACT_REQUEST_QUEUE', '96')} "
            f"waiting up to {env('INTACT_REQUEST_QUEUE_SECONDS', '20')} s per process, "
            f"Retry-After {env('INTACT_BUSY_RETRY_AFTER', '2')} s")


def passed(summary: dict, result: dict) -> bool:
    return (not summary["errors"] and result["receipts_not_opening"] == 0 and result["messages_missing"] == 0
            and result["duplicated_reports"] == 0 and result["audit_verify_exit"] == 0
            and result["receipts_recorded"] > 0)


def run_load_test(*, reporters: int, staff: int, duration: float, kills: int, db_url: str | None = None,
                  pace: float = 1.0,
                  record: Path | None = None, web_workers: int = 2, web_threads: int = 112,
                  log: Callable[[str], None] = print, keep: bool = False) -> dict:
    """Fresh installation, load with ``kills`` SIGKILL+restart spread over the run, then verify."""
    inst = Instance(db_url=db_url, web_workers=web_workers, web_threads=web_threads)
    try:
        log(f"installation in {inst.root} ({'PostgreSQL' if db_url else 'SQLite'}), port {inst.port}")
        seed = inst.setup(staff=min(staff, 50) or 1)
        inst.start()
        record = record or inst.root / "client-record.jsonl"
        kill_at = [duration * (i + 1) / (kills + 1) for i in range(kills)]
        load = Load(inst, seed, record, run_id=str(int(time.time())))
        load.pace = pace
        log(f"load: {reporters} reporters + {staff} staff for {duration:.0f} s, kills at {kill_at}")
        run = load.run(reporters=reporters, staff=staff, duration=duration, kill_at=kill_at, log=log)
        summary = load.summary()
        log("verifying receipts, messages, duplicates and the audit chain")
        result = verify(inst, record, seed["organisation"])
        out = {"config": {"reporters": reporters, "staff": staff, "duration_s": duration, "kills": kills,
                          "database": "postgresql" if db_url else "sqlite", "pace": pace,
                          "web": f"gunicorn {web_workers} workers x {web_threads} threads",
                          "shedding": shedding_config()},
               "run": run, "load": summary, "verify": result, "record": str(record)}
        out["passed"] = passed(summary, result)
        return out
    finally:
        inst.stop()
        if record is not None and (inst.root / "server.log").exists():
            # Keep the server's log next to the client's record: the cause of any 5xx is in it.
            shutil.copyfile(inst.root / "server.log", record.with_name(record.stem + "-server.log"))
        inst.cleanup(keep=keep)
