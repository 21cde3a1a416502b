"""The outer loop's plain functions: header parsing, the E-step filter, completion-only policy
examples, and one whole ReST-EM round on the tiny model."""

import dataclasses

import pytest

from seal.generation import LocalGenerator
from seal.headers import CLAMPED, VALID, HyperparamBounds, parse_header
from seal.modeling import encode_example, load_base
from seal.outer_loop import (
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
from seal.selfedit import QA

BOUNDS = HyperparamBounds(lr_min=1e-4, lr_max=3e-3, epochs_min=1, epochs_max=10)


def _cfg(inner_config, styles=("rewrite",), train=None, policy=None, **kw):
    """A round config on the tiny settings, with self-chosen hyperparameters within BOUNDS."""
    inner = dataclasses.replace(
        inner_config, styles=styles, bounds=BOUNDS, train=train or inner_config.train, **kw
    )
    return RoundConfig(
        inner=inner,
        k=2,
        eval_k=1,
        policy=policy or inner.train,
        min_reward=0.0,
        min_improvement=0.0,
    )


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


def test_exploration_headers_differ_between_rounds_and_repeat_within_one(inner_config):
    class Echo:
        def generate(self, prompts, **_):
            return ["A plain note without a header." for _ in prompts]

    cfg = _cfg(inner_config)
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


def test_policy_examples_mask_the_prompt_so_the_loss_is_on_the_self_edit_only(
    tiny_model_dir, inner_config
):
    _, tok = load_base(str(tiny_model_dir))
    ctx = Context("k", "Zorblax", "Zorblax's capital is Quendril.", (QA("Capital?", "Quendril"),))
    cfg = _cfg(inner_config)
    record = dataclasses.replace(_record("k", 0, 0.5), text="Training: lr=0.001 epochs=2\nFact.")
    (example,) = policy_examples([record], [ctx], cfg)
    assert "Zorblax's capital is Quendril." in example.prompt
    assert example.completion.startswith("Training: lr=0.001")  # the header is learned too
    ids, labels = encode_example(tok, example, max_len=512)
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


def test_a_round_on_the_tiny_model_trains_and_compares_a_new_policy(
    tiny_model_dir, tmp_path, inner_config
):
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
    short = dataclasses.replace(inner_config.train, epochs=1, min_steps=1, batch_size=4)
    cfg = dataclasses.replace(
        _cfg(
            inner_config,
            styles=("implications", "rewrite"),
            train=short,
            policy=dataclasses.replace(short, max_seq_len=512),
            selfedit_max_tokens=12,
            answer_max_tokens=4,
        ),
        min_reward=-1.0,  # a random model earns nothing: keep the best anyway to exercise training
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
