"""The SEAL inner loop as plain functions: sample K self-edits per document, train a LoRA on each
candidate, answer the probe questions greedily, and reward each candidate by its gain over the
current adapter. Used by the teach job, the outer loop and the benchmarks alike."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seal.generation import Generator
from seal.grading import ANSWER_INSTRUCTION, Score, score
from seal.headers import HeaderResult, HyperparamBounds, apply_header, header_bounds, parse_header
from seal.modeling import TrainConfig, answer_questions, train_lora
from seal.objectives import (
    OBJECTIVES,
    OnPolicy,
    build_anchor,
    distill_examples,
    on_policy_data,
    training_questions,
)
from seal.selfedit import (
    MAX_SELFEDIT_EXAMPLES,
    QA,
    Example,
    chunk_document,
    cloze_probes,
    grounded,
    parse_qa,
    probe_prompt,
    selfedit_examples,
    selfedit_prompt,
)

if TYPE_CHECKING:
    from core.settings import Settings


@dataclass(frozen=True)
class InnerLoopConfig:
    """Everything the inner loop is tuned by; ``from_settings`` is the only place it is built from
    the service's settings (where the defaults live)."""

    k: int  # candidates (self-edits) per job
    styles: tuple[str, ...]
    selfedit_max_tokens: int
    temperature: float
    answer_max_tokens: int
    train: TrainConfig
    # With bounds, a self-edit may choose its own learning rate and epochs (seal.headers).
    bounds: HyperparamBounds | None
    seed: int
    objective: str  # seal.objectives.OBJECTIVES
    distill_questions: int  # questions per document for the distillation objectives

    @classmethod
    def from_settings(cls, settings: Settings) -> InnerLoopConfig:
        return cls(
            k=settings.selfedit_k,
            styles=tuple(settings.selfedit_styles),
            selfedit_max_tokens=settings.selfedit_max_tokens,
            temperature=settings.selfedit_temperature,
            answer_max_tokens=settings.answer_max_tokens,
            train=TrainConfig.from_settings(settings),
            bounds=header_bounds(settings),
            seed=settings.seed,
            objective=settings.objective,
            distill_questions=settings.distill_questions,
        )


@dataclass
class DocInput:
    title: str | None
    text: str
    probes: list[QA] = field(default_factory=list)


@dataclass
class CandidateResult:
    index: int
    style: str
    selfedits: list[str]  # one raw self-edit text per document
    n_examples: int
    score: Score | None = None
    reward: float | None = None  # token-F1 gain over the current adapter
    em_gain: float | None = None
    train_seconds: float = 0.0
    answers: list[str] = field(default_factory=list)  # greedy answers to the probes, in order
    header: dict[str, Any] | None = None  # the self-chosen hyperparameters, when headers are on
    model: Any = None  # the trained peft model, kept for the winner only


@dataclass
class InnerLoopResult:
    baseline: Score
    candidates: list[CandidateResult]
    best: CandidateResult
    timings: dict[str, float]
    # The serving model's greedy answers to the probes, in order: "before" beside each candidate's.
    baseline_answers: list[str] = field(default_factory=list)


ProgressFn = Callable[[str, float, dict[str, Any]], None]


def style_for(index: int, styles: Sequence[str]) -> str:
    """Candidates cycle through the prompt styles so that K>=2 always mixes at least two."""
    return styles[index % len(styles)]


def write_probes(
    generator: Generator, docs: Sequence[DocInput], n: int, max_tokens: int, seed: int
) -> list[list[QA]]:
    """Probe questions the model writes from each document, kept only when the answer is in the text."""
    outputs = generator.generate(
        [probe_prompt(d.title, d.text, n) for d in docs],
        max_tokens=max_tokens,
        temperature=0.3,
        seed=seed,
    )
    return [grounded(parse_qa(out), d.text)[:n] for out, d in zip(outputs, docs, strict=True)]


def generate_selfedits(
    generator: Generator,
    docs: Sequence[DocInput],
    k: int,
    styles: Sequence[str],
    *,
    max_tokens: int,
    temperature: float,
    seed: int,
    model: str | None = None,
) -> list[list[str]]:
    """K self-edits per document, as [candidate][document], sampled from ``model`` (the self-edit
    policy; None: the base model)."""
    prompts = [
        selfedit_prompt(style_for(i, styles), d.title, d.text) for i in range(k) for d in docs
    ]
    outputs = generator.generate(
        prompts, max_tokens=max_tokens, temperature=temperature, seed=seed, model=model
    )
    return [outputs[i * len(docs) : (i + 1) * len(docs)] for i in range(k)]


@dataclass(frozen=True)
class CandidateData:
    """What one candidate trains on: ``examples`` in batches, ``pinned`` examples (the documents)
    at every step beside them (``seal.modeling.train_lora``), or ``on_policy`` data (sdft)."""

    examples: tuple[Example, ...] = ()
    pinned: tuple[Example, ...] = ()
    on_policy: OnPolicy | None = None

    @property
    def size(self) -> int:
        if self.on_policy is not None:
            return len(self.on_policy.questions)
        return len(self.examples) + len(self.pinned)


def document_examples(docs: Sequence[DocInput]) -> list[Example]:
    return [Example(None, c) for d in docs for c in chunk_document(d.title, d.text)]


def selfedit_lines(docs: Sequence[DocInput], style: str, selfedits: Sequence[str]) -> list[Example]:
    """The self-edits' own examples (lines, question-answer turns), without the documents."""
    return [
        ex
        for _, text in zip(docs, selfedits, strict=True)
        for ex in selfedit_examples(style, text)[:MAX_SELFEDIT_EXAMPLES]
    ]


def candidate_header(selfedits: Sequence[str], bounds: HyperparamBounds) -> HeaderResult:
    """A candidate trains once over all its documents: the first readable header decides (else the
    first document's, so that a malformed or absent header is what gets recorded)."""
    headers = [parse_header(t, bounds) for t in selfedits]
    return next((h for h in headers if h.learning_rate is not None), headers[0])


def evaluate_answers(
    model: Any, tokenizer: Any, probes: Sequence[QA], max_new_tokens: int
) -> tuple[Score, list[str]]:
    answers = answer_questions(
        model,
        tokenizer,
        [p.question + ANSWER_INSTRUCTION for p in probes],
        max_new_tokens=max_new_tokens,
    )
    return score(answers, [p.answer for p in probes]), answers


def evaluate(model: Any, tokenizer: Any, probes: Sequence[QA], max_new_tokens: int) -> Score:
    return evaluate_answers(model, tokenizer, probes, max_new_tokens)[0]


def _rank(cand: CandidateResult) -> tuple[float, float]:
    """Candidates compare by reward, then by how many probe answers contain the gold answer."""
    return (cand.reward or 0.0, cand.score.contains if cand.score else 0.0)


def objective_data(
    docs: Sequence[DocInput],
    style: str,
    selfedits: Sequence[str],
    *,
    objective: str,
    base: Any,
    tokenizer: Any,
    config: InnerLoopConfig,
) -> CandidateData:
    """A candidate's training data under the configured objective (``seal.objectives``).

    ``sft`` and ``context_distillation_sft`` pin the documents (trained on at every step) and add
    the self-edit's lines beside them. The distillation objectives train on questions from the
    candidate's question-answer self-edit and on fill-in-the-end questions cut from the document,
    never on the probes."""
    if objective not in OBJECTIVES:
        raise ValueError(f"`objective` must be one of {', '.join(OBJECTIVES)}; got {objective!r}")
    own = CandidateData(
        tuple(selfedit_lines(docs, style, selfedits)), tuple(document_examples(docs))
    )
    if objective == "sft":
        return own
    per_doc = []
    for doc, text in zip(docs, selfedits, strict=True):
        qas = parse_qa(text) if style == "qa" else []
        cloze = cloze_probes(doc.title, doc.text, config.distill_questions)
        per_doc.append(training_questions(qas, cloze, doc.probes, config.distill_questions))
    if objective.startswith("context_distillation"):
        examples: list[Example] = []
        for doc, questions in zip(docs, per_doc, strict=True):
            examples += distill_examples(
                base, tokenizer, doc.title, doc.text, questions, config.answer_max_tokens
            )
        if objective == "context_distillation_sft":
            return CandidateData(tuple(examples) + own.examples, own.pinned)
        # A teacher that answered nothing (or a text no question could be cut from) leaves the
        # candidate SEAL's own data to learn from rather than nothing.
        return CandidateData(tuple(examples)) if examples else own
    data = [on_policy_data(d.title, d.text, qs) for d, qs in zip(docs, per_doc, strict=True)]
    return CandidateData(
        on_policy=OnPolicy(
            [q for d in data for q in d.questions], [t for d in data for t in d.teacher_prompts]
        )
    )


def run_inner_loop(
    docs: Sequence[DocInput],
    *,
    base: Any,
    tokenizer: Any,
    generator: Generator | None,
    config: InnerLoopConfig,
    init_adapter: Path | None = None,
    current_model: Any = None,
    on_progress: ProgressFn | None = None,
    should_stop: Callable[[], bool] | None = None,
    selfedits: list[list[str]] | None = None,
    replay: Sequence[Example] = (),
    anchor_examples: Sequence[Example] = (),
    keep_above: float | None = None,
) -> InnerLoopResult:
    """Generate, train and reward ``config.k`` candidates.

    ``current_model`` is what serves now (the active adapter, or the base model when None); the
    reward is each candidate's probe F1 minus its F1. ``selfedits`` ([candidate][document]) may be
    sampled beforehand, e.g. concurrently with the probe questions (then ``generator`` may be
    None). ``replay`` examples (earlier knowledge, see ``seal.continual``) are added to every
    candidate's training data (not to on-policy training, which learns from its own samples);
    ``anchor_examples`` (rehearsal prompts) hold every candidate to ``current_model`` through the
    KL anchor when ``config.train.anchor_weight`` is positive. With ``config.bounds``, self-edits
    may choose their hyperparameters: each candidate's header sets its training config within the
    bounds (``seal.headers``) and is recorded on the candidate.

    The best candidate keeps its trained model in ``best.model``; with ``keep_above`` every
    candidate whose reward exceeds it keeps it too (a later stage may gate several).
    """
    progress = on_progress or (lambda *_: None)
    timings: dict[str, float] = {}
    probes = [p for d in docs for p in d.probes]
    if not probes:
        raise ValueError("no probe questions: give questions or let the model write them first")

    t0 = time.perf_counter()
    progress("generating", 0.0, {"candidates": config.k})
    if selfedits is None:
        if generator is None:
            raise ValueError("give the self-edits or a generator to sample them from")
        selfedits = generate_selfedits(
            generator,
            docs,
            config.k,
            config.styles,
            max_tokens=config.selfedit_max_tokens,
            temperature=config.temperature,
            seed=config.seed,
        )
    k, styles, bounds = len(selfedits), config.styles, config.bounds
    timings["generate_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    reference = current_model if current_model is not None else base
    baseline, baseline_answers = evaluate_answers(
        reference, tokenizer, probes, config.answer_max_tokens
    )
    timings["baseline_eval_s"] = time.perf_counter() - t0
    anchor = None
    if anchor_examples and config.train.anchor_weight > 0:
        t0 = time.perf_counter()
        anchor = build_anchor(reference, tokenizer, anchor_examples, config.train.max_seq_len)
        timings["anchor_s"] = time.perf_counter() - t0

    candidates: list[CandidateResult] = []
    best: CandidateResult | None = None
    train_s = eval_s = 0.0
    # Candidates whose training data came out the same (distillation from self-edits that carry no
    # questions) train to the same model: train it once (training is seeded, so this changes no
    # result, only the time).
    trained: dict[Any, CandidateResult] = {}
    for i, texts in enumerate(selfedits):
        style = style_for(i, styles)
        train, header = config.train, None
        if bounds is not None:
            header = candidate_header(texts, bounds)
            train = apply_header(config.train, header)
            texts = [parse_header(t, bounds).body for t in texts]  # train on the notes only
        data = objective_data(
            docs,
            style,
            texts,
            objective=config.objective,
            base=base,
            tokenizer=tokenizer,
            config=config,
        )
        if data.on_policy is None:
            data = dataclasses.replace(data, examples=data.examples + tuple(replay))
        cand = CandidateResult(
            index=i,
            style=style,
            selfedits=selfedits[i],
            n_examples=data.size,
            header=header.as_dict() if header else None,
        )
        progress("training", i / k, {"candidate": i, "style": style, "examples": cand.n_examples})
        key = None if data.on_policy is not None else (data, train)
        same = trained.get(key) if key is not None else None
        if same is not None and same.model is not None:
            cand.score, cand.answers, cand.model = same.score, same.answers, same.model
            progress("evaluating", (i + 0.5) / k, {"candidate": i, "same_data_as": same.index})
        else:
            t0 = time.perf_counter()
            result = train_lora(
                base,
                tokenizer,
                data.examples,
                train,
                init_adapter=init_adapter,
                should_stop=should_stop,
                anchor=anchor,
                on_policy=data.on_policy,
                pinned=data.pinned,
            )
            cand.train_seconds = time.perf_counter() - t0
            train_s += cand.train_seconds
            progress("evaluating", (i + 0.5) / k, {"candidate": i, "loss": result.losses[-1]})
            t0 = time.perf_counter()
            cand.score, cand.answers = evaluate_answers(
                result.model, tokenizer, probes, config.answer_max_tokens
            )
            eval_s += time.perf_counter() - t0
            cand.model = result.model
            if key is not None:
                trained[key] = cand
        assert cand.score is not None
        cand.reward = cand.score.f1 - baseline.f1
        cand.em_gain = cand.score.em - baseline.em

        # Keep only the models asked for; ties go to the earlier candidate.
        def kept(c: CandidateResult) -> bool:
            return keep_above is not None and (c.reward or 0.0) > keep_above

        if best is None or _rank(cand) > _rank(best):
            if best is not None and not kept(best):
                best.model = None
            best = cand
        elif not kept(cand):
            cand.model = None
        candidates.append(cand)
        progress(
            "evaluating",
            (i + 1) / k,
            {"candidate": i, "reward": cand.reward, **cand.score.as_dict()},
        )
    timings["train_s"], timings["eval_s"] = train_s, eval_s
    assert best is not None
    return InnerLoopResult(
        baseline=baseline,
        candidates=candidates,
        best=best,
        timings=timings,
        baseline_answers=baseline_answers,
    )
