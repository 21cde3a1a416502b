"""Where self-edits and self-written probes are sampled from.

``VLLMGenerator`` (the product) asks the served model over vLLM's OpenAI-compatible API on loopback;
``LocalGenerator`` samples in-process with transformers, for unit tests on a tiny model and for
benchmarks that run without a server. Both take the same prompts and return one text per prompt.
"""

from __future__ import annotations

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
    concurrent = True  # safe to call from several threads at once

    def __init__(
        self, base_url: str, default_model: str = "base", timeout_s: float = 300.0
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.default_model = default_model
        self.timeout_s = timeout_s

    def add_adapter(self, name: str, path: Path) -> None:
        from serving.client import VLLMAdmin

        VLLMAdmin(self.base_url).load_adapter(name, path)  # idempotent per name

    def _one(
        self,
        client: httpx.Client,
        prompt: str,
        max_tokens: int,
        temperature: float,
        seed: int,
        model: str,
    ) -> str:
        resp = client.post(
            f"{self.base_url}/v1/chat/completions",
            json={
                "model": model,
                "messages": [{"role": "user", "content": prompt}],
                "max_tokens": max_tokens,
                "temperature": temperature,
                "top_p": 0.95,
                "seed": seed,
            },
        )
        resp.raise_for_status()
        return (resp.json()["choices"][0]["message"]["content"] or "").strip()

    def generate(
        self,
        prompts: Sequence[str],
        *,
        max_tokens: int,
        temperature: float,
        seed: int,
        model: str | None = None,
    ) -> list[str]:
        # Concurrent requests let vLLM batch them.
        with httpx.Client(timeout=self.timeout_s) as client, ThreadPoolExecutor(8) as pool:
            futures = [
                pool.submit(
                    self._one,
                    client,
                    p,
                    max_tokens,
                    temperature,
                    seed + i,
                    model or self.default_model,
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
        if not settings.vllm_url:
            raise ValueError("generation_backend 'vllm' needs SEAL_VLLM_URL")
        return VLLMGenerator(settings.vllm_url, settings.base_model_name)
    raise ValueError(
        f"`generation_backend` must be 'vllm' or 'local'; got {settings.generation_backend!r}"
    )
