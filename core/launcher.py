"""Run the whole service on one machine: migrations, vLLM, a Celery worker and the API.

    python -m core.launcher

On first run it generates SEAL_ADMIN_KEY into .env (unless set) and prints it. Child processes are
supervised: each vLLM replica (``SEAL_VLLM_REPLICAS``) and the worker are restarted with backoff if
they die; stopping the launcher stops them all.
"""

from __future__ import annotations

import functools
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from core.settings import REPO_ROOT, Settings, get_settings

ENV_FILE = REPO_ROOT / ".env"


def ensure_admin_key(env_file: Path = ENV_FILE) -> tuple[str, bool]:
    """Return the admin key, generating it into the env file when none is configured."""
    if os.environ.get("SEAL_ADMIN_KEY"):
        return os.environ["SEAL_ADMIN_KEY"], False
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            if line.startswith("SEAL_ADMIN_KEY=") and line.split("=", 1)[1].strip():
                return line.split("=", 1)[1].strip(), False
    key = "sk-admin-" + secrets.token_urlsafe(32)
    with env_file.open("a") as fh:
        fh.write(f"SEAL_ADMIN_KEY={key}\n")
    env_file.chmod(0o600)
    return key, True


def migrate(settings: Settings) -> None:
    from alembic import command
    from alembic.config import Config

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    cfg = Config(str(REPO_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    cfg.attributes["url"] = settings.resolved_database_url
    command.upgrade(cfg, "head")


def _spawn(args: list[str], log: Path) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        args, cwd=REPO_ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def worker_command(settings: Settings) -> list[str]:
    # Solo pool: one long training task at a time per process, no fork after torch is loaded.
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workers.celery_app:celery_app",
        "worker",
        "-Q",
        settings.task_queue,
        "-P",
        "solo",
        "--loglevel",
        "INFO",
        "-n",
        "seal-worker@%h",
    ]


def api_command(settings: Settings) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "api.main:app",
        "--host",
        settings.api_host,
        "--port",
        str(settings.api_port),
        "--no-access-log",
    ]


class Supervised:
    """A child process restarted when it dies, with a backoff that doubles (1 s up to 60 s) while
    it keeps dying young and starts over once it ran for two minutes."""

    def __init__(self, name: str, start: Callable[[], subprocess.Popen]) -> None:
        self.name, self._start = name, start
        self.proc: subprocess.Popen | None = None
        self.restarts = 0
        self._delay, self._started, self._due = 0.0, 0.0, 0.0

    def start(self) -> subprocess.Popen:
        self.proc, self._started = self._start(), time.monotonic()
        return self.proc

    def check(self) -> None:
        """Call every second: notice a death, restart when its backoff has passed."""
        if self.proc is None or self.proc.poll() is None:
            if self.proc is None and time.monotonic() >= self._due:
                print(f"[seal] restarting {self.name} (restart {self.restarts})", flush=True)
                self.start()
            return
        ran = time.monotonic() - self._started
        self._delay = 1.0 if ran > 120 or not self._delay else min(60.0, self._delay * 2)
        print(
            f"[seal] {self.name} exited with {self.proc.returncode} after {ran:.0f} s; "
            f"restarting in {self._delay:.0f} s",
            flush=True,
        )
        self.proc, self._due = None, time.monotonic() + self._delay
        self.restarts += 1


def main() -> None:
    key, generated = ensure_admin_key()
    os.environ["SEAL_ADMIN_KEY"] = key
    get_settings.cache_clear()
    settings = get_settings()
    logs = settings.data_dir / "logs"
    if generated:
        print(
            f"[seal] generated an admin key into {ENV_FILE}:\n       SEAL_ADMIN_KEY={key}",
            flush=True,
        )
    print(f"[seal] migrating {settings.resolved_database_url}", flush=True)
    migrate(settings)

    from serving.vllm_server import replica_ports, start_vllm, wait_ready

    children: list[Supervised] = []
    api: subprocess.Popen | None = None
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        if settings.vllm_url and not settings.vllm_urls:
            for i, port in enumerate(replica_ports(settings)):
                log = logs / ("vllm.log" if i == 0 else f"vllm-{i}.log")
                print(
                    f"[seal] starting vLLM on {settings.vllm_host}:{port} (log: {log})", flush=True
                )
                child = Supervised(
                    f"vllm:{port}", functools.partial(start_vllm, settings, log, port)
                )
                children.append(child)
                child.start()
            for child, port in zip(children, replica_ports(settings), strict=True):
                assert child.proc is not None
                wait_ready(settings, child.proc, settings.vllm_start_timeout_s, port)
        worker = Supervised("worker", lambda: _spawn(worker_command(settings), logs / "worker.log"))
        children.append(worker)
        worker.start()
        api = _spawn(api_command(settings), logs / "api.log")
        print(
            f"[seal] ready: API on http://{settings.api_host}:{settings.api_port} (logs in {logs})",
            flush=True,
        )
        while not stopping:
            time.sleep(1.0)
            if api.poll() is not None:
                print("[seal] the API exited; stopping", flush=True)
                break
            for child in children:
                child.check()
    finally:
        procs = [c.proc for c in children if c.proc is not None]
        if api is not None:
            procs.append(api)
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
