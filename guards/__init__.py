"""Guards that scan every document before anything is trained on it (see ``guards.base``).

Importing the package registers the built-in guards; each module registers itself, so adding a
guard is adding a module here and nothing in the pipeline.
"""

from guards import (  # noqa: F401 - imported for their registration
    contradiction,
    encoded,
    flooding,
    hidden_text,
    instructions,
    pii,
    triggers,
)
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
    scan_batch,
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
    "scan_batch",
    "scan_text",
]
