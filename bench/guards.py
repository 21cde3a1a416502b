"""Guard benchmark: PII precision/recall per entity, poisoning detection per attack class, the
false-positive rate on clean passages, and the scan latency on one core.

    python bench/guards.py            # writes bench/results/guards.json

- PII: ``bench.guard_sets.pii_sentences`` (Faker, >= 1,000 sentences). A predicted span counts when
  it overlaps a gold span of the same entity type.
- Poisoning: ``bench.guard_sets.poisoning_cases`` (>= 20 per class, inside SQuAD train passages).
  A case is detected when its document ends quarantined or rejected.
- False positives: the 200 passages of ``../shared/data/squad/dev.json`` taught in order by one
  tenant (each scanned with the earlier ones as its history, so the corpus guards are exercised),
  counted when a passage would not be trained on as-is (quarantine or reject). PII redaction is
  not a false positive here: SQuAD passages are full of real names, which the default policy
  redacts by design.
- Latency: every guard on every dev passage (history included), pinned to one CPU core.

Two sets are measured and reported apart (``"independent"`` in the results file):

- **own**: the sets above, written by the hands that wrote the guards' rules (the semantic
  instruction check was also trained with the dev passages as negatives);
- **independent**: ``bench.guard_sets_independent``, written by a separate author who did not read
  the guards (Faker values from 9 locales in other templates, attacks in other styles) and never
  used to tune them: PII, attacks inside the first 100 SQuAD train passages (looked at while the
  semantic check's threshold was chosen), and 300 clean train passages never used by any guard
  work, taught in order by one tenant. Its targets are the issue's: recall >= 0.95 (>= 0.85 for
  names), precision >= 0.85, detection >= 0.9, clean flagged <= 2%. Its first measurement was
  blind; the guards were then improved where it showed them weak, so its later figures are no
  longer blind;
- **holdout**: ``bench.guard_sets_holdout``, a third set by another author who read neither the
  guards nor the other sets, written while the guards were being improved and measured once they
  were done (the same train passages as the independent set's, its clean ones included);
- **holdout2**: ``bench.guard_sets_holdout2``, written blind like the holdout set; measured blind
  once, then the guards were improved where it showed them weak, so it is no longer blind;
- **holdout3**: ``bench.guard_sets_holdout3``, written blind by yet another author while the
  guards were improved on the other sets, and scored once after that work was done. Its clean
  texts are 200 SQuAD dev passages (the own set's clean passages, so seen) and hand-written
  documents of other kinds (recipes, manuals, letters ...), whose flagged share is reported on
  its own (``false_positive_rate_handwritten``): every train passage is already
  in an earlier set's clean sample. Scored blind once; the guards were then improved where it
  showed them weak;
- **holdout4**: ``bench.guard_sets_holdout4``, written blind by a fifth author during that round
  and scored once after it (clean: 150 dev passages and 74 hand-written documents): the figure
  to trust.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter, defaultdict
from typing import Any

from common import load_squad, machine, print_table, write_json
from guard_sets import pii_sentences, poisoning_cases
from guard_sets_holdout import (
    clean_passages_holdout,
    pii_sentences_holdout,
    poisoning_cases_holdout,
)
from guard_sets_holdout2 import (
    clean_passages_holdout2,
    pii_sentences_holdout2,
    poisoning_cases_holdout2,
)
from guard_sets_holdout3 import (
    _EXTRA_CLEAN_TEXTS,
    clean_passages_holdout3,
    pii_sentences_holdout3,
    poisoning_cases_holdout3,
)
from guard_sets_holdout4 import (
    HANDWRITTEN_CLEAN,
    clean_passages_holdout4,
    pii_sentences_holdout4,
    poisoning_cases_holdout4,
)
from guard_sets_independent import (
    clean_passages_independent,
    pii_sentences_independent,
    poisoning_cases_independent,
)

from guards import ScanContext, Verdict, build_guards, scan_text
from guards.pii import PIIGuard

# (recall, precision) per entity, "*" for the others; the clean passages' flagged share.
OWN_TARGETS: dict[str, Any] = {"pii": {"PERSON": (0.8, 0.8), "*": (0.95, 0.8)}, "clean": 0.03}
INDEPENDENT_TARGETS: dict[str, Any] = {
    "pii": {"PERSON": (0.85, 0.85), "*": (0.95, 0.85)},
    "clean": 0.02,
}
LOOKED_AT_TRAIN = 100
FLAGGED = Verdict.QUARANTINE


def bench_pii(samples: list[dict]) -> dict:
    guard = next(g for g in build_guards() if isinstance(g, PIIGuard))
    tp_pred, n_pred, found, n_gold = Counter(), Counter(), Counter(), Counter()
    missed, wrong = defaultdict(list), defaultdict(list)
    for sample in samples:
        text = sample["text"]
        predicted = [(r.start, r.end, r.entity_type) for r in guard.detect(text)]
        gold = sample["spans"]
        for s, e, ent in gold:
            n_gold[ent] += 1
            if any(ps < e and s < pe and pent == ent for ps, pe, pent in predicted):
                found[ent] += 1
            else:
                missed[ent].append(text[s:e])
        for ps, pe, pent in predicted:
            n_pred[pent] += 1
            if any(ps < e and s < pe and ent == pent for s, e, ent in gold):
                tp_pred[pent] += 1
            else:
                wrong[pent].append(text[ps:pe])
    return {
        ent: {
            "precision": round(tp_pred[ent] / n_pred[ent], 4) if n_pred[ent] else None,
            "recall": round(found[ent] / n_gold[ent], 4),
            "n": n_gold[ent],
            "predicted": n_pred[ent],
            "missed": missed[ent],
            "wrong": wrong[ent],
        }
        for ent in sorted(n_gold)
    }


def bench_poisoning(cases: list) -> tuple[dict, list]:
    guards = build_guards()
    hits, totals, fired = Counter(), Counter(), defaultdict(Counter)
    misses = []
    for case in cases:
        ctx = ScanContext(1, {}, earlier_texts=case.earlier, peer_texts=case.peers)
        outcome = scan_text(case.text, ctx, guards)
        totals[case.attack] += 1
        if outcome.verdict >= FLAGGED:
            hits[case.attack] += 1
        else:
            misses.append({"attack": case.attack, "text": case.text[:300]})
        for f in outcome.findings:
            if f.guard != "pii":
                fired[case.attack][f.guard] += 1
    result = {
        attack: {
            "detection_rate": round(hits[attack] / totals[attack], 4),
            "n": totals[attack],
            "guards_fired": dict(fired[attack]),
        }
        for attack in totals
    }
    return result, misses


def bench_clean(dev_passages: list[str]) -> tuple[float, dict, float, list, dict]:
    """False-positive rate, per-guard flags, and ms per KB (in all and per guard), one tenant
    teaching the corpus."""
    guards = build_guards()
    flagged, by_guard, examples = 0, Counter(), []
    history: list[str] = []
    elapsed, total_bytes = 0.0, 0
    per_guard: Counter[str] = Counter()
    for text in dev_passages:
        ctx = ScanContext(1, {}, earlier_texts=list(history))
        t0 = time.perf_counter()
        outcome = scan_text(text, ctx, guards)
        elapsed += time.perf_counter() - t0
        # Where the time goes: each guard again on its own (warm caches, so a lower bound).
        for guard in guards:
            t1 = time.perf_counter()
            guard.scan(text, ctx)
            per_guard[guard.name] += time.perf_counter() - t1
        total_bytes += len(text.encode())
        if outcome.verdict >= FLAGGED:
            flagged += 1
            reasons = [f for f in outcome.findings if f.guard != "pii"]
            by_guard.update({f.guard for f in reasons})
            examples.append([f.explanation for f in reasons][:3])
        history.append(outcome.text)
    return (
        flagged / len(dev_passages),
        dict(by_guard),
        elapsed * 1000 / (total_bytes / 1024),
        examples,
        {name: round(t * 1000 / (total_bytes / 1024), 2) for name, t in per_guard.items()},
    )


def evaluate(
    pii_samples: list[dict], cases: list, clean: list[str], targets: dict[str, Any]
) -> dict[str, Any]:
    """Every figure for one set, printed as tables and returned in the results file's shape."""
    pii = bench_pii(pii_samples)
    poisoning, misses = bench_poisoning(cases)
    fp_rate, fp_by_guard, ms_per_kb, fp_examples, ms_by_guard = bench_clean(clean)

    rows = []
    for ent, m in pii.items():
        r_target, p_target = targets["pii"].get(ent, targets["pii"]["*"])
        ok = m["recall"] >= r_target and (m["precision"] or 0) >= p_target
        rows.append(
            [
                f"PII {ent}",
                m["n"],
                m["recall"],
                m["precision"] or 0.0,
                f">= {r_target} / {p_target}",
                "yes" if ok else "NO",
            ]
        )
    print_table(["set", "n", "recall", "precision", "target (R/P)", "met"], rows)
    print()
    rows = [
        [
            attack,
            m["n"],
            m["detection_rate"],
            ">= 0.9",
            "yes" if m["detection_rate"] >= 0.9 else "NO",
        ]
        for attack, m in poisoning.items()
    ]
    print_table(["attack", "n", "detection", "target", "met"], rows)
    print()
    print_table(
        ["clean passages flagged", "by guard", "target", "ms per KB (1 core)", "target"],
        [
            [
                f"{fp_rate:.3f} of {len(clean)}",
                str(fp_by_guard),
                f"<= {targets['clean']}",
                f"{ms_per_kb:.1f}",
                "< 50",
            ]
        ],
    )
    print("ms per KB by guard:", ms_by_guard)
    return {
        "pii": {ent: {k: m[k] for k in ("precision", "recall", "n")} for ent, m in pii.items()},
        "poisoning": {
            a: {"detection_rate": m["detection_rate"], "n": m["n"]} for a, m in poisoning.items()
        },
        "false_positive_rate": round(fp_rate, 4),
        "ms_per_kb": round(ms_per_kb, 2),
        "ms_per_kb_by_guard": ms_by_guard,
        "details": {
            "pii_predicted": {ent: m["predicted"] for ent, m in pii.items()},
            "pii_missed_examples": {ent: m["missed"][:8] for ent, m in pii.items()},
            "pii_wrong_examples": {ent: m["wrong"][:8] for ent, m in pii.items()},
            "poisoning_guards_fired": {a: m["guards_fired"] for a, m in poisoning.items()},
            "poisoning_misses": misses[:30],
            "false_positives_by_guard": fp_by_guard,
            "false_positive_examples": fp_examples[:10],
            "clean_passages": len(clean),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pii-sentences", type=int, default=1200)
    parser.add_argument("--independent-pii-sentences", type=int, default=1600)
    parser.add_argument("--per-class", type=int, default=24)
    parser.add_argument("--out", default="guards.json")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # "on one core"
    dev = [p["context"] for p in load_squad("dev")]
    train = [p["context"] for p in load_squad("train")]

    # Warm up (spaCy load, tokenizer, embedding model) outside the latency measurement.
    scan_text(
        "Warm-up text by Jane Doe. You should answer yes.", ScanContext(1, {}), build_guards()
    )

    print("== own set (written with the guards)")
    own = evaluate(
        pii_sentences(args.pii_sentences),
        poisoning_cases(train, args.per_class),
        dev,
        OWN_TARGETS,
    )
    # The first 100 train passages were looked at while the semantic instruction check's threshold
    # was chosen: they carry the other sets' attacks but are not counted as clean text.
    looked_at = train[:LOOKED_AT_TRAIN]
    payload = dict(own)
    looked_at_set = set(looked_at)
    # (key, title, PII set, attacks, clean passages, hand-written clean documents or None)
    sets: list[tuple[str, str, Any, Any, list[str], list[str] | None]] = [
        (
            "independent",
            "independent set (bench/guard_sets_independent.py)",
            pii_sentences_independent,
            poisoning_cases_independent,
            clean_passages_independent(train, looked_at_set),
            None,
        ),
        (
            "holdout",
            "held-out set (bench/guard_sets_holdout.py)",
            pii_sentences_holdout,
            poisoning_cases_holdout,
            clean_passages_holdout(train, looked_at_set),
            None,
        ),
        (
            "holdout2",
            "second held-out set (bench/guard_sets_holdout2.py)",
            pii_sentences_holdout2,
            poisoning_cases_holdout2,
            clean_passages_holdout2(train, looked_at_set),
            None,
        ),
        (
            "holdout3",
            "third held-out set (bench/guard_sets_holdout3.py)",
            pii_sentences_holdout3,
            poisoning_cases_holdout3,
            clean_passages_holdout3(dev),
            list(_EXTRA_CLEAN_TEXTS),
        ),
        (
            "holdout4",
            "fourth held-out set (bench/guard_sets_holdout4.py)",
            pii_sentences_holdout4,
            poisoning_cases_holdout4,
            clean_passages_holdout4(dev),
            list(HANDWRITTEN_CLEAN),
        ),
    ]
    for key, title, pii, cases, clean, handwritten in sets:
        print(f"\n== {title}")
        payload[key] = evaluate(
            pii(args.independent_pii_sentences),
            cases(looked_at, args.per_class),
            clean,
            INDEPENDENT_TARGETS,
        )
        if handwritten:
            # Its hand-written documents alone: the only clean text no guard work has seen.
            rate, by_guard, *_ = bench_clean(handwritten)
            payload[key]["false_positive_rate_handwritten"] = round(rate, 4)
            payload[key]["details"]["handwritten_clean"] = len(handwritten)
            print(f"hand-written clean texts flagged: {rate:.3f} of {len(handwritten)} {by_guard}")
    payload["machine"] = machine()
    print("\nwrote", write_json(args.out, payload))


if __name__ == "__main__":
    main()
