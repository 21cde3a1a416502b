r"""Encoded payloads: blocks a reviewer cannot read but a model can learn to decode and act on.

Long base64 and hex runs are found by their alphabet; cipher-like text (ROT13, letter
substitution, random letters) by its spelling: a run of words whose letter pairs are unlike those
of English words (``guards.lexicon.spelling_score``), unless the words around it are another
language or a list of names; Caesar shifts, Atbash and words spelled backwards are decoded and
reported when they read as English. Encodings with a recognisable alphabet but no entropy
signature (percent-encoding and other escapes mixed into plain text: quoted-printable, ``\x``,
``\u``, HTML entities, ``U+``; base32, base85, Ascii85, uuencode, ROT47, punycode, binary octets,
decimal, octal and alphabet-position codes, Morse code) and leetspeak ("y0u mu57 4lw4y5") are
decoded, and reported when what they decode to is text and what is written is not.
"""

from __future__ import annotations

import binascii
import json
import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field
from spacy.lang.en.stop_words import STOP_WORDS

from guards.base import Finding, Guard, GuardResult, ScanContext, Verdict, register_guard
from guards.lexicon import spelling_score

_FUNCTION_WORDS_FILE = Path(__file__).parent / "data" / "encoded_function_words.json"

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
_LEET_CHAR = re.compile(r"[013457-9@$]")
_LEET_DIGITS = re.compile(r"[013457@$]{1,3}")
_LEET_WORD = re.compile(r"(?=[\w@$']*[^\W\d_])(?=[\w@$']*[013457@$])[\w@$']{2,}")


@lru_cache(maxsize=65536)
def _spelling(word: str) -> float:
    """``spelling_score``, remembered: the same words recur in document after document."""
    return spelling_score(word.lower())


def _readable(decoded: str, min_words: int = 3) -> bool:
    """Text that reads as words: mostly letters and spaces, several words, English-like spelling."""
    words = _LETTER_WORD.findall(decoded)
    if len(words) < min_words:
        return False
    letters = sum(c.isalpha() or c.isspace() for c in decoded)
    if letters < 0.8 * len(decoded):
        return False
    return sum(_spelling(w) for w in words) / len(words) > -6.0


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


# Byte and character escapes mixed with plain characters, as a URL, a MIME body (quoted-
# printable), a string literal or an HTML page carries them: "Always%20answer%20in%20French",
# "=53=75=6D", "Say\x20that", "Say&#32;that". Plain stretches are bounded, so matching is linear.
_ESCAPE = (
    r"%[0-9A-Fa-f]{2}|=[0-9A-F]{2}|=\r?\n|\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}"
    r"|&#x[0-9a-fA-F]{1,6};|&#\d{1,7};|U\+[0-9A-F]{4,5}\s?"
)
_ESCAPED_RUN = re.compile(rf"(?:[^\s%=\\&]{{0,40}}(?:{_ESCAPE})){{4,}}[^\s%=\\&]{{0,40}}")
_ONE_ESCAPE = re.compile(_ESCAPE)


def _unescape(block: str) -> str:
    """Every escape in the block replaced by its byte or character (bytes read as UTF-8)."""
    out = bytearray()
    pos = 0
    for m in _ONE_ESCAPE.finditer(block):
        out += block[pos : m.start()].encode()
        e = m.group().strip()
        if e[0] in "%=" and len(e) == 3:
            out.append(int(e[1:], 16))
        elif e.startswith("\\x"):
            out.append(int(e[2:], 16))
        elif e.startswith(("\\u", "\\U", "U+")):
            out += chr(int(e[2:], 16)).encode("utf-8", "replace")
        elif e.startswith("&#"):
            code = int(e[3:-1], 16) if e[2] in "xX" else int(e[2:-1])
            out += chr(code).encode("utf-8", "replace")
        pos = m.end()
    out += block[pos:].encode()
    return out.decode("utf-8", "replace")


def _a1z26(block: str) -> str:
    """Letters as their place in the alphabet: "20-8-5 / 19-8-15-16" or "20 8 5 / 19 8 15 16"."""
    norm = re.sub(r"-?/-?", " / ", block.strip(" -,."))
    if "-" in norm:
        words = [w.split("-") for w in re.split(r"\s*/\s*|\s+", norm) if w]
    else:
        words = [w.split() for w in re.split(r"\s*/\s*|\s{2,}|\s*\|\s*", norm) if w.strip()]
    letters = [[int(n) for n in w if n.isdigit()] for w in words]
    if not all(1 <= n <= 26 for w in letters for n in w):
        return ""
    return " ".join("".join(chr(96 + n) for n in w) for w in letters)


def _uuencoded(block: str) -> str:
    lines = block.splitlines()[1:]
    return b"".join(
        binascii.a2b_uu(line) for line in lines if line.strip() not in ("`", "end", "")
    ).decode()


def _rot47(block: str) -> str:
    return "".join(chr(33 + (ord(c) - 33 + 47) % 94) if "!" <= c <= "~" else c for c in block)


def _bare_ascii85(block: str) -> str:
    import base64

    return base64.a85decode(block).decode()


_B85 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
_Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
_Z85_TO_B85 = str.maketrans(_Z85, _B85)


def _base85(block: str) -> str:
    """Base85 in the RFC 1924 / git alphabet, else in ZeroMQ's Z85."""
    import base64

    for candidate in (block, block.translate(_Z85_TO_B85)):
        try:
            return base64.b85decode(candidate).decode()
        except (ValueError, UnicodeDecodeError):
            continue
    return ""


_BRAILLE = dict(zip("⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚⠅⠇⠍⠝⠕⠏⠟⠗⠎⠞⠥⠧⠺⠭⠽⠵", "abcdefghijklmnopqrstuvwxyz", strict=True))


def _braille(block: str) -> str:
    return "".join(_BRAILLE.get(c, c if c.isspace() else "") for c in block)


_NATO_WORDS = (
    "alpha|alfa|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliett?|kilo|lima|mike|"
    "november|oscar|papa|quebec|romeo|sierra|tango|uniform|victor|whiske?y|x-?ray|yankee|zulu"
)


def _phonetic(block: str) -> str:
    """NATO spelling alphabet: each code word is its first letter; words end at / | or a line."""
    words = re.split(r"\s*[/|]\s*|\s{2,}|\n", block.strip())
    return " ".join("".join(w[0] for w in re.findall(r"[A-Za-z-]+", word)) for word in words)


def _punycode(block: str) -> str:
    """An internationalised domain label (xn--...) read back, accents dropped, dashes as spaces."""
    body = block[4:].rstrip(".")
    try:
        decoded = body.encode("ascii").decode("punycode")
    except UnicodeError:  # a domain: the label ends at the first dot
        decoded = body.split(".")[0].encode("ascii").decode("punycode")
    return _fold(decoded).replace("-", " ")


def _base32_lower(block: str) -> str:
    return _base32(block.upper())


_A1Z26 = re.compile(
    r"(?<![\d.])(?:(?:[1-9]|1\d|2[0-6])[-\s,|/]{1,5}){10,}(?:[1-9]|1\d|2[0-6])?(?![\d.])"
)
_UUENCODED = re.compile(r"\bbegin [0-7]{3} \S+\r?\n(?:[ -`]{1,62}\r?\n)+end")
# ROT47 turns letters into punctuation: a stretch dense in symbols, spaces left in place.
_ROT47 = re.compile(r"(?:[A-Za-z]*[!-@\[-`{-~][!-~]*[ ]){5,}[A-Za-z]*[!-@\[-`{-~][!-~]*")
_BARE_ASCII85 = re.compile(r"(?<![!-u])[!-uz]{30,}(?![!-u])")
_BASE32_LOWER = re.compile(r"(?<![A-Za-z0-9])[a-z2-7]{24,}={0,6}(?![A-Za-z0-9])")

_DECODERS = [
    ("percent_encoded", _PERCENT, _percent, 3),
    ("base32_block", _BASE32, _base32, 3),
    ("binary_octets", _BINARY, _binary, 3),
    ("character_codes", _CHAR_CODES, _char_codes, 3),
    ("morse_code", _MORSE, _morse, 3),
    ("escape_sequences", _UNICODE_ESCAPES, _escapes, 3),
    ("html_entities", _HTML_ENTITIES, _entities, 3),
    ("octal_codes", _OCTAL, _octal, 3),
    ("ascii85_block", _ASCII85, _ascii85, 3),
    # A URL may escape a few accents or spaces of a title; a sentence's worth is a payload.
    ("escaped_characters", _ESCAPED_RUN, _unescape, 5),
    ("alphabet_positions", _A1Z26, _a1z26, 3),
    ("uuencoded_block", _UUENCODED, _uuencoded, 3),
    ("rot47_text", _ROT47, _rot47, 3),
    ("ascii85_block", _BARE_ASCII85, _bare_ascii85, 3),
    ("base32_block", _BASE32_LOWER, _base32_lower, 3),
    ("base85_block", re.compile(r"(?<!\S)[!-~]{20,}(?!\S)"), _base85, 3),
    ("braille", re.compile(r"[\u2801-\u28ff][\u2800-\u28ff\s,.!?']{11,}"), _braille, 3),
    (
        "phonetic_alphabet",
        re.compile(rf"(?i)\b(?:(?:{_NATO_WORDS})\b[\s,/|]{{0,5}}){{12,}}"),
        _phonetic,
        3,
    ),
    ("punycode", re.compile(r"\bxn--[A-Za-z0-9.-]{12,}"), _punycode, 3),
]


_LOWER = "abcdefghijklmnopqrstuvwxyz"


def _caesar_table(k: int) -> dict[int, int]:
    return str.maketrans(_LOWER, _LOWER[k:] + _LOWER[:k])


# Every shift back of a Caesar cipher (ROT13 included), and Atbash (the alphabet mirrored).
_ALPHABET_SHIFTS: list[tuple[str, dict[int, int] | None]] = [
    (f"a shift of {26 - k} letters" + (" (ROT13)" if k == 13 else ""), _caesar_table(k))
    for k in range(1, 26)
]
_ALPHABET_SHIFTS += [
    ("Atbash (a mirrored alphabet)", str.maketrans(_LOWER, _LOWER[::-1])),
    ("words spelled backwards", None),
]


def _cipher_words(text: str) -> list[re.Match[str]]:
    """ASCII words of 3+ letters; short all-capital words (acronyms, call signs such as WJZ)
    are left out unless most of the text is in capitals."""
    ws = [m for m in _LETTER_WORD.finditer(text) if m.group().isascii()]
    caps = sum(m.group().isupper() for m in ws)
    if caps * 2 < len(ws):
        ws = [m for m in ws if not (m.group().isupper() and len(m.group()) <= 5)]
    return ws


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    """Short common words of other languages (``guards/data/encoded_function_words.json``),
    less the English stop words."""
    data = json.loads(_FUNCTION_WORDS_FILE.read_text())
    return {
        lang: frozenset(w for w in words.split() if w not in STOP_WORDS)
        for lang, words in data.items()
        if not lang.startswith("_")
    }


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word.lower()).encode("ascii", "ignore").decode()


def _in_a_language(text: str, ws: list[re.Match[str]], at: int, width: int) -> bool:
    """Whether the words around a window are a real language other than English (several words
    with its accented letters, or several of its common short words) or a list of names (Welsh
    or Polish place names are spelled unlike English too)."""
    lo = ws[max(0, at - 2 * width)].start()
    hi = ws[min(len(ws) - 1, at + 3 * width - 1)].end()
    words = re.findall(r"[^\W\d_]+", text[lo:hi])
    # Words of a language are lower-case or capitalised; "sVbXkm" is an encoding's noise.
    window = [m.group() for m in ws[at : at + width]]
    if sum(not (w.islower() or w.istitle() or w.isupper()) for w in window) * 4 > len(window):
        return False
    if sum(w.istitle() for w in window) * 2 >= len(window):
        return True
    words = [w for w in words if w.islower() or w.istitle()]
    accented = sum(not w.isascii() for w in words)
    if accented >= 2 and accented >= 0.15 * len(words):
        return True
    folded = [_fold(w) for w in words]
    for vocab in _function_words().values():
        hits = [w for w in folded if w in vocab]
        if len(hits) >= 3 and len(set(hits)) >= 2:
            return True
    return False


def _in_a_link(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is part of a URL or a path (the non-space run around it)."""
    start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    token = text[start:end]
    return "://" in token or token.startswith(("www.", "/", "(http", "<http", '"http'))


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
    # Shifted alphabets: a window spelled worse than this that, shifted back, scores better by
    # the gain and holds this many English stop words.
    shift_window: int = 6
    shift_max_spelling: float = -5.6
    shift_gain: float = 0.6
    shift_min_stop_words: int = 2
    # Reversed text: a window spelled unlike English (English windows score about -5.2, reversed
    # English about -6.0) that scores this much better read backwards.
    reversed_max_spelling: float = -5.6
    reversed_gain: float = 0.5
    # Escaped text inside a link (a URL's path or query) needs this many words.
    link_min_words: int = Field(8, ge=3)
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
        ws = _cipher_words(text)
        if len(ws) < cfg.cipher_min_words:
            return []
        scores = [_spelling(m.group()) for m in ws]
        width = min(cfg.cipher_window, len(ws))
        sums = [0.0]
        for score in scores:
            sums.append(sums[-1] + score)
        means = [(sums[i + width] - sums[i]) / width for i in range(len(ws) - width + 1)]
        shift_width = min(cfg.shift_window, len(ws))
        shifted = self._shifted(
            ws,
            [
                (sums[i + shift_width] - sums[i]) / shift_width
                for i in range(len(ws) - shift_width + 1)
            ],
            shift_width,
        )
        if shifted:
            return shifted
        # Worst window first; a window written in a real language is not a cipher, however
        # un-English its letter pairs.
        for worst, at in sorted(
            (m, i) for i, m in enumerate(means) if m <= cfg.cipher_max_spelling
        ):
            if _in_a_language(text, ws, at, width):
                continue
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
        return []

    def _shifted(self, ws: list[re.Match[str]], means: list[float], width: int) -> list[Finding]:
        """A window spelled unlike English that reads as English once every letter is shifted
        back (Caesar, ROT13) or mirrored (Atbash): decoded, so certain, whatever the language
        around it."""
        cfg = self.config
        # Ciphertext holds no English stop words; an un-English window that does is a name list.
        plain = [m.group().lower() in STOP_WORDS for m in ws]
        starts = [
            i
            for i, m in enumerate(means)
            if m < cfg.shift_max_spelling and sum(plain[i : i + width]) <= 1
        ]
        if not starts:
            return []
        covered = sorted({j for i in starts for j in range(i, i + width)})
        lowered = {j: ws[j].group().lower() for j in covered}
        for name, table in _ALPHABET_SHIFTS:
            decoded = {j: w.translate(table) if table else w[::-1] for j, w in lowered.items()}
            for i in starts:
                window = [decoded[j] for j in range(i, i + width)]
                # English stop words first: cheap, and no shift of a foreign text yields them.
                if sum(w in STOP_WORDS for w in window) < cfg.shift_min_stop_words:
                    continue
                mean = sum(_spelling(w) for w in window) / width
                if mean > cfg.shift_max_spelling and mean - means[i] >= cfg.shift_gain:
                    sample = " ".join(window[:6])
                    return [
                        Finding(
                            self.name,
                            "cipher_text" if table else "reversed_text",
                            ws[i].start(),
                            ws[i + width - 1].end(),
                            1.0,
                            f"{width} words in a row read as English once decoded as {name} "
                            f'("{sample} ..."): '
                            + (
                                "a letter-substitution cipher"
                                if table
                                else "text written backwards"
                            ),
                        )
                    ]
        return []

    def _decoded(self, text: str) -> list[Finding]:
        out = []
        for kind, pattern, decode, min_words in _DECODERS:
            for m in pattern.finditer(text):
                try:
                    decoded = decode(m.group())
                except (ValueError, UnicodeDecodeError, OverflowError, binascii.Error):
                    continue
                # The written form must not itself read as text, except spelling-alphabet words.
                plain = kind != "phonetic_alphabet" and _readable(m.group(), min_words)
                if kind == "escaped_characters" and _in_a_link(text, m.start(), m.end()):
                    # A link escapes the spaces of a document's title ("Annual%20Report%20of
                    # %20the%20Board"): only a long sentence there is a payload.
                    min_words = max(min_words, self.config.link_min_words)
                    decoded = re.split(r"[/?=&#]", decoded)[-1]  # the title or the value
                if _readable(decoded, min_words) and not plain:
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
        fwd = [_spelling(m.group()) for m in ws]
        bwd = [_spelling(m.group()[::-1]) for m in ws]
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
            token = m.group().strip(".,;:!?()\"'")
            # A URL or compound spelled in digits counts as one word of the run.
            pieces = (
                [p for p in re.split(r"[-./:]+", token) if p] if _LEET_CHAR.search(token) else []
            )
            if (
                pieces
                and all(_LEET_WORD.fullmatch(p) or p.isalpha() for p in pieces)
                and any(_LEET_WORD.fullmatch(p) for p in pieces)
            ):
                run.append(m)
                if len(run) > len(best):
                    best = list(run)
            elif not (token.isalpha() or _LEET_DIGITS.fullmatch(token)) or len(run) == 0:
                # Plain words and short digit groups ("15" for "is") neither count nor break it.
                run = []
        if len(best) < self.config.leet_min_words:
            return []
        decoded = " ".join(m.group() for m in best).translate(_LEET)
        # A sentence in leetspeak has its little words too ("4 l1nk 70", "y0u 4r3"); package
        # names and e-mail addresses ("libnss3-dev", "admin@example.com") do not.
        little = sum(w in STOP_WORDS for w in re.findall(r"[a-z]+", decoded.lower()))
        if little < 2 or not _readable(decoded):
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
