r"""Hidden text: characters a reader does not see but the tokenizer does.

Zero-width and invisible formatting characters, bidirectional controls (which reorder what a human
reviewer reads), Unicode tag characters (an invisible copy of ASCII, used to smuggle instructions),
private-use characters, and words that mix scripts (Latin letters with Cyrillic or Greek
look-alikes, which dodge keyword filters and plant distinct tokens). Also: words written in
look-alike letter *styles* (mathematical bold or sans-serif letters, full-width forms) or whole
words of Cyrillic/Greek look-alikes, letters each overlaid with a combining mark (underlines,
strike-throughs) or all carrying diacritics, runs of variation selectors (bytes smuggled after an
emoji), control characters (backspaces that erase). And markup that hides its text from a reader
of the rendered document, by channel: HTML/SVG/Office XML elements styled or marked invisible
(inline, by a style sheet's class rule, or by presentation attributes: display, visibility,
opacity, tiny or zero size, text coloured like its background, off-screen, scaled to nothing,
hidden runs of a Word document), templates, hidden form fields, text a style sheet writes in,
invisible images' alt text, HTML and Markdown comments, RTF hidden/white/tiny text, LaTeX
\iffalse, comment blocks, white or phantom text, concealed terminal text. Channels that also carry
honest text (alt text, tooltips, meta descriptions, screen-reader labels, LaTeX % comments) are
reported only when their words speak to a model.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from typing import NamedTuple

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
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return "variation_selector"
    if cp in _ZERO_WIDTH or cp in _INVISIBLE_OTHER:
        return "invisible_character"
    if (cp < 32 and ch not in "\t\n\r\x0b\x0c\x1b") or cp == 0x7F:
        # Backspaces, NULs and other controls: a terminal or editor draws nothing (or erases).
        return "control_character"
    if 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000:
        return "private_use_character"
    if unicodedata.category(ch) == "Cf":
        return "invisible_character"
    return None


def _pictograph(ch: str) -> bool:
    return ord(ch) >= 0x1F000 or (ord(ch) >= 0x2190 and unicodedata.category(ch) == "So")


def _script_letter(ch: str) -> bool:
    """A letter or mark (an Indic virama) of a script other than Latin, where joiners are
    spelling."""
    return (ch.isalpha() or unicodedata.category(ch).startswith("M")) and not _is_latin(ch)


def _ordinary_invisible(text: str, start: int, end: int) -> bool:
    """A short run of invisible characters that does honest work: a joiner inside an emoji
    sequence or between letters of a script that needs it (Persian, Hindi), a zero-width space
    that marks a line-break point after a dash or slash (common in copied web text)."""
    if end - start > 2 or start == 0 or end >= len(text):
        return False
    run, before, after = set(text[start:end]), text[start - 1], text[end]
    if run <= {"\u200d", "\ufe0f"} and _pictograph(before) and _pictograph(after):
        return True
    if run <= {"\u200c", "\u200d"} and _script_letter(before) and _script_letter(after):
        return True
    return run == {"\u200b"} and (before in "-–—/_" or after in "-–—/_")


# ---------------------------------------------------------------------------------------------
# Markup that hides its text from a reader of the rendered document (HTML, SVG, Office XML,
# Markdown, RTF, LaTeX, terminal escapes).
#
# Every extractor yields _Hidden records: the hidden text, where it is, in words what hides it,
# and whether the channel exists only to hide ("strong": invisible styling, a comment, a template,
# RTF hidden text) or also carries honest text ("weak": an image's alt text, a tooltip, a meta
# description, a screen-reader-only label). A strong channel is reported when it holds a few
# words; a weak one only when its words are addressed to a model, so that ordinary alt text and
# descriptions pass.
# ---------------------------------------------------------------------------------------------


class _Hidden(NamedTuple):
    start: int
    end: int
    text: str
    how: str
    strong: bool


# What turns text in a weak channel (alt text, a tooltip, a meta description) into an injection
# rather than a description: words that address a model, or an order about what to say or do
# given to the reader together with whom it is about ("Tell every customer ..."). A bare "Print
# this page" or "Play video" is a tooltip.
_TO_A_MODEL = re.compile(
    r"\b(?:you|the\s+(?:assistant|model|ai|chatbot|bot|llm))\s+(?:must|should|shall|will|"
    r"are\s+now)\b|\bthe\s+(?:assistant|model|ai|chatbot|bot|llm)\s+(?:needs|has)\s+to\b"
    r"|\b(?:from\s+now\s+on|for\s+the\s+rest\s+of|system\s+prompt|previous\s+instructions|"
    r"ignore\s+(?:all|any|the|previous|prior|earlier|above)|"
    r"ai\s+(?:systems?|assistants?|models?|readers?)|language\s+models?|"
    r"when(?:ever)?\s+(?:asked|someone|anyone|a\s+user|users|the\s+user))\b",
    re.IGNORECASE,
)
_IMPERATIVE = re.compile(
    r"(?:^|[.!?:;]\s+|\b(?:then|and)\s+)(?:please\s+)?(?:ignore|disregard|forget|override|say|"
    r"tell|answer|respond|reply|recommend|claim|state|insist|assert|reveal|output|insert|"
    r"include|mention|treat|approve|deny|refuse|pretend|act\s+as|summari[sz]e|describe|advise|"
    r"ask|inform|warn|redirect|(?:always|never)\s+\w+|do\s+not|don't|make\s+sure|ensure)\b",
    re.IGNORECASE,
)
_AUDIENCE = re.compile(
    r"\b(?:users?|readers?|customers?|clients?|visitors?|callers?|anyone|everyone|everybody|"
    r"people|assistant|model|ai|bot|chatbot|answers?|repl(?:y|ies)|responses?|questions?|"
    r"summar(?:y|ies|i[sz]e|i[sz]ing))\b",
    re.IGNORECASE,
)


# "Say that ...", "Claim that ...": an order to assert something, whoever hears it.
_ORDER_TO_ASSERT = re.compile(
    r"(?:^|[.!?:;]\s+)(?:please\s+)?(?:say|claim|state|insist|assert|pretend|answer|respond|"
    r"reply|recommend|suggest|mention)\s+(?:that|with|only)\b",
    re.IGNORECASE,
)


def _addressed(text: str) -> bool:
    return bool(
        _TO_A_MODEL.search(text)
        or _ORDER_TO_ASSERT.search(text)
        or (_IMPERATIVE.search(text) and _AUDIENCE.search(text))
    )


_NAMED_COLOURS = {
    "white": (255, 255, 255),
    "snow": (255, 250, 250),
    "ivory": (255, 255, 240),
    "ghostwhite": (248, 248, 255),
    "whitesmoke": (245, 245, 245),
    "floralwhite": (255, 250, 240),
    "black": (0, 0, 0),
    "silver": (192, 192, 192),
    "gray": (128, 128, 128),
    "grey": (128, 128, 128),
    "red": (255, 0, 0),
    "green": (0, 128, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "navy": (0, 0, 128),
}
_WHITE = (255, 255, 255)
_TRANSPARENT = (-1, -1, -1)


def _colour(value: str) -> tuple[int, int, int] | None:
    """An RGB triple for a CSS/SVG/Office colour; _TRANSPARENT for one with zero alpha."""
    v = value.strip().lower().replace("!important", "").strip()
    if v == "transparent":
        return _TRANSPARENT
    if v in _NAMED_COLOURS:
        return _NAMED_COLOURS[v]
    m = re.fullmatch(r"#?([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})", v)
    if m and (v.startswith("#") or len(m.group(1)) == 6):
        h = m.group(1)
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        if len(h) == 8 and h[6:] == "00":
            return _TRANSPARENT
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    m = re.fullmatch(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)", v)
    if m:
        if m.group(4) is not None and float(m.group(4)) <= 0.05:
            return _TRANSPARENT
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    return None


def _same_colour(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return max(abs(x - y) for x, y in zip(a, b, strict=True)) <= 24


def _px(value: str) -> float | None:
    """A CSS length in pixels (16px to the em), or None for one that is not a plain length."""
    m = re.match(
        r"\s*(-?\d*\.?\d+)\s*(px|pt|em|rem|%|ex|ch|vw|vh|mm|cm|in)?\s*(?:!important)?$", value
    )
    if not m:
        return None
    scale = {"pt": 4 / 3, "em": 16, "rem": 16, "%": 0.16, "ex": 8, "ch": 8, "vw": 10, "vh": 10,
             "mm": 3.8, "cm": 38, "in": 96}  # fmt: skip
    return float(m.group(1)) * scale.get(m.group(2) or "px", 1.0)


def _declarations(style: str) -> dict[str, str]:
    out = {}
    for part in style.split(";"):
        if ":" in part:
            key, value = part.split(":", 1)
            out[key.strip().lower()] = value.strip().lower().replace("!important", "").strip()
    return out


def _hiding(decls: dict[str, str], background: tuple[int, int, int]) -> tuple[str, bool] | None:
    """What in these style declarations hides an element's text, and whether that is a strong
    channel; None when the element is visible."""
    d = decls.get
    if d("display") == "none" or d("mso-hide") == "all":
        return "display:none", True
    if d("visibility") in ("hidden", "collapse"):
        return "visibility:hidden", True
    for key in ("opacity", "fill-opacity"):
        m = re.fullmatch(r"(\d*\.?\d+)\s*(%?)", d(key) or "")
        if m and float(m.group(1)) / (100 if m.group(2) else 1) <= 0.05:
            return "zero opacity", True
    size = _px(d("font-size") or "")
    if size is not None and size <= 3:
        return "a zero or tiny font size", True
    for key in ("color", "fill", "-webkit-text-fill-color"):
        colour = _colour(d(key) or "")
        if colour == _TRANSPARENT or (colour and _same_colour(colour, background)):
            return "text coloured like its background", True
    for key in ("left", "top", "right", "bottom", "text-indent", "margin-left", "margin-top"):
        offset = _px(d(key) or "")
        if offset is not None and offset <= -500:
            return "an element moved off-screen", True
    if re.search(r"scale[xy]?\(\s*0*\.?0+\s*[,)]", d("transform") or ""):
        return "an element scaled to nothing", True
    sizes = [_px(d(k) or "") for k in ("height", "max-height", "width", "max-width")]
    if any(s is not None and s <= 0 for s in sizes):
        return "a zero-size element", True
    # The "visually hidden" pattern also serves screen-reader labels: a weak channel.
    if any(s is not None and s <= 1 for s in sizes) and d("overflow") == "hidden":
        return "a one-pixel box", False
    if re.search(r"rect\(\s*[01](?:px)?[\s,]", d("clip") or "") or re.search(
        r"inset\(\s*50%|circle\(\s*0", d("clip-path") or ""
    ):
        return "a clipped element", False
    return None


def _background(decls: dict[str, str], inherited: tuple[int, int, int]) -> tuple[int, int, int]:
    for key in ("background-color", "background", "bgcolor"):
        value = decls.get(key, "")
        colour = _colour(value) or _colour(value.split(" ")[0] if value else "")
        if colour and colour != _TRANSPARENT:
            return colour
    return inherited


# SVG and old HTML carry styling as attributes too.
_PRESENTATION = ("color", "fill", "opacity", "fill-opacity", "font-size", "visibility", "display")
_VOID = {"img", "input", "meta", "br", "hr", "link", "source", "area", "base", "col", "embed",
         "param", "track", "wbr", "image"}  # fmt: skip
_WEAK_ATTRS = ("alt", "title", "aria-label", "aria-description", "content", "summary")
_PIXEL = re.compile(
    r"(?:pixel|spacer|blank|transparent|1x1|clear|beacon|tracker|dot)\.(?:gif|png|jpe?g|webp|svg)",
    re.IGNORECASE,
)
# Office Open XML run properties that hide a run: vanish (hidden text), white colour, tiny size.
_COMMENT_HOWS = ("an HTML comment", "a Markdown comment")
# The vocabulary of notes about a page's code and layout, which comments ordinarily hold.
_DEVELOPER_NOTE = re.compile(
    r"\b(?:js|javascript|css|html|scripts?|stylesheets?|styles?|themes?|sidebar|toc|"
    r"nav(?:igation|bar)?|header|footer|menu|layout|div|span|class|template|widgets?|plugins?|"
    r"analytics|tracking|tag\s+manager|cookies?|banner|todo|fixme|hack|workaround|license[ds]?|"
    r"copyright|generated|begin|end|start|wrapper|container|columns?|rows?|grid|loaded|loading|"
    r"load|render(?:ed|ing)?|polyfills?|jquery|bootstrap|fonts?|icons?|meta|seo|schema|cdn|"
    r"build|localstorage|variables?|function|markup|google|badges?)\b",
    re.IGNORECASE,
)
_BOX_HOWS = ("a one-pixel box", "a clipped element")
_WORD_HIDING = {"w:vanish", "w:specvanish", "w:webhidden"}


def _tiny(a: dict[str, str], most: float = 2) -> bool:
    """Width or height attributes of at most ``most`` pixels."""
    sizes = [_px(a.get(k, "")) for k in ("width", "height")]
    return any(s is not None and s <= most for s in sizes)


class _Element(NamedTuple):
    tag: str
    start: int
    background: tuple[int, int, int]
    hides: tuple[str, bool] | None
    # Hidings of an ancestor this element undoes for its own content: a readable font size
    # under "font-size:0" (the inline-block whitespace idiom), visibility:visible, a colour.
    resets: frozenset[str] = frozenset()


# Which hidings a descendant can undo by declaring the property again.
_RESETTABLE = {
    "a zero or tiny font size": "font-size",
    "visibility:hidden": "visibility",
    "text coloured like its background": "color",
}


def _resets(decls: dict[str, str], background: tuple[int, int, int]) -> frozenset[str]:
    out = set()
    size = _px(decls.get("font-size", ""))
    if size is not None and size > 3:
        out.add("font-size")
    if decls.get("visibility") == "visible":
        out.add("visibility")
    colour = _colour(decls.get("color", ""))
    if colour and colour != _TRANSPARENT and not _same_colour(colour, background):
        out.add("color")
    return frozenset(out)


class _MarkupScanner(HTMLParser):
    """Walks HTML/XML once, collecting the text of elements a rendered page does not show."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[_Hidden] = []
        self._stack: list[_Element] = []
        self._buffers: dict[int, list[str]] = {}
        self._rules: dict[str, tuple[str, bool]] = {}
        self._page_background = _WHITE
        self._in_code = 0
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _hider(self) -> int | None:
        """The stack index whose hidden text the current data belongs to: the outermost strong
        hider, else the outermost weak one."""
        undone: set[str] = set()
        live, strong = [], []
        for i in range(len(self._stack) - 1, -1, -1):
            hides = self._stack[i].hides
            if hides and _RESETTABLE.get(hides[0]) not in undone:
                live.append(i)
                if hides[1]:
                    strong.append(i)
            undone |= self._stack[i].resets
        return min(strong or live) if live else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self._in_code += 1
        if tag in _WORD_HIDING or (tag == "w:color" and _colour(a.get("w:val", "")) == _WHITE):
            self._hide_run("hidden text in an Office document (vanish, or white)")
        elif tag == "w:sz" and a.get("w:val", "").isdigit() and int(a["w:val"]) <= 4:
            self._hide_run("a tiny font size in an Office document")
        bg = self._stack[-1].background if self._stack else self._page_background
        decls = {k: a[k].lower() for k in _PRESENTATION if k in a}
        if tag in ("text", "tspan"):  # SVG text placed off the canvas
            decls.update({side: a[k] for k, side in (("x", "left"), ("y", "top")) if k in a})
        if a.get("text:display") == "none":  # OpenDocument
            decls["display"] = "none"
        decls.update(_declarations(a.get("style", "")))
        for key in [tag, *("." + c for c in a.get("class", "").split()), "#" + a.get("id", "")]:
            if key in self._rules and "display" not in decls:
                decls["_rule"] = key
        bg = _background({**decls, "bgcolor": a.get("bgcolor", "")}, bg)
        hides = self._rules.get(decls.pop("_rule", "")) or _hiding(decls, bg)
        if hides is None:
            hides = self._tag_hides(tag, a)
        if tag == "body":
            self._page_background = bg
        start = self._offset()
        self._attributes(tag, a, hides, start)
        if tag in _VOID:
            return
        self._stack.append(_Element(tag, start, bg, hides, _resets(decls, bg)))

    def _tag_hides(self, tag: str, a: dict[str, str]) -> tuple[str, bool] | None:
        if "hidden" in a and tag != "input":
            return "the hidden attribute", True
        if tag == "template":
            return "a <template> element (never rendered)", True
        if tag in ("svg", "iframe", "object", "div", "span") and _tiny(a, 0):
            return "a zero-size element", True
        if tag in ("text:hidden-text", "text:hidden-paragraph"):
            return "hidden text in an OpenDocument file", True
        if tag == "noscript":
            return "a <noscript> element", False
        if tag in ("canvas", "iframe", "object", "audio", "video"):
            return f"fallback text of <{tag}> (shown only where it cannot play)", False
        if tag in ("desc", "metadata"):
            return "SVG metadata (not rendered)", False
        if tag == "dialog" and "open" not in a:
            return "a closed <dialog>", False
        if a.get("aria-hidden") == "true":
            return "aria-hidden", False
        nested = sum(el.tag in ("sub", "sup", "small") for el in self._stack)
        if tag in ("sub", "sup", "small") and nested >= 2:
            return "nested subscripts that shrink text to nothing", True
        return None

    def _attributes(
        self, tag: str, a: dict[str, str], hides: tuple[str, bool] | None, start: int
    ) -> None:
        """Text carried in attributes: strong for a hidden form field or an invisible image,
        weak for alt text, tooltips and meta descriptions."""
        end = start + 1
        if tag == "input" and a.get("type", "").lower() == "hidden" and a.get("value"):
            self.found.append(_Hidden(start, end, a["value"], "a hidden form field", True))
            return
        if tag == "text:hidden-text" and a.get("text:string-value"):
            how = "hidden text in an OpenDocument file"
            self.found.append(_Hidden(start, end, a["text:string-value"], how, True))
        tiny = tag in ("img", "image") and (
            _tiny(a) or bool(_PIXEL.search(a.get("src", ""))) or hides is not None
        )
        for key, value in a.items():
            if key in _WEAK_ATTRS or key.startswith("data-"):
                how = "an invisible image's text" if tiny else f"a {key} attribute"
                self.found.append(_Hidden(start, end, value, how, tiny))

    def _hide_run(self, how: str) -> None:
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i].tag == "w:r":
                self._stack[i] = self._stack[i]._replace(hides=(how, True))
                return

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self._stack and self._stack[-1].tag == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in_code = max(0, self._in_code - 1)
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i].tag == tag:
                self._close_from(i, self._offset() + len(tag) + 3)
                return

    def _close_from(self, i: int, end: int) -> None:
        for j in range(len(self._stack) - 1, i - 1, -1):
            el = self._stack.pop()
            words = self._buffers.pop(j, None)
            if words and el.hides:
                self.found.append(_Hidden(el.start, end, " ".join(words), *el.hides))

    def handle_data(self, data: str) -> None:
        if self._in_code:
            if self._stack and self._stack[-1].tag == "style":
                self._style_sheet(data)
            return
        i = self._hider()
        if i is not None and data.strip():
            self._buffers.setdefault(i, []).append(data.strip())

    def handle_comment(self, data: str) -> None:
        if not data.lstrip().startswith("[if"):  # conditional comments are markup
            start = self._offset()
            self.found.append(_Hidden(start, start + len(data) + 7, data, "an HTML comment", True))

    def _style_sheet(self, css: str) -> None:
        """Rules that hide a class, id or tag; text a style sheet writes into the page itself."""
        start = self._offset()
        for m in re.finditer(r"\bcontent\s*:\s*([\"'])(.*?)\1", css, re.DOTALL):
            how = "text written by a style sheet (CSS content)"
            self.found.append(_Hidden(start + m.start(), start + m.end(), m.group(2), how, True))
        for m in re.finditer(r"([^{}]+)\{([^{}]*)\}", css):
            decls = _declarations(m.group(2))
            for selector in m.group(1).split(","):
                last = re.split(r"[\s>+~]+", selector.strip())[-1]
                key = re.sub(r"::?[\w-]+(?:\([^)]*\))?", "", last)
                key = re.sub(r"^[\w-]+(?=[.#])", "", key)
                if key in ("body", "html"):
                    self._page_background = _background(decls, self._page_background)
                hides = _hiding(decls, self._page_background)
                if hides and key:
                    self._rules[key] = hides

    def close(self) -> None:
        super().close()
        if self._stack:
            self._close_from(0, len(self._line_starts) and self._offset())


_TAGGED = re.compile(r"<(?:[A-Za-z][\w:-]*[\s/>]|!--)")


def _html_hidden(text: str) -> list[_Hidden]:
    if not _TAGGED.search(text):
        return []
    scanner = _MarkupScanner(text)
    try:
        scanner.feed(text)
        scanner.close()
    except (AssertionError, ValueError, IndexError):
        pass  # malformed markup: keep what was found before it
    return scanner.found


# Markdown: link reference definitions are never displayed, so "[//]: # (...)" and
# "[comment]: <> (...)" are comments; link and image titles are tooltips, image alt text shows
# only when the image fails.
_MD_DEFINITION = re.compile(
    r"^[ \t]{0,3}\[([^\]\n]+)\]:[ \t]*(<[^>\n]*>|\S*)[ \t]*"
    r"(?:\(([^\n]*)\)|\"([^\"\n]*)\"|'([^'\n]*)')[ \t]*$",
    re.MULTILINE,
)
# A definition that points nowhere is the idiom for a comment, wherever it stands.
_MD_NOWHERE = ("", "#", "<>", "<#>", "//", "/")
_MD_COMMENT = re.compile(
    r"\[[^\]\n]+\]:[ \t]*(?:#|<>|<#>|//)[ \t]*(?:\(([^\n]*)\)|\"([^\"\n]*)\"|'([^'\n]*)')"
)
_MD_LINK = re.compile(
    r"(!?)\[([^\]\n]*)\]\(\s*(<[^>\n]*>|[^\s)]*)(?:\s+(?:\"([^\"\n]*)\"|'([^'\n]*)'))?\s*\)"
)


def _markdown_hidden(text: str) -> list[_Hidden]:
    out = []
    if "]:" in text:
        for m in _MD_DEFINITION.finditer(text):
            if m.group(2) not in _MD_NOWHERE:  # a real link's definition: its title is weak
                body = m.group(3) or m.group(4) or m.group(5) or ""
                out.append(
                    _Hidden(m.start(), m.end(), body, "a Markdown link definition's title", False)
                )
        for m in _MD_COMMENT.finditer(text):
            body = m.group(1) or m.group(2) or m.group(3) or ""
            out.append(_Hidden(m.start(), m.end(), body, "a Markdown comment", True))
    if "](" in text:
        for m in _MD_LINK.finditer(text):
            title = m.group(4) or m.group(5) or ""
            if m.group(1):
                pixel = bool(_PIXEL.search(m.group(3)))
                how = "an invisible image's text" if pixel else "a Markdown image's alt text"
                out.append(_Hidden(m.start(), m.end(), f"{m.group(2)} {title}", how, pixel))
            elif title:
                bare = len(re.findall(r"\w", m.group(2))) <= 1
                how = "the title of a link with no visible text" if bare else "a link title"
                out.append(_Hidden(m.start(), m.end(), title, how, bare))
    return out


_RTF_TOKEN = re.compile(r"\\([a-z]+)(-?\d+)? ?|\\'([0-9a-f]{2})|\\(.)|([{}])|([^\\{}]+)", re.I)
_RTF_SKIP = {"fonttbl", "colortbl", "stylesheet", "info", "pict", "generator", "listtable"}


def _rtf_hidden(text: str) -> list[_Hidden]:
    """Text in RTF groups marked hidden (\v), set in a 0-2 point font, or coloured white."""
    if "\\rtf" not in text and "{\\v" not in text:
        return []
    whites = _rtf_white_colours(text)
    out: list[_Hidden] = []
    # Per open group: how its text is hidden ("" when visible), and whether it is a destination
    # that holds no text (font table, colour table, "{\*...}").
    stack: list[tuple[str, bool]] = [("", False)]
    run: list[str] = []
    run_start, run_how = 0, ""
    for m in _RTF_TOKEN.finditer(text):
        word, num, _hexa, sym, brace, chars = m.groups()
        how, skip = stack[-1]
        if brace == "{":
            stack.append((how, skip))
        elif brace == "}" and len(stack) > 1:
            stack.pop()
        elif sym == "*" or word in _RTF_SKIP:
            stack[-1] = (how, True)
        elif word:
            stack[-1] = (_rtf_how(word, int(num) if num else None, how, whites), skip)
        elif chars and how and not skip:
            if not run:
                run_start, run_how = m.start(), how
            run.append(chars)
        elif chars and chars.strip() and not skip and run:
            out.append(_Hidden(run_start, m.start(), "".join(run), run_how, True))
            run = []
    if run:
        out.append(_Hidden(run_start, len(text), "".join(run), run_how, True))
    return out


def _rtf_how(word: str, n: int | None, how: str, whites: set[int]) -> str:
    if word == "v":
        return "" if n == 0 else "RTF hidden text (\\v)"
    if word == "fs" and n is not None:
        return "an RTF font of 2 points or less" if n <= 4 else ""
    if word == "cf" and n is not None:
        return "white RTF text" if n in whites else ""
    if word in ("plain", "pard"):
        return ""
    return how


def _rtf_white_colours(text: str) -> set[int]:
    m = re.search(r"\\colortbl\s*([^}]*)\}", text)
    if not m:
        return set()
    whites = set()
    for i, entry in enumerate(m.group(1).split(";")):
        rgb = [int(x) for x in re.findall(r"\\(?:red|green|blue)(\d+)", entry)]
        if len(rgb) == 3 and min(rgb) >= 240:
            whites.add(i)
    return whites


_LATEX_WHITE = (
    r"(?:white|\[rgb\]\{\s*1\s*,\s*1\s*,\s*1\s*\}|\[HTML\]\{[Ff]{6}\}|\[gray\]\{\s*1\s*\})"
)
_LATEX_HIDDEN = [
    (re.compile(r"\\iffalse\b(.*?)\\fi\b", re.DOTALL), "a LaTeX \\iffalse block (never typeset)"),
    (re.compile(r"\\begin\{comment\}(.*?)\\end\{comment\}", re.DOTALL), "a LaTeX comment block"),
    (re.compile(r"\\[hv]?phantom\{([^{}]*)\}"), "LaTeX \\phantom text (space, no ink)"),
    (
        re.compile(rf"\\textcolor(?:\{{white\}}|{_LATEX_WHITE})\{{([^{{}}]*)\}}"),
        "white LaTeX text",
    ),
    (re.compile(rf"\\color(?:\{{white\}}|{_LATEX_WHITE})\s*\{{?([^{{}}]*)\}}"), "white LaTeX text"),
    (
        re.compile(
            r"\\(?:scalebox\{0*\.?0*\}|resizebox\{0(?:pt|mm|cm|em)?\}\{[^{}]*\})\{([^{}]*)\}"
        ),
        "LaTeX text scaled to nothing",
    ),
]
_LATEX_DOC = re.compile(r"\\(?:documentclass|begin|section|usepackage|textbf|emph|cite|item)\b")
_LATEX_COMMENT = re.compile(r"(?<!\\)%([^\n]*)")


def _latex_hidden(text: str) -> list[_Hidden]:
    if "\\" not in text:
        return []
    out = [
        _Hidden(m.start(), m.end(), m.group(1), how, True)
        for pattern, how in _LATEX_HIDDEN
        for m in pattern.finditer(text)
    ]
    if _LATEX_DOC.search(text):
        for m in _LATEX_COMMENT.finditer(text):
            out.append(_Hidden(m.start(), m.end(), m.group(1), "a LaTeX % comment", False))
    return out


_ANSI = re.compile(r"\x1b\[([\d;]*)m")


def _ansi_hidden(text: str) -> list[_Hidden]:
    """Terminal text concealed (SGR 8) or drawn in its background colour."""
    if "\x1b[" not in text:
        return []
    out = []
    marks = list(_ANSI.finditer(text))
    for m, following in zip(marks, [*marks[1:], None], strict=True):
        codes = [int(c) for c in m.group(1).split(";") if c]
        fg = {c - 30 for c in codes if 30 <= c <= 37}
        bg = {c - 40 for c in codes if 40 <= c <= 47}
        if 8 in codes or fg & bg:
            end = following.start() if following else len(text)
            how = "concealed terminal text (an ANSI escape)"
            out.append(_Hidden(m.start(), end, text[m.end() : end], how, True))
    return out


def _hidden_channels(text: str) -> list[_Hidden]:
    return (
        _html_hidden(text)
        + _markdown_hidden(text)
        + _rtf_hidden(text)
        + _latex_hidden(text)
        + _ansi_hidden(text)
    )


def _styled(ch: str) -> bool:
    """A letter in a look-alike style: mathematical alphanumerics, full-width forms, circled,
    parenthesized or squared letters, small capitals."""
    cp = ord(ch)
    if (0x1D400 <= cp <= 0x1D7FF or 0xFF21 <= cp <= 0xFF5A) and ch.isalnum():
        return True
    return 0x249C <= cp <= 0x24E9 or 0x1F130 <= cp <= 0x1F189 or 0x1D00 <= cp <= 0x1D22


def _overlaid(text: str, i: int) -> bool:
    """A combining mark at ``i`` that does not compose with its letter (NFC leaves it apart):
    an underline or strike-through drawn over the letter, not an accent."""
    ch = text[i]
    if not unicodedata.combining(ch) or i == 0:
        return False
    return len(unicodedata.normalize("NFC", text[i - 1] + ch)) > 1


# A letter with the combining marks that follow it; a word of such clusters.
_LETTER_CLUSTER = re.compile(r"[^\W\d_][\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]*")
_MARKED_WORD = re.compile(r"(?:[^\W\d_][\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]*)+")


def _decorated(cluster: str) -> bool:
    """A Latin letter with a diacritic, precomposed or followed by combining marks."""
    return _is_latin(cluster[0]) and len(unicodedata.normalize("NFD", cluster)) > 1


def _count(
    kind: str, where: list[int], disguised: list[re.Match[str]], decorated: list[re.Match[str]]
) -> int:
    return {"homoglyph_words": len(disguised), "decorated_letters": len(decorated)}.get(
        kind, len(where)
    )


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
    # A one-pixel or clipped box with this many words is a paragraph, not a screen-reader label.
    min_hidden_box_words: int = Field(8, ge=1)
    # A comment is a developer's note unless it speaks to a model or is a sentence this long.
    min_comment_words: int = Field(5, ge=1)


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
        # A lone variation selector picks an emoji's or ideograph's form; a run of them spells
        # bytes, one selector each.
        runs["variation_selector"] = [
            (s, e) for s, e in runs.get("variation_selector", []) if e - s > 2
        ]
        runs["invisible_character"] = [
            (s, e)
            for s, e in runs.get("invisible_character", [])
            if not _ordinary_invisible(text, s, e)
        ]
        for kind, spans in runs.items():
            count = sum(e - s for s, e in spans)
            if not spans:
                continue
            # Tags and bidi controls have no business in knowledge text, even once.
            if (
                kind in ("invisible_character", "control_character")
                and count <= self.config.max_invisible
            ):
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
        # Every letter of word after word carrying a mark (dots below, rings): no language
        # marks every letter, so the words read plainly to a person but are rare tokens.
        decorated = (
            []
            if text.isascii()
            else [
                m
                for m in _MARKED_WORD.finditer(text)
                if not m.group().isascii()
                and len(_LETTER_CLUSTER.findall(m.group())) >= 3
                and all(map(_decorated, _LETTER_CLUSTER.findall(m.group())))
            ]
        )
        if len(decorated) >= cfg.min_disguised_words + 2:
            found.append(
                (
                    "decorated_letters",
                    [decorated[0].start(), decorated[-1].end() - 1],
                    "words whose every letter carries a mark (a disguise of plain words)",
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
                f"{_count(kind, where, disguised, decorated)} {why}",
            )
            for kind, where, why in found
        ]

    def _telling_comment(self, text: str, words: int) -> bool:
        """A comment that speaks to a model, or a sentence that is not about the page's code:
        "Custom theme stylesheets" or "Hide the sidebar before it is displayed" are the
        developer's notes."""
        if _addressed(text.strip()):
            return True
        return words >= self.config.min_comment_words and not _DEVELOPER_NOTE.search(text)

    def _hidden_markup(self, text: str) -> list[Finding]:
        out = []
        for hidden in _hidden_channels(text):
            words = len(re.findall(r"[^\W\d_]{2,}", hidden.text))
            if words < self.config.min_hidden_markup_words:
                continue
            if hidden.how in _COMMENT_HOWS and not self._telling_comment(hidden.text, words):
                continue
            if not hidden.strong and not (
                _addressed(hidden.text.strip())
                # A visually-hidden box also holds screen-reader labels ("Skip to content"),
                # never a paragraph.
                or (hidden.how in _BOX_HOWS and words >= self.config.min_hidden_box_words)
            ):
                continue
            why = (
                "a reviewer of the rendered page does not see them"
                if hidden.strong
                else "they speak to a model, not to a reader"
            )
            out.append(
                Finding(
                    self.name,
                    "hidden_markup",
                    hidden.start,
                    max(hidden.end, hidden.start + 1),
                    1.0 if hidden.strong else 0.8,
                    f"{words} words hidden in {hidden.how} ({_excerpt(hidden.text)}): {why}",
                )
            )
        return out


def _excerpt(text: str, n: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= n else flat[: n - 3] + "...")


register_guard(name="hidden_text", config_cls=HiddenTextConfig, guard_cls=HiddenTextGuard)
