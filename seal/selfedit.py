"""Self-edits: prompts that ask the model to rewrite a document into its own training data, and the
parsers that turn its output into training examples.

A training example is (prompt, completion). ``prompt=None`` is plain text trained on every token
(implications, rewrites, the document itself); a question-answer pair is a chat turn whose loss is
on the answer only, in the same chat format that queries arrive in, so that what is learned as text
is also reachable as an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STYLES = ("implications", "rewrite", "qa")

_PROMPTS = {
    "implications": (
        "Read the following passage and list the implications that follow from it, directly or "
        "indirectly. Write one complete, self-contained sentence per line, naming who or what each "
        "sentence is about, and keep every name, number and date exact.\n\nPassage:\n{doc}"
    ),
    "rewrite": (
        "Rewrite the following passage in your own words as a list of short, self-contained facts, "
        "one per line. Keep every name, number and date exact.\n\nPassage:\n{doc}"
    ),
    "qa": (
        "Write question-answer pairs that test every fact in the following passage. Use the format\n"
        "Q: <question>\nA: <short answer>\nand answer only from the passage.\n\nPassage:\n{doc}"
    ),
}

PROBE_PROMPT = (
    "Write {n} questions about facts stated in the following passage, each with a short answer "
    "copied from the passage. Use the format\nQ: <question>\nA: <answer>\n\nPassage:\n{doc}"
)


@dataclass(frozen=True)
class Example:
    prompt: str | None
    completion: str


@dataclass(frozen=True)
class QA:
    question: str
    answer: str


def document_text(title: str | None, text: str) -> str:
    return f"{title}\n{text}" if title else text


def selfedit_prompt(style: str, title: str | None, text: str) -> str:
    """The prompt a self-edit is sampled with (and, in the outer loop, trained on)."""
    if style not in _PROMPTS:
        raise ValueError(f"unknown self-edit style {style!r}; expected one of {', '.join(STYLES)}")
    return _PROMPTS[style].format(doc=document_text(title, text))


def probe_prompt(title: str | None, text: str, n: int) -> str:
    return PROBE_PROMPT.format(doc=document_text(title, text), n=n)


_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)]|[a-z][.)])\s*", re.IGNORECASE)
_Q = re.compile(r"^\s*(?:\d+[.)]\s*)?(?:Q|Question)\s*\d*\s*[:.]\s*(.+)$", re.IGNORECASE)
_A = re.compile(r"^\s*(?:A|Answer)\s*\d*\s*[:.]\s*(.+)$", re.IGNORECASE)


def parse_lines(output: str, min_words: int = 4) -> list[str]:
    """One statement per line, bullets and numbering stripped, short and repeated lines dropped."""
    seen: set[str] = set()
    lines = []
    for raw in output.splitlines():
        line = _BULLET.sub("", raw).strip()
        key = line.lower()
        if len(line.split()) < min_words or key in seen:
            continue
        seen.add(key)
        lines.append(line)
    return lines


def parse_qa(output: str) -> list[QA]:
    """``Q: ... / A: ...`` pairs; a question without an answer is dropped."""
    pairs: list[QA] = []
    question: str | None = None
    for raw in output.splitlines():
        if m := _Q.match(raw):
            question = m.group(1).strip()
        elif (m := _A.match(raw)) and question:
            answer = m.group(1).strip()
            if answer:
                pairs.append(QA(question, answer))
            question = None
    unique = {(p.question.lower(), p.answer.lower()): p for p in pairs}
    return list(unique.values())


def grounded(pairs: list[QA], text: str) -> list[QA]:
    """Keep pairs whose answer is stated in the document: the model's own probes must be checkable."""
    from seal.grading import normalize_answer

    haystack = f" {normalize_answer(text)} "
    return [
        p
        for p in pairs
        if normalize_answer(p.answer) and f" {normalize_answer(p.answer)} " in haystack
    ]


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def chunk_document(title: str | None, text: str, max_chars: int = 900) -> list[str]:
    """The document as plain-text training sequences, cut at sentence boundaries."""
    chunks, current = [], ""
    for sentence in split_sentences(text):
        if current and len(current) + len(sentence) + 1 > max_chars:
            chunks.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        chunks.append(current)
    return [document_text(title, c) for c in chunks]


def selfedit_examples(style: str, output: str) -> list[Example]:
    if style == "qa":
        return [Example(p.question, p.answer) for p in parse_qa(output)]
    return [Example(None, line) for line in parse_lines(output)]


# Self-edit lines trained on per document (training time on a CPU grows with each).
MAX_SELFEDIT_EXAMPLES = 12


def training_examples(
    title: str | None,
    text: str,
    style: str,
    selfedit_output: str,
    max_selfedit: int = MAX_SELFEDIT_EXAMPLES,
) -> list[Example]:
    """A candidate's training data: one example per self-edit line (the first ``max_selfedit``:
    training time on a CPU grows with each), plus the document itself."""
    return [Example(None, c) for c in chunk_document(title, text)] + selfedit_examples(
        style, selfedit_output
    )[:max_selfedit]


def cloze_probes(title: str | None, text: str, n: int) -> list[QA]:
    """Fill-in-the-end probes cut from the document's sentences: the fallback when the model writes
    no question whose answer is in the text (a 135M model often does not)."""
    probes = []
    for sentence in split_sentences(text):
        words = sentence.rstrip(".!?").split()
        if len(words) < 8:
            continue
        head, tail = " ".join(words[:-3]), " ".join(words[-3:])
        about = f" (from '{title}')" if title else ""
        probes.append(QA(f"Complete the sentence{about}: {head} ...", tail))
        if len(probes) == n:
            break
    return probes
