"""Run the whole service on one machine: migrations, vLLM, a Celery worker and the API.

    python -m core.launcher

On first run it generates SEAL_ADMIN_KEY into .env (unless set) and prints it. Child processes are
supervised: vLLM and the worker are restarted if they die; stopping the launcher stops them all.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
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

    from serving.vllm_server import start_vllm, wait_ready

    procs: dict[str, subprocess.Popen] = {}
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        if settings.vllm_url:
            print(
                f"[seal] starting vLLM on {settings.vllm_host}:{settings.vllm_port} "
                f"(log: {logs / 'vllm.log'})",
                flush=True,
            )
            procs["vllm"] = start_vllm(settings, logs / "vllm.log")
            wait_ready(settings, procs["vllm"], settings.vllm_start_timeout_s)
        procs["worker"] = _spawn(worker_command(settings), logs / "worker.log")
        procs["api"] = _spawn(api_command(settings), logs / "api.log")
        print(
            f"[seal] ready: API on http://{settings.api_host}:{settings.api_port} (logs in {logs})",
            flush=True,
        )
        while not stopping:
            time.sleep(1.0)
            if procs["api"].poll() is not None:
                print("[seal] the API exited; stopping", flush=True)
                break
            for name in ("vllm", "worker"):
                proc = procs.get(name)
                if proc is not None and proc.poll() is not None and not stopping:
                    print(f"[seal] {name} exited with {proc.returncode}; restarting", flush=True)
                    if name == "vllm":
                        procs[name] = start_vllm(settings, logs / "vllm.log")
                    else:
                        procs[name] = _spawn(worker_command(settings), logs / "worker.log")
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
