"""The base model in the worker process: loading, chat formatting, LoRA training and greedy answering.

Everything here is a plain function over (model, tokenizer) so that unit tests can run it on a tiny
random model built from a config.
"""

from __future__ import annotations

import copy
import math
import os
import random
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)

from seal.selfedit import Example

if TYPE_CHECKING:
    from core.settings import Settings
    from seal.objectives import AnchorSet, OnPolicy


@dataclass(frozen=True)
class LoraConfigSpec:
    rank: int
    alpha: int
    dropout: float
    target_modules: tuple[str, ...]
    layers: tuple[int, ...] = ()  # the decoder layers that get the adapter (empty: all)


@dataclass(frozen=True)
class TrainConfig:
    """How one LoRA is trained. Built from ``Settings`` (where the defaults and their reasons
    live) by ``from_settings``; the outer loop derives the policy's from it."""

    learning_rate: float
    epochs: int
    min_steps: int  # at least this many optimizer steps, however short the data
    batch_size: int
    max_seq_len: int
    seed: int
    lora: LoraConfigSpec
    # The KL anchor (seal.objectives): its weight (0: off) and rehearsal prompts per step.
    anchor_weight: float
    anchor_batch: int
    # On-policy self-distillation (seal.objectives, objective "sdft"): what the student samples.
    sample_max_tokens: int
    sample_temperature: float

    @classmethod
    def from_settings(cls, settings: Settings) -> TrainConfig:
        return cls(
            learning_rate=settings.learning_rate,
            epochs=settings.epochs,
            min_steps=settings.min_steps,
            batch_size=settings.batch_size,
            max_seq_len=settings.max_seq_len,
            seed=settings.seed,
            lora=LoraConfigSpec(
                settings.lora_rank,
                settings.lora_alpha,
                settings.lora_dropout,
                tuple(settings.lora_target_modules),
                tuple(settings.lora_layers),
            ),
            anchor_weight=settings.kl_anchor_weight,
            anchor_batch=settings.kl_anchor_batch,
            sample_max_tokens=settings.sdft_max_tokens,
            sample_temperature=settings.sdft_temperature,
        )


@dataclass
class TrainResult:
    model: Any  # a peft PeftModel
    losses: list[float]
    seconds: float
    steps: int


@lru_cache(maxsize=2)
def load_base(path: str) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """The base model in fp32 (CPU training wants fp32), cached per process."""
    tokenizer = AutoTokenizer.from_pretrained(path)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    model.eval()
    return model, tokenizer


def chat_prompt(tokenizer: PreTrainedTokenizerBase, user: str) -> str:
    """The exact text vLLM's chat endpoint builds for one user message."""
    if tokenizer.chat_template:
        return str(
            tokenizer.apply_chat_template(
                [{"role": "user", "content": user}], tokenize=False, add_generation_prompt=True
            )
        )
    return f"Question: {user}\nAnswer:"


def encode_example(
    tokenizer: PreTrainedTokenizerBase, ex: Example, max_len: int
) -> tuple[list[int], list[int]]:
    """Token ids and labels; prompt tokens are masked (-100) so the loss is on the completion only."""
    eos = [tokenizer.eos_token_id] if tokenizer.eos_token_id is not None else []
    if ex.prompt is None:
        ids = tokenizer(ex.completion, add_special_tokens=False)["input_ids"] + eos
        return ids[:max_len], ids[:max_len]
    prompt_ids = tokenizer(chat_prompt(tokenizer, ex.prompt), add_special_tokens=False)["input_ids"]
    completion_ids = tokenizer(ex.completion, add_special_tokens=False)["input_ids"] + eos
    ids = (prompt_ids + completion_ids)[:max_len]
    labels = ([-100] * len(prompt_ids) + completion_ids)[:max_len]
    return ids, labels


def pad_batch(
    chunk: Sequence[tuple[list[int], list[int]]], pad_id: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Right-padded input ids, labels (-100 on padding) and attention mask."""
    width = max(len(ids) for ids, _ in chunk)
    input_ids = torch.full((len(chunk), width), pad_id, dtype=torch.long)
    labels = torch.full((len(chunk), width), -100, dtype=torch.long)
    attention = torch.zeros((len(chunk), width), dtype=torch.long)
    for row, (ids, labs) in enumerate(chunk):
        input_ids[row, : len(ids)] = torch.tensor(ids)
        labels[row, : len(labs)] = torch.tensor(labs)
        attention[row, : len(ids)] = 1
    return input_ids, labels, attention


def _batches(
    encoded: list[tuple[list[int], list[int]]], batch_size: int, pad_id: int, rng: random.Random
) -> Iterator[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """Batches of similar length (a long document chunk padded beside one-line self-edits would
    multiply the compute), in a random order each epoch."""
    order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i][0]), rng.random()))
    groups = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(groups)
    for group in groups:
        yield pad_batch([encoded[i] for i in group], pad_id)


def _peft_model(base: PreTrainedModel, config: TrainConfig, init_adapter: Path | None) -> Any:
    """A trainable LoRA on a deep copy of the base model (candidates never share injected
    layers): the adapter at ``init_adapter`` when given, else a fresh one of ``config.lora``."""
    from peft import LoraConfig, PeftModel, get_peft_model

    model = copy.deepcopy(base)
    if init_adapter is not None:
        return PeftModel.from_pretrained(model, str(init_adapter), is_trainable=True)
    spec = config.lora
    return get_peft_model(
        model,
        LoraConfig(
            r=spec.rank,
            lora_alpha=spec.alpha,
            lora_dropout=spec.dropout,
            target_modules=list(spec.target_modules),
            layers_to_transform=list(spec.layers) if spec.layers else None,
            task_type="CAUSAL_LM",
        ),
    )


def train_lora(
    base: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    examples: Sequence[Example],
    config: TrainConfig,
    *,
    init_adapter: Path | None = None,
    should_stop: Callable[[], bool] | None = None,
    anchor: AnchorSet | None = None,
    on_policy: OnPolicy | None = None,
    pinned: Sequence[Example] = (),
) -> TrainResult:
    """Fine-tune a LoRA adapter, starting from ``init_adapter`` when given.

    The task is next-token cross-entropy on ``examples``, or, with ``on_policy``, self-distillation
    on the student's own samples (``seal.objectives``). ``pinned`` examples (the document itself)
    are trained on at every step, one per step in turn, beside the batch of ``examples``: what a
    candidate adds (its self-edit) then adds to the document instead of diluting it (a 12-line
    self-edit at batch 4 otherwise leaves the passage 5 of 20 steps; the objective sweep measured
    the passage on every step learning 0.22 of the gold questions). With an ``anchor`` and a
    positive ``config.anchor_weight``, each step also adds that weight times the KL from the
    reference model to the student on a batch of rehearsal prompts.
    """
    from seal.objectives import anchor_loss, on_policy_loss

    if not examples and not pinned and on_policy is None:
        raise ValueError("no training examples")
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    started = time.perf_counter()
    peft_model = _peft_model(base, config, init_adapter)
    params = [p for p in peft_model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.learning_rate, weight_decay=0.0)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    encoded = [encode_example(tokenizer, ex, config.max_seq_len) for ex in examples]
    always = [encode_example(tokenizer, ex, config.max_seq_len) for ex in pinned]
    n_items = len(on_policy.questions) if on_policy is not None else len(encoded)
    # An epoch is one pass over the examples and over the pinned ones, whichever is longer.
    steps_per_epoch = max(math.ceil(n_items / config.batch_size), len(always))
    epochs = max(config.epochs, math.ceil(config.min_steps / steps_per_epoch))
    total = max(1, steps_per_epoch * epochs)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: max(0.0, 1 - s / total))
    use_anchor = anchor is not None and len(anchor) > 0 and config.anchor_weight > 0
    anchor_rng = random.Random(config.seed + 1)

    def batches() -> Iterator[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
        while True:  # as many passes as the steps take
            yield from _batches(encoded, config.batch_size, pad_id, rng)

    task_batches = batches() if on_policy is None and encoded else None
    losses: list[float] = []
    epoch_loss = 0.0
    peft_model.train()
    for step in range(total):
        if should_stop and should_stop():
            raise InterruptedError("training stopped")
        loss = torch.zeros(())
        if on_policy is not None:
            loss = on_policy_loss(peft_model, tokenizer, on_policy, step, config)
        elif task_batches is not None:
            input_ids, labels, attention = next(task_batches)
            loss = peft_model(input_ids=input_ids, attention_mask=attention, labels=labels).loss
        if always:
            input_ids, labels, attention = pad_batch([always[step % len(always)]], pad_id)
            loss = (
                loss + peft_model(input_ids=input_ids, attention_mask=attention, labels=labels).loss
            )
        if use_anchor:
            assert anchor is not None
            loss = loss + config.anchor_weight * anchor_loss(
                peft_model, anchor, config.anchor_batch, pad_id, anchor_rng
            )
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        epoch_loss += loss.item()
        if (step + 1) % steps_per_epoch == 0 or step + 1 == total:
            losses.append(epoch_loss / (step % steps_per_epoch + 1))
            epoch_loss = 0.0
    peft_model.eval()
    return TrainResult(peft_model, losses, time.perf_counter() - started, total)


@torch.no_grad()
def answer_questions(
    model: Any,
    tokenizer: PreTrainedTokenizerBase,
    questions: Sequence[str],
    *,
    max_new_tokens: int = 32,
    batch_size: int = 16,
) -> list[str]:
    """Greedy answers in the chat format queries use (closed book: no document in the prompt)."""
    if not questions:
        return []
    previous_side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    answers: list[str] = []
    try:
        for start in range(0, len(questions), batch_size):
            prompts = [chat_prompt(tokenizer, q) for q in questions[start : start + batch_size]]
            enc = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
            out = model.generate(
                **enc,
                max_new_tokens=max_new_tokens,
                do_sample=False,
                pad_token_id=tokenizer.pad_token_id,
            )
            new = out[:, enc["input_ids"].shape[1] :]
            answers.extend(t.strip() for t in tokenizer.batch_decode(new, skip_special_tokens=True))
    finally:
        tokenizer.padding_side = previous_side
    return answers


@torch.no_grad()
def _new_tokens(
    model: Any, tokenizer: PreTrainedTokenizerBase, prompts: Sequence[str], seed: int, **gen: Any
) -> torch.Tensor:
    """Seeded generation on chat-formatted, left-padded prompts: the generated tokens only."""
    torch.manual_seed(seed)
    previous_side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    try:
        texts = [chat_prompt(tokenizer, p) for p in prompts]
        enc = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False)
        out = model.generate(**enc, pad_token_id=tokenizer.pad_token_id, **gen)
    finally:
        tokenizer.padding_side = previous_side
    return out[:, enc["input_ids"].shape[1] :]


def sample_chat(
    model: Any,
    tokenizer: PreTrainedTokenizerBase,
    prompts: Sequence[str],
    *,
    max_new_tokens: int,
    temperature: float,
    seed: int,
) -> list[str]:
    """In-process sampling (the ``local`` generation backend)."""
    new = _new_tokens(
        model,
        tokenizer,
        prompts,
        seed,
        max_new_tokens=max_new_tokens,
        do_sample=temperature > 0,
        temperature=temperature if temperature > 0 else None,
        top_p=0.95 if temperature > 0 else None,
    )
    return [t.strip() for t in tokenizer.batch_decode(new, skip_special_tokens=True)]


@torch.no_grad()
def sample_tokens(
    model: Any,
    tokenizer: PreTrainedTokenizerBase,
    prompts: Sequence[str],
    *,
    max_new_tokens: int,
    temperature: float,
    seed: int,
) -> list[list[int]]:
    """Sampled answers as token ids, each cut after its end-of-sequence token (on-policy data)."""
    new = _new_tokens(
        model,
        tokenizer,
        prompts,
        seed,
        max_new_tokens=max_new_tokens,
        do_sample=True,
        temperature=temperature,
        top_p=1.0,
        top_k=0,
    )
    answers = []
    for row in new.tolist():
        tokens = []
        for t in row:
            tokens.append(t)
            if t == tokenizer.eos_token_id:
                break
        answers.append(tokens)
    return answers


_OS_ERROR = re.compile(r"os error (\d+)")


def save_adapter(model: Any, directory: Path) -> None:
    """Write the adapter's weights and config to ``directory``.

    A failed write inside safetensors (a full disk, a file-size limit) surfaces from its Rust
    writer as ``SafetensorError``, not ``OSError``; it is raised again as the ``OSError`` it was,
    so that callers handle every storage failure in one place (the reliability benchmark's full
    disk found a job failing with a bare ``SafetensorError`` and its scratch directory left)."""
    from safetensors import SafetensorError

    try:
        model.save_pretrained(str(directory), safe_serialization=True)
    except SafetensorError as exc:
        code = _OS_ERROR.search(str(exc))
        if code is None:
            raise
        number = int(code.group(1))
        raise OSError(number, os.strerror(number)) from exc


def load_adapter(base: PreTrainedModel, directory: Path) -> Any:
    from peft import PeftModel

    model = PeftModel.from_pretrained(copy.deepcopy(base), str(directory))
    model.eval()
    return model


def set_threads(n: int | None) -> None:
    if n:
        torch.set_num_threads(n)
