"""Selection in the inner loop, on the tiny model with a scripted generator."""

import dataclasses

from seal.inner_loop import DocInput, run_inner_loop, style_for
from seal.modeling import load_base
from seal.selfedit import QA


class ScriptedGenerator:
    """Returns fixed self-edits so that the test controls what each candidate trains on."""

    def __init__(self, outputs):
        self.outputs = outputs

    def generate(self, prompts, **_):
        assert len(prompts) == len(self.outputs)
        return list(self.outputs)


def test_styles_cycle_so_two_candidates_use_two_styles():
    styles = ["implications", "rewrite", "qa"]
    assert [style_for(i, styles) for i in range(4)] == [
        "implications",
        "rewrite",
        "qa",
        "implications",
    ]


def test_best_candidate_has_the_highest_reward_and_keeps_its_model(tiny_model_dir, inner_config):
    base, tok = load_base(str(tiny_model_dir))
    doc = DocInput(
        "Zorblax", "Zorblax's capital is Quendril.", [QA("Capital of Zorblax?", "Quendril")]
    )
    gen = ScriptedGenerator(
        ["Quendril is the capital.", "Zorblax has a capital.", "Q: Capital?\nA: Quendril"]
    )
    result = run_inner_loop(
        [doc],
        base=base,
        tokenizer=tok,
        generator=gen,
        config=dataclasses.replace(
            inner_config,
            k=3,
            styles=("implications", "rewrite", "qa"),
            train=dataclasses.replace(inner_config.train, epochs=1, min_steps=2, batch_size=2),
            answer_max_tokens=4,
        ),
    )
    rewards = [c.reward for c in result.candidates]
    assert result.best.reward == max(rewards)
    assert result.best.model is not None
    assert all(c.model is None for c in result.candidates if c is not result.best)
    assert [c.n_examples for c in result.candidates] == [2, 2, 2]
    assert set(result.timings) == {"generate_s", "baseline_eval_s", "train_s", "eval_s"}
