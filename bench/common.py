"""Shared helpers for the benchmark scripts: data, settings, and JSON/table output."""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
SQUAD = ROOT.parent / "shared" / "data" / "squad"

# SEAL's plain update (next-token loss on the passage and its self-edits, no KL anchor), promoted
# whatever it scores: every candidate is kept and the gates' thresholds are wide open (the gates
# still run and report; a service with no gate at all is refused). The reference that the
# benchmarks measure learning and forgetting against.
UNGATED_ENV = {
    "SEAL_OBJECTIVE": "sft",
    "SEAL_KL_ANCHOR_WEIGHT": "0",
    "SEAL_REHEARSAL_SIZE": "0",
    "SEAL_MIN_REWARD": "-1",
}
UNGATED_POLICY = {
    "routing": False,
    "max_retention_drop": 1.0,
    "max_general_drop": 1.0,
    "max_adapter_drop": 1.0,
    "max_safety_regressions": 1000,
    "max_adapter_safety_regressions": 1000,
}


def load_squad(split: str) -> list[dict[str, Any]]:
    return json.loads((SQUAD / f"{split}.json").read_text())


def machine() -> dict[str, Any]:
    import os

    return {
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def write_json(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(payload, indent=2, sort_keys=False) + "\n")
    return path


def print_table(headers: list[str], rows: list[list[Any]]) -> None:
    cells = [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in cells:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
