"""Deciding a drop from noise: the candidate and the model that serves now are graded on the same
items, and the decision is a paired comparison on those items.

vLLM on a CPU is not bit-stable, and neither is batched greedy decoding in the worker: an answer can
change with the other prompts of its batch (padding changes the arithmetic). So the service measures
its own noise floor: the model that serves now is graded twice with different batch compositions,
and an item whose verdict changes between the two is *unstable*. A drop counts only on stable
items: (lost - gained) / stable items, and the report adds McNemar's exact p-value on the
discordant pairs, so that an admin can tell a drop from noise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Paired:
    n: int
    stable: int
    current: float  # accuracy of what serves now, on every item
    candidate: float
    lost: int  # stable items the current model gets right and the candidate does not
    gained: int
    drop: float  # (lost - gained) / stable
    p_value: float  # McNemar's exact test on the stable discordant pairs (two-sided)

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "stable": self.stable,
            "current": round(self.current, 4),
            "candidate": round(self.candidate, 4),
            "lost": self.lost,
            "gained": self.gained,
            "drop": round(self.drop, 4),
            "p_value": round(self.p_value, 4),
        }


def mcnemar_exact(lost: int, gained: int) -> float:
    """Two-sided exact binomial test of lost vs gained under 'no difference' (p = 1/2)."""
    n = lost + gained
    if n == 0:
        return 1.0
    k = min(lost, gained)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


def compare(
    current: Sequence[bool], candidate: Sequence[bool], unstable: Sequence[bool] | None = None
) -> Paired:
    """The paired comparison; ``unstable`` items (they flip with batch composition) are left
    out of lost, gained and the drop."""
    n = len(current)
    if len(candidate) != n or (unstable is not None and len(unstable) != n):
        raise ValueError("paired comparison needs the same items on both sides")
    flags = unstable or [False] * n
    lost = sum(c and not d for c, d, u in zip(current, candidate, flags, strict=True) if not u)
    gained = sum(d and not c for c, d, u in zip(current, candidate, flags, strict=True) if not u)
    stable = n - sum(flags)
    return Paired(
        n=n,
        stable=stable,
        current=sum(current) / n if n else 0.0,
        candidate=sum(candidate) / n if n else 0.0,
        lost=lost,
        gained=gained,
        drop=(lost - gained) / stable if stable else 0.0,
        p_value=mcnemar_exact(lost, gained),
    )


def flips(first: Sequence[bool], second: Sequence[bool]) -> list[bool]:
    """Items whose verdict differs between two gradings of the same model."""
    return [a != b for a, b in zip(first, second, strict=True)]
