"""A throwaway Intact installation: its own folder, database, keys and secret.

Used by the intake benchmark and by the load/crash test. The web server is
gunicorn (as ``scripts/serve`` runs it) with the ``db_worker`` next to it,
both in their own process groups so that they can be killed with SIGKILL
(the whole group: master and workers) and started again on the same data.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_database_url(name: str) -> str | None:
    """A new, empty database ``name`` on the throwaway cluster of scripts/with-postgres, or None."""
    url = os.environ.get("INTACT_DATABASE_URL", "")
    sock, port = os.environ.get("INTACT_PG_SOCKET_DIR"), os.environ.get("INTACT_PG_PORT")
    if not url.startswith("postgres") or not sock or not port:
        return None
    import psycopg

    with psycopg.connect(host=sock, port=port, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@/{name}?host={sock}&port={port}"


def pg_version() -> str | None:
    url = os.environ.get("INTACT_DATABASE_URL", "")
    sock, port = os.environ.get("INTACT_PG_SOCKET_DIR"), os.environ.get("INTACT_PG_PORT")
    if not url.startswith("postgres") or not sock:
        return None
    import psycopg

    with psycopg.connect(host=sock, port=port, user="postgres", dbname="postgres") as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


class Instance:
    """One installation in a temporary folder (``root``), SQLite unless ``db_url`` is given."""

    def __init__(self, *, db_url: str | None = None, web_workers: int = 2, web_threads: int = 112,
                 root: Path | None = None, extra_env: dict[str, str] | None = None) -> None:
        self.root = Path(root or tempfile.mkdtemp(prefix="intact-bench-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.db_url = db_url or f"sqlite:///{self.root / 'intact.sqlite3'}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.web_workers, self.web_threads = web_workers, web_threads
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "intact.settings.dev",
            "INTACT_VAR_DIR": str(self.root),
            "INTACT_DATABASE_URL": self.db_url,
            "INTACT_SECRET_KEY": secrets.token_urlsafe(48),
            "INTACT_LOG_LEVEL": "WARNING",
            "INTACT_KEY_FILE": str(self.root / "keys.json"),
            "INTACT_PUBLIC_BASE_URL": self.url,
            **(extra_env or {}),
        }
        self.env.pop("INTACT_MASTER_KEY", None)
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.log = open(self.root / "server.log", "ab")  # noqa: SIM115 - closed in cleanup()

    # --- commands --------------------------------------------------------------------------
    def intact(self, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / "intact"), *args], env=self.env, cwd=ROOT, check=check,  # noqa: S603
                              capture_output=True, text=True, timeout=timeout)

    def python(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], env=self.env, cwd=ROOT, check=True,  # noqa: S603
                              capture_output=True, text=True, timeout=timeout)

    def setup(self, *, staff: int = 5, org: str = "bench") -> dict:
        """Migrate and create the organisation and ``staff`` coordinators with API tokens."""
        self.intact("migrate", "--noinput", "-v0")
        out = self.python("-m", "benchmarks.seed", "--org", org, "--staff", str(staff),
                          "--out", str(self.root / "seed.json"))
        del out
        return json.loads((self.root / "seed.json").read_text())

    # --- processes ---------------------------------------------------------------------------
    def start(self, timeout: float = 180) -> None:
        # As scripts/serve: more threads than requests at work (intact.core.backpressure sheds the
        # rest with 503 + Retry-After), few connections per worker and a short listen queue.
        self.worker = subprocess.Popen(  # noqa: S603
            [str(BIN / "intact"), "db_worker", "--queue-name", "*", "--interval", "1"],
            env=self.env, cwd=ROOT, stdout=self.log, stderr=self.log, start_new_session=True)
        self.web = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "intact.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.web_workers), "--threads", str(self.web_threads),
             "--worker-class", "gthread", "--worker-connections", "160", "--backlog", "64",
             "--timeout", "30", "--graceful-timeout", "5", "--log-level", "warning"],
            env=self.env, cwd=ROOT, stdout=self.log, stderr=self.log, start_new_session=True)
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 180) -> None:
        # After a kill under load the listen queue fills with the clients' requests at once;
        # /healthz waits behind them, so each probe may take a while.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.web is not None and self.web.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.web.returncode}); see {self.root / 'server.log'}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=30) as r:  # noqa: S310 - loopback
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not ready after {timeout}s; see {self.root / 'server.log'}")

    def _signal(self, proc: subprocess.Popen | None, sig: int) -> None:
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)  # the process group this instance started (master + workers)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """SIGKILL the web server (master and workers) and the task worker: a crash, no clean-up."""
        for proc in (self.web, self.worker):
            self._signal(proc, signal.SIGKILL)
        for proc in (self.web, self.worker):
            if proc is not None:
                proc.wait(timeout=30)

    def stop(self) -> None:
        for proc in (self.web, self.worker):
            self._signal(proc, signal.SIGTERM)
        for proc in (self.web, self.worker):
            if proc is None:
                continue
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._signal(proc, signal.SIGKILL)
                proc.wait(timeout=15)

    def cleanup(self, keep: bool = False) -> None:
        self.stop()
        self.log.close()
        if not keep:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Instance:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup(keep=bool(os.environ.get("INTACT_BENCH_KEEP")))
