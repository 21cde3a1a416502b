"""How "ordinary" a word is, judged by the served model's own tokenizer.

A byte-pair vocabulary is a frequency list in disguise: common English words are one token (with
their leading space), rare names take two, and ciphertext, base64 or keyboard noise shatter into
many. That gives the encoded-payload and trigger guards a rarity measure that needs no word list
and matches what the model will actually see.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from tokenizers import Tokenizer

from core.settings import get_settings


@lru_cache(maxsize=4)
def _load(path: str) -> Tokenizer:
    return Tokenizer.from_file(str(Path(path) / "tokenizer.json"))


def tokenizer(path: str | None = None) -> Tokenizer:
    return _load(path or str(get_settings().base_model_path))


@lru_cache(maxsize=65536)
def _pieces(word: str, path: str) -> int:
    return len(_load(path).encode(" " + word, add_special_tokens=False).ids)


def pieces(word: str, path: str | None = None) -> int:
    """Tokens the word takes after a space (1 for a common word)."""
    return _pieces(word, path or str(get_settings().base_model_path))


def tokens_per_char(text: str, path: str | None = None) -> float:
    if not text:
        return 0.0
    return len(tokenizer(path).encode(text, add_special_tokens=False).ids) / len(text)


def special_tokens(path: str | None = None) -> list[str]:
    """The tokenizer's added special tokens (chat-template markers such as ``<|im_start|>``)."""
    tok = tokenizer(path)
    return [t.content for t in tok.get_added_tokens_decoder().values() if t.special]


@lru_cache(maxsize=4)
def _bigram_logprobs(path: str) -> tuple[dict[str, float], float]:
    """Letter-bigram log-probabilities of the vocabulary's whole-word tokens: a model of how
    English words are spelled, learned from nothing but the tokenizer already on disk."""
    counts: dict[str, int] = {}
    for token in _load(path).get_vocab():
        word = token[1:]
        # "Ġ" marks a token that starts a word in byte-level BPE vocabularies.
        if token.startswith("Ġ") and len(word) > 2 and word.isascii() and word.isalpha():
            w = f"^{word.lower()}$"
            for pair in zip(w, w[1:], strict=False):
                counts["".join(pair)] = counts.get("".join(pair), 0) + 1
    total = sum(counts.values()) or 1
    return {k: math.log((v + 0.5) / total) for k, v in counts.items()}, math.log(0.5 / total)


def spelling_score(word: str, path: str | None = None) -> float:
    """Mean letter-bigram log-probability of a word: about -5 for English, below -7 for
    ciphertext and random letters."""
    table, unseen = _bigram_logprobs(path or str(get_settings().base_model_path))
    w = f"^{word.lower()}$"
    pairs = ["".join(p) for p in zip(w, w[1:], strict=False)]
    return sum(table.get(p, unseen) for p in pairs) / len(pairs)
