"""Training objectives: what a candidate's LoRA learns from, and what holds it to the model it
replaces (the inner loop's update; measured against each other by ``bench/objectives.py``).

- ``sft``: next-token cross-entropy on the candidate's examples (document chunks, self-edit lines,
  question-answer chat turns): SEAL's update.
- ``context_distillation`` (off-policy): the frozen base model *with the document in its prompt*
  answers questions about it, and the student learns those answers *without* the document.
- ``context_distillation_sft``: both: the teacher's closed-book answers and SEAL's own examples
  (document chunks and the self-edit). The teacher answers right only as often as the small model
  reads well in context; the document itself carries the exact spans questions ask about.
- ``sdft`` (on-policy self-distillation; Shenfeld, Damani, Hübotter, Agrawal, 2026): the student
  samples answers without the document; the frozen base model with the document scores the same
  tokens; the loss is the per-token KL between the two distributions over the whole vocabulary.
  A frozen teacher: with the moving student as its own teacher the 135M model collapsed into
  repeating one word (issue 11's probe).
- **KL anchor** (any objective): ``anchor_weight`` x KL(p_reference || p_student) at the answer
  tokens of rehearsal prompts (general prompts unrelated to any tenant, teacher-forced on the base
  model's own answers), where the reference is the model that serves now. Token distributions,
  not sampled answers: the whole distribution is held, not one string.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch
import torch.nn.functional as F

from seal.grading import ANSWER_INSTRUCTION
from seal.selfedit import QA, Example, document_text

if TYPE_CHECKING:
    from seal.modeling import TrainConfig

OBJECTIVES = ("sft", "context_distillation", "context_distillation_sft", "sdft")

OPEN_BOOK_PROMPT = "{doc}\n\nAnswer the question from the text above.\n{question}"


def open_book_prompt(title: str | None, text: str, question: str) -> str:
    """The teacher's view: the document, then the question (with the closed-book instruction)."""
    return OPEN_BOOK_PROMPT.format(
        doc=document_text(title, text), question=question + ANSWER_INSTRUCTION
    )


def closed_book_prompt(question: str) -> str:
    return question + ANSWER_INSTRUCTION


def kl_divergence(reference_logits: torch.Tensor, student_logits: torch.Tensor) -> torch.Tensor:
    """Per-position KL(reference || student) over the last (vocabulary) dimension."""
    ref = F.log_softmax(reference_logits.float(), dim=-1)
    student = F.log_softmax(student_logits.float(), dim=-1)
    return (ref.exp() * (ref - student)).sum(-1)


def reverse_kl(teacher_logits: torch.Tensor, student_logits: torch.Tensor) -> torch.Tensor:
    """Per-position KL(student || teacher): mode-seeking, what on-policy distillation minimises."""
    return kl_divergence(student_logits, teacher_logits)


def answer_positions(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """The logits that predict labelled tokens (labels shifted by one), flattened to [n, V]."""
    mask = labels[:, 1:] != -100
    return logits[:, :-1, :][mask]


@dataclass
class AnchorSet:
    """Rehearsal prompts encoded for training, with the reference model's logits at each answer
    position ([n_i, V] per prompt, float16 to halve the memory: 16 prompts are ~40 MB)."""

    encoded: list[tuple[list[int], list[int]]]
    reference: list[torch.Tensor]

    def __len__(self) -> int:
        return len(self.encoded)


@torch.no_grad()
def build_anchor(
    reference_model: Any,
    tokenizer: Any,
    examples: Sequence[Example],
    max_len: int,
) -> AnchorSet:
    """Encode rehearsal examples and record the reference model's distributions on them."""
    from seal.modeling import encode_example, pad_batch

    encoded = [encode_example(tokenizer, ex, max_len) for ex in examples]
    encoded = [(ids, labels) for ids, labels in encoded if any(x != -100 for x in labels[1:])]
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    reference = []
    for ids, labels in encoded:
        input_ids, label_t, attention = pad_batch([(ids, labels)], pad_id)
        logits = reference_model(input_ids=input_ids, attention_mask=attention).logits
        reference.append(answer_positions(logits, label_t).to(torch.float16))
    return AnchorSet(encoded, reference)


@torch.no_grad()
def distill_examples(
    teacher: Any,
    tokenizer: Any,
    title: str | None,
    text: str,
    questions: Sequence[str],
    max_new_tokens: int,
) -> list[Example]:
    """Context distillation's data: the teacher's open-book answers as closed-book targets."""
    from seal.modeling import answer_questions

    answers = answer_questions(
        teacher,
        tokenizer,
        [open_book_prompt(title, text, q) for q in questions],
        max_new_tokens=max_new_tokens,
    )
    return [Example(closed_book_prompt(q), a) for q, a in zip(questions, answers, strict=True) if a]


def training_questions(
    qas: Sequence[QA], cloze: Sequence[QA], probes: Sequence[QA], limit: int
) -> list[str]:
    """Questions the distillation objectives train on: the candidate's own question-answer
    self-edits first, then fill-in-the-end questions cut from the document; never a probe (the
    reward is measured on those)."""
    held_out = {p.question for p in probes}
    seen: dict[str, None] = {}
    for qa in [*qas, *cloze]:
        if qa.question not in held_out:
            seen.setdefault(qa.question, None)
    return list(seen)[:limit]


def anchor_loss(
    student: Any, anchor: AnchorSet, batch: int, pad_id: int, rng: random.Random
) -> torch.Tensor:
    """Mean KL(reference || student) over the answer tokens of ``batch`` rehearsal prompts."""
    from seal.modeling import pad_batch

    picked = rng.sample(range(len(anchor)), min(batch, len(anchor)))
    input_ids, labels, attention = pad_batch([anchor.encoded[i] for i in picked], pad_id)
    logits = student(input_ids=input_ids, attention_mask=attention).logits
    reference = torch.cat([anchor.reference[i] for i in picked])
    return kl_divergence(reference, answer_positions(logits, labels)).mean()


@dataclass
class OnPolicy:
    """What on-policy self-distillation trains on: closed-book questions for the student, and the
    same questions with the document in the prompt for the frozen base model (the teacher)."""

    questions: list[str]  # closed-book prompts
    teacher_prompts: list[str]  # open-book prompts, in the same order


def on_policy_data(title: str | None, text: str, questions: Sequence[str]) -> OnPolicy:
    return OnPolicy(
        [closed_book_prompt(q) for q in questions],
        [open_book_prompt(title, text, q) for q in questions],
    )


def on_policy_loss(
    student: Any, tokenizer: Any, data: OnPolicy, step: int, config: TrainConfig
) -> torch.Tensor:
    """One step of self-distillation: the student samples answers to a batch of questions, the
    frozen base model (the student with its adapter disabled) reads the same answers with the
    document in its prompt, and the loss is the mean per-token reverse KL(student || teacher) on
    the sampled tokens."""
    from seal.modeling import chat_prompt, pad_batch, sample_tokens

    n = len(data.questions)
    picked = [(step * config.batch_size + j) % n for j in range(min(config.batch_size, n))]
    student_prompts = [data.questions[i] for i in picked]
    student.eval()
    answers = sample_tokens(
        student,
        tokenizer,
        student_prompts,
        max_new_tokens=config.sample_max_tokens,
        temperature=config.sample_temperature,
        seed=config.seed * 100_003 + step,
    )
    student.train()
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0

    def sequences(prompts: list[str]) -> list[tuple[list[int], list[int]]]:
        out = []
        for prompt, answer in zip(prompts, answers, strict=True):
            ids = tokenizer(chat_prompt(tokenizer, prompt), add_special_tokens=False)["input_ids"]
            out.append((ids + answer, [-100] * len(ids) + answer))
        return out

    s_ids, s_labels, s_att = pad_batch(sequences(student_prompts), pad_id)
    t_ids, t_labels, t_att = pad_batch(sequences([data.teacher_prompts[i] for i in picked]), pad_id)
    with torch.no_grad(), student.disable_adapter():
        teacher_logits = student(input_ids=t_ids, attention_mask=t_att).logits
    student_logits = student(input_ids=s_ids, attention_mask=s_att).logits
    return reverse_kl(
        answer_positions(teacher_logits, t_labels), answer_positions(student_logits, s_labels)
    ).mean()
