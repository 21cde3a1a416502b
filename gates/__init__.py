"""Gates that test a candidate adapter before it may serve (see ``gates.base``).

Importing the package registers the built-in gates; each module registers itself, so adding a
gate is adding a module here and nothing in the teach job.
"""

from gates import general, retention, safety  # noqa: F401 - imported for their registration
from gates.base import (
    GateContext,
    GateResult,
    register_gate,
    registered_gates,
    run_gates,
    unregister_gate,
)

__all__ = [
    "GateContext",
    "GateResult",
    "register_gate",
    "registered_gates",
    "run_gates",
    "unregister_gate",
]
