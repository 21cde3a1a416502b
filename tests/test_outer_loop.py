"""The outer loop's plain functions: header parsing, the E-step filter, completion-only policy
examples, and one whole ReST-EM round on the tiny model."""

import dataclasses

import pytest

from workers.generation import LocalGenerator
from workers.hyperparams import (
    ABSENT,
    CLAMPED,
    MALFORMED,
    VALID,
    HyperparamBounds,
    apply_header,
    parse_header,
)
from workers.modeling import TrainConfig, _encode_example, load_base
from workers.outer_loop import (
    Context,
    RoundConfig,
    SampleRecord,
    policy_examples,
    round_contexts,
    run_round,
    sample_selfedits,
    select_kept,
    split_pool,
)
from workers.selfedit import QA

BOUNDS = HyperparamBounds(lr_min=1e-4, lr_max=3e-3, epochs_min=1, epochs_max=10)


@pytest.mark.parametrize(
    ("text", "status", "lr", "epochs"),
    [
        ("Training: lr=0.0005 epochs=3\nParis is in France.", VALID, 5e-4, 3),
        ("  \nsettings: learning_rate = 2e-3, epochs: 4\nA fact.", VALID, 2e-3, 4),
        ("Training: lr=0.5 epochs=30\nA fact.", CLAMPED, 3e-3, 10),
        ("Training: lr=0.00001 epochs=0\nA fact.", CLAMPED, 1e-4, 1),
        ("Training: lr=fast epochs=3\nA fact.", MALFORMED, None, None),
        ("Training: epochs=3\nA fact.", MALFORMED, None, None),
        ("Training: lr=0.001 epochs=2.5\nA fact.", MALFORMED, None, None),
        ("Paris is the capital of France.\nlr=0.001 epochs=2", ABSENT, None, None),
        ("", ABSENT, None, None),
    ],
)
def test_header_parsing(text, status, lr, epochs):
    header = parse_header(text, BOUNDS)
    assert header.status == status
    assert header.learning_rate == (pytest.approx(lr) if lr else None)
    assert header.epochs == epochs
    if status != ABSENT:
        assert header.header is not None and header.header not in header.body
    else:
        assert header.body == text


def test_header_sets_the_training_config_and_defaults_stay_otherwise():
    default = TrainConfig(learning_rate=1e-3, epochs=5, min_steps=20)
    chosen = apply_header(default, parse_header("Training: lr=0.0002 epochs=10\nx", BOUNDS))
    assert (chosen.learning_rate, chosen.epochs, chosen.min_steps) == (2e-4, 10, 40)
    assert apply_header(default, parse_header("Training: lr=? epochs=?\nx", BOUNDS)) == default
    assert apply_header(default, parse_header("No header here at all.", BOUNDS)) == default


def _record(key, sample, reward, split="train"):
    return SampleRecord(
        context_key=key,
        split=split,
        policy="current",
        sample=sample,
        style="rewrite",
        text=f"edit {key}/{sample}",
        reward=reward,
        em_gain=0.0,
        score={},
        baseline={},
    )


def test_exploration_draws_headers_within_the_bounds():
    import random

    rng = random.Random(0)
    for _ in range(50):
        header = parse_header(BOUNDS.sample(rng) + "\nA fact about the world.", BOUNDS)
        assert header.status == VALID
        assert BOUNDS.lr_min <= header.learning_rate <= BOUNDS.lr_max


def test_exploration_headers_differ_between_rounds_and_repeat_within_one(tiny_model_dir):
    class Echo:
        def generate(self, prompts, **_):
            return ["A plain note without a header." for _ in prompts]

    cfg = RoundConfig(
        k=2, eval_k=1, styles=("rewrite",), inner=TrainConfig(), policy=TrainConfig(), bounds=BOUNDS
    )
    first = [Context(f"a{i}", None, "text", ()) for i in range(3)]
    second = [Context(f"b{i}", None, "text", ()) for i in range(3)]
    draw = lambda ctxs: sample_selfedits(Echo(), None, ctxs, 2, cfg, explore=True)  # noqa: E731
    assert draw(first) == draw(first)
    assert draw(first) != draw(second)
    assert all(t.startswith("Training: lr=") for row in draw(first) for t in row)
    assert sample_selfedits(Echo(), None, first, 2, cfg, explore=False)[0][0].startswith("A plain")


def test_filter_keeps_the_best_per_context_only_when_it_beats_the_baseline():
    records = [
        _record("a", 0, 0.10),
        _record("a", 1, 0.30),
        _record("b", 0, 0.0),  # ties the baseline: not kept
        _record("b", 1, -0.2),
        _record("c", 0, 0.2),
        _record("c", 1, 0.2),  # a tie goes to the earlier sample
        _record("d", 0, 0.9, split="heldout"),  # held-out records are never trained on
    ]
    kept = select_kept(records, min_reward=0.0)
    assert [(r.context_key, r.sample) for r in kept] == [("a", 1), ("c", 0)]
    assert [r.kept for r in records] == [False, True, False, False, True, False, False]
    assert [r.context_key for r in select_kept(records, min_reward=0.25)] == ["a"]


def test_policy_examples_mask_the_prompt_so_the_loss_is_on_the_self_edit_only(tiny_model_dir):
    _, tok = load_base(str(tiny_model_dir))
    ctx = Context("k", "Zorblax", "Zorblax's capital is Quendril.", (QA("Capital?", "Quendril"),))
    cfg = RoundConfig(
        k=2, eval_k=1, styles=("rewrite",), inner=TrainConfig(), policy=TrainConfig(), bounds=BOUNDS
    )
    record = dataclasses.replace(_record("k", 0, 0.5), text="Training: lr=0.001 epochs=2\nFact.")
    (example,) = policy_examples([record], [ctx], cfg)
    assert "Zorblax's capital is Quendril." in example.prompt
    assert example.completion.startswith("Training: lr=0.001")  # the header is learned too
    ids, labels = _encode_example(tok, example, max_len=512)
    completion = tok(example.completion, add_special_tokens=False)["input_ids"]
    n_prompt = len(ids) - len(completion) - 1  # minus the completion and the end-of-sequence
    assert labels[:n_prompt] == [-100] * n_prompt
    assert labels[n_prompt:] == ids[n_prompt:]
    assert tok.decode(ids[n_prompt : n_prompt + len(completion)]) == example.completion


def test_held_out_split_is_fixed_and_rounds_take_fresh_contexts():
    contexts = [Context(f"c{i}", None, f"text {i}", ()) for i in range(10)]
    train, held = split_pool(contexts, 3, seed=0)
    assert split_pool(contexts, 3, seed=0) == (train, held)
    assert len(held) == 3 and not {c.key for c in held} & {c.key for c in train}
    first, second = round_contexts(train, 3, 1), round_contexts(train, 3, 2)
    assert not {c.key for c in first} & {c.key for c in second}
    with pytest.raises(ValueError):
        split_pool(contexts, 10, seed=0)


def test_a_round_on_the_tiny_model_trains_and_compares_a_new_policy(tiny_model_dir, tmp_path):
    base, tok = load_base(str(tiny_model_dir))
    contexts = [
        Context(
            "a",
            "Zorblax",
            "Zorblax's capital is Quendril.",
            (QA("Capital of Zorblax?", "Quendril"),),
        ),
        Context(
            "b",
            "Vemora",
            "Vemora exports blue salt.",
            (QA("What does Vemora export?", "blue salt"),),
        ),
    ]
    held = [
        Context("h", "Tarn", "Tarn has three moons.", (QA("How many moons has Tarn?", "three"),))
    ]
    cfg = RoundConfig(
        k=2,
        eval_k=1,
        styles=("implications", "rewrite"),
        inner=TrainConfig(epochs=1, min_steps=1, batch_size=4),
        policy=TrainConfig(epochs=1, min_steps=1, batch_size=4, max_seq_len=512),
        selfedit_max_tokens=12,
        answer_max_tokens=4,
        min_reward=-1.0,  # a random model earns nothing: keep the best anyway to exercise training
        bounds=BOUNDS,
    )
    generator = LocalGenerator(str(tiny_model_dir))
    stages = []
    result = run_round(
        contexts,
        held,
        base=base,
        tokenizer=tok,
        generator=generator,
        cfg=cfg,
        current_policy=None,
        new_policy_name="policy-test",
        save_dir=tmp_path / "policy",
        on_progress=lambda stage, *_: stages.append(stage),
    )
    train = [r for r in result.records if r.split == "train"]
    assert len(train) == 4 and {r.context_key for r in train} == {"a", "b"}
    # Exploration gives every training sample a readable header; held-out samples keep their own.
    assert all(r.header and r.header["status"] in (VALID, CLAMPED) for r in train)
    assert all(r.text.startswith("Training: lr=") for r in train)
    assert len(result.kept) == 2 and all(r.kept for r in result.kept)
    assert (tmp_path / "policy" / "adapter_config.json").exists()
    heldout = [r for r in result.records if r.split == "heldout"]
    assert sorted(r.policy for r in heldout) == ["current", "new"]
    assert result.current is not None and result.new is not None
    assert result.improved == (result.new.mean_reward > result.current.mean_reward)
    assert stages[0] == "sampling" and "training" in stages and stages[-1] == "evaluating"
    report = result.report()
    assert report["kept"] == 2 and report["train_samples"] == 4
