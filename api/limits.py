"""Request limits that span fields (counts and sizes), reported all at once."""

from __future__ import annotations

from collections.abc import Sequence

from api.schemas import TextIn
from core.errors import ServiceError
from core.settings import Settings


def check_limits(
    documents: Sequence[TextIn], settings: Settings, max_documents: int | None = None
) -> None:
    """Collect every limit a request breaks and report them at once."""
    problems = []
    max_documents = max_documents or settings.max_documents
    if len(documents) > max_documents:
        problems.append(f"`documents` has {len(documents)} items; at most {max_documents}")
    for i, doc in enumerate(documents):
        if len(doc.text) > settings.max_document_chars:
            problems.append(
                f"`documents[{i}].text` has {len(doc.text)} characters; "
                f"at most {settings.max_document_chars}"
            )
        questions = getattr(doc, "questions", None)
        if questions and len(questions) > settings.max_questions_per_document:
            problems.append(
                f"`documents[{i}].questions` has {len(questions)} items; "
                f"at most {settings.max_questions_per_document}"
            )
    if problems:
        raise ServiceError("validation_error", "; ".join(problems))
