"""Files to teach, read into the API's documents and checked before anything is sent: a broken
file is the user's to fix, so it is a usage error that names the file, the document and the field,
and every problem is listed at once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TEXT_SUFFIXES = {".txt", ".md"}
DOC_FIELDS = {"title", "text", "questions"}
QUESTION_FIELDS = {"question", "answer"}


class DocumentError(Exception):
    """One or more input files cannot be taught as they are."""


def load_documents(paths: list[Path]) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    problems: list[str] = []
    for path in paths:
        try:
            documents.extend(_read(path))
        except DocumentError as exc:
            problems.append(str(exc))
    if problems:
        raise DocumentError("\n".join(problems))
    return documents


def _read(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | {".json"}:
        raise DocumentError(
            f"{path}: unsupported file type {suffix or '(none)'}; use .txt, .md or .json"
        )
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DocumentError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read it ({exc.strerror})") from None
    if suffix in TEXT_SUFFIXES:
        if not raw.strip():
            raise DocumentError(f"{path}: the file is empty")
        return [{"title": path.stem, "text": raw}]
    return _from_json(path, raw)


def _from_json(path: Path, raw: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if isinstance(data, dict) and "documents" in data:
        extra = set(data) - {"documents"}
        if extra:
            raise DocumentError(f"{path}: unknown key(s) {_names(extra)} beside `documents`")
        data = data["documents"]
    elif isinstance(data, dict):
        data = [data]  # one document
    if not isinstance(data, list) or not data:
        raise DocumentError(
            f'{path}: expected {{"documents": [...]}}, a list of documents or one document '
            '({"title"?, "text", "questions"?})'
        )
    problems = [p for i, doc in enumerate(data) for p in _check(doc, f"documents[{i}]")]
    if problems:
        raise DocumentError(f"{path}: " + "; ".join(problems))
    return list(data)


def _check(doc: Any, where: str) -> list[str]:
    if not isinstance(doc, dict):
        return [f"{where} must be an object with `text`; got {type(doc).__name__}"]
    problems = []
    if extra := set(doc) - DOC_FIELDS:
        problems.append(
            f"{where}: unknown field(s) {_names(extra)} (allowed: title, text, questions)"
        )
    text = doc.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}.text must be a non-empty string")
    if doc.get("title") is not None and not isinstance(doc["title"], str):
        problems.append(f"{where}.title must be a string")
    questions = doc.get("questions")
    if questions is not None:
        if not isinstance(questions, list):
            problems.append(f"{where}.questions must be a list of {{question, answer}}")
        else:
            for j, q in enumerate(questions):
                problems += _check_question(q, f"{where}.questions[{j}]")
    return problems


def _check_question(q: Any, where: str) -> list[str]:
    if not isinstance(q, dict):
        return [f"{where} must be an object {{question, answer}}"]
    problems = [
        f"{where}: unknown field(s) {_names(extra)}"
        for extra in [set(q) - QUESTION_FIELDS]
        if extra
    ]
    for field in sorted(QUESTION_FIELDS):
        value = q.get(field)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}.{field} must be a non-empty string")
    return problems


def _names(keys: set[str]) -> str:
    return ", ".join(f"`{k}`" for k in sorted(keys))
