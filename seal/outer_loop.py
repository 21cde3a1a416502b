"""The SEAL outer loop as plain functions: one ReST-EM round over the self-edit policy.

1. sample K self-edits per context from the current policy (the base model or a policy LoRA);
2. score each with the inner loop: a fresh LoRA trained on the context + self-edit, the context's
   questions answered closed-book, reward = token-F1 gain over the model without an adapter;
3. keep the best self-edit of each context when its reward beats the baseline (the E-step filter);
4. fine-tune the policy on the kept (prompt, self-edit) pairs, loss on the self-edit only (M-step);
5. compare the new policy with the current one on held-out contexts: the full inner loop with the
   same seeds for both, so that the only difference is the policy.

Nothing here touches the database: ``workers.policy_round`` runs it as a job, and
``bench/knowledge.py`` runs it directly.
"""

from __future__ import annotations

import dataclasses
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

from core.settings import Settings
from seal.generation import Generator
from seal.headers import parse_header
from seal.inner_loop import DocInput, InnerLoopConfig, generate_selfedits, run_inner_loop
from seal.modeling import TrainConfig, save_adapter, train_lora
from seal.selfedit import QA, Example, selfedit_prompt

ProgressFn = Callable[[str, float, dict[str, Any]], None]


@dataclass(frozen=True)
class Context:
    key: str  # "squad-train:17", "document:42": what the record points back to
    title: str | None
    text: str
    questions: tuple[QA, ...]
    tenant_id: int | None = None


@dataclass(frozen=True)
class RoundConfig:
    inner: InnerLoopConfig  # how each self-edit is scored: exactly as a teach job trains it
    k: int  # self-edits sampled per training context
    eval_k: int  # self-edits per held-out context when two policies are compared
    policy: TrainConfig  # how the policy LoRA is fine-tuned on the kept self-edits
    min_reward: float
    min_improvement: float
    # Give self-edits without a readable header a random one (exploration; see seal.headers).
    explore_headers: bool = True


@dataclass
class SampleRecord:
    """One (context, self-edit, reward) triple."""

    context_key: str
    split: str  # "train": scored for the filter | "heldout": scored to compare policies
    policy: str  # the policy that wrote it ("current" or "new" in the round's terms)
    sample: int
    style: str
    text: str
    reward: float
    em_gain: float
    score: dict[str, Any]
    baseline: dict[str, Any]
    header: dict[str, Any] | None = None
    tenant_id: int | None = None
    kept: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class PolicyEval:
    mean_reward: float  # over every held-out sample: how good a typical self-edit is
    mean_best_reward: float  # over contexts, of the best of eval_k: what the product serves
    mean_f1: float
    mean_contains: float
    contexts: int
    samples: int

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class RoundResult:
    records: list[SampleRecord]
    kept: list[SampleRecord]
    policy_model: Any = None  # the new policy (peft model), None when nothing was kept
    policy_losses: list[float] = field(default_factory=list)
    current: PolicyEval | None = None
    new: PolicyEval | None = None
    improved: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    def report(self) -> dict[str, Any]:
        train = [r for r in self.records if r.split == "train"]
        headers = [r.header["status"] for r in train if r.header]
        return {
            "train_contexts": len({r.context_key for r in train}),
            "train_samples": len(train),
            "kept": len(self.kept),
            "mean_train_reward": mean(r.reward for r in train) if train else None,
            "mean_kept_reward": mean(r.reward for r in self.kept) if self.kept else None,
            "headers": {s: headers.count(s) for s in sorted(set(headers))},
            "policy_losses": self.policy_losses,
            "current": self.current.as_dict() if self.current else None,
            "new": self.new.as_dict() if self.new else None,
            "improved": self.improved,
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
        }


def round_config(
    settings: Settings, *, k: int | None = None, eval_k: int | None = None
) -> RoundConfig:
    """The round's settings: self-edits are scored exactly as a teach job trains its candidates."""
    inner = InnerLoopConfig.from_settings(settings)
    policy = dataclasses.replace(
        inner.train,
        learning_rate=settings.outer_learning_rate,
        epochs=settings.outer_epochs,
        min_steps=settings.outer_min_steps,
        max_seq_len=settings.outer_max_seq_len,
    )
    return RoundConfig(
        inner=inner,
        k=k or settings.outer_k,
        eval_k=eval_k or settings.outer_eval_k,
        policy=policy,
        min_reward=settings.outer_min_reward,
        min_improvement=settings.outer_min_improvement,
    )


def split_pool(
    contexts: Sequence[Context], heldout: int, seed: int
) -> tuple[list[Context], list[Context]]:
    """A fixed held-out split: the same contexts judge every round, and are never trained on."""
    if heldout >= len(contexts):
        raise ValueError(
            f"{len(contexts)} contexts cannot hold out {heldout} and train on the rest"
        )
    order = list(contexts)
    random.Random(seed).shuffle(order)
    return order[heldout:], order[:heldout]


def round_contexts(pool: Sequence[Context], c: int, round_index: int) -> list[Context]:
    """Round n trains on the next C contexts of the pool (wrapping), so rounds see fresh text."""
    if not pool:
        return []
    start = (round_index - 1) * c
    return [pool[(start + i) % len(pool)] for i in range(min(c, len(pool)))]


def sample_selfedits(
    generator: Generator,
    policy: str | None,
    contexts: Sequence[Context],
    k: int,
    cfg: RoundConfig,
    *,
    explore: bool,
) -> list[list[str]]:
    """K self-edits per context from ``policy`` (None: the base model), as [context][sample]; with
    ``explore`` (the round's training contexts), one without a readable header gets a random one
    (seeded by the round's seed and contexts). Held-out comparisons do not explore: they measure the policy as a
    teach job would use it, where a self-edit without a header trains with the defaults."""
    docs = [DocInput(c.title, c.text) for c in contexts]
    inner = cfg.inner
    by_sample = generate_selfedits(
        generator,
        docs,
        k,
        inner.styles,
        max_tokens=inner.selfedit_max_tokens,
        temperature=inner.temperature,
        seed=inner.seed,
        model=policy,
    )
    texts = [[by_sample[j][i] for j in range(k)] for i in range(len(contexts))]
    bounds = inner.bounds
    if bounds is None or not (explore and cfg.explore_headers):
        return texts
    # Seeded by the contexts too: a later round (other contexts) explores other headers.
    rng = random.Random(f"{inner.seed}:" + "|".join(c.key for c in contexts))
    explored = []
    for row in texts:
        out = []
        for text in row:
            drawn = bounds.sample(rng)  # drawn for every slot, used or not: aligned seeds
            header = parse_header(text, bounds)
            out.append(text if header.learning_rate is not None else f"{drawn}\n{header.body}")
        explored.append(out)
    return explored


def score_selfedits(
    context: Context,
    texts: Sequence[str],
    *,
    base: Any,
    tokenizer: Any,
    cfg: RoundConfig,
    split: str,
    policy: str,
) -> list[SampleRecord]:
    """The inner loop on one context: a fresh LoRA per self-edit, reward against no adapter."""
    result = run_inner_loop(
        [DocInput(context.title, context.text, list(context.questions))],
        base=base,
        tokenizer=tokenizer,
        generator=None,  # the self-edits are given
        config=cfg.inner,
        selfedits=[[t] for t in texts],
    )
    result.best.model = None
    return [
        SampleRecord(
            context_key=context.key,
            split=split,
            policy=policy,
            sample=cand.index,
            style=cand.style,
            text=cand.selfedits[0],
            reward=float(cand.reward or 0.0),
            em_gain=float(cand.em_gain or 0.0),
            score=cand.score.as_dict() if cand.score else {},
            baseline=result.baseline.as_dict(),
            header=cand.header,
            tenant_id=context.tenant_id,
        )
        for cand in result.candidates
    ]


def select_kept(records: Sequence[SampleRecord], min_reward: float) -> list[SampleRecord]:
    """The E-step filter: per context, the best self-edit if it beats the baseline by more than
    ``min_reward`` (ties go to the earlier sample). Marks the kept records."""
    best: dict[str, SampleRecord] = {}
    for r in records:
        if r.split != "train":
            continue
        if r.context_key not in best or r.reward > best[r.context_key].reward:
            best[r.context_key] = r
    kept = [r for r in best.values() if r.reward > min_reward]
    for r in kept:
        r.kept = True
    return kept


def policy_examples(
    kept: Sequence[SampleRecord], contexts: Sequence[Context], cfg: RoundConfig
) -> list[Example]:
    """(prompt, self-edit) pairs for the M-step: the exact prompt the self-edit was sampled with,
    so that the policy learns what to write for it; the loss is on the self-edit only (an Example
    with a prompt is masked that way by ``seal.modeling``)."""
    by_key = {c.key: c for c in contexts}
    return [
        Example(
            selfedit_prompt(r.style, by_key[r.context_key].title, by_key[r.context_key].text),
            r.text,
        )
        for r in kept
    ]


def summarize(records: Sequence[SampleRecord]) -> PolicyEval:
    by_context: dict[str, list[SampleRecord]] = {}
    for r in records:
        by_context.setdefault(r.context_key, []).append(r)
    return PolicyEval(
        mean_reward=mean(r.reward for r in records),
        mean_best_reward=mean(max(r.reward for r in rs) for rs in by_context.values()),
        mean_f1=mean(r.score.get("f1", 0.0) for r in records),
        mean_contains=mean(r.score.get("contains", 0.0) for r in records),
        contexts=len(by_context),
        samples=len(records),
    )


def evaluate_policy(
    generator: Generator,
    policy: str | None,
    label: str,
    contexts: Sequence[Context],
    *,
    base: Any,
    tokenizer: Any,
    cfg: RoundConfig,
    on_context: Callable[[int], None] | None = None,
) -> list[SampleRecord]:
    """The full inner loop on held-out contexts with ``eval_k`` self-edits from ``policy``; the
    seeds are the round's, so two policies evaluated here face the same draws."""
    texts = sample_selfedits(generator, policy, contexts, cfg.eval_k, cfg, explore=False)
    records: list[SampleRecord] = []
    for i, (ctx, ts) in enumerate(zip(contexts, texts, strict=True)):
        records += score_selfedits(
            ctx, ts, base=base, tokenizer=tokenizer, cfg=cfg, split="heldout", policy=label
        )
        if on_context:
            on_context(i)
    return records


def run_round(
    train_contexts: Sequence[Context],
    heldout: Sequence[Context],
    *,
    base: Any,
    tokenizer: Any,
    generator: Generator,
    cfg: RoundConfig,
    current_policy: tuple[str, Path] | None,
    new_policy_name: str,
    save_dir: Path,
    on_progress: ProgressFn | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RoundResult:
    """One ReST-EM round. ``current_policy`` is (served name, adapter directory) or None for the
    base model; the new policy is saved to ``save_dir`` and served as ``new_policy_name`` for its
    evaluation. Returns every record, the kept ones, and the comparison on ``heldout``."""
    progress = on_progress or (lambda *_: None)
    current_name = current_policy[0] if current_policy else None
    timings: dict[str, float] = {}
    n = len(train_contexts)

    t0 = time.perf_counter()
    progress("sampling", 0.0, {"contexts": n, "k": cfg.k, "policy": current_name or "base"})
    texts = sample_selfedits(generator, current_name, train_contexts, cfg.k, cfg, explore=True)
    timings["sample_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    records: list[SampleRecord] = []
    for i, (ctx, ts) in enumerate(zip(train_contexts, texts, strict=True)):
        if should_stop and should_stop():
            raise InterruptedError("round stopped")
        scored = score_selfedits(
            ctx, ts, base=base, tokenizer=tokenizer, cfg=cfg, split="train", policy="current"
        )
        records += scored
        progress(
            "scoring",
            (i + 1) / n,
            {"context": ctx.key, "rewards": [round(r.reward, 4) for r in scored]},
        )
    timings["score_s"] = time.perf_counter() - t0

    kept = select_kept(records, cfg.min_reward)
    result = RoundResult(records=records, kept=kept, timings=timings)
    if not kept:
        progress("filtered", 1.0, {"kept": 0})
        return result
    progress("training", 0.0, {"kept": len(kept)})
    t0 = time.perf_counter()
    trained = train_lora(
        base,
        tokenizer,
        policy_examples(kept, train_contexts, cfg),
        cfg.policy,
        init_adapter=current_policy[1] if current_policy else None,
        should_stop=should_stop,
    )
    save_adapter(trained.model, save_dir)
    result.policy_model, result.policy_losses = trained.model, [round(x, 4) for x in trained.losses]
    timings["policy_train_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    generator.add_adapter(new_policy_name, save_dir)
    h = len(heldout)
    progress("evaluating", 0.0, {"heldout": h, "eval_k": cfg.eval_k})
    for label, name, offset in (("current", current_name, 0), ("new", new_policy_name, h)):
        scored = evaluate_policy(
            generator,
            name,
            label,
            heldout,
            base=base,
            tokenizer=tokenizer,
            cfg=cfg,
            on_context=lambda i, offset=offset, label=label: progress(  # type: ignore[misc]
                "evaluating", (offset + i + 1) / (2 * h), {"policy": label}
            ),
        )
        records += scored
        setattr(result, label, summarize(scored))
    timings["heldout_s"] = time.perf_counter() - t0
    assert result.current is not None and result.new is not None
    result.improved = result.new.mean_reward > result.current.mean_reward + cfg.min_improvement
    return result


def load_squad_contexts(path: Path) -> list[Context]:
    """SQuAD-format passages as contexts: ``[{title, context, questions: [{question, answer}]}]``."""
    rows = json.loads(Path(path).read_text())
    return [
        Context(
            key=f"squad:{path.stem}:{i}",
            title=r.get("title"),
            text=r["context"],
            questions=tuple(QA(q["question"], q["answer"]) for q in r["questions"]),
        )
        for i, r in enumerate(rows)
        if r.get("questions")
    ]
