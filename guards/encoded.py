"""Encoded payloads: blocks a reviewer cannot read but a model can learn to decode and act on.

Long base64 and hex runs are found by their alphabet; cipher-like text (ROT13, letter
substitution, random letters) by its spelling: a run of words whose letter pairs are unlike those
of English words (``guards.lexicon.spelling_score``). Encodings with a recognisable alphabet but no
entropy signature (percent-encoding, base32, binary octets, decimal character codes, Morse code)
and leetspeak ("y0u mu57 4lw4y5") are decoded, and reported when what they decode to is text.
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
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2}){6,}")
_BASE32 = re.compile(r"(?<![A-Za-z0-9])[A-Z2-7]{16,}={0,6}(?![A-Za-z0-9])")
_BINARY = re.compile(r"(?<!\d)(?:[01]{8}[\s,]*){6,}")
_CHAR_CODES = re.compile(r"(?<![\d.])(?:\d{2,3}[\s,;]+){7,}\d{2,3}(?![\d.])")
_MORSE = re.compile(r"(?:[.\-·•–—_]{1,7}(?:\s*/\s*|\s+|\s*\|\s*)){8,}[.\-·•–—_]{1,7}")
_MORSE_CODE = {
    ".-": "a", "-...": "b", "-.-.": "c", "-..": "d", ".": "e", "..-.": "f", "--.": "g",
    "....": "h", "..": "i", ".---": "j", "-.-": "k", ".-..": "l", "--": "m", "-.": "n",
    "---": "o", ".--.": "p", "--.-": "q", ".-.": "r", "...": "s", "-": "t", "..-": "u",
    "...-": "v", ".--": "w", "-..-": "x", "-.--": "y", "--..": "z", "-----": "0",
    ".----": "1", "..---": "2", "...--": "3", "....-": "4", ".....": "5", "-....": "6",
    "--...": "7", "---..": "8", "----.": "9",
}  # fmt: skip
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                       "9": "g", "@": "a", "$": "s"})  # fmt: skip
_LEET_WORD = re.compile(r"(?=[\w@$']*[^\W\d_])(?=[\w@$']*[013457@$])[\w@$']{2,}")


def _readable(decoded: str) -> bool:
    """Text that reads as words: mostly letters and spaces, several words, English-like spelling."""
    words = _LETTER_WORD.findall(decoded)
    if len(words) < 3:
        return False
    letters = sum(c.isalpha() or c.isspace() for c in decoded)
    if letters < 0.8 * len(decoded):
        return False
    return sum(spelling_score(w.lower()) for w in words) / len(words) > -6.0


def _percent(block: str) -> str:
    from urllib.parse import unquote

    return unquote(block)


def _base32(block: str) -> str:
    import base64

    bare = block.rstrip("=")
    return base64.b32decode(bare + "=" * (-len(bare) % 8)).decode()


def _binary(block: str) -> str:
    return "".join(chr(int(b, 2)) for b in re.findall(r"[01]{8}", block))


def _char_codes(block: str) -> str:
    codes = [int(c) for c in re.findall(r"\d+", block)]
    if not all(9 <= c < 127 for c in codes):
        return ""
    return "".join(map(chr, codes))


def _morse(block: str) -> str:
    norm = block.replace("·", ".").replace("•", ".").translate(str.maketrans("–—_", "---"))
    out = []
    for word in re.split(r"\s*[/|]\s*|\s{2,}", norm.strip()):
        out.append("".join(_MORSE_CODE.get(ch, "") for ch in word.split()))
    return " ".join(out)


_UNICODE_ESCAPES = re.compile(r"(?:\\u[0-9a-fA-F]{4}){6,}|(?:\\x[0-9a-fA-F]{2}){6,}")
_HTML_ENTITIES = re.compile(r"(?:&#(?:x[0-9a-fA-F]{1,4}|\d{1,5});\s?){6,}")
_OCTAL = re.compile(r"(?<![\d.])(?:\\?[0-3][0-7]{2}[\s,]*){7,}")
_ASCII85 = re.compile(r"<~.{10,}?~>", re.DOTALL)


def _escapes(block: str) -> str:
    return re.sub(
        r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))",
        lambda m: chr(int(m.group(1) or m.group(2), 16)),
        block,
    )


def _entities(block: str) -> str:
    import html

    return html.unescape(block.replace("; ", ";"))


def _octal(block: str) -> str:
    codes = [int(c, 8) for c in re.findall(r"[0-3][0-7]{2}", block)]
    return "".join(map(chr, codes)) if all(9 <= c < 127 for c in codes) else ""


def _ascii85(block: str) -> str:
    import base64

    return base64.a85decode(block, adobe=True).decode()


_DECODERS = [
    ("percent_encoded", _PERCENT, _percent),
    ("base32_block", _BASE32, _base32),
    ("binary_octets", _BINARY, _binary),
    ("character_codes", _CHAR_CODES, _char_codes),
    ("morse_code", _MORSE, _morse),
    ("escape_sequences", _UNICODE_ESCAPES, _escapes),
    ("html_entities", _HTML_ENTITIES, _entities),
    ("octal_codes", _OCTAL, _octal),
    ("ascii85_block", _ASCII85, _ascii85),
]


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
    # Reversed text: a window spelled unlike English (English windows score about -5.2, reversed
    # English about -6.0) that scores this much better read backwards.
    reversed_max_spelling: float = -5.6
    reversed_gain: float = 0.5
    # Leetspeak: this many words in a row that mix digits into letters.
    leet_min_words: int = Field(4, ge=2)


class EncodedGuard(Guard):
    config: EncodedConfig

    def scan(self, text: str, context: ScanContext) -> GuardResult:
        findings = self._base64(text) + self._hex(text) + self._cipher(text)
        findings += self._decoded(text) + self._leet(text)
        if not findings:
            findings += self._reversed(text)
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

    def _decoded(self, text: str) -> list[Finding]:
        out = []
        for kind, pattern, decode in _DECODERS:
            for m in pattern.finditer(text):
                try:
                    decoded = decode(m.group())
                except (ValueError, UnicodeDecodeError, OverflowError):
                    continue
                if _readable(decoded):
                    out.append(
                        Finding(
                            self.name,
                            kind,
                            m.start(),
                            m.end(),
                            1.0,
                            f"{kind.replace('_', ' ')} that decodes to {len(decoded.split())} "
                            "words of text: a payload a reviewer cannot read",
                        )
                    )
        return out

    def _reversed(self, text: str) -> list[Finding]:
        """Text written backwards (letters or each word's letters): a window of words that is
        cipher-like as written and reads as English reversed."""
        cfg = self.config
        ws = [m for m in _LETTER_WORD.finditer(text) if m.group().isascii()]
        width = cfg.cipher_window
        if len(ws) < width:
            return []
        fwd = [spelling_score(m.group().lower()) for m in ws]
        bwd = [spelling_score(m.group().lower()[::-1]) for m in ws]
        f_sum, b_sum = sum(fwd[:width]), sum(bwd[:width])
        for i in range(len(ws) - width + 1):
            if i:
                f_sum += fwd[i + width - 1] - fwd[i - 1]
                b_sum += bwd[i + width - 1] - bwd[i - 1]
            forward, backward = f_sum / width, b_sum / width
            if forward < cfg.reversed_max_spelling and backward - forward > cfg.reversed_gain:
                return [
                    Finding(
                        self.name,
                        "reversed_text",
                        ws[i].start(),
                        ws[i + width - 1].end(),
                        1.0,
                        f"{width} words in a row read as English only when reversed",
                    )
                ]
        return []

    def _leet(self, text: str) -> list[Finding]:
        """Words spelled with digits for letters; a run of them that reads as English once the
        digits are read as letters."""
        run: list[re.Match[str]] = []
        best: list[re.Match[str]] = []
        for m in re.finditer(r"\S+", text):
            if _LEET_WORD.fullmatch(m.group().strip(".,;:!?()\"'")):
                run.append(m)
                if len(run) > len(best):
                    best = list(run)
            elif not m.group().isalpha() or len(run) == 0:
                run = []
        if len(best) < self.config.leet_min_words:
            return []
        decoded = " ".join(m.group() for m in best).translate(_LEET)
        if not _readable(decoded):
            return []
        return [
            Finding(
                self.name,
                "leetspeak",
                best[0].start(),
                best[-1].end(),
                1.0,
                f"{len(best)} words spelled with digits for letters that read as text once "
                "decoded (leetspeak)",
            )
        ]


register_guard(name="encoded", config_cls=EncodedConfig, guard_cls=EncodedGuard)
