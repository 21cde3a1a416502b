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
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter, defaultdict

from common import load_squad, machine, print_table, write_json
from guard_sets import pii_sentences, poisoning_cases

from guards import ScanContext, Verdict, build_guards, scan_text
from guards.pii import PIIGuard

PII_TARGETS = {"PERSON": (0.8, 0.8)}  # (recall, precision); 0.95 / 0.8 for the others
FLAGGED = Verdict.QUARANTINE


def bench_pii(n: int) -> dict:
    guard = next(g for g in build_guards() if isinstance(g, PIIGuard))
    tp_pred, n_pred, found, n_gold = Counter(), Counter(), Counter(), Counter()
    for sample in pii_sentences(n):
        predicted = [(r.start, r.end, r.entity_type) for r in guard.detect(sample["text"])]
        gold = sample["spans"]
        for s, e, ent in gold:
            n_gold[ent] += 1
            if any(ps < e and s < pe and pent == ent for ps, pe, pent in predicted):
                found[ent] += 1
        for ps, pe, pent in predicted:
            n_pred[pent] += 1
            if any(ps < e and s < pe and ent == pent for s, e, ent in gold):
                tp_pred[pent] += 1
    return {
        ent: {
            "precision": round(tp_pred[ent] / n_pred[ent], 4) if n_pred[ent] else None,
            "recall": round(found[ent] / n_gold[ent], 4),
            "n": n_gold[ent],
            "predicted": n_pred[ent],
        }
        for ent in sorted(n_gold)
    }


def bench_poisoning(train_passages: list[str], per_class: int) -> tuple[dict, list]:
    guards = build_guards()
    hits, totals, fired = Counter(), Counter(), defaultdict(Counter)
    misses = []
    for case in poisoning_cases(train_passages, per_class):
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pii-sentences", type=int, default=1200)
    parser.add_argument("--per-class", type=int, default=24)
    parser.add_argument("--out", default="guards.json")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # "on one core"
    dev = [p["context"] for p in load_squad("dev")]
    train = [p["context"] for p in load_squad("train")]

    # Warm up (spaCy load, tokenizer) outside the latency measurement.
    scan_text("Warm-up text by Jane Doe.", ScanContext(1, {}), build_guards())

    pii = bench_pii(args.pii_sentences)
    poisoning, misses = bench_poisoning(train, args.per_class)
    fp_rate, fp_by_guard, ms_per_kb, fp_examples, ms_by_guard = bench_clean(dev)

    rows = []
    for ent, m in pii.items():
        r_target, p_target = PII_TARGETS.get(ent, (0.95, 0.8))
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
        [[f"{fp_rate:.3f}", str(fp_by_guard), "<= 0.03", f"{ms_per_kb:.1f}", "< 50"]],
    )
    print("ms per KB by guard:", ms_by_guard)
    payload = {
        "pii": {ent: {k: m[k] for k in ("precision", "recall", "n")} for ent, m in pii.items()},
        "poisoning": {
            a: {"detection_rate": m["detection_rate"], "n": m["n"]} for a, m in poisoning.items()
        },
        "false_positive_rate": round(fp_rate, 4),
        "ms_per_kb": round(ms_per_kb, 2),
        "ms_per_kb_by_guard": ms_by_guard,
        "details": {
            "pii_predicted": {ent: m["predicted"] for ent, m in pii.items()},
            "poisoning_guards_fired": {a: m["guards_fired"] for a, m in poisoning.items()},
            "poisoning_misses": misses[:20],
            "false_positives_by_guard": fp_by_guard,
            "false_positive_examples": fp_examples[:10],
            "clean_passages": len(dev),
        },
        "machine": machine(),
    }
    print("\nwrote", write_json(args.out, payload))


if __name__ == "__main__":
    main()
