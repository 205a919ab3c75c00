"""Intake: anonymous reports through the full web stack vs the bare Argon2id cost.

Baseline (same run, same parameters as ``intact.reporting.receipts``): one
Argon2id hash of a 64-byte input, sequentially (latency; each hash right
before one web submission, so that both see the same load) and in
``INTACT_KDF_CONCURRENCY`` threads at once (throughput; argon2-cffi releases
the GIL). Web: ``POST /api/v1/organisations/{slug}/reports/`` against gunicorn
(2 workers x 4 threads, as ``scripts/serve``) and the db_worker on loopback,
a fresh installation, production KDF settings. One client sequentially
(latency) and ``clients`` concurrent clients (reports per second). Baseline
and web alternate in rounds; each figure is the median over the rounds.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.instance import Instance
from benchmarks.stats import med, pct


def _hasher() -> Any:
    from argon2 import PasswordHasher, Type

    from intact.reporting import receipts

    return PasswordHasher(time_cost=receipts.ARGON2_TIME_COST, memory_cost=receipts.ARGON2_MEMORY_KIB,
                          parallelism=receipts.ARGON2_PARALLELISM, hash_len=32, salt_len=16, type=Type.ID)


def kdf_latency(n: int) -> list[float]:
    h = _hasher()
    out = []
    for _ in range(n):
        data = os.urandom(64)
        t = time.perf_counter()
        h.hash(data)
        out.append(time.perf_counter() - t)
    return out


def kdf_throughput(threads: int, seconds: float) -> float:
    h = _hasher()
    count = [0] * threads
    end = time.perf_counter() + seconds

    def work(i: int) -> None:
        while time.perf_counter() < end:
            h.hash(os.urandom(64))
            count[i] += 1

    ts = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    start = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(count) / (time.perf_counter() - start)


def _submit(port: int, org: str, n: int) -> tuple[int, float]:
    body = json.dumps({"report_type": "wrongdoing", "anonymity": "anonymous",
                       "answers": {"what": f"Benchmark melding {n}: declaraties dubbel ingediend.",
                                   "where": "Afdeling Financiën"}}).encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    t = time.perf_counter()
    try:
        conn.request("POST", f"/api/v1/organisations/{org}/reports/", body=body,
                     headers={"Content-Type": "application/json", "Accept": "application/json"})
        resp = conn.getresponse()
        resp.read()
        return resp.status, time.perf_counter() - t
    finally:
        conn.close()


def _group_cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds of every live process in process group ``pgid`` (gunicorn master and workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # After the command name: state ppid pgrp ... utime (14th field overall) stime (15th).
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def paired(inst: Instance, org: str, n: int) -> dict[str, Any]:
    """Baseline and web one after the other, ``n`` times: each web submission next to its own baseline hash.

    On a machine shared with other work the load changes from second to
    second; pairing puts both sides of each ratio under the same load.
    Also the CPU time: of one hash (this thread) and of one submission (the
    web server's processes, from /proc), which waiting for other processes'
    CPU does not inflate.
    """
    h = _hasher()
    kdf, kdf_cpu, web, ratios, errors = [], [], [], [], 0
    cpu_before = _group_cpu_seconds(inst.web.pid) if inst.web else float("nan")
    for i in range(n):
        data = os.urandom(64)
        c, t = time.thread_time(), time.perf_counter()
        h.hash(data)
        k = time.perf_counter() - t
        kdf_cpu.append(time.thread_time() - c)
        status, w = _submit(inst.port, org, i)
        kdf.append(k)
        if status == 201:
            web.append(w)
            ratios.append(w / k)
        else:
            errors += 1
    server_cpu = (_group_cpu_seconds(inst.web.pid) if inst.web else float("nan")) - cpu_before
    return {"kdf": kdf, "web": web, "ratios": ratios, "errors": errors,
            "kdf_cpu": med(kdf_cpu), "web_cpu": server_cpu / max(1, n - errors)}


def web_latency(inst: Instance, org: str, n: int) -> tuple[list[float], int]:
    out, errors = [], 0
    for i in range(n):
        status, seconds = _submit(inst.port, org, i)
        if status == 201:
            out.append(seconds)
        else:
            errors += 1
    return out, errors


def web_throughput(inst: Instance, org: str, clients: int, seconds: float) -> tuple[float, list[float], int, int]:
    lat: list[float] = []
    lock = threading.Lock()
    stats = {"ok": 0, "err": 0, "busy": 0}
    end = time.perf_counter() + seconds

    def work(c: int) -> None:
        i = 0
        while time.perf_counter() < end:
            i += 1
            status, s = _submit(inst.port, org, c * 100000 + i)
            with lock:
                if status == 201:
                    stats["ok"] += 1
                    lat.append(s)
                elif status == 503:
                    stats["busy"] += 1
                else:
                    stats["err"] += 1

    ts = [threading.Thread(target=work, args=(c,)) for c in range(clients)]
    start = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return stats["ok"] / (time.perf_counter() - start), lat, stats["err"], stats["busy"]


def run(*, quick: bool, log: Any = print) -> dict:
    rounds = 2 if quick else 5
    n_lat = 10 if quick else 30
    secs = 4.0 if quick else 10.0
    clients = 8
    kdf_threads = int(os.environ.get("INTACT_KDF_CONCURRENCY", "2"))
    res: dict[str, Any] = {"rounds": rounds, "clients": clients, "kdf_threads": kdf_threads,
                           "per_round": []}
    from intact.reporting import receipts

    res["params"] = {"t": receipts.ARGON2_TIME_COST, "m_kib": receipts.ARGON2_MEMORY_KIB,
                     "p": receipts.ARGON2_PARALLELISM}
    with Instance() as inst:
        seed = inst.setup(staff=1)
        inst.start()
        org = seed["organisation"]
        web_latency(inst, org, 3)  # warm up: imports, first connections, default questions
        for r in range(rounds):
            pairs = paired(inst, org, n_lat)
            k_lat, w_lat, w_err = pairs["kdf"], pairs["web"], pairs["errors"]
            k_tp = kdf_throughput(kdf_threads, secs / 2)
            w_tp, w_tlat, t_err, t_busy = web_throughput(inst, org, clients, secs)
            row = {
                "kdf_p50": med(k_lat), "kdf_p95": pct(k_lat, 95),
                "web_p50": med(w_lat), "web_p95": pct(w_lat, 95), "web_errors": w_err,
                # median of each submission's latency over the hash measured right before it
                "paired_ratio_p50": med(pairs["ratios"]),
                # CPU seconds: one hash (this thread) and one submission (all web server processes)
                "kdf_cpu": pairs["kdf_cpu"], "web_cpu": pairs["web_cpu"],
                "kdf_per_s": k_tp, "web_per_s": w_tp,
                "web_conc_p50": med(w_tlat), "web_conc_p95": pct(w_tlat, 95),
                "web_conc_errors": t_err, "web_conc_busy": t_busy,
            }
            res["per_round"].append(row)
            log(f"  intake round {r + 1}/{rounds}: KDF {row['kdf_p50'] * 1000:.1f} ms, web {row['web_p50'] * 1000:.1f} ms"
                f" (paired ratio {row['paired_ratio_p50']:.2f}; CPU {row['kdf_cpu'] * 1000:.1f} vs"
                f" {row['web_cpu'] * 1000:.1f} ms); KDF {k_tp:.1f}/s, web {w_tp:.1f}/s")
    keys = res["per_round"][0].keys()
    res["median"] = {k: med([row[k] for row in res["per_round"]]) for k in keys}
    res["median"]["web_errors"] = sum(r["web_errors"] for r in res["per_round"])
    res["median"]["web_conc_errors"] = sum(r["web_conc_errors"] for r in res["per_round"])
    res["median"]["web_conc_busy"] = sum(r["web_conc_busy"] for r in res["per_round"])
    return res
