"""The objective sweep: which update teaches a passage while moving the model least.

For each setting and each of ``--passages`` SQuAD *train* passages (never the dev passages the
knowledge benchmark reports on; the settings were chosen here), a fresh LoRA is trained on the
passage with the service's own code (``seal.inner_loop.objective_data``, ``seal.modeling``,
``seal.objectives``), then graded closed book on the passage's gold questions (never trained on)
and on the whole general suite (``gates/data/general_suite.json``), adapter alone:

  learned        gold-question accuracy after minus before (a reply counts when it contains the
                 gold answer or overlaps it with token F1 >= 0.5)
  f1_gain        mean token F1 after minus before
  general_drop   general-suite accuracy before (1.0: the suite holds what the base model answers)
                 minus after

Settings override ``Settings`` fields (objective, KL anchor weight, footprint, learning rate,
steps). ``raw_lr1e-3`` is the update the service shipped before issue 11 (passage text, rank-16
LoRA on every projection, lr 1e-3, 20 steps, no anchor). The distillation objectives train on the
base model's own question-answer self-edit of the passage and on fill-in-the-end questions cut
from it.

Usage: python bench/objectives.py [--passages 6] [--settings a,b] [--resume] [--threads 2]
Writes bench/results/objectives.json (with --resume, finished (setting, passage) pairs are kept).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import time
from statistics import mean
from typing import Any

import torch
from common import RESULTS, load_squad, machine, print_table, write_json  # noqa: I001

from core.settings import Settings, get_settings
from gates.safety import behaviour_regressions
from gates.suites import BEHAVIOUR_TARGETS, Item, anchor_items, answer, grade, load_suite
from seal.continual import behaviour_examples
from seal.generation import LocalGenerator
from seal.grading import ANSWER_INSTRUCTION, is_correct, token_f1
from seal.inner_loop import DocInput, InnerLoopConfig, objective_data
from seal.modeling import TrainConfig, answer_questions, load_base, train_lora
from seal.objectives import build_anchor
from seal.selfedit import Example, selfedit_prompt

MID = list(range(8, 22))  # the middle 14 of the 30 decoder layers
ATTN = ["q_proj", "k_proj", "v_proj", "o_proj"]
MLP = ["gate_proj", "up_proj", "down_proj"]
BASELINE = {"objective": "sft", "kl_anchor_weight": 0.0, "learning_rate": 1e-3, "min_steps": 20}
SETTINGS: dict[str, dict[str, Any]] = {
    "raw_lr1e-3": BASELINE,
    "raw_lr1e-4": {**BASELINE, "learning_rate": 1e-4},
    "raw_kl0.5": {**BASELINE, "kl_anchor_weight": 0.5},
    "raw_kl2": {**BASELINE, "kl_anchor_weight": 2.0},
    "raw_kl8": {**BASELINE, "kl_anchor_weight": 8.0},
    "raw_kl2_lr2e-3": {**BASELINE, "kl_anchor_weight": 2.0, "learning_rate": 2e-3},
    "raw_kl2_steps40": {**BASELINE, "kl_anchor_weight": 2.0, "min_steps": 40},
    "raw_kl2_r4": {**BASELINE, "kl_anchor_weight": 2.0, "lora_rank": 4, "lora_alpha": 8},
    "raw_kl2_attn": {**BASELINE, "kl_anchor_weight": 2.0, "lora_target_modules": ATTN},
    "raw_kl2_mlp_mid": {
        **BASELINE,
        "kl_anchor_weight": 2.0,
        "lora_target_modules": MLP,
        "lora_layers": MID,
    },
    "cd": {**BASELINE, "objective": "context_distillation"},
    "cd_kl2": {**BASELINE, "objective": "context_distillation", "kl_anchor_weight": 2.0},
    "cd_sft_kl2": {**BASELINE, "objective": "context_distillation_sft", "kl_anchor_weight": 2.0},
    "sdft": {**BASELINE, "objective": "sdft", "learning_rate": 5e-4, "min_steps": 24},
    # The service's sft candidate: the passage at every step, its QA self-edit beside it.
    "sft_kl2": {**BASELINE, "kl_anchor_weight": 2.0, "with_selfedit": True},
    "sft_kl2_lr2e-3": {
        **BASELINE,
        "kl_anchor_weight": 2.0,
        "with_selfedit": True,
        "learning_rate": 2e-3,
    },
    "sft_kl2_steps40": {
        **BASELINE,
        "kl_anchor_weight": 2.0,
        "with_selfedit": True,
        "min_steps": 40,
    },
    # The anchor also holding behaviour prompts (gates.suites.REHEARSAL_BEHAVIOUR; the settings
    # above anchored on general prompts only), and with 8 anchor prompts per step instead of 4.
    "sft_kl2_beh": {**BASELINE, "kl_anchor_weight": 2.0, "with_selfedit": True, "behaviour": True},
    "sft_kl2_beh_b8": {
        **BASELINE,
        "kl_anchor_weight": 2.0,
        "with_selfedit": True,
        "behaviour": True,
        "kl_anchor_batch": 8,
    },
    # Beside the behaviour anchor, 8 safe-behaviour targets trained as chat examples
    # (gates.suites.BEHAVIOUR_TARGETS: refusals, "I am an AI assistant", plain truths).
    "sft_kl2_beh_safe8": {
        **BASELINE,
        "kl_anchor_weight": 2.0,
        "with_selfedit": True,
        "behaviour": True,
        "behaviour_targets": 8,
    },
    "sdft_kl2": {
        **BASELINE,
        "objective": "sdft",
        "learning_rate": 5e-4,
        "min_steps": 24,
        "kl_anchor_weight": 2.0,
    },
}


def pick_passages(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` train passages with at least four questions, from distinct articles."""
    rows = [p for p in load_squad("train") if len(p["questions"]) >= 4]
    random.Random(seed).shuffle(rows)
    out, titles = [], set()
    for p in rows:
        if p["title"] not in titles:
            titles.add(p["title"])
            out.append(p)
        if len(out) == n:
            break
    return out


def gold_scores(model: Any, tok: Any, passage: dict[str, Any], max_tokens: int) -> dict[str, Any]:
    qs = passage["questions"]
    answers = answer_questions(
        model, tok, [q["question"] + ANSWER_INSTRUCTION for q in qs], max_new_tokens=max_tokens
    )
    golds = [q["answer"] for q in qs]
    return {
        "correct": sum(is_correct(a, g) for a, g in zip(answers, golds, strict=True)),
        "n": len(qs),
        "f1": mean(token_f1(a, g) for a, g in zip(answers, golds, strict=True)),
    }


def run_one(
    name: str,
    overrides: dict[str, Any],
    passage: dict[str, Any],
    qa_selfedit: str,
    base: Any,
    tok: Any,
    general: list[Item],
    before: dict[str, Any],
    seed: int,
    safety_before: list[str],
) -> dict[str, Any]:
    fields = {k: v for k, v in overrides.items() if k in Settings.model_fields}
    settings = Settings(**{**get_settings().model_dump(), **fields, "seed": seed})
    config = dataclasses.replace(InnerLoopConfig.from_settings(settings), bounds=None)
    doc = DocInput(passage["title"], passage["context"])
    # The passage alone for sft (isolates the update) unless the setting adds the self-edit; the
    # QA self-edit feeds the questions of the distillation objectives.
    with_edit = settings.objective != "sft" or overrides.get("with_selfedit", False)
    style, edits = ("qa", [qa_selfedit]) if with_edit else ("rewrite", [""])
    data = objective_data(
        [doc], style, edits, objective=settings.objective, base=base, tokenizer=tok, config=config
    )
    if settings.behaviour_targets and data.on_policy is None:
        extra = behaviour_examples(BEHAVIOUR_TARGETS, settings.behaviour_targets, seed + 2)
        data = dataclasses.replace(data, examples=data.examples + tuple(extra))
    train: TrainConfig = config.train
    anchor = None
    if train.anchor_weight > 0:
        items = anchor_items(load_suite("rehearsal"), settings.kl_anchor_size, seed + 1)
        if not overrides.get("behaviour", False):
            items = [i for i in items if i.get("kind", "general") == "general"]
        prompts = [Example(i["prompt"], i["answer"]) for i in items]
        anchor = build_anchor(base, tok, prompts, train.max_seq_len)
    t0 = time.perf_counter()
    result = train_lora(
        base,
        tok,
        data.examples,
        train,
        anchor=anchor,
        on_policy=data.on_policy,
        pinned=data.pinned,
    )
    train_s = time.perf_counter() - t0
    after = gold_scores(result.model, tok, passage, settings.answer_max_tokens)
    general_ok = grade(result.model, tok, general)
    safety = load_suite("safety")
    regressions = behaviour_regressions(
        safety["refusals"],
        safety["must_not_claim"],
        safety_before,
        answer(result.model, tok, safety_prompts(safety), 48),
    )
    return {
        "setting": name,
        "title": passage["title"],
        "seed": seed,
        "questions": after["n"],
        "correct_before": before["correct"],
        "correct_after": after["correct"],
        "learned": (after["correct"] - before["correct"]) / after["n"],
        "f1_gain": after["f1"] - before["f1"],
        "general_after": sum(general_ok) / len(general_ok),
        "safety_regressions": len(regressions),
        "train_s": round(train_s, 1),
        "steps": result.steps,
        "examples": data.size,
    }


def safety_prompts(suite: dict[str, Any]) -> list[str]:
    """The safety gate's prompts, in its order: refusals, then claims."""
    return list(suite["refusals"]) + [c["prompt"] for c in suite["must_not_claim"]]


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "passages": len(rows),
        "questions": sum(r["questions"] for r in rows),
        "correct_before": sum(r["correct_before"] for r in rows),
        "correct_after": sum(r["correct_after"] for r in rows),
        "learned": mean(r["learned"] for r in rows),
        "f1_gain": mean(r["f1_gain"] for r in rows),
        "general_after": mean(r["general_after"] for r in rows),
        "general_drop": 1.0 - mean(r["general_after"] for r in rows),
        "general_after_min": min(r["general_after"] for r in rows),
        # Rows from before the sweep counted safety have none.
        "safety_regressions": sum(r.get("safety_regressions", 0) for r in rows),
        "safety_counted": sum("safety_regressions" in r for r in rows),
        "train_s": mean(r["train_s"] for r in rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=6)
    parser.add_argument("--settings", default=",".join(SETTINGS))
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default="objectives.json")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    s = get_settings()
    base, tok = load_base(str(s.base_model_path))
    general = [Item(**i) for i in load_suite("general")["items"]]
    safety_before = answer(base, tok, safety_prompts(load_suite("safety")), 48)
    passages = pick_passages(args.passages, seed=0)
    path = RESULTS / args.out
    state: dict[str, Any] = {"rows": [], "passages": {}}
    if args.resume and path.exists():
        state = json.loads(path.read_text())
    done = {(r["setting"], r["title"], r["seed"]) for r in state["rows"]}
    generator = LocalGenerator(str(s.base_model_path))
    for p in passages:
        info = state["passages"].get(p["title"])
        if info is None:
            # The passage's own figures before training, and the base model's QA self-edit.
            qa = generator.generate(
                [selfedit_prompt("qa", p["title"], p["context"])],
                max_tokens=s.selfedit_max_tokens,
                temperature=s.selfedit_temperature,
                seed=s.seed,
            )[0]
            info = {"before": gold_scores(base, tok, p, s.answer_max_tokens), "qa_selfedit": qa}
            state["passages"][p["title"]] = info
    names = [n.strip() for n in args.settings.split(",") if n.strip()]
    for name in names:
        for seed in (int(x) for x in args.seeds.split(",")):
            for p in passages:
                if (name, p["title"], seed) in done:
                    continue
                info = state["passages"][p["title"]]
                row = run_one(
                    name,
                    SETTINGS[name],
                    p,
                    info["qa_selfedit"],
                    base,
                    tok,
                    general,
                    info["before"],
                    seed,
                    safety_before,
                )
                state["rows"].append(row)
                print(json.dumps(row), flush=True)
                _save(state, args.out)
    _save(state, args.out, final=True)


def _save(state: dict[str, Any], out: str, final: bool = False) -> None:
    by_setting: dict[str, dict[str, Any]] = {}
    for name in SETTINGS:
        rows = [r for r in state["rows"] if r["setting"] == name]
        if rows:
            by_setting[name] = {"overrides": SETTINGS[name], **summarize(rows)}
    state.update(
        {
            "benchmark": "objectives",
            "machine": machine(),
            "base_model": str(get_settings().base_model_path.name),
            "data": "SQuAD v1.1 train passages (../shared/data/squad/train.json), distinct articles",
            "general_suite": load_suite("general")["version"],
            "settings": by_setting,
        }
    )
    write_json(out, state)
    if final:
        print_table(
            [
                "setting",
                "passages",
                "learned",
                "f1 gain",
                "general after",
                "min",
                "safety",
                "train s",
            ],
            [
                [
                    n,
                    v["passages"],
                    v["learned"],
                    v["f1_gain"],
                    v["general_after"],
                    v["general_after_min"],
                    f"{v['safety_regressions']} in {v['safety_counted']}",
                    v["train_s"],
                ]
                for n, v in by_setting.items()
            ],
        )


if __name__ == "__main__":
    main()
