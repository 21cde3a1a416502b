"""Selection in the inner loop, on the tiny model with a scripted generator."""

import dataclasses

from seal.inner_loop import DocInput, objective_data, run_inner_loop, style_for
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
            objective="sft",  # the examples below are SEAL's own data
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


def test_context_distillation_trains_closed_book_on_open_book_answers(
    tiny_model_dir, inner_config, monkeypatch
):
    """The teacher sees the document, the student's examples do not; questions come from the
    question-answer self-edit and the document's cloze questions, never from the probes."""
    import seal.modeling

    base, tok = load_base(str(tiny_model_dir))
    text = (
        "Quendril is the capital of the planet Zorblax. The city lies on the banks of the Blue"
        " River. It was founded by the first settlers of Zorblax in 1820."
    )
    doc = DocInput("Zorblax", text, [QA("What is the capital of Zorblax?", "Quendril")])
    selfedit = "Q: Which river is Quendril on?\nA: the Blue River"
    config = dataclasses.replace(inner_config, objective="context_distillation")
    teacher_prompts = []

    def teacher(model, tokenizer, prompts, **_):  # the random model's answers would be noise
        teacher_prompts.extend(prompts)
        return [f"answer {i}" for i in range(len(prompts))]

    monkeypatch.setattr(seal.modeling, "answer_questions", teacher)
    data = objective_data(
        [doc], "qa", [selfedit], objective=config.objective, base=base, tokenizer=tok, config=config
    )
    examples = data.examples
    assert (
        data.on_policy is None
        and not data.pinned
        and len(examples) == len(teacher_prompts) == 1 + 3
    )  # the self-edit's question, 3 cloze
    assert all(text in p for p in teacher_prompts)
    assert all(ex.prompt and text not in ex.prompt for ex in examples)
    assert "Which river is Quendril on?" in examples[0].prompt
    assert all("What is the capital of Zorblax?" not in ex.prompt for ex in examples)
    assert [ex.completion for ex in examples] == [f"answer {i}" for i in range(len(examples))]
    # A teacher that answers nothing leaves the candidate SEAL's own data, never nothing.
    monkeypatch.setattr(
        seal.modeling, "answer_questions", lambda m, t, prompts, **_: [""] * len(prompts)
    )
    fallback = objective_data(
        [doc], "qa", [selfedit], objective=config.objective, base=base, tokenizer=tok, config=config
    )
    sft = objective_data(
        [doc], "qa", [selfedit], objective="sft", base=base, tokenizer=tok, config=config
    )
    assert fallback == sft and sft.pinned and sft.examples


def test_candidates_with_the_same_data_train_once_and_share_the_result(
    tiny_model_dir, inner_config
):
    base, tok = load_base(str(tiny_model_dir))
    doc = DocInput(
        "Zorblax", "Zorblax's capital is Quendril.", [QA("Capital of Zorblax?", "Quendril")]
    )
    gen = ScriptedGenerator(
        ["Quendril is the capital.", "Quendril is the capital.", "Other words."]
    )
    result = run_inner_loop(
        [doc],
        base=base,
        tokenizer=tok,
        generator=gen,
        config=dataclasses.replace(
            inner_config,
            k=3,
            styles=("implications",),
            objective="sft",
            train=dataclasses.replace(inner_config.train, epochs=1, min_steps=2, batch_size=2),
            answer_max_tokens=4,
        ),
        keep_above=-1.0,
    )
    first, twin, other = result.candidates
    assert twin.model is first.model and twin.train_seconds == 0.0 < first.train_seconds
    assert twin.reward == first.reward and twin.answers == first.answers
    assert other.model is not first.model and other.train_seconds > 0
