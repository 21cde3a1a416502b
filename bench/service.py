"""Start the whole service (``python -m core.launcher``) on side ports for a benchmark run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from common import ROOT


@contextmanager
def running_service(
    api_port: int = 8731, vllm_port: int = 8732, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, str, Path]]:
    data = Path(tempfile.mkdtemp(prefix="seal-bench-"))
    admin_key = "bench-admin-key"
    env = {
        **os.environ,
        "SEAL_DATA_DIR": str(data),
        "SEAL_ADMIN_KEY": admin_key,
        "SEAL_API_PORT": str(api_port),
        "SEAL_VLLM_PORT": str(vllm_port),
        "SEAL_VLLM_URL": f"http://127.0.0.1:{vllm_port}",
        **(extra_env or {}),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "core.launcher"],
        cwd=ROOT,
        env=env,
        stdout=(data / "launcher.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{api_port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            if proc.poll() is not None:
                raise RuntimeError((data / "launcher.log").read_text()[-3000:])
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("service not ready in 600 s")
            time.sleep(2)
        yield url, admin_key, data
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


TERMINAL = ("promoted", "rejected", "failed", "cancelled", "awaiting_approval")


def teach_passage(
    client: httpx.Client, passage: dict[str, Any], poll_s: float = 3.0
) -> tuple[int, dict[str, Any], float]:
    """POST one SQuAD passage (questions withheld) and follow its job to a terminal state:
    (job id, the job, seconds from POST to the end)."""
    doc = {"title": passage["title"], "text": passage["context"]}
    job_id = client.post("/v1/knowledge", json={"documents": [doc]}).json()["job_id"]
    started = time.monotonic()
    while True:
        job = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] in TERMINAL:
            return job_id, job, round(time.monotonic() - started, 1)
        time.sleep(poll_s)
