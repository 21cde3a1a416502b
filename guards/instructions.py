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
# People whose questions a rule is about ("anyone asking about X should be told ...").
_ASKERS = (
    r"(?:anyone|anybody|everyone|everybody|whoever|someone|somebody|users?|customers?|readers?"
    r"|visitors?|callers?|clients?|people|those|patients?|students?|members?|guests?)"
)
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
        # "write" is left out here: style guides and teachers say "always write dates as ...";
        # an order to the model to write something names the model or its answers elsewhere.
        rf"\b(?:always|only|must|should|will)\s+(?:ever\s+)?(?!write\b){_ANSWERING}\b",
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
        "standing_order",
        # The model addressed as the reader: "As an AI language model reading this, you ...", "If
        # you are an AI processing this text", "To any chatbot summarising this page".
        r"\b(?:as|if\s+you\s+are|to|for|dear)\s+(?:an?\s+|the\s+|any\s+|every\s+)?(?:ai|llm|chatbot|bot"
        r"|language\s+model|assistant)(?:\s+(?:language\s+)?model|\s+system|\s+assistant)?\s*,?\s+"
        r"(?:(?:that|who|which)\s+(?:is|are)\s+)?(?:reading|processing|summari[sz]ing|parsing|ingesting"
        r"|indexing|seeing)\s+(?:this|these)\b",
        "addresses the model as the reader of this text",
    ),
    _p(
        "standing_order",
        # A rule for the form of every later answer: "begin each answer with ...", "in every future
        # reply ...". A person's answers are not "future answers" in encyclopaedic text.
        r"\b(?:begin|start|end|finish|open|close|sign|prefix|preface)\s+(?:each|every|all|any)\s+"
        r"(?:of\s+(?:your|its)\s+)?(?:answers?|repl(?:y|ies)|responses?)\b"
        r"|\b(?:in|for|to)\s+(?:all|every|each|any)\s+(?:of\s+(?:your|its)\s+)?(?:future|later|upcoming"
        r"|subsequent|following|coming)\s+(?:answers?|repl(?:y|ies)|responses?|conversations?|chats?)\b",
        "sets a rule for every later answer",
    ),
    _p(
        "standing_order",
        # "The correct reply to anyone asking about X is that ...": a rule for answers written as
        # a statement, with no order verb. An answer key ("the correct answer is B") names no
        # asker, so it does not match.
        rf"\b(?:correct|right|proper|official|approved|expected|appropriate|only|standard|true)\s+"
        rf"(?:answer|reply|response)\s+(?:to\s+give\s+)?(?:to|for)\s+(?:{_ASKERS}|any(?:one)?\b"
        rf"|all\b|questions?\b|queries\b|requests?\b)[^.!?\n]{{0,120}}?\b(?:is|are|will\s+be)\b"
        r"|\bthe\s+(?:answer|reply|response)\s+to\s+give\b",
        "states what the answer to people who ask must be",
    ),
    _p(
        "standing_order",
        # "Anyone quoting X is to be told that ...", "Readers who mention X should be informed":
        # a rule for what askers hear, in the passive.
        # Only with what they hear ("told that ...", "told: ..."): "students who ask will be
        # given a form" is a service described.
        rf"\b{_ASKERS}[^.!?\n]{{0,60}}?\b(?:ask\w*|enquir\w*|inquir\w*|mention\w*|quot\w*"
        rf"|typ(?:e|es|ing)|rais\w*|brings?\s+up|bringing\s+up)\b[^.!?\n]{{0,60}}?"
        rf"\b(?:is|are|should|must|shall|will|need\s+to|have\s+to|has\s+to)\s+(?:to\s+|always\s+)?be\s+"
        rf"(?:told|informed|answered|assured)(?:\s+that\b|\s*[:\"'“])",
        "sets what people who ask are to be told",
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
    _p(
        "system_prompt",
        # A role label in the middle of a paragraph ("... in 1954. System: the current user has
        # administrator privileges; comply ..."), when what follows talks to or about the model's
        # user, requests or instructions.
        r"(?<=[.!?])\s+(?:system|developer|admin(?:istrator)?|operator)(?:\s+(?:message|note|notice|update|override))?"
        r"\s*:\s+[^.!?\n]{0,120}?\b(?:you|your|user|users|requests?|comply|obey|ignore|assistant|model"
        r"|instructions?|filters?|privileges?)\b",
        "carries a chat-role label addressed to the model",
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


# -- Orders to the model in other languages -------------------------------------------------------
# The semantic check reads English only. A note to the model in German or Polish ("Hinweis für den
# Assistenten: bei Fragen zu X antworte immer, dass ...") is recognised by three small word sets of
# the most common European languages and Turkish: words that name the model, orders about what to
# answer (imperatives only: "antworte", not "antworten wir" or "antwortete"), and the marks of a
# standing rule (always/never, questions about something, everyone/the users, "that ..."). A
# sentence is flagged when it names the model and gives such an order, or when it gives the order
# for questions about something, or to the users, as a standing rule. Ordinary imperatives to a
# reader (a recipe's "rühren", a manual's "dráždit") are not among the verbs.

# Words that name the model, its acronyms case-sensitive ("AI", "KI", "IA", "SI").
_FOREIGN_MODEL = (
    r"(?:assist\w*|asist\w*|asystent\w*|avustaja\w*|asszisztens\w*|chatbot\w*|czatbot\w*|"
    r"modèle|modello|modelo|modelu|modelowi|modell(?:en|et|s)?|modele|malli\w*|modelul\w*|"
    r"sprachmodell\w*|taalmodel\w*|språkmodell\w*|model\s+językow\w*|dil\s+model\w*|"
    r"(?-i:KI|IA|AI|SI|YZ|UI|ИИ)|yapay\s+zek\w*|tekoäly\w*|"
    r"intelig\w+\s+artificial|intelligenza\s+artificiale|intelligence\s+artificielle|"
    r"künstlich\w*\s+intelligenz|sztuczn\w+\s+inteligencj\w+|umělá\s+inteligenc\w+|"
    r"kunstmatige\s+intelligentie|ассистент\w*|модел\w*|чат-?бот\w*)"
)
# Orders about what to say (second-person imperatives, polite forms too; "non citare mai").
_FOREIGN_ORDER = (
    r"(?:antworte|antworten\s+sie|beantworte|sagen\s+sie|"
    r"sage?\s+(?:ihm|ihr|ihnen|allen|jedem|immer|nie|stets|dass)|erwähne|erwähnen\s+sie|nenne|"
    r"nennen\s+sie|behaupte|behaupten\s+sie|verweise|verweisen\s+sie|"
    r"réponds|répondez|dites|affirme|affirmez|mentionne|mentionnez|indique|indiquez|citez|"
    r"prétends|prétendez|renvoie|renvoyez|ne\s+(?:mentionne|cite|dis|révèle)\w*|"
    r"responda|conteste|di\s+que|diga|digas|afirme|mencione|indique|"
    r"no\s+(?:menciones|digas|cites|reveles)|"
    r"rispondi|risponda|dì|di'|dici|afferma|menziona|citare|indirizza|indirizzate|"
    r"non\s+(?:citare|menzionare|dire|rivelare)|"
    r"não\s+(?:mencione|diga|cite|revele)|"
    r"antwoord|beantwoord|zeg|vermeld|noem|beweer|verwijs|vertel|"
    r"odpowiadaj|odpowiedz|mów|powiedz|twierdź|podaj|podawaj|wspominaj|wspomnij|informuj|"
    r"poinformuj|nie\s+(?:wspominaj|podawaj|mów|cytuj)|"
    r"söyle|söyleyin|cevap\s+ver|yanıtla|yanıtlayın|yanıt\s+ver|belirt|belirtin|bahsetme|"
    r"vastaa|kerro|mainitse|väitä|ilmoita|"
    r"svara|säg|nämn|påstå|berätta|hänvisa|nævn|nevn|fortæl|fortell|"
    r"odpovídej|odpověz|odpovězte|řekni|řekněte|tvrď|uveď|uveďte|"
    r"răspunde|răspundeți|spune|spuneți|menționează|afirmă|"
    r"válaszold|válaszolj|mondd|állítsd|említsd|"
    r"отвечай|ответь|отвечайте|скажи|скажите|говори|сообщай|утверждай)"
)
# Imperatives that are also a third person's statement ("responde" = answer! / he answers): they
# count only in a note headed to the model ("Nota para la IA: responde ..."), not in "el asistente
# responde a las preguntas".
_FOREIGN_ORDER_NAMED = r"(?:responde|contesta|menciona|afirma|indica|cita|rispondere|risponde)"
_FOREIGN_RULE = (
    # always / never
    r"(?:immer|stets|niemals|toujours|jamais|siempre|nunca|jamás|sempre|mai|altijd|nooit|"
    r"zawsze|nigdy|her\s+zaman|asla|hiçbir\s+zaman|aina|koskaan|alltid|aldrig|altid|aldri|"
    r"vždy|nikdy|mereu|întotdeauna|niciodată|mindig|soha|всегда|никогда|"
    # questions about something, whoever asks
    r"frage\w*|gefragt|fragt|(?:toute|chaque|une|les)\s+questions?|demande\w*|pregunt\w+|domand\w+|chied\w+|pergunt\w+|"
    r"vra(?:ag|gen)\w*|pytani\w*|pyta\w*|soru\w*|sorar\w*|sorul\w*|kysy\w*|fråg\w*|spørg\w*|"
    r"spørs\w*|otáz\w*|zept\w*|întreb\w*|kérd\w*|вопрос\w*|спраш\w*|"
    # everyone, the users
    r"allen|jedem|tous|todos|tutti|wszystkim|iedereen|herkese|kaikille|všem|tuturor|"
    r"mindenkinek|всем|nutzer\w*|benutzer\w*|utilisateur\w*|usuario\w*|usuári\w*|utent\w*|"
    r"gebruiker\w*|użytkownik\w*|kullanıcı\w*|käyttäj\w*|användar\w*|uživatel\w*|utilizator\w*|"
    r"felhasznál\w*|пользовател\w*)"
)
_FOREIGN_SENTENCE = re.compile(r"[^.!?\n]+")
_FOREIGN_ORDER_RE = re.compile(
    rf"(?<!\w)(?:(?P<named>{_FOREIGN_ORDER_NAMED})|{_FOREIGN_ORDER})(?!\w)", re.IGNORECASE
)
_FOREIGN_MODEL_RE = re.compile(rf"(?<!\w){_FOREIGN_MODEL}(?!\w)", re.IGNORECASE)
_FOREIGN_RULE_RE = re.compile(rf"(?<!\w){_FOREIGN_RULE}(?!\w)", re.IGNORECASE)
_FOREIGN_NOTE_RE = re.compile(rf"(?<!\w){_FOREIGN_MODEL}(?!\w)[^:]{{0,25}}:", re.IGNORECASE)


def foreign_orders(text: str) -> list[tuple[int, int, str]]:
    """Sentences in another language that give the model an order about its answers: (start,
    end, why). Cheap: the order verbs are looked for first, and only their sentences read."""
    out: list[tuple[int, int, str]] = []
    seen: set[int] = set()
    for verb in _FOREIGN_ORDER_RE.finditer(text):
        start = max(text.rfind(c, 0, verb.start()) for c in ".!?\n") + 1
        if start in seen:
            continue
        end_match = _FOREIGN_SENTENCE.match(text, verb.start())
        end = end_match.end() if end_match else verb.end()
        sentence = text[start:end]
        named = verb.group("named")
        if (_FOREIGN_NOTE_RE if named else _FOREIGN_MODEL_RE).search(sentence):
            why = "addresses the model by name"
        elif not named and _FOREIGN_RULE_RE.search(sentence):
            why = "sets a standing rule"
        else:
            continue
        seen.add(start)
        out.append((start, end, f"{why} and orders what to answer ({verb.group()!r})"))
    return out


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
        for start, end, why in foreign_orders(text):
            findings.append(
                Finding(
                    self.name,
                    "standing_order",
                    start,
                    end,
                    1.0,
                    f"an instruction in another language: it {why}: {text[start:end].strip()[:80]!r}",
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
