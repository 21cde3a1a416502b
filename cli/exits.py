"""Exit codes, in one table: scripts branch on these, so they never change meaning."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    JOB_FAILED = 1
    USAGE = 2  # Click's own code for a usage error; a missing key or bad input file is one too
    API_ERROR = 3
    UNAVAILABLE = 4
    QUARANTINED = 5
    INTERRUPTED = 130  # the shell's convention for Ctrl-C


MEANING: dict[Exit, str] = {
    Exit.OK: "success; teach --follow: promoted or awaiting approval",
    Exit.JOB_FAILED: "the followed job ended rejected, failed or cancelled",
    Exit.USAGE: "usage: bad arguments, no key, a bad config or input file",
    Exit.API_ERROR: "the API refused the request (4xx: auth, not found, state, input)",
    Exit.UNAVAILABLE: "the service cannot answer now (unreachable, 5xx, 429): retry",
    Exit.QUARANTINED: "the followed job waits for the review of a quarantined document",
    Exit.INTERRUPTED: "Ctrl-C while following; the job goes on",
}

# How a followed job's state ends the command. States missing here are still running.
OUTCOME: dict[str, Exit] = {
    "promoted": Exit.OK,
    "awaiting_approval": Exit.OK,
    "rejected": Exit.JOB_FAILED,
    "failed": Exit.JOB_FAILED,
    "cancelled": Exit.JOB_FAILED,
    "quarantined": Exit.QUARANTINED,
}


def help_table() -> str:
    """The table as help text (Click re-wraps paragraphs; \b keeps these lines as they are)."""
    lines = [f"  {int(code):>3}  {text}" for code, text in MEANING.items()]
    return "\b\nExit codes:\n" + "\n".join(lines)
