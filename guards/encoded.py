"""Encoded payloads: blocks a reviewer cannot read but a model can learn to decode and act on.

Long base64 and hex runs are found by their alphabet; cipher-like text (ROT13, letter
substitution, random letters) by its spelling: a run of words whose letter pairs are unlike those
of English words (``guards.lexicon.spelling_score``).
"""

from __future__ import annotations

import math
import re
from collections import Counter

from pydantic import BaseModel, Field

from guards.base import Finding, Guard, GuardResult, ScanContext, Verdict, register_guard
from guards.lexicon import spelling_score

_BASE64 = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{24,}={0,2}(?![A-Za-z0-9+/_-])")
_HEX = re.compile(
    r"(?<![0-9A-Za-z])(?:0x)?[0-9a-fA-F]{24,}(?![0-9A-Za-z])"
    r"|(?:(?:\\x|0x)?[0-9a-fA-F]{2}[\s:,-]?){16,}"
)
_LETTER_WORD = re.compile(r"[^\W\d_]{3,}")


def _entropy(s: str) -> float:
    counts = Counter(s)
    return -sum(c / len(s) * math.log2(c / len(s)) for c in counts.values())


class EncodedConfig(BaseModel):
    verdict: Verdict = Verdict.QUARANTINE
    min_base64_chars: int = Field(32, ge=16)
    min_base64_entropy: float = 4.0  # bits per char; English words run well under
    min_hex_chars: int = Field(32, ge=16)
    # Cipher-like text: a window of words whose mean spelling score (``guards.lexicon``) is below
    # the threshold. English passages stay above -6.4 (SQuAD dev's worst window: -6.32).
    cipher_min_words: int = 5
    cipher_window: int = 8
    cipher_max_spelling: float = -6.5


class EncodedGuard(Guard):
    config: EncodedConfig

    def scan(self, text: str, context: ScanContext) -> GuardResult:
        findings = self._base64(text) + self._hex(text) + self._cipher(text)
        return GuardResult(self.config.verdict if findings else Verdict.PASS, findings)

    def _base64(self, text: str) -> list[Finding]:
        out = []
        for m in _BASE64.finditer(text):
            s = m.group().rstrip("=")
            if len(s) < self.config.min_base64_chars or re.fullmatch(r"[0-9a-fA-F]+", s):
                continue  # short, or plain hex (reported by the hex check)
            has_mix = any(c.isupper() for c in s) and any(c.islower() for c in s)
            if (
                has_mix
                and any(c.isdigit() for c in s)
                or _entropy(s) >= self.config.min_base64_entropy
            ):
                out.append(
                    Finding(
                        self.name,
                        "base64_block",
                        m.start(),
                        m.end(),
                        min(1.0, _entropy(s) / 6.0),
                        f"a {len(s)}-character base64-like block",
                    )
                )
        return out

    def _hex(self, text: str) -> list[Finding]:
        out = []
        for m in _HEX.finditer(text):
            digits = re.sub(r"[^0-9a-fA-F]", "", m.group().replace("0x", "").replace("\\x", ""))
            if len(digits) < self.config.min_hex_chars or digits.isdigit():
                continue  # a long plain number is not a payload
            out.append(
                Finding(
                    self.name,
                    "hex_block",
                    m.start(),
                    m.end(),
                    1.0,
                    f"a {len(digits)}-digit hexadecimal block",
                )
            )
        return out

    def _cipher(self, text: str) -> list[Finding]:
        cfg = self.config
        ws = [m for m in _LETTER_WORD.finditer(text) if m.group().isascii()]
        if len(ws) < cfg.cipher_min_words:
            return []
        scores = [spelling_score(m.group()) for m in ws]
        width = min(cfg.cipher_window, len(ws))
        worst, at = 0.0, 0
        for i in range(len(ws) - width + 1):
            mean = sum(scores[i : i + width]) / width
            if mean < worst:
                worst, at = mean, i
        if worst > cfg.cipher_max_spelling:
            return []
        return [
            Finding(
                self.name,
                "cipher_text",
                ws[at].start(),
                ws[at + width - 1].end(),
                min(1.0, (cfg.cipher_max_spelling - worst) / 2 + 0.5),
                f"{width} words in a row are spelled like no English words "
                f"(letter-pair score {worst:.2f}): cipher-like text",
            )
        ]


register_guard(name="encoded", config_cls=EncodedConfig, guard_cls=EncodedGuard)
