"""Where self-edits and self-written probes are sampled from.

``VLLMGenerator`` (the product) asks the served model over vLLM's OpenAI-compatible API on loopback;
``LocalGenerator`` samples in-process with transformers, for unit tests on a tiny model and for
benchmarks that run without a server. Both take the same prompts and return one text per prompt.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import httpx

from core.settings import Settings


class Generator(Protocol):
    def add_adapter(self, name: str, path: Path) -> None:
        """Make an adapter (a self-edit policy) available as ``model=name``."""
        ...

    def generate(
        self,
        prompts: Sequence[str],
        *,
        max_tokens: int,
        temperature: float,
        seed: int,
        model: str | None = None,
    ) -> list[str]: ...


class VLLMGenerator:
    """Samples from the served model over vLLM's OpenAI-compatible API, spread over its replicas.

    A replica killed or restarting mid-job does not fail the job: a request that cannot be
    answered goes to the next replica, and after a pause round them again, for up to
    ``retry_s``; a self-edit policy a restarted replica no longer has is loaded again first."""

    concurrent = True  # safe to call from several threads at once

    def __init__(
        self,
        base_urls: str | Sequence[str],
        default_model: str = "base",
        timeout_s: float = 300.0,
        api_key: str | None = None,
        retry_s: float = 180.0,
    ) -> None:
        urls = [base_urls] if isinstance(base_urls, str) else list(base_urls)
        self.base_urls = [u.rstrip("/") for u in urls]
        self.default_model = default_model
        self.timeout_s = timeout_s
        self.api_key = api_key
        self.retry_s = retry_s
        self._adapters: dict[str, Path] = {}

    def _admin(self) -> Any:
        from serving.replicas import ReplicaAdmin

        return ReplicaAdmin.for_urls(self.base_urls, self.api_key)

    def add_adapter(self, name: str, path: Path) -> None:
        self._adapters[name] = path
        self._admin().load_adapter(name, path)  # idempotent per name, on every replica up

    def _one(
        self,
        client: httpx.Client,
        prompt: str,
        max_tokens: int,
        temperature: float,
        seed: int,
        model: str,
        start: int,
    ) -> str:
        payload = {
            "model": model,
            "messages": [{"role": "user", "content": prompt}],
            "max_tokens": max_tokens,
            "temperature": temperature,
            "top_p": 0.95,
            "seed": seed,
        }
        deadline, pause, attempt = time.monotonic() + self.retry_s, 1.0, 0
        while True:
            url = self.base_urls[(start + attempt) % len(self.base_urls)]
            attempt += 1
            try:
                resp = client.post(f"{url}/v1/chat/completions", json=payload)
                if resp.status_code == 404 and model in self._adapters:
                    # A replica that restarted lost the policy adapter: load it there again.
                    from serving.client import VLLMAdmin

                    VLLMAdmin(url, api_key=self.api_key).load_adapter(model, self._adapters[model])
                    resp = client.post(f"{url}/v1/chat/completions", json=payload)
                if resp.status_code < 500:
                    resp.raise_for_status()
                    return (resp.json()["choices"][0]["message"]["content"] or "").strip()
                error: Exception = httpx.HTTPStatusError(
                    f"{resp.status_code}", request=resp.request, response=resp
                )
            except httpx.TransportError as exc:
                error = exc
            if time.monotonic() > deadline:
                raise error
            if attempt % len(self.base_urls) == 0:  # every replica tried: wait, then again
                time.sleep(pause)
                pause = min(pause * 2, 15.0)

    def generate(
        self,
        prompts: Sequence[str],
        *,
        max_tokens: int,
        temperature: float,
        seed: int,
        model: str | None = None,
    ) -> list[str]:
        # Concurrent requests let vLLM batch them; they start on the replicas in turn.
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        with (
            httpx.Client(timeout=self.timeout_s, headers=headers) as client,
            ThreadPoolExecutor(8) as pool,
        ):
            futures = [
                pool.submit(
                    self._one,
                    client,
                    p,
                    max_tokens,
                    temperature,
                    seed + i,
                    model or self.default_model,
                    i,
                )
                for i, p in enumerate(prompts)
            ]
            return [f.result() for f in futures]


class LocalGenerator:
    def __init__(self, base_model_path: str) -> None:
        self.base_model_path = base_model_path
        self._adapters: dict[str, Path] = {}
        self._loaded: dict[str, Any] = {}

    def add_adapter(self, name: str, path: Path) -> None:
        self._adapters[name] = path
        self._loaded.pop(name, None)

    def _model(self, name: str | None) -> tuple[Any, Any]:
        from seal.modeling import load_adapter, load_base

        base, tokenizer = load_base(self.base_model_path)
        if name in (None, "base"):
            return base, tokenizer
        if name not in self._adapters:
            raise ValueError(f"the local generator has no adapter named {name!r}")
        if name not in self._loaded:
            self._loaded = {name: load_adapter(base, self._adapters[name])}  # keep one in memory
        return self._loaded[name], tokenizer

    def generate(
        self,
        prompts: Sequence[str],
        *,
        max_tokens: int,
        temperature: float,
        seed: int,
        model: str | None = None,
    ) -> list[str]:
        from seal.modeling import sample_chat

        model_obj, tokenizer = self._model(model)
        return sample_chat(
            model_obj,
            tokenizer,
            prompts,
            max_new_tokens=max_tokens,
            temperature=temperature,
            seed=seed,
        )


def make_generator(settings: Settings) -> Generator:
    if settings.generation_backend == "local":
        return LocalGenerator(str(settings.base_model_path))
    if settings.generation_backend == "vllm":
        if not settings.resolved_vllm_urls:
            raise ValueError("generation_backend 'vllm' needs SEAL_VLLM_URL (or SEAL_VLLM_URLS)")
        return VLLMGenerator(
            settings.resolved_vllm_urls, settings.base_model_name, api_key=settings.vllm_api_key
        )
    raise ValueError(
        f"`generation_backend` must be 'vllm' or 'local'; got {settings.generation_backend!r}"
    )
