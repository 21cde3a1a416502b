"""Hidden text: characters a reader does not see but the tokenizer does.

Zero-width and invisible formatting characters, bidirectional controls (which reorder what a human
reviewer reads), Unicode tag characters (an invisible copy of ASCII, used to smuggle instructions),
private-use characters, and words that mix scripts (Latin letters with Cyrillic or Greek
look-alikes, which dodge keyword filters and plant distinct tokens).
"""

from __future__ import annotations

import re
import unicodedata

from pydantic import BaseModel, Field

from guards.base import Finding, Guard, GuardResult, ScanContext, Verdict, register_guard
from guards.text import _WORD

# Embeddings, overrides and isolates reorder what a reviewer reads. The plain direction marks
# (LRM, RLM, ALM) are ordinary in text that quotes Arabic or Hebrew: counted as invisible instead.
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
_ZERO_WIDTH = {
    0x200B,
    0x200C,
    0x200D,
    0x2060,
    0x2061,
    0x2062,
    0x2063,
    0x2064,
    0xFEFF,
    0x180E,
    0x200E,
    0x200F,
    0x061C,
}
# Cyrillic and Greek letters that render like Latin ones. Other letters of those scripts (the beta
# in "TGF-β") are honest symbols, not disguises.
_CONFUSABLE = set("аеорсхуіјѕԁԛԝӏһԍвкмнтАВЕКМНОРСТУХІЈЅοανικρτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧϲϳ")
_INVISIBLE_OTHER = {0x00AD, 0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0, 0x17B4, 0x17B5}


def _char_kind(ch: str) -> str | None:
    cp = ord(ch)
    if 0xE0000 <= cp <= 0xE007F:
        return "tag_character"
    if cp in _BIDI:
        return "bidi_control"
    if cp in _ZERO_WIDTH or cp in _INVISIBLE_OTHER or 0xFE00 <= cp <= 0xFE0F:
        return "invisible_character"
    if 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000:
        return "private_use_character"
    if unicodedata.category(ch) == "Cf":
        return "invisible_character"
    return None


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")


class HiddenTextConfig(BaseModel):
    verdict: Verdict = Verdict.QUARANTINE
    # A stray zero-width space, BOM or direction mark is common in copied text (SQuAD has a few);
    # a handful in one document is not an accident.
    max_invisible: int = Field(2, ge=0)
    check_mixed_scripts: bool = True


class HiddenTextGuard(Guard):
    config: HiddenTextConfig

    def scan(self, text: str, context: ScanContext) -> GuardResult:
        runs: dict[str, list[tuple[int, int]]] = {}
        for i, ch in enumerate(text):
            kind = _char_kind(ch)
            if kind is None:
                continue
            spans = runs.setdefault(kind, [])
            if spans and spans[-1][1] == i:
                spans[-1] = (spans[-1][0], i + 1)
            else:
                spans.append((i, i + 1))
        findings = []
        for kind, spans in runs.items():
            count = sum(e - s for s, e in spans)
            # Tags and bidi controls have no business in knowledge text, even once.
            if kind == "invisible_character" and count <= self.config.max_invisible:
                continue
            findings.append(
                Finding(
                    self.name,
                    kind,
                    spans[0][0],
                    spans[-1][1],
                    1.0,
                    f"{count} {kind.replace('_', ' ')}(s) in {len(spans)} place(s): text a reader "
                    "does not see but the model would be trained on",
                )
            )
        if self.config.check_mixed_scripts:
            findings.extend(self._mixed_scripts(text))
        return GuardResult(self.config.verdict if findings else Verdict.PASS, findings)

    def _mixed_scripts(self, text: str) -> list[Finding]:
        found = []
        for m in _WORD.finditer(text):
            for part in re.split(r"[-'’.]", m.group()):
                if any(c in _CONFUSABLE for c in part) and any(map(_is_latin, part)):
                    found.append(m)
                    break
        if not found:
            return []
        sample = ", ".join(repr(m.group()) for m in found[:3])
        return [
            Finding(
                self.name,
                "homoglyph_mix",
                found[0].start(),
                found[-1].end(),
                1.0,
                f"{len(found)} word(s) mix Latin with look-alike letters of another script "
                f"({sample})",
            )
        ]


register_guard(name="hidden_text", config_cls=HiddenTextConfig, guard_cls=HiddenTextGuard)
