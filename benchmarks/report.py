"""Render docs/benchmarks.md from the saved results (var/bench/results.json, var/loadtest-*.json)."""

from __future__ import annotations

import json
from typing import Any

from benchmarks.instance import ROOT
from benchmarks.stats import med, ms, pct, ratio

NOTES = ROOT / "benchmarks" / "notes"  # one file per area, joined in name order


def _machine(m: dict, runs: dict) -> list[str]:
    pg = m.get("postgresql") or next((r["postgresql"] for r in runs.values() if r.get("postgresql")), None)
    when = [
        f"| {area} | {r.get('date')} | {r.get('commit') or '–'} | {r.get('load_at_start')} |"
        for area, r in runs.items()
    ]
    if when:
        when = ["", "Each area may come from its own `--only` run:", "",
                "| area | measured | commit | load average at start (1, 5, 15 min) |", "|---|---|---|---|", *when]
    return [
        "| | |", "|---|---|",
        f"| CPU (`lscpu`) | {m.get('cpu')} |",
        f"| Cores | {m.get('cores')} |",
        f"| RAM | {m.get('ram_gib')} GiB |",
        f"| Python / Django | {m.get('python')} / {m.get('django')} |",
        f"| SQLite | {m.get('sqlite')} |",
        f"| PostgreSQL | {pg or 'not measured (not under scripts/with-postgres)'} |",
        f"| Kernel | {m.get('kernel')} |",
        f"| Date (last run) | {m.get('date')} |",
        f"| Commit (last run) | {m.get('commit')} |",
        f"| Load average at start | {m.get('load_at_start')} (other engineers' test runs share the machine) |",
        *when,
    ]


def _intake(r: dict) -> list[str]:
    m = r["median"]
    p = r.get("params", {})
    added = m["web_p50"] / m["kdf_p50"] - 1 if m["kdf_p50"] else float("nan")
    lines = [
        f"Argon2id t={p.get('t')}, m={p.get('m_kib')} KiB, p={p.get('p')} (the production receipt parameters), "
        f"{r['rounds']} rounds, baseline and web alternating; medians over the rounds. Web: gunicorn as "
        f"`scripts/serve` starts it (2 workers, load shedding on) + db_worker on loopback, fresh SQLite "
        "installation, `POST /api/v1/organisations/bench/reports/` (anonymous, JSON).",
        "",
        "| | p50 | p95 | per second | ratio to baseline |",
        "|---|---:|---:|---:|---:|",
        f"| **Baseline**: one Argon2id hash (sequential) | {ms(m['kdf_p50'])} ms | {ms(m['kdf_p95'])} ms | "
        f"{1 / m['kdf_p50']:.1f} | 1.00× |",
        f"| Web: one client, sequential submissions | {ms(m['web_p50'])} ms | {ms(m['web_p95'])} ms | "
        f"{1 / m['web_p50']:.1f} | {ratio(m['web_p50'], m['kdf_p50'])} latency |",
        f"| **Baseline**: Argon2id in {r['kdf_threads']} threads (KDF concurrency) | | | {m['kdf_per_s']:.1f} | 1.00× |",
        f"| Web: {r['clients']} concurrent clients | {ms(m['web_conc_p50'])} ms | {ms(m['web_conc_p95'])} ms | "
        f"{m['web_per_s']:.1f} | {ratio(m['web_per_s'], m['kdf_per_s'])} throughput |",
        "",
    ]
    if "paired_ratio_p50" in m:
        lines += [
            f"Paired (each submission against a hash timed right before it, same load on both): "
            f"**{m['paired_ratio_p50']:.2f}×** at p50. CPU per submission (server processes, `/proc`) "
            f"{ms(m['web_cpu'])} ms against {ms(m['kdf_cpu'])} ms per hash: "
            f"**{ratio(m['web_cpu'], m['kdf_cpu'])}**.",
            "",
        ]
    lines += [
        f"Errors: {m['web_errors'] + m['web_conc_errors']}; answered 503 busy: {m['web_conc_busy']}.",
        "",
        f"**Target** (web stack adds ≤ 25 % to the KDF cost): **{'met' if added <= 0.25 else 'missed'}** — "
        f"the web stack adds {added * 100:.0f} % at p50 (sequential).",
    ]
    return lines


ENDPOINT_NAMES = {"case_list": "Case list `/app/bench/zaken/`", "start_page": "Start page `/app/bench/`",
                  "search": "Search `/app/bench/zaken/?q=<reference>`",
                  "api_case_list": "API `GET /api/v1/organisations/bench/cases/`"}


def _staff(s: dict) -> list[str]:
    lines: list[str] = []
    for vendor in ("sqlite", "postgresql"):
        data = s.get(vendor)
        if not data:
            lines += [f"**{vendor}**: not measured — {s.get('postgresql_missing', 'no result')}.", ""]
            continue
        if "error" in data:
            lines += [f"**{vendor}**: failed ({data['error']}).", ""]
            continue
        lines += [f"**{'SQLite' if vendor == 'sqlite' else 'PostgreSQL'}**", "",
                  "| cases | page | SQL queries (request / raw) | runs | p50 | p95 | CPU p50 | raw SQL p50 | ratio "
                  "| < 100 ms p95 | ≤ 2× raw |",
                  "|---:|---|---:|---:|---:|---:|---:|---:|---:|:---:|:---:|"]
        floors = []
        for scale, sc in data["scales"].items():
            if "skipped" in sc:
                lines.append(f"| {int(scale):,} | all | | | not measured: {sc['skipped']} | | | | | | |")
                continue
            if sc.get("floor"):
                cpu = f", CPU {ms(med(sc['floor']['cpu']))} ms" if sc["floor"].get("cpu") else ""
                floors.append(f"{int(scale):,} cases: {ms(med(sc['floor']['web']))} ms{cpu}"
                              + (f" (load average {sc['load'][0]})" if sc.get("load") else ""))
            for name, e in sc["endpoints"].items():
                if "error" in e:
                    lines.append(f"| {int(scale):,} | {ENDPOINT_NAMES.get(name, name)} | | | failed: `{e['error']}` "
                                 "| | | | | | |")
                    continue
                web, raw = e["web"], e["raw"]
                p95 = pct(web, 95)
                rr = med(web) / med(raw) if med(raw) else float("nan")
                queries = _q(e["queries"]) + (f" / {e['raw_statements']}" if "raw_statements" in e else "")
                cpu = f"{ms(med(e['cpu']))} ms" if e.get("cpu") else ""
                lines.append(
                    f"| {int(scale):,} | {ENDPOINT_NAMES.get(name, name)} | {queries} | {len(web)} | "
                    f"{ms(med(web))} ms | {ms(p95)} ms | {cpu} | {ms(med(raw))} ms | {ratio(med(web), med(raw))} | "
                    f"{'yes' if p95 < 0.1 else 'no'} | {'yes' if rr <= 2 else 'no'} |")
        lines.append("")
        if floors:
            lines += ["Fixed cost of one staff request (the same user's case list in an organisation without "
                      "cases, p50): " + "; ".join(floors) + ".", ""]
        lines += _growth(data)
    return lines


def _q(n: int) -> str:
    # Django's query log (CaptureQueriesContext) keeps at most 9,000 queries.
    return "≥ 9,000" if n >= 9000 else f"{n:,}"


def _growth(data: dict) -> list[str]:
    scales = [k for k, v in data["scales"].items() if "endpoints" in v]
    if len(scales) < 2:
        return []
    out = ["Growth (median time at each size divided by the median at the smallest size; linear would "
           "equal the size factor):", "",
           "| page | " + " | ".join(f"{int(s):,}" for s in scales) + " |",
           "|---|" + "---:|" * len(scales)]
    names = list(data["scales"][scales[0]]["endpoints"].keys())
    for name in names:
        if "web" not in data["scales"][scales[0]]["endpoints"][name]:
            continue
        base = med(data["scales"][scales[0]]["endpoints"][name]["web"])
        cells = []
        for s in scales:
            e = data["scales"][s]["endpoints"].get(name)
            cells.append(f"{med(e['web']) / base:.1f}× ({_q(e['queries'])} q)" if e and "web" in e else "–")
        out.append(f"| {ENDPOINT_NAMES.get(name, name)} | " + " | ".join(cells) + " |")
    out.append("")
    return out


def _load() -> list[str]:
    lines: list[str] = []
    for db in ("sqlite", "postgresql", "postgresql-diag", "sqlite-pace1", "postgresql-pace1"):
        path = ROOT / "var" / f"loadtest-{db}.json"
        if not path.exists():
            if db in ("sqlite", "postgresql"):  # the others are optional extra runs
                lines += [f"*{db}: no result on this machine yet (run `scripts/loadtest`).*", ""]
            continue
        r = json.loads(path.read_text())
        if db.endswith("diag"):
            lines += ["*Diagnostic run* (shorter, with the server log kept; it located the HTTP 500, see the findings):", ""]
        if "pace1" in db:
            lines += ["*Saturation run* (`--pace 1`: think times 0.5–3 s, offered load above the machine's "
                      "capacity, see the findings below):", ""]
        c, load, v, run = r["config"], r["load"], r["verify"], r["run"]
        lines += [
            f"**{'SQLite' if db.startswith('sqlite') else 'PostgreSQL'}** — {c['reporters']} reporters + {c['staff']} staff, "
            f"{c['duration_s']:.0f} s, {c['kills']} SIGKILL of web server and worker (down {run['restart_seconds']} s), "
            f"{c['web']}, pace {c.get('pace', 1.0)}: **{'PASSED' if r['passed'] else 'FAILED'}**", "",
            "| request | ok | errors | interrupted by the kill | 503 busy (retried) | requests that met a 503 "
            "| p50 | p95 | p95 incl. 503 waits | max incl. 503 waits |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        waits = load.get("latency_with_503_waits", {})
        for name in ("submit", "mailbox_login", "mailbox_report", "mailbox_message", "inbox", "report_open"):
            lat, w = load["latency"].get(name, {}), waits.get(name, {})
            lines.append(f"| {name} | {load['ok'].get(name, 0)} | {load['errors'].get(name, 0)} | "
                         f"{load['interrupted'].get(name, 0)} | {load['busy_503_retried'].get(name, 0)} | "
                         f"{load.get('requests_retried_after_503', {}).get(name, '–')} | "
                         f"{lat.get('p50_ms', '–')} ms | {lat.get('p95_ms', '–')} ms | "
                         f"{w.get('p95_ms', '–')} ms | {w.get('max_ms', '–')} ms |")
        lines += [""]
        if c.get("shedding"):
            by = load.get("busy_by_source", {})
            came = ("The 503 answers came from: " + ", ".join(f"{src} {n}" for src, n in sorted(by.items()))
                    + "; every one was refused before anything was stored and sent again unchanged after "
                    "`Retry-After`") if by else "No request was answered 503"
            lines += [f"Load shedding: {c['shedding']}. {came} (latency p50/p95: the answered attempt, "
                      "including its wait in the server's queue; *incl. 503 waits*: from the first attempt).", ""]
        lines += [
            f"Verification: {v['receipts_recorded']} receipts shown, **{v['receipts_not_opening']}** do not open "
            f"their report; {v['messages_confirmed']} messages confirmed, **{v['messages_missing']}** missing; "
            f"**{v['duplicated_reports']}** duplicated reports; {v['reports_without_shown_receipt']} reports stored "
            f"whose receipt never reached the client (answer lost in the kill or after the client's 60 s timeout — "
            f"not lost data, but see the findings); "
            f"`intact audit verify`: {v['audit_verify_output']!r} (exit {v['audit_verify_exit']}).",
            "",
        ]
        if load["error_samples"]:
            from collections import Counter

            seen = Counter(e[:160] for e in load["error_samples"])
            lines += ["Errors seen (the first 20, grouped):", ""] + [f"* {n}× `{e}`" for e, n in seen.items()] + [""]
    return lines


def _sector(s: dict) -> list[str]:
    """The sector overview section: command vs raw SQL per database and size, and the growth."""
    lines = [
        f"`intact report sector --year {s.get('year')} -o FILE` over {s.get('organisations', 0):,} organisations "
        "(all taking part; one in five an NGO with the NGO category set), all cases in that year. Each command runs "
        "in its own process (wall time including Python and Django start-up; peak memory = that process's "
        "`ru_maxrss` from `os.wait4`). **Baseline**, alternating with the command in the same run: the raw SQL of the "
        "same aggregation (participants; cases and organisations per standard category), written by hand and "
        "executed with a cursor in a process that starts Django the same way. *In process*: `sector.overview()` "
        "and the raw SQL timed in one Python process (no start-up; one untimed warm-up each, then "
        f"{s.get('runs', 3) + 2} alternating runs), with the query count and a check that both give the same "
        f"figures. Medians of {s.get('runs')} runs (processes). Data: seeded with `COPY` (PostgreSQL) / "
        "`executemany` (SQLite), not through the model: every case of an organisation carries the same "
        "ciphertext (encrypted once per organisation) in its encrypted columns, so rows have a realistic width "
        "but nothing is encrypted per case — the overview never reads those columns. The sizes grow in place "
        "(1×, 10×, 100×) in the same organisations, `VACUUM ANALYZE` (PostgreSQL; what autovacuum does on a live "
        "installation) or `ANALYZE` (SQLite) after each step.", ""]
    for vendor in ("postgresql", "sqlite"):
        data = s.get(vendor)
        name = "PostgreSQL" if vendor == "postgresql" else "SQLite"
        if not data:
            lines += [f"**{name}**: not measured — {s.get('postgresql_missing', 'no result')}.", ""]
            continue
        lines += [f"**{name}**", "",
                  "| cases | command p50 | raw-SQL process p50 | ratio | peak memory (command) | < 300 MB "
                  "| `overview()` in process | raw SQL in process | ratio | queries | same figures |",
                  "|---:|---:|---:|---:|---:|:---:|---:|---:|---:|---:|:---:|"]
        for scale, m in data.get("scales", {}).items():
            if "skipped" in m:
                lines.append(f"| {int(scale):,} | not measured: {m['skipped']} | | | | | | | | | |")
                continue
            c, r, i = m["command"], m["raw_process"], m["in_process"]
            lines.append(
                f"| {int(scale):,} | {med(c['seconds']):.2f} s | {med(r['seconds']):.2f} s | "
                f"{ratio(med(c['seconds']), med(r['seconds']))} | {c['max_rss_mb']:.0f} MB | "
                f"{'yes' if c['max_rss_mb'] < 300 else 'no'} | {ms(med(i['overview_seconds']))} ms | "
                f"{ms(med(i['raw_seconds']))} ms | {ratio(med(i['overview_seconds']), med(i['raw_seconds']))} | "
                f"{i['queries']} | {'yes' if i['same_figures'] else '**no**'} |")
        if "error" in data:
            lines.append(f"| failed: `{data['error'][-200:]}` | | | | | | | | | | |")
        scales = [k for k, m in data.get("scales", {}).items() if "skipped" not in m]
        if len(scales) >= 2:
            first = data["scales"][scales[0]]
            lines += ["", "Growth (median at each size ÷ median at the smallest; linear would equal the size factor):",
                      "", "| | " + " | ".join(f"{int(k):,}" for k in scales) + " |", "|---|" + "---:|" * len(scales)]
            for label, get in (("size factor", None),
                               ("`overview()` in process", lambda m: med(m["in_process"]["overview_seconds"])),
                               ("raw SQL in process", lambda m: med(m["in_process"]["raw_seconds"])),
                               ("command (own process)", lambda m: med(m["command"]["seconds"])),
                               ("command peak memory", lambda m: m["command"]["max_rss_mb"])):
                if get is None:
                    cells = [f"{int(k) / int(scales[0]):.0f}×" for k in scales]
                else:
                    cells = [f"{get(data['scales'][k]) / get(first):.1f}×" for k in scales]
                lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def _under5(wall: float, cpu: float) -> str:
    """The 5 s target by wall time, and by CPU time (what an idle machine's wall time would be near)."""
    return f"{'yes' if wall < 5 else 'no'} (CPU: {'yes' if cpu < 5 else 'no'})"


def _annual(a: dict) -> list[str]:
    """The annual report's tables: every format at the main size, and the growth curve."""
    fmts = a["formats"]
    base_cpu = med(fmts["json"].get("cpu_seconds") or [float("nan")]) if "seconds" in fmts.get("json", {}) else float("nan")
    out = [f"`intact report annual --org jaar --year <this year> --edition public --format F -o FILE`, each run in its "
           f"own process (wall time including Python and Django start-up; CPU = user + system time of that process "
           f"and peak memory = its `ru_maxrss`, both from `os.wait4`), medians of {a['runs']} runs. Data: "
           f"{a['people']:,} people, {a['cases']:,} cases (each with a reviewed public summary, so the table of "
           f"investigated cases has {a['cases']:,} rows) and {a['entries']:,} register entries (gift declarations) "
           f"in one organisation and year, generated through the models (`benchmarks/annual_seed.py`). "
           f"**Baseline**: the JSON format (the figures alone, no document rendering), same run. The machine is "
           f"shared (load average {', '.join(str(x) for x in a.get('load_at_start', [])) or '?'} at the start): "
           f"CPU time is the steadier measure.", "",
           "| format | p50 wall | max wall | p50 CPU | CPU ratio to JSON | peak memory | size | PDF < 5 s | memory < 300 MB |",
           "|---|---:|---:|---:|---:|---:|---:|:---:|:---:|"]
    for fmt, f in fmts.items():
        if "error" in f:
            out.append(f"| {fmt} | failed: `{f['error'][:150]}` | | | | | | | |")
            continue
        p50 = med(f["seconds"])
        cpu = med(f.get("cpu_seconds") or [float("nan")])
        size = f"{f['bytes'] / 1024:.0f} KiB" + (f", {f['pages']} pages" if f.get("pages") else "")
        out.append(f"| {fmt} | {p50:.2f} s | {max(f['seconds']):.2f} s | {cpu:.2f} s | {ratio(cpu, base_cpu)} | "
                   f"{f['max_rss_mb']:.0f} MB | {size} | "
                   f"{_under5(p50, cpu) if fmt == 'pdf' else ''} | {'yes' if f['max_rss_mb'] < 300 else 'no'} |")
    growth = a.get("growth") or {}
    if len(growth) > 1:
        b = a.get("base", {})
        out += ["", f"**Growth** (1× = {b.get('people', '?'):,} people, {b.get('cases', '?'):,} cases, "
                f"{b.get('entries', '?'):,} register entries; each size in its own installation; medians):", "",
                "| size | people / cases / entries | JSON wall | JSON CPU | JSON memory | PDF wall | PDF CPU | "
                "PDF memory | PDF pages |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for factor in sorted(growth, key=int):
            g = growth[factor]
            sz = g.get("size", {})
            cells = []
            for fmt in ("json", "pdf"):
                f = g.get(fmt, {})
                if "seconds" not in f:
                    cells += ["–", "–", "–"]
                    continue
                cells += [f"{med(f['seconds']):.2f} s", f"{med(f.get('cpu_seconds') or [float('nan')]):.2f} s",
                          f"{f['max_rss_mb']:.0f} MB"]
            pages = g.get("pdf", {}).get("pages") or "–"
            out.append(f"| {factor}× | {sz.get('people', 0):,} / {sz.get('cases', 0):,} / {sz.get('entries', 0):,} | "
                       + " | ".join(cells) + f" | {pages} |")
    out += ["", "The register entries are gift declarations only (one register); the other registers were "
            "left empty. The sector overview (1,000,000 cases in 1,000 organisations) has its own section "
            "below. Findings and the cause of the growth: the annual notes below.", ""]
    return out


def render(results: dict[str, Any]) -> str:
    out = ["# Benchmarks", "",
           "Generated by `make bench` (`python -m benchmarks.run`; `--quick` for a small run, `--only intake|staff|annual|sector`). "
           "Every figure stands next to a baseline measured **in the same run**, so the ratios hold even on a busy "
           "machine. Raw figures: `var/bench/results.json`. Code: `benchmarks/`, `tests/load/`.", ""]
    if results.get("quick"):
        out += ["> **This is a `--quick` run (small data).** Run `make bench` for the full set.", ""]
    out += ["## Machine", ""] + _machine(results.get("machine", {}), results.get("runs", {})) + [""]
    if "intake" in results:
        out += ["## Intake: anonymous reports through the web stack vs the bare key derivation", ""] + _intake(results["intake"]) + [""]
    if "staff" in results:
        out += ["## Staff pages and API at 1×, 10×, 100× cases vs raw SQL", "",
                "A central integrity coordinator (metadata of every case; content of the 1 % where they are an active "
                "team member) through Django's test client (whole stack but the socket). Cases generated through the "
                "model with `bulk_create` in batches, so `pre_save` really encrypts description and public summary "
                "of every case. **Raw SQL**: the very statements the page's selector runs (recorded with "
                "`connection.execute_wrapper` while calling `case_page_for`, the API's queryset, or the start page's "
                "`sections_for`), replayed with a cursor and fetched in full — no model instances, decryption, "
                "template or middleware. Web and raw alternate in the same run; p50/p95 over the runs given. "
                "CPU p50: the request's CPU time in the measuring process (on SQLite including the database's "
                "work, on PostgreSQL without the server's). Query plans: `var/bench/results.json`.", ""]
        out += _staff(results["staff"])
    out += ["## Annual report and sector overview", ""]
    a = results.get("annual", {})
    if a.get("formats"):
        out += _annual(a)
    elif a.get("command_exists"):
        out += ["`intact report annual` exists, but it was not measured in this run.", ""]
    else:
        out += [f"**Not measured.** `intact report annual` does not exist at {a.get('checked_at', 'the time of the run')} "
                "(checked with `intact help`): the accountability app has no annual report and no sector overview "
                "yet (issue 7 is being built). The targets (PDF < 5 s for 10,000 people / 2,000 cases / 20,000 register "
                "entries; peak memory < 300 MB; sector overview over 1,000,000 cases in 1,000 organisations) are "
                "therefore open. `benchmarks/run.py` (`annual()`) checks for the command on each run.", ""]
    if "sector" in results:
        out += ["## Sector overview", ""] + _sector(results["sector"]) + [""]
    out += ["## Load and crash test", "",
            "`scripts/loadtest` (defaults: 200 reporters + 50 staff, 60 s, spawn rate 50/s, one SIGKILL of gunicorn — "
            "master and workers — and the `db_worker` halfway, then restart on the same data) against a fresh "
            "installation on a free loopback port: SQLite, then PostgreSQL under `scripts/with-postgres`. "
            "Reporters submit through the public API, record the receipt at once (client-side JSON lines file), "
            "log into the mailbox, read the status, send a message and record its id when the server confirmed it "
            "(201). Staff (coordinators with API tokens from `security.services.api_token_create`) list the inbox "
            "and open reports. A failure between the kill and the moment the server answers again counts as "
            "*interrupted* (the client does not know the outcome, nothing is required of it); any other failure "
            "is an *error*. A 503 with `Retry-After` is documented back-pressure (the load shedding of "
            "`intact.core.backpressure` before any work, a database lock timeout rolled back by "
            "`reporting.dbbusy`, or the key-derivation limit), answered with nothing stored: the "
            "client waits and sends the same request again, for at most 60 s in all (longer is an error). "
            "Nothing else is retried, and each submission has a fresh nonce, so a report stored twice is a "
            "server-made duplicate. Afterwards: every recorded receipt must open its "
            "report (mailbox API), every confirmed message must be there, no nonce may occur twice, and "
            "`intact audit verify` must pass. The short form (20 + 5 users, 15 s, one kill) is "
            "`tests/load/test_crash_short.py` (marked `slow`, part of `make test`).", ""]
    out += _load()
    for note in sorted(NOTES.glob("*.md")):
        out += [note.read_text().strip(), ""]
    return "\n".join(out) + "\n"
