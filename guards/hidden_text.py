"""Hidden text: characters a reader does not see but the tokenizer does.

Zero-width and invisible formatting characters, bidirectional controls (which reorder what a human
reviewer reads), Unicode tag characters (an invisible copy of ASCII, used to smuggle instructions),
private-use characters, and words that mix scripts (Latin letters with Cyrillic or Greek
look-alikes, which dodge keyword filters and plant distinct tokens). Also: words written in
look-alike letter *styles* (mathematical bold or sans-serif letters, full-width forms) or whole
words of Cyrillic/Greek look-alikes, letters each overlaid with a combining mark (underlines,
strike-throughs), and markup that hides its text from a reader of the rendered page (HTML comments,
elements styled invisible or zero-size).
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


# Markup whose text a rendered page does not show.
_HIDDEN_MARKUP = re.compile(
    r"<!--(?P<comment>.*?)-->"
    r"|<(?P<tag>\w+)[^>]*?(?:\bhidden\b|style\s*=\s*[\"'][^\"']*(?:display\s*:\s*none|"
    r"visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|"
    r"(?<![-\w])color\s*:\s*(?:#f{3}(?:f{3})?|white|transparent)\b|height\s*:\s*0(?![.\d]*[1-9]))"
    r"[^\"']*[\"'])[^>]*>(?P<inner>.*?)</(?P=tag)\s*>"
    r"|\[//\]:\s*#\s*\((?P<md>[^)]*)\)"
    # Off-screen or clipped elements.
    r"|<(?P<tag2>\w+)[^>]*?style\s*=\s*[\"'][^\"']*(?:(?:left|top|text-indent)\s*:\s*-\d{3,}|"
    r"clip\s*:\s*rect\(\s*0)[^\"']*[\"'][^>]*>(?P<inner2>.*?)</(?P=tag2)\s*>"
    # LaTeX: white or invisible text.
    r"|\\(?:textcolor\{white\}|phantom|color\{white\}\s*)\{(?P<tex>[^}]*)\}",
    re.IGNORECASE | re.DOTALL,
)


def _styled(ch: str) -> bool:
    """A letter in a look-alike style: mathematical alphanumerics or full-width forms."""
    cp = ord(ch)
    return (0x1D400 <= cp <= 0x1D7FF or 0xFF21 <= cp <= 0xFF5A) and ch.isalnum()


def _overlaid(text: str, i: int) -> bool:
    """A combining mark at ``i`` that does not compose with its letter (NFC leaves it apart):
    an underline or strike-through drawn over the letter, not an accent."""
    ch = text[i]
    if not unicodedata.combining(ch) or i == 0:
        return False
    return len(unicodedata.normalize("NFC", text[i - 1] + ch)) > 1


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")


class HiddenTextConfig(BaseModel):
    verdict: Verdict = Verdict.QUARANTINE
    # A stray zero-width space, BOM or direction mark is common in copied text (SQuAD has a few);
    # a handful in one document is not an accident.
    max_invisible: int = Field(2, ge=0)
    check_mixed_scripts: bool = True
    # Styled or overlaid letters: a symbol or two is typography, a sentence of them is a disguise.
    min_styled_letters: int = Field(12, ge=1)
    min_disguised_words: int = Field(2, ge=1)
    min_hidden_markup_words: int = Field(3, ge=1)


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
        findings.extend(self._styled_letters(text))
        findings.extend(self._hidden_markup(text))
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

    def _styled_letters(self, text: str) -> list[Finding]:
        cfg = self.config
        styled = [i for i, ch in enumerate(text) if _styled(ch)]
        overlaid = [i for i in range(len(text)) if _overlaid(text, i)]
        found = []
        if len(styled) >= cfg.min_styled_letters:
            found.append(
                (
                    "styled_letters",
                    styled,
                    "letters in a look-alike style (mathematical "
                    "or full-width) that read like plain ones but are other tokens",
                )
            )
        if len(overlaid) >= cfg.min_styled_letters:
            found.append(
                (
                    "overlaid_marks",
                    overlaid,
                    "letters overlaid with combining marks "
                    "(underlines, strike-throughs) that split every word into odd tokens",
                )
            )
        # Whole words of Cyrillic or Greek look-alikes in a Latin text.
        disguised = [
            m
            for m in _WORD.finditer(text)
            if len(m.group()) >= 3 and all(c in _CONFUSABLE for c in m.group())
        ]
        latin = sum(map(_is_latin, text))
        if len(disguised) >= cfg.min_disguised_words and latin > 5 * sum(
            len(m.group()) for m in disguised
        ):
            found.append(
                (
                    "homoglyph_words",
                    [disguised[0].start(), disguised[-1].end() - 1],
                    "words written entirely in Cyrillic or Greek letters that look Latin",
                )
            )
        return [
            Finding(
                self.name,
                kind,
                where[0],
                where[-1] + 1,
                1.0,
                f"{len(where) if kind != 'homoglyph_words' else len(disguised)} {why}",
            )
            for kind, where, why in found
        ]

    def _hidden_markup(self, text: str) -> list[Finding]:
        out = []
        for m in _HIDDEN_MARKUP.finditer(text):
            inner = next((g for g in m.group("comment", "inner", "md", "inner2", "tex") if g), "")
            words = len(re.findall(r"[^\W\d_]{2,}", inner))
            if words >= self.config.min_hidden_markup_words:
                out.append(
                    Finding(
                        self.name,
                        "hidden_markup",
                        m.start(),
                        m.end(),
                        1.0,
                        f"{words} words inside markup that a rendered page hides (a comment or an "
                        "element styled invisible): a reviewer of the page does not see them",
                    )
                )
        return out


register_guard(name="hidden_text", config_cls=HiddenTextConfig, guard_cls=HiddenTextGuard)
