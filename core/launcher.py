"""Run the whole service on one machine: migrations, vLLM, a Celery worker and the API.

    python -m core.launcher

On first run it generates SEAL_ADMIN_KEY into .env (unless set) and prints it. Child processes are
supervised: each vLLM replica (``SEAL_VLLM_REPLICAS``) and the worker are restarted with backoff if
they die; stopping the launcher stops them all.

Logs are JSON lines unless ``SEAL_LOG_FORMAT=text`` (the launcher's, the API's and the worker's;
vLLM logs in its own format). The API and the worker share a Prometheus multiprocess directory
(``<data_dir>/metrics``, cleared at every start): the API's /metrics adds both up.
"""

from __future__ import annotations

import functools
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from core.logging import configure_from_settings
from core.metrics import MULTIPROC_ENV
from core.settings import REPO_ROOT, Settings, get_settings

ENV_FILE = REPO_ROOT / ".env"
logger = logging.getLogger("seal.launcher")


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


def _spawn(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        args,
        cwd=REPO_ROOT,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=env,
    )


def metrics_env(settings: Settings) -> dict[str, str]:
    """The API's and the worker's environment: a fresh shared Prometheus multiprocess directory
    (a previous run's files would add its counts to this one's). Not vLLM's: it uses
    prometheus_client too, and would write its own metrics there (and clear the directory)."""
    path = settings.data_dir / "metrics"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return {**os.environ, MULTIPROC_ENV: str(path)}


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

    def __init__(
        self,
        name: str,
        start: Callable[[], subprocess.Popen],
        on_exit: Callable[[int], None] | None = None,
    ) -> None:
        self.name, self._start, self._on_exit = name, start, on_exit
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
                logger.info("restarting %s (restart %s)", self.name, self.restarts)
                self.start()
            return
        ran = time.monotonic() - self._started
        self._delay = 1.0 if ran > 120 or not self._delay else min(60.0, self._delay * 2)
        logger.warning(
            "%s exited with %s after %.0f s; restarting in %.0f s",
            self.name,
            self.proc.returncode,
            ran,
            self._delay,
        )
        if self._on_exit is not None:
            self._on_exit(self.proc.pid)
        self.proc, self._due = None, time.monotonic() + self._delay
        self.restarts += 1


def _without_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _mark_dead(path: str, pid: int) -> None:
    """A dead process's "live" gauges leave the sums (core.metrics)."""
    from prometheus_client.multiprocess import mark_process_dead

    mark_process_dead(pid, path)


def main() -> None:
    key, generated = ensure_admin_key()
    os.environ["SEAL_ADMIN_KEY"] = key
    os.environ.setdefault("SEAL_LOG_FORMAT", "json")  # for the children too
    get_settings.cache_clear()
    settings = get_settings()
    configure_from_settings(settings)
    logs = settings.data_dir / "logs"
    if generated:
        # Printed, not logged: a secret is shown once on the terminal and kept out of log files.
        print(
            f"[seal] generated an admin key into {ENV_FILE}:\n       SEAL_ADMIN_KEY={key}",
            flush=True,
        )
    logger.info("migrating %s", _without_password(settings.resolved_database_url))
    migrate(settings)
    # Alembic's env.py configured logging from alembic.ini (a text handler on the root logger).
    logging.getLogger().handlers.clear()
    configure_from_settings(settings)
    env = metrics_env(settings)
    metrics_dir = env[MULTIPROC_ENV]

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
                logger.info("starting vLLM on %s:%s (log: %s)", settings.vllm_host, port, log)
                child = Supervised(
                    f"vllm:{port}", functools.partial(start_vllm, settings, log, port)
                )
                children.append(child)
                child.start()
            for child, port in zip(children, replica_ports(settings), strict=True):
                assert child.proc is not None
                wait_ready(settings, child.proc, settings.vllm_start_timeout_s, port)
        worker = Supervised(
            "worker",
            lambda: _spawn(worker_command(settings), logs / "worker.log", env),
            on_exit=functools.partial(_mark_dead, metrics_dir),
        )
        children.append(worker)
        worker.start()
        api = _spawn(api_command(settings), logs / "api.log", env)
        logger.info(
            "ready: API on http://%s:%s (logs in %s)", settings.api_host, settings.api_port, logs
        )
        while not stopping:
            time.sleep(1.0)
            if api.poll() is not None:
                logger.warning("the API exited; stopping")
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
