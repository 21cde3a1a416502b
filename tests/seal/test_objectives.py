"""Training objectives on the tiny model: the KL used by the anchor and by self-distillation, the
teacher's and the student's prompts, answer-only positions, and training with each objective."""

import dataclasses
import math
import random

import pytest
import torch

from seal.modeling import encode_example, load_base, pad_batch, train_lora
from seal.objectives import (
    anchor_loss,
    answer_positions,
    build_anchor,
    closed_book_prompt,
    kl_divergence,
    on_policy_data,
    open_book_prompt,
    reverse_kl,
    training_questions,
)
from seal.selfedit import QA, Example

DOC = ("Zorblax", "The capital of the planet Zorblax is Quendril.")


def test_kl_matches_the_definition_on_a_toy_distribution():
    p = torch.tensor([[0.7, 0.2, 0.1]])
    q = torch.tensor([[0.5, 0.25, 0.25]])
    by_hand = sum(
        pi * math.log(pi / qi) for pi, qi in zip(p[0].tolist(), q[0].tolist(), strict=True)
    )
    assert kl_divergence(p.log(), q.log()).item() == pytest.approx(by_hand, rel=1e-5)
    # Logits need not be normalised: KL is over the softmax.
    assert kl_divergence(p.log() + 3.0, q.log() - 1.0).item() == pytest.approx(by_hand, rel=1e-5)
    assert reverse_kl(p.log(), q.log()).item() == pytest.approx(
        sum(qi * math.log(qi / pi) for pi, qi in zip(p[0].tolist(), q[0].tolist(), strict=True)),
        rel=1e-5,
    )
    assert kl_divergence(p.log(), p.log()).item() == pytest.approx(0.0, abs=1e-7)


def test_teacher_prompts_hold_the_document_and_student_prompts_do_not():
    data = on_policy_data(*DOC, ["What is the capital of Zorblax?"])
    assert DOC[1] in data.teacher_prompts[0] and DOC[0] in data.teacher_prompts[0]
    assert DOC[1] not in data.questions[0] and "Quendril" not in data.questions[0]
    assert data.questions[0] == closed_book_prompt("What is the capital of Zorblax?")
    assert data.teacher_prompts[0].endswith(data.questions[0])
    assert open_book_prompt(None, DOC[1], "q").startswith(DOC[1])


def test_answer_positions_are_the_completion_only(tiny_model_dir):
    _, tok = load_base(str(tiny_model_dir))
    ids, labels = encode_example(tok, Example("Capital of Zorblax?", "Quendril"), 256)
    input_ids, label_t, _ = pad_batch([(ids, labels), (ids[:-2], labels[:-2])], tok.pad_token_id)
    fake_logits = torch.arange(input_ids.numel()).reshape(*input_ids.shape, 1).float()
    picked = answer_positions(fake_logits, label_t)
    completion = sum(1 for x in labels if x != -100)
    assert picked.shape[0] == completion + (completion - 2)
    # The first picked position is the last prompt token: it predicts the first answer token.
    first_answer = labels.index(next(x for x in labels if x != -100))
    assert picked[0].item() == first_answer - 1


def test_training_questions_never_include_the_probes():
    own = [QA("Where is Quendril?", "Zorblax"), QA("Probe?", "x")]
    cloze = [QA("Complete: The capital of ...", "Quendril"), QA("Where is Quendril?", "again")]
    got = training_questions(own, cloze, probes=[QA("Probe?", "x")], limit=10)
    assert got == ["Where is Quendril?", "Complete: The capital of ..."]
    assert training_questions(own, cloze, probes=[], limit=1) == ["Where is Quendril?"]


def test_the_anchor_is_zero_at_the_reference_and_grows_when_the_student_moves(
    tiny_model_dir, train_config
):
    base, tok = load_base(str(tiny_model_dir))
    prompts = [Example("Name three fruits.", "Apples, pears and plums."), Example("Hi?", "Hello.")]
    anchor = build_anchor(base, tok, prompts, 256)
    assert len(anchor) == 2 and anchor.reference[0].dtype == torch.float16
    at_reference = anchor_loss(base, anchor, 2, tok.pad_token_id, random.Random(0))
    assert at_reference.item() == pytest.approx(0.0, abs=1e-3)
    moved = train_lora(
        base,
        tok,
        [Example(None, "Zorblax Zorblax Zorblax Quendril.")] * 4,
        dataclasses.replace(
            train_config, learning_rate=5e-2, epochs=4, min_steps=4, anchor_weight=0
        ),
    )
    assert anchor_loss(moved.model, anchor, 2, tok.pad_token_id, random.Random(0)).item() > 1e-3


def test_the_anchor_holds_the_student_closer_to_the_reference(tiny_model_dir, train_config):
    base, tok = load_base(str(tiny_model_dir))
    anchor = build_anchor(base, tok, [Example("Name three fruits.", "Apples, pears, plums.")], 256)
    data = [Example(None, "Zorblax Zorblax Zorblax Quendril.")] * 4
    config = dataclasses.replace(train_config, learning_rate=5e-2, epochs=4, min_steps=6)
    free = train_lora(base, tok, data, dataclasses.replace(config, anchor_weight=0.0))
    held = train_lora(
        base, tok, data, dataclasses.replace(config, anchor_weight=10.0), anchor=anchor
    )
    drift = [
        anchor_loss(m.model, anchor, 1, tok.pad_token_id, random.Random(0)).item()
        for m in (free, held)
    ]
    assert drift[1] < drift[0]


def test_on_policy_training_runs_and_leaves_the_base_untouched(tiny_model_dir, train_config):
    base, tok = load_base(str(tiny_model_dir))
    before = {k: v.clone() for k, v in base.state_dict().items()}
    data = on_policy_data(*DOC, ["What is the capital of Zorblax?", "Where is Quendril?"])
    config = dataclasses.replace(
        train_config, epochs=1, min_steps=3, batch_size=2, sample_max_tokens=4
    )
    result = train_lora(base, tok, [], config, on_policy=data)
    assert result.steps == 3 and all(math.isfinite(x) and x >= 0 for x in result.losses)
    assert all(torch.equal(before[k], v) for k, v in base.state_dict().items())
