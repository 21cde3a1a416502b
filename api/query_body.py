"""The query bodies the service forwards to vLLM: an explicit model of the OpenAI fields it
supports. Anything else is refused before it reaches the model server: vLLM accepts many
extensions (``min_tokens`` with ``ignore_eos``, ``prompt_logprobs``, list prompts, ``lora_request``)
that would reach around the token cap, the routing or the server's memory.

Strings must be encodable (a lone surrogate such as ``"\\ud800"`` is valid JSON but not text) and
numbers finite; ``json.loads`` is told to refuse ``NaN`` and ``Infinity``."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from core.errors import ServiceError


def _encodable(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a lone surrogate (not encodable text)") from None
    return value


Text = Annotated[str, AfterValidator(_encodable)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)

    model: Text | None = Field(None, max_length=256)
    # The token cap is checked against the service's limit in `parse_query` (a setting).
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    temperature: float | None = Field(None, ge=0.0, le=2.0)
    top_p: float | None = Field(None, gt=0.0, le=1.0)
    presence_penalty: float | None = Field(None, ge=-2.0, le=2.0)
    frequency_penalty: float | None = Field(None, ge=-2.0, le=2.0)
    stop: Text | list[Text] | None = Field(None, max_length=4)
    seed: int | None = Field(None, ge=0, le=2**63 - 1)
    n: int | None = Field(None, ge=1, le=1)
    stream: bool | None = None
    user: Text | None = Field(None, max_length=256)


class TextPart(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    type: Literal["text"]
    text: Text


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    role: Literal["system", "user", "assistant"]
    content: Text | list[TextPart]


class ChatQuery(_Body):
    messages: list[Message] = Field(min_length=1, max_length=256)


class CompletionQuery(_Body):
    prompt: Text  # one prompt per request: a list would multiply the work behind one cap


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _problems(exc: ValidationError) -> str:
    """One line per field; a union's alternatives (``str`` or a list of parts) are not named."""
    seen: dict[str, str] = {}
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        seen.setdefault(loc, err["msg"].removeprefix("Value error, "))
    return "; ".join(f"`{loc}`: {msg}" if loc else msg for loc, msg in seen.items())


def parse_query(raw: bytes, *, chat: bool, max_tokens: int) -> dict[str, Any]:
    """The body as it is forwarded: validated, only the fields the client set, and a token cap
    (``max_tokens``, defaulted to at most 256) that the service's limit bounds."""
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError):
        raise ServiceError("invalid_json", "the body is not valid JSON (or not UTF-8)") from None
    if not isinstance(data, dict):
        raise ServiceError("validation_error", "the body must be a JSON object")
    schema = ChatQuery if chat else CompletionQuery
    unknown = sorted(set(data) - set(schema.model_fields))
    if unknown:
        names = ", ".join(f"`{k}`" for k in unknown)
        raise ServiceError(
            "invalid_request",
            f"{names} {'is' if len(unknown) == 1 else 'are'} not accepted; supported fields: "
            + ", ".join(sorted(schema.model_fields)),
        )
    try:
        query = schema.model_validate(data)
    except ValidationError as exc:
        raise ServiceError("validation_error", _problems(exc)) from None
    problems = [
        f"`{field}` must be an integer from 1 to {max_tokens}"
        for field in ("max_tokens", "max_completion_tokens")
        if (getattr(query, field) or 0) > max_tokens
    ]
    if problems:
        raise ServiceError("validation_error", "; ".join(problems))
    body = query.model_dump(exclude_none=True)
    # A null or absent cap means the default, never "no cap"; vLLM gets one field.
    caps = [body.pop(k) for k in ("max_tokens", "max_completion_tokens") if k in body]
    body["max_tokens"] = min(caps) if caps else min(256, max_tokens)
    return body
