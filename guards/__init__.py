"""Guards that scan every document before anything is trained on it (see ``guards.base``)."""

from guards.base import (
    Finding,
    Guard,
    GuardResult,
    ScanContext,
    ScanOutcome,
    Verdict,
    build_guards,
    register_guard,
    registered_guards,
    scan_text,
)

__all__ = [
    "Finding",
    "Guard",
    "GuardResult",
    "ScanContext",
    "ScanOutcome",
    "Verdict",
    "build_guards",
    "register_guard",
    "registered_guards",
    "scan_text",
]
