"""Client for the project's own vLLM server on loopback: adapter management and health.

Only the service calls these endpoints; tenants never reach vLLM (the API proxies queries and
decides which adapter answers them).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import httpx

from core import metrics

log = logging.getLogger(__name__)


class ServingError(RuntimeError):
    pass


def auth_headers(api_key: str | None) -> dict[str, str]:
    """What every request to vLLM carries when it was started with ``--api-key``."""
    return {"Authorization": f"Bearer {api_key}"} if api_key else {}


class VLLMAdmin:
    def __init__(self, base_url: str, timeout_s: float = 120.0, api_key: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.headers = auth_headers(api_key)

    def _post(self, path: str, payload: dict) -> httpx.Response:
        with httpx.Client(timeout=self.timeout_s, headers=self.headers) as client:
            return client.post(f"{self.base_url}{path}", json=payload)

    def healthy(self) -> bool:
        try:
            with httpx.Client(timeout=5.0, headers=self.headers) as client:
                return client.get(f"{self.base_url}/health").status_code == 200
        except httpx.HTTPError:
            return False

    def served_models(self) -> set[str]:
        with httpx.Client(timeout=30.0, headers=self.headers) as client:
            resp = client.get(f"{self.base_url}/v1/models")
        resp.raise_for_status()
        return {m["id"] for m in resp.json().get("data", [])}

    def load_adapter(self, name: str, path: Path) -> None:
        """Load an adapter under a name. Loading a name that is already loaded is a no-op: names are
        never reused for different weights, so the loaded one is the same version."""
        t0, result = time.perf_counter(), "error"
        try:
            resp = self._post("/v1/load_lora_adapter", {"lora_name": name, "lora_path": str(path)})
            if resp.status_code == 200:
                result = "loaded"
                log.info("vLLM loaded adapter %s", name)
                return
            if resp.status_code == 400 and "already" in resp.text.lower():
                result = "already_loaded"
                return
            raise ServingError(
                f"vLLM could not load adapter {name}: {resp.status_code} {resp.text[:300]}"
            )
        finally:
            metrics.ADAPTER_LOAD_SECONDS.labels(result=result).observe(time.perf_counter() - t0)

    def unload_adapter(self, name: str) -> None:
        resp = self._post("/v1/unload_lora_adapter", {"lora_name": name})
        if resp.status_code not in (200, 404) and "not found" not in resp.text.lower():
            raise ServingError(
                f"vLLM could not unload adapter {name}: {resp.status_code} {resp.text[:300]}"
            )
        log.info("vLLM unloaded adapter %s", name)
