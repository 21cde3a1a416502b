"""Train the semantic instruction check's classifier (guards/behaviour.py) and write its weights
to guards/data/behaviour_classifier.json.

Negatives beyond the fact bank: every sentence of the 200 SQuAD *dev* passages (the guard
benchmark's own clean set; its independent clean set is drawn from *train* passages, so that figure
is measured on text the classifier never saw). Deterministic; takes a few seconds on a CPU.

    python scripts/train_behaviour_classifier.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.settings import get_settings  # noqa: E402
from guards.behaviour import CLASSIFIER_FILE, train_classifier  # noqa: E402
from guards.text import sentences  # noqa: E402
from seal.scope import get_embedder  # noqa: E402


def main() -> None:
    squad = json.loads((ROOT.parent / "shared" / "data" / "squad" / "dev.json").read_text())
    negatives = [s.text for p in squad for s in sentences(p["context"])]
    embedder = get_embedder(str(get_settings().embedding_model_path))
    weights = train_classifier(embedder, negatives)
    CLASSIFIER_FILE.parent.mkdir(parents=True, exist_ok=True)
    CLASSIFIER_FILE.write_text(json.dumps(weights) + "\n")
    print(
        f"wrote {CLASSIFIER_FILE} ({weights['n_instructions']} instructions, "
        f"{weights['n_negatives']} negatives)"
    )


if __name__ == "__main__":
    main()
