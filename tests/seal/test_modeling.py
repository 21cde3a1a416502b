import dataclasses

import torch

from seal.modeling import answer_questions, encode_example, load_base, train_lora
from seal.selfedit import Example


def test_completion_only_masking(tiny_model_dir):
    _, tok = load_base(str(tiny_model_dir))
    ids, labels = encode_example(tok, Example("What is the capital?", "Quendril"), 256)
    n_masked = sum(1 for x in labels if x == -100)
    assert len(ids) == len(labels) and n_masked > 0
    completion = tok.decode(
        [t for t, lab in zip(ids, labels, strict=True) if lab != -100], skip_special_tokens=True
    )
    assert completion.strip() == "Quendril"
    ids, labels = encode_example(tok, Example(None, "Plain text trains on every token."), 256)
    assert ids == labels


def test_training_lowers_loss_and_leaves_base_untouched(tiny_model_dir, train_config):
    base, tok = load_base(str(tiny_model_dir))
    before = {k: v.clone() for k, v in base.state_dict().items()}
    examples = [
        Example(None, "Zorblax's capital is Quendril."),
        Example("Capital of Zorblax?", "Quendril"),
    ]
    config = dataclasses.replace(
        train_config, learning_rate=5e-3, epochs=8, min_steps=0, batch_size=2
    )
    result = train_lora(base, tok, examples, config)
    assert result.losses[-1] < result.losses[0]
    assert result.steps == 8
    after = base.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_answer_questions_is_greedy_and_deterministic(tiny_model_dir):
    base, tok = load_base(str(tiny_model_dir))
    a = answer_questions(base, tok, ["Capital of Zorblax?", "Moons?"], max_new_tokens=5)
    b = answer_questions(base, tok, ["Capital of Zorblax?", "Moons?"], max_new_tokens=5)
    assert a == b and len(a) == 2


def test_short_data_gets_at_least_min_steps(tiny_model_dir, train_config):
    base, tok = load_base(str(tiny_model_dir))
    result = train_lora(
        base,
        tok,
        [Example(None, "One short fact.")],
        dataclasses.replace(train_config, epochs=2, min_steps=7, batch_size=4),
    )
    assert result.steps == 7 and len(result.losses) == 7
