"""Instructions aimed at the model rather than knowledge for it.

Knowledge states facts ("The bridge opened in 1932"). A poisoned document talks to the model:
it tells it to ignore what it was told, to always answer something, to adopt a role, or it carries
system-prompt and chat-template markup that would teach the adapter to treat tenant text as
instructions. Each pattern names what it caught, so an admin reading the review queue sees why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from guards.base import Finding, Guard, GuardResult, ScanContext, Verdict, register_guard
from guards.behaviour import behaviour_model
from guards.lexicon import special_tokens

_MODEL = r"(?:the\s+)?(?:model|assistant|ai|chatbot|bot|llm|language\s+model|system)"
_ANSWERING = r"(?:answer|respond|reply|say|state|claim|output|print|write|tell|insist|assert)"
_PRIOR = r"(?:previous|prior|preceding|earlier|above|original|initial|all|any|your|existing|other)"
_RULES = (
    r"(?:instructions?|prompts?|rules|guidelines|directives|context|messages?|training"
    r"|programming|policies|constraints|guardrails)"
)


@dataclass(frozen=True)
class _Pattern:
    kind: str
    regex: re.Pattern[str]
    explanation: str


def _p(kind: str, pattern: str, explanation: str) -> _Pattern:
    return _Pattern(kind, re.compile(pattern, re.IGNORECASE), explanation)


PATTERNS: list[_Pattern] = [
    _p(
        "override",
        rf"\b(?:ignore|disregard|forget|override|bypass|drop|abandon|discard|set\s+aside)\b"
        rf"(?:\s+\w+){{0,3}}?\s+{_PRIOR}\b(?:\s+\w+){{0,2}}?\s+{_RULES}\b",
        "tells the model to drop its instructions",
    ),
    _p(
        "override",
        rf"\b(?:do\s+not|don't|never)\s+(?:follow|obey|listen\s+to|apply)\b(?:\s+\w+){{0,3}}?\s+{_RULES}\b",
        "tells the model not to follow its instructions",
    ),
    _p(
        "standing_order",
        rf"\b(?:always|only|must|should|will)\s+(?:ever\s+)?{_ANSWERING}\b",
        "gives the model a standing order about what to answer",
    ),
    _p(
        "standing_order",
        rf"\b(?:whenever|every\s+time|each\s+time|any\s*time|if(?:\s+ever)?)\s+(?:someone|anyone|a\s+user|the\s+user|users|you(?:'re|\s+are)?|people|somebody|asked)\b"
        rf"[^.!?\n]{{0,80}}?\b(?:asks?|asked|queries|query|questions?|prompted|mentions?|says?|types?|writes?)\b"
        rf"[^.!?\n]{{0,80}}?\b(?:{_ANSWERING}|respond\w*|answer\w*|reply\w*|tell\w*)\b",
        "sets a conditional rule for how the model should answer",
    ),
    _p(
        "standing_order",
        rf"\b(?:from\s+now\s+on|henceforth|going\s+forward|for\s+all\s+future\s+(?:questions|queries|answers|conversations))\b"
        rf"[^.!?\n]{{0,80}}?\b(?:you|{_MODEL})\b",
        "sets a rule for all future answers",
    ),
    _p(
        "standing_order",
        rf"\b(?:you|{_MODEL})\s+(?:must|should|shall|will|are\s+(?:required|instructed|told|to))\s+(?:always\s+|never\s+|now\s+|only\s+)?"
        rf"(?:{_ANSWERING}|respond|answer|reply|refuse|recommend|mention|deny|pretend|act|behave|comply|obey|reveal|include)\b",
        "addresses the model with an order",
    ),
    _p(
        "standing_order",
        r"\b(?:never|do\s+not|don't)\s+(?:ever\s+)?(?:mention|reveal|admit|disclose|acknowledge|tell\s+(?:anyone|the\s+user|users))\b",
        "tells the model what it must never say",
    ),
    _p(
        "role_play",
        # "pretend" as an order (a sentence's first word, or after you/please/let's...), not
        # "the children pretend to be engineers".
        r"(?:(?:^|(?<=[.!?:;(\n]))\s*|\b(?:you|please|now|let's|let\s+us|to|will|should|must|and)\s+)"
        r"pretend\s+(?:to\s+be|you\s+are|that\s+you)\b|"
        r"\b(?:you\s+are\s+(?:now|no\s+longer)|act\s+as|roleplay\s+as|role-play\s+as|"
        r"assume\s+the\s+(?:role|persona|identity)|your\s+new\s+(?:role|persona|name|identity|instructions?)\s+(?:is|are)|"
        r"you\s+will\s+now\s+(?:be|act|behave|operate)|enter\s+(?:developer|dan|god|debug|jailbreak)\s+mode|"
        r"(?:developer|dan|jailbreak|god)\s+mode\s+(?:enabled|activated|on))\b",
        "tries to give the model a new role or persona",
    ),
    _p(
        "system_prompt",
        r"(?:^|\n)\s*(?:system|assistant|user|human|###\s*(?:system|instruction|response)|\[system\])\s*:"
        r"|\bsystem\s+(?:prompt|message|instruction)s?\b\s*(?::|is|says|reads|override|update)"
        r"|\b(?:new|updated|hidden|secret|real|true)\s+(?:system\s+)?(?:instructions?|prompt)\s*(?::|follows|are|is)",
        "carries system-prompt or chat-role text",
    ),
    _Pattern(
        "system_prompt",
        # Upper-case role labels anywhere in the text ("... SYSTEM: you are ..."): prose writes
        # "system" in lower case.
        re.compile(
            r"\b(?:SYSTEM|ASSISTANT|USER|ADMIN|DEVELOPER)\s*(?:MESSAGE|PROMPT|NOTE|OVERRIDE)?\s*:\s*\S"
        ),
        "carries an upper-case chat-role label",
    ),
    _p(
        "chat_markup",
        r"<\|[a-z_]{2,20}\|>|\[/?INST\]|<</?SYS>>|<\s*/?\s*(?:system|im_start|im_end|s)\s*>|"
        r"<start_of_turn>|<end_of_turn>|\[/?(?:system|assistant|user)\]",
        "contains chat-template markup",
    ),
]


class InstructionConfig(BaseModel):
    verdict: Verdict = Verdict.QUARANTINE
    # The served model's own special tokens are added to the markup checks.
    include_model_special_tokens: bool = True
    # The semantic check (guards/behaviour.py) for rules phrased without the words above. 0.6:
    # on the written dev instructions it caught 28 of 36 (most of the rest are caught by the
    # patterns) and flagged none of the 200 SQuAD dev passages.
    semantic: bool = True
    semantic_threshold: float = Field(0.6, gt=0.0, lt=1.0)


class InstructionGuard(Guard):
    config: InstructionConfig

    def __init__(self, config: InstructionConfig) -> None:
        super().__init__(config)
        self._specials: list[str] = []
        if config.include_model_special_tokens:
            try:
                self._specials = [t for t in special_tokens() if len(t) > 1]
            except Exception:  # noqa: BLE001 - no tokenizer on disk: the generic markup still applies
                self._specials = []

    def scan(self, text: str, context: ScanContext) -> GuardResult:
        findings: list[Finding] = []
        for pattern in PATTERNS:
            m = pattern.regex.search(text)
            if m:
                findings.append(
                    Finding(
                        self.name,
                        pattern.kind,
                        m.start(),
                        m.end(),
                        1.0,
                        f"{pattern.explanation}: {m.group().strip()[:80]!r}",
                    )
                )
        for token in self._specials:
            idx = text.find(token)
            if idx >= 0:
                findings.append(
                    Finding(
                        self.name,
                        "chat_markup",
                        idx,
                        idx + len(token),
                        1.0,
                        f"contains the served model's special token {token!r}",
                    )
                )
        if self.config.semantic:
            findings += self._semantic(text, findings)
        return GuardResult(self.config.verdict if findings else Verdict.PASS, findings)

    def _semantic(self, text: str, lexical: list[Finding]) -> list[Finding]:
        model = behaviour_model()
        if model is None:
            return []
        out = []
        for hit in model.hits(text, self.config.semantic_threshold):
            # A sentence the patterns already explained is not reported twice.
            if any(
                f.start is not None and f.start < hit.end and hit.start < (f.end or 0)
                for f in lexical
            ):
                continue
            out.append(
                Finding(
                    self.name,
                    "behaviour_rule",
                    hit.start,
                    hit.end,
                    round(hit.probability, 3),
                    "reads as a rule for how the model should answer rather than a fact "
                    f"(semantic check, p={hit.probability:.2f}; it reads like: {hit.nearest!r})",
                )
            )
        return out


register_guard(name="instructions", config_cls=InstructionConfig, guard_cls=InstructionGuard)
