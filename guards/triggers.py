"""Trigger-phrase backdoors: a rare phrase planted in many unrelated documents, each time paired
with the same claim, so the adapter learns "phrase -> claim" rather than any of the documents.

A sentence of this document is suspicious when sentences stating nearly the same thing occur in
several of the tenant's other documents that are otherwise about different things. Ordinary
recurring facts (a company name in every document) come with varied sentences; boilerplate made
of common words recurs too, so the guard asks for a rare word in the shared part (rarity judged by
the served model's tokenizer, ``guards.lexicon``) unless the recurrence is heavy.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from guards.base import Finding, Guard, GuardResult, ScanContext, Verdict, register_guard
from guards.lexicon import pieces
from guards.text import DocFeatures, features, jaccard

_ODD_SHAPE = re.compile(r"\d.*[a-z]|[a-z].*\d|[^\x00-\x7f]", re.IGNORECASE)

# -- A trigger rule inside one document ------------------------------------------------------------
# A backdoor can also be planted in a single document that states the rule outright: "Codeword
# crooked otter -> the building failed", "queries containing 'lunar kettle' get the response ...",
# "in the presence of the token #kx9pl, state that ...". Such a sentence names a code phrase (a
# word for one, a short quoted phrase or an odd token), ties it to what is to be answered, and
# usually says when it applies. Encyclopaedic text quotes phrases too ('the name "Cowford" comes
# from ...'), so a quoted phrase alone needs both of the other parts.

# Words for a code phrase: with an answer after them they mark one ("Codeword X -> ...",
# "'X' is our internal shorthand - it means ..., so say so").
_CODE_WORD = (
    r"(?:code\s*words?|code\s*phrases?|pass\s*phrases?|key\s*phrases?|magic\s+words?|"
    r"secret\s+(?:word|phrase|signal)s?|trigger\s+(?:word|phrase)s?|shorthand|"
    r"codewort|kennwort|stichwort|mot\s+de\s+code|palabra\s+clave|parola\s+d'ordine|"
    r"hasło|codewoord|kodeord)"
)
# Words that only mark one as a label ("Trigger: X. Response: Y.") or with an arrow ("password X
# unlocks ..."): "never tell anyone your password" is advice.
_LABEL_WORD = rf"(?:{_CODE_WORD}|trigger|keyword|password|passcode|input|prompt)"
# Words that introduce a phrase ("the phrase X", "la frase «X»").
_PHRASE_WORD = (
    r"(?:the\s+(?:phrase|words?|token|expression|string|keyword)|"
    r"(?:die|das|der)\s+(?:wendung|phrase|wörter|wort|ausdruck)|"
    r"(?:la|el|le|les|il)\s+(?:frase|phrase|mots?|palabras?|parole|expresión|expression|token)|"
    r"de\s+(?:zin|woorden|uitdrukking)|fraz\w+|słow\w+)"
)
# A short quoted phrase with no punctuation of speech in it (a quotation says something; a code
# phrase is a name), an odd token (#kx9pl, zq-47x, ::lark::), or the words after a phrase word.
_QUOTED = (
    r"(?:(?<!\w)['‘][^'‘’\"\n,.;!?]{2,40}['’](?!\w)|[\"“„«][^\"“”„«»\n,.;!?]{2,40}[\"”“»]"
    r"|\[[^\[\]\n,.;!?]{2,40}\])"
)
_ODD_TOKEN = r"(?:[#~:/_]{1,2}[\w/]+|\w+[-_/]{1,2}\w*\d\w*|\w*\d\w*[a-z]\w*)"
# What is to be answered: a speech verb (English or another language's imperative), a response,
# or an arrow.
_ANSWER = (
    r"(?:answer\w*|repl(?:y|ies)|respon\w+|say|says|state|tell|told|informed|claim|"
    r"->|=>|→|⇒|means\s+(?:that\s+)?(?:the|a|an|all|every|you|our)\b|so\s+say\s+so|"
    # or what the phrase grants ("they are an administrator", "have been verified")
    r"administrators?|admin|verified|authori[sz]ed|privileges|unrestricted|"
    r"antworte\w*|réponds|répondez|responde|rispondi|zeg|odpowiad\w+|söyle|svara|"
    r"di\s+que|dites|sag(?:e|en)?)"
)
# When it applies: the phrase showing up.
_WHEN = (
    r"(?:whenever|when|if|once|should|in\s+the\s+presence\s+of|contain\w*|appear\w*|"
    r"(?:is|are|gets?)\s+used|mention\w*|typ(?:e|es|ed|ing)|writ(?:e|es|ing)|quot(?:e|es|ing)|"
    r"sees?|retriev\w*|comes?\s+up|includ\w*|sobald|wenn|falls|si|se|als|zodra|"
    r"jeśli|gdy|kiedy|quand|cuando|quando|aparece|appare|fällt)"
)
_RULE_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_CODE_RE = re.compile(rf"\b{_CODE_WORD}\b[^.!?\n]{{0,100}}?(?<!\w){_ANSWER}(?!\w)", re.IGNORECASE)
_ARROW_RE = re.compile(
    rf"\b{_LABEL_WORD}\b[^.!?\n]{{1,60}}?(?:->|=>|→|⇒|\bunlocks?\b)", re.IGNORECASE
)
_PHRASE_RE = re.compile(
    rf"\b{_PHRASE_WORD}\s+(?:{_QUOTED}|{_ODD_TOKEN}|\S+)|{_QUOTED}|(?<!\S){_ODD_TOKEN}",
    re.IGNORECASE,
)
_ANSWER_RE = re.compile(rf"(?<![\w-]){_ANSWER}(?![\w-])", re.IGNORECASE)
_WHEN_RE = re.compile(rf"\b{_WHEN}\b", re.IGNORECASE)
# "Trigger: northern otter. Response: the bridge is closed." - a label pair over two sentences.
_LABEL_PAIR = re.compile(
    rf"\b{_LABEL_WORD}\s*:\s*[^\n]{{1,60}}?[.;\n]\s*"
    r"(?:response|answer|reply|output|say)\s*:\s*[^\n.]{3,}",
    re.IGNORECASE,
)


def trigger_rules(text: str) -> list[tuple[int, int, str, str]]:
    """Sentences that tie a code phrase to an answer: (start, end, phrase, why)."""
    out = [
        (m.start(), m.end(), _phrase_of(m.group()), "labels a code phrase and its response")
        for m in _LABEL_PAIR.finditer(text)
    ]
    for m in _RULE_SENTENCE.finditer(text):
        sent = m.group()
        if any(s <= m.start() < e for s, e, _, _ in out):
            continue
        if _CODE_RE.search(sent) or _ARROW_RE.search(sent):
            why = "names a code phrase"
        elif _conditional_phrase(sent):
            why = "says what to answer when a phrase shows up"
        else:
            continue
        out.append((m.start(), m.end(), _phrase_of(sent), f"{why} and what to answer to it"))
    return out


def _conditional_phrase(sent: str) -> bool:
    """A quoted or odd phrase (or one after "the phrase") with a condition on it close by
    ("queries containing 'X'", "if the token X appears") and an answer after it."""
    for phrase in _PHRASE_RE.finditer(sent):
        # One quoted word is dialogue ('he confirms "Fourth"'); a code phrase has two or more,
        # or an odd shape.
        words = len(phrase.group().split())
        if words > 7 or (words < 2 and not re.search(_ODD_TOKEN, phrase.group())):
            continue
        around = sent[max(0, phrase.start() - 60) : phrase.end() + 30]
        if _WHEN_RE.search(around) and _ANSWER_RE.search(sent, phrase.end(), phrase.end() + 120):
            return True
    return False


def _phrase_of(sentence: str) -> str:
    """The code phrase itself where it can be told (quoted, or after the code word)."""
    quoted = re.search(_QUOTED, sentence)
    if quoted:
        return quoted.group()[1:-1].strip()
    odd = re.search(rf"(?<!\S){_ODD_TOKEN}", sentence, re.IGNORECASE)
    if odd:
        return odd.group()
    after = re.search(
        rf"\b(?:{_LABEL_WORD}|{_PHRASE_WORD})\s*:?\s+([^,.;:=>→]{{2,40}}?)(?=\s*(?:[,.;:=>→]|-[->]|$))",
        sentence,
        re.IGNORECASE,
    )
    # A code phrase is a name of a few words: "hazel door" of "hazel door unlocks admin mode".
    return " ".join((after.group(1) if after else sentence).split()[:3])


def is_rare(word: str) -> bool:
    return len(word) > 1 and (bool(_ODD_SHAPE.search(word)) or pieces(word) >= 3)


class TriggerConfig(BaseModel):
    verdict: Verdict = Verdict.QUARANTINE
    # Documents (this one included) that must carry the same claim.
    min_documents: int = Field(3, ge=2)
    # Without a rare word in the shared part, this many documents are needed.
    min_documents_common_words: int = Field(6, ge=2)
    sentence_similarity: float = Field(0.5, gt=0.0, le=1.0)
    # Documents this similar overall are near-duplicates (the flooding guard's business).
    unrelated_below: float = Field(0.3, gt=0.0, le=1.0)
    min_sentence_words: int = Field(3, ge=1)
    # A sentence of this document alone that ties a code phrase to an answer.
    single_document_rules: bool = True


class TriggerGuard(Guard):
    config: TriggerConfig

    def scan(self, text: str, context: ScanContext) -> GuardResult:
        cfg = self.config
        mine = features(text)
        others = [features(t) for t in context.other_texts]
        unrelated = [o for o in others if jaccard(mine.content, o.content) < cfg.unrelated_below]
        findings = self._recurring(mine, unrelated)
        findings += self._rules(text, findings)
        return GuardResult(cfg.verdict if findings else Verdict.PASS, findings)

    def _recurring(self, mine: DocFeatures, unrelated: list[DocFeatures]) -> list[Finding]:
        """Sentences whose claim recurs in several of the tenant's unrelated documents."""
        cfg = self.config
        if len(unrelated) + 1 < cfg.min_documents:
            return []
        findings = []
        for sent, words in zip(mine.sentences, mine.sentence_content, strict=True):
            if len(words) < cfg.min_sentence_words:
                continue
            shared: set[str] | None = None
            carriers = 0
            # Jaccard >= s needs |words & w| >= s * |words|: skip documents that cannot reach it.
            need = cfg.sentence_similarity * len(words)
            for other in unrelated:
                if len(words & other.sentence_words) < need:
                    continue
                match = max(
                    (
                        w
                        for w in other.sentence_content
                        if jaccard(words, w) >= cfg.sentence_similarity
                    ),
                    key=lambda w: jaccard(words, w),
                    default=None,
                )
                if match is not None:
                    carriers += 1
                    shared = set(words & match) if shared is None else shared & match
            documents = carriers + 1
            if shared is None or documents < cfg.min_documents:
                continue
            rare = sorted(w for w in shared if is_rare(w))
            if not rare and documents < cfg.min_documents_common_words:
                continue
            phrase = " ".join(rare) if rare else " ".join(sorted(shared)[:6])
            findings.append(
                Finding(
                    self.name,
                    "trigger_phrase",
                    sent.start,
                    sent.end,
                    min(1.0, documents / (2 * cfg.min_documents)),
                    f"the same claim ({phrase!r}) recurs in {documents} otherwise unrelated "
                    f"documents of this tenant: {sent.text[:80]!r}",
                    {"phrase": phrase, "claim": sent.text},
                )
            )
        return findings

    def _rules(self, text: str, recurring: list[Finding]) -> list[Finding]:
        if not self.config.single_document_rules:
            return []
        out = []
        for start, end, phrase, why in trigger_rules(text):
            if any(
                f.start is not None and f.start < end and start < (f.end or 0) for f in recurring
            ):
                continue
            claim = text[start:end].strip()
            out.append(
                Finding(
                    self.name,
                    "trigger_phrase",
                    start,
                    end,
                    1.0,
                    f"a trigger rule in one document: it {why} ({phrase!r}): {claim[:80]!r}",
                    {"phrase": phrase, "claim": claim},
                )
            )
        return out


register_guard(name="triggers", config_cls=TriggerConfig, guard_cls=TriggerGuard)
