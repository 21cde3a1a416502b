"""A quarantined document's text with its findings marked in place.

Finding spans refer to the text as submitted (``guards.base.scan_text``); the stored text, which
the review page shows, has the PII redactions applied. The spans are moved onto the stored text by
replaying those redactions (PII findings whose action was ``redact`` became ``<TYPE>``), so that a
redacted e-mail address is marked on its ``<EMAIL_ADDRESS>`` placeholder and a finding after it is
not shifted by the difference in length.

The result is plain segments; the template escapes every one of them (a document is hostile input).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Mark:
    number: int  # 1-based, as in the legend
    guard: str
    kind: str
    explanation: str
    start: int | None  # on the stored text; None: the finding is about the whole document
    end: int | None


@dataclass(frozen=True)
class Segment:
    text: str
    marks: tuple[Mark, ...] = ()

    @property
    def title(self) -> str:
        return "\n".join(f"[{m.number}] {m.guard} / {m.kind}: {m.explanation}" for m in self.marks)

    @property
    def guards(self) -> str:
        return " ".join(sorted({m.guard for m in self.marks}))


def _redactions(findings: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """The replacements ``scan_text`` applied, in the order ``apply_redactions`` applies them
    (overlapping ones skipped as it skips them)."""
    spans = sorted(
        (
            (f["start"], f["end"], f"<{f['kind']}>")
            for f in findings
            if f.get("guard") == "pii"
            and (f.get("data") or {}).get("action") == "redact"
            and isinstance(f.get("start"), int)
            and isinstance(f.get("end"), int)
        ),
        key=lambda r: (r[0], -r[1]),
    )
    applied, pos = [], 0
    for start, end, replacement in spans:
        if start < pos:
            continue
        applied.append((start, end, replacement))
        pos = end
    return applied


def _mapper(redactions: list[tuple[int, int, str]]) -> Callable[[int, bool], int]:
    def to_stored(pos: int, is_end: bool) -> int:
        shift = 0
        for start, end, replacement in redactions:
            if pos <= start:
                break
            if pos < end:
                # Inside a redacted value: the whole placeholder stands for it.
                return start + shift + (len(replacement) if is_end else 0)
            shift += len(replacement) - (end - start)
        return pos + shift

    return to_stored


def marks_for(text: str, findings: list[dict[str, Any]]) -> list[Mark]:
    """Every finding, numbered, with its span moved onto the stored ``text`` (clamped to it)."""
    to_stored = _mapper(_redactions(findings))
    marks = []
    for n, f in enumerate(findings, start=1):
        start, end = f.get("start"), f.get("end")
        if isinstance(start, int) and isinstance(end, int) and end > start:
            s = min(max(to_stored(start, False), 0), len(text))
            e = min(max(to_stored(end, True), s), len(text))
            span: tuple[int | None, int | None] = (s, e) if e > s else (None, None)
        else:
            span = (None, None)
        marks.append(
            Mark(
                number=n,
                guard=str(f.get("guard", "?")),
                kind=str(f.get("kind", "")),
                explanation=str(f.get("explanation", "")),
                start=span[0],
                end=span[1],
            )
        )
    return marks


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """The text cut at every mark's boundary; each piece carries the marks that cover it."""
    spans = [(m.start, m.end, m) for m in marks if m.start is not None and m.end is not None]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = tuple(m for s, e, m in spans if s <= a and b <= e)
        out.append(Segment(text[a:b], covering))
    return out
