"""Self-chosen training hyperparameters: a self-edit may open with one header line such as

    Training: lr=0.0005 epochs=3

choosing the learning rate and the number of epochs its own LoRA is trained with, as SEAL's
few-shot self-edits do. The service bounds both; the outer loop's reward then teaches the policy
which choices work. A header that is missing or cannot be read falls back to the defaults, and what
happened is recorded with the self-edit (``HeaderResult.status``).

The prompts do not ask for a header: asked to write one, the 135M base model derails into
"Training: | Training | ..." instead of notes (measured on SQuAD passages). Instead the outer loop
explores: a self-edit without a readable header is given a random one within the bounds before it
is scored, and the policy is fine-tuned on the kept self-edits *with* their headers, so that it
learns to write the choices that earned a reward.
"""

from __future__ import annotations

import dataclasses
import math
import random
import re
from dataclasses import dataclass
from typing import Any

from core.settings import Settings
from seal.modeling import TrainConfig

ABSENT, VALID, CLAMPED, MALFORMED = "absent", "valid", "clamped", "malformed"

# A first line that names training settings or carries one of the keys is a header; whether it can
# be read is decided after.
_HEADER_LINE = re.compile(
    r"^\W*(?:train(?:ing)?|settings?|hyper-?parameters?|config)\b\s*[:=\-]|\b(?:lr|learning[_ ]rate|epochs?)\s*[=:]",
    re.IGNORECASE,
)
_LR = re.compile(r"\b(?:lr|learning[_ ]rate)\s*[=:]\s*([0-9][0-9.eE+\-]*)", re.IGNORECASE)
_EPOCHS = re.compile(r"\bepochs?\s*[=:]\s*([0-9][0-9.]*)", re.IGNORECASE)


@dataclass(frozen=True)
class HyperparamBounds:
    """What a self-edit may choose, and what it gets when it chooses nothing readable."""

    lr_min: float
    lr_max: float
    epochs_min: int
    epochs_max: int

    def sample(self, rng: random.Random) -> str:
        """A random header within the bounds (learning rate log-uniform): the outer loop's
        exploration, for self-edits that chose nothing (see ``seal.outer_loop``)."""
        lr = math.exp(rng.uniform(math.log(self.lr_min), math.log(self.lr_max)))
        return f"Training: lr={lr:.1e} epochs={rng.randint(self.epochs_min, self.epochs_max)}"


def header_bounds(settings: Settings) -> HyperparamBounds | None:
    """The bounds self-edits choose within, or None when headers are switched off."""
    if not settings.selfedit_header:
        return None
    return HyperparamBounds(
        settings.selfedit_lr_min,
        settings.selfedit_lr_max,
        settings.selfedit_epochs_min,
        settings.selfedit_epochs_max,
    )


@dataclass(frozen=True)
class HeaderResult:
    status: str  # absent | valid | clamped | malformed
    learning_rate: float | None  # None: the default
    epochs: int | None
    header: str | None  # the raw header line
    body: str  # the self-edit without its header

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "learning_rate": self.learning_rate,
            "epochs": self.epochs,
            "header": self.header,
        }


def _number(pattern: re.Pattern[str], line: str) -> float | None:
    m = pattern.search(line)
    if not m:
        return None
    try:
        return float(m.group(1).rstrip(".-+eE"))
    except ValueError:
        return None


def parse_header(text: str, bounds: HyperparamBounds) -> HeaderResult:
    """Read the header of a self-edit. Both values must be readable numbers, or the header is
    malformed and neither is used (a half-read header is not what the policy chose); values outside
    the bounds are clamped and the header is marked as such."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not _HEADER_LINE.search(lines[first]):
        return HeaderResult(ABSENT, None, None, None, text)
    header = lines[first].strip()
    body = "\n".join(lines[:first] + lines[first + 1 :]).strip()
    lr, epochs = _number(_LR, header), _number(_EPOCHS, header)
    if lr is None or epochs is None or lr <= 0 or epochs != int(epochs):
        return HeaderResult(MALFORMED, None, None, header, body)
    clamped_lr = min(max(lr, bounds.lr_min), bounds.lr_max)
    clamped_epochs = min(max(int(epochs), bounds.epochs_min), bounds.epochs_max)
    status = VALID if (clamped_lr, clamped_epochs) == (lr, int(epochs)) else CLAMPED
    return HeaderResult(status, clamped_lr, clamped_epochs, header, body)


def apply_header(config: TrainConfig, header: HeaderResult) -> TrainConfig:
    """The training config a header asks for. The step floor (``min_steps``, which keeps a short
    document from getting a handful of updates) scales with the chosen epochs, so that the choice
    also matters for documents shorter than a few batches."""
    if header.learning_rate is None or header.epochs is None:
        return config
    min_steps = max(1, round(config.min_steps * header.epochs / max(config.epochs, 1)))
    return dataclasses.replace(
        config, learning_rate=header.learning_rate, epochs=header.epochs, min_steps=min_steps
    )
