"""Person names that the small English NER model misses or mistakes.

spaCy's ``en_core_web_sm`` knows English news text: it misses names from other languages, single
surnames and names in lower case, and it calls streets, companies and capitalised words of other
languages people ("Rue de Rivoli", "Schmidt GmbH", "Teléfono"). Recognizers vote beside it:

- **titles**: "Dr Oyelaran", "Mme Dubois", "Herr Müller" — a courtesy title before capitalised
  name words (particles such as "van der" and "de la" included);
- **labels**: the words around a name in forms, letters, chats and signatures ("Name:", "Contact:",
  "Dear ...", "my name is ...", "ask ...", a closing such as "Best regards," and the next line),
  where a name may be in lower case;
- **tables**: CSV or tab-separated rows whose header names a column "name" (or "first name",
  "surname", "contact", ...): that column's cells;
- **the gazetteer** (``guards.gazetteer``: given names and surnames from public name lists, none
  of them the benchmark's generator, and which of them are ordinary words): a listed given name
  alone where a text puts a person (a chat speaker, any form label's value, a list of names, a
  greeting), a given name and a surname anywhere, in capitals, lower case or "LAST, First"
  (:func:`gazetteer_names`).

And :func:`trim_person` drops NER hits that are something else by their surroundings (a street
or company word next to them, digits or an ``@`` inside), :func:`vet_ner_person` those the
gazetteer outvotes ("Salary", "Voicemail", a form label), inside Presidio's spaCy recognizer
(:class:`VettedSpacyRecognizer`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from presidio_analyzer import EntityRecognizer
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from guards import gazetteer

_PARTICLES = {
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
    "ten", "ter", "bin", "ibn", "al", "el", "y", "zu", "af", "mac",
}  # fmt: skip
# A name word: letters (any script's), inner hyphens and apostrophes ("Jean-Luc", "O'Neill").
_WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"
_NAME_WORD = re.compile(_WORD)
_INITIALS = re.compile(r"(?:[^\W\d_a-z]\.){1,3}")

_TITLES = (
    r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lady|Lord|Madame|Mme|Mlle|Monsieur|M|Herr|Frau|"
    r"Señor|Señora|Sr|Sra|Srta|Signor|Signora|Sig|Sig\.ra|Dott|Pan|Pani|Don|Doña|Dona|Mevrouw|Mevr|"
    r"Meneer|Dhr|Fr|Hr|Capt|Captain|Rev|Ing|Dra|Mgr|Bc|Úr|Asszony|Bay|Bayan|Hon"
)
_TITLE = re.compile(rf"\b(?:{_TITLES})\.?\s+(?=[^\W\d_])", re.IGNORECASE)
_TITLE_WORD = re.compile(rf"(?:{_TITLES})\.?", re.IGNORECASE)

# Labels after which the next words are a name, in any case ("name: jean-luc martin").
_LABEL_ANY_CASE = re.compile(
    r"(?:\b(?:full\s+name|first\s+name|last\s+name|surname|name|contact(?:\s+person)?|attn|"
    r"attention|patient|customer|client|employee|applicant|signed|signature|requester|reporter|"
    r"assignee|owner|author|from|to|cc|holder|account\s+holder|cardholder|recipient|beneficiary|"
    r"payee|guest|attendees?|participants?|student|member|passenger|traveller|deliver\s+to|"
    r"ship\s+to|nom|prénom|nome(?:\s+e\s+cognome)?|cognome|nombre(?:\s+completo)?|apellidos?|"
    r"naam|navn|namn|nimi|név|jméno|imię(?:\s+i\s+nazwisko)?|nazwisko|ad\s+soyad|ad|soyad|"
    r"destinataire|empfänger|titular|kontakt|contacto|contatto)[\"']?\s*[:=]\s*[\"']?"
    r"|\b(?:deliver|ship|send|pay|transfer)\s+to\s*\n\s*"
    r"|\bmy\s+name\s+is\s+|\bmy\s+name's\s+|\bi\s+am\s+called\s+|\bthis\s+is\s+(?=\S+\s+here\b)"
    r"|\b(?:dear|hi|hello|hey|thanks|thank\s+you|cheers|ciao|hallo|bonjour|hola)\s+(?=\S+[,!:\n]))",
    re.IGNORECASE,
)
# Words after which a capitalised name is expected ("ask Kovács", "spoke with Oyelaran").
_LABEL_CAPITALISED = re.compile(
    r"\b(?:ask|asked|call|called|contact|contacted|email|emailed|e-mail|message|messaged|tell|told|"
    r"meet|met|thank|thanks|invite|invited|ping|pinged|cc|according\s+to|spoke\s+(?:to|with)|"
    r"talk\s+to|talked\s+to|(?:signed|approved|reviewed|sent|forwarded|reported|assigned|"
    r"submitted|handled|escalated)\s+(?:by|to)|text|chiamare|contattare|chiedere\s+a|llamar\s+a|"
    r"llame\s+a|contactar(?:\s+(?:a|con))?|falar\s+com|ligar\s+para|appeler|appelez|contacter|"
    r"contactez|demandez\s+à|anrufen\s+bei|fragen\s+Sie|bel|ring|ringa|zadzwoń\s+do)\s+"
    r"(?=[^\W\d_])",
    re.IGNORECASE,
)
# A closing line; the next line of a letter or mail is its writer's name.
_CLOSING = re.compile(
    r"^\s*(?:best(?:\s+regards|\s+wishes)?|kind\s+regards|regards|warm\s+regards|sincerely|"
    r"yours(?:\s+sincerely|\s+truly)?|cheers|thanks|many\s+thanks|thank\s+you|cordialement|"
    r"mit\s+freundlichen\s+grüßen|viele\s+grüße|saludos|un\s+saluto|groeten|pozdrawiam|"
    r"met\s+vriendelijke\s+groet|atenciosamente|--)\s*,?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# A header cell that names people: any "... name" but a user, host, file, company or product
# name, and the usual roles.
_NAME_COLUMN = re.compile(
    r"^(?!(?:user|host|file|company|product|street|city|domain|brand|item|project|org|"
    r"organi[sz]ation|bank|business|trade|display|screen|model|device|app|package|field|"
    r"column|table|server|team|group|place|venue)[\s_-]?name$)"
    r"(?:[\w\s-]*name|surname|contact|customer|client|employee|owner|author|patient|holder|"
    r"cardholder|recipient|beneficiary|payee|guest|attendee|student|member|passenger|nom|nome|"
    r"nombre|naam|navn|namn|nimi|név|jméno|nazwisko|ad soyad|apellidos?|cognome|prénom)$",
    re.IGNORECASE,
)
# Not names although capitalised: words that start sentences, days and months, and the like.
_STOP = {
    "the", "a", "an", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "with", "by",
    "i", "we", "you", "he", "she", "it", "they", "me", "us", "him", "her", "them", "my", "our",
    "your", "his", "its", "their", "this", "that", "these", "those", "there", "here", "is", "are",
    "was", "were", "be", "been", "will", "would", "can", "could", "should", "may", "might", "must",
    "do", "does", "did", "have", "has", "had", "not", "no", "yes", "ok", "okay", "please", "team",
    "all", "everyone", "everybody", "guys", "folks", "sir", "madam", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "june", "july", "august", "september", "october", "november", "december", "today",
    "tomorrow", "yesterday", "again", "about", "regarding", "re", "support", "sales", "admin",
    "customer", "service", "department", "office", "company", "phone", "email", "mail", "tel",
    "mobile", "address", "street", "city", "country", "if", "as", "so", "then", "when", "who",
    "what", "which", "how", "why", "where", "up", "out", "over", "after", "before", "some", "any",
    "more", "one", "two", "new", "also", "just", "now", "only", "very", "well", "good", "great",
    "id", "nr", "n/a", "na", "none", "unknown", "tbd", "ing", "dr", "mr", "mrs", "ms",
}  # fmt: skip
# Words beside a capitalised phrase that make it a street, a place or a company, not a person.
_NOT_PERSON_AFTER = re.compile(
    r"^\s*(?:street|st\.?|road|rd\.?|avenue|ave\.?|lane|ln\.?|drive|dr\.?(?=\s+\d)|boulevard|"
    r"blvd\.?|way|square|place|court|terrace|park|bridge|hall|station|airport|university|college|"
    r"school|hospital|church|cathedral|museum|river|lake|mountains?|county|city|inc\.?|ltd\.?|"
    r"llc|plc|gmbh|ag|kg|sa|s\.a\.|sas|sarl|s\.r\.l\.|srl|spa|s\.p\.a\.|bv|b\.v\.|nv|n\.v\.|ab|"
    r"oy|as|a/s|kft|sp\.|co\.|corp\.?|corporation|group|holdings?|& co|and sons|foundation|"
    r"institute|strasse|straße|str\.|gasse|weg|platz|allee|laan|straat|gracht|utca|ulica|út|"
    r"gatan|vej|gade|katu|caddesi|sokak)\b",
    re.IGNORECASE,
)
_NOT_PERSON_BEFORE = re.compile(
    r"\b(?:rue|via|viale|calle|avenida|av\.|rua|piazza|plaza|praça|place|boulevard|bd|chemin|"
    r"allée|quai|ulica|ul\.|al\.|aleja|strada|corso|largo|travessa|carrer|paseo|camino|"
    r"ruta|rodovia)(?:\s+(?:de|del|della|des|du|di|da|do|dos|das|la|le|les|l'|d'))*\s*$",
    re.IGNORECASE,
)


def _take_name(text: str, pos: int, any_case: bool, max_words: int = 4) -> tuple[int, int] | None:
    """The span of the name that starts at ``pos``: up to ``max_words`` name words (particles
    inside), on one line; capitalised unless ``any_case``. None if there is none."""
    words: list[tuple[int, int]] = []
    # A title after a label ("Contact: Dr. Oyelaran") is not part of the name.
    title = _TITLE.match(text, pos)
    i = title.end() if title else pos
    initials: list[tuple[int, int]] = []  # "J." or "L.A." before a surname
    while len(words) < max_words:
        ini = _INITIALS.match(text, i)
        if ini and ini.end() < len(text) and text[ini.end()] == " " and len(initials) < 2:
            initials.append((ini.start(), ini.end()))
            i = ini.end() + 1
            continue
        m = _NAME_WORD.match(text, i)
        if not m:
            break
        w = m.group()
        lw = w.lower()
        inner_particle = bool(words) and lw in _PARTICLES
        if lw in _STOP or (len(w) < 2 and not inner_particle):
            break
        if not any_case and not w[0].isupper() and not inner_particle:
            break
        words.append((m.start(), m.end()))
        nxt = m.end()
        # One space (not a line break) joins the words of one name.
        if nxt < len(text) and text[nxt] == " ":
            i = nxt + 1
        else:
            break
    # A name does not end on a particle ("Anna van").
    while words and text[words[-1][0] : words[-1][1]].lower() in _PARTICLES:
        words.pop()
    if not words:
        return None
    return (initials or words)[0][0], words[-1][1]


def title_names(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _TITLE.finditer(text):
        span = _take_name(text, m.end(), any_case=False, max_words=3)
        if span:
            spans.append(span)
    return spans


def labelled_names(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, strong)``: strong when the label names the field ("Name:", "my name is")."""
    spans = []
    for m in _LABEL_ANY_CASE.finditer(text):
        span = _take_name(text, m.end(), any_case=True, max_words=4)
        if span:
            spans.append((*span, True))
    for m in _LABEL_CAPITALISED.finditer(text):
        span = _take_name(text, m.end(), any_case=False, max_words=4)
        if span:
            spans.append((*span, False))
    for m in _CLOSING.finditer(text):
        line_start = m.end() + 1
        if line_start < len(text):
            span = _take_name(text, line_start, any_case=True, max_words=4)
            # The whole next line is the name (not "Sent from my phone").
            line_end = text.find("\n", line_start)
            line_end = len(text) if line_end < 0 else line_end
            if span and span[1] >= len(text[:line_end].rstrip()):
                spans.append((*span, True))
    return spans


def table_names(text: str) -> list[tuple[int, int]]:
    """Cells of the name columns of comma-, semicolon- or tab-separated rows with a header."""
    lines = text.split("\n")
    spans: list[tuple[int, int]] = []
    offset = 0
    columns: list[int] = []
    sep = ""
    for line in lines:
        if not columns:
            for s in (",", ";", "\t", "|"):
                cells = [c.strip().strip('"') for c in line.split(s)]
                if len(cells) >= 2:
                    cols = [i for i, c in enumerate(cells) if _NAME_COLUMN.match(c)]
                    if cols:
                        columns, sep = cols, s
                        break
        else:
            cells = line.split(sep)
            if len(cells) < 2:
                columns = []
            else:
                pos = offset
                for i, cell in enumerate(cells):
                    if i in columns:
                        stripped = cell.strip().strip('"')
                        if stripped and _NAME_WORD.match(stripped):
                            start = pos + cell.index(stripped)
                            spans.append((start, start + len(stripped)))
                    pos += len(cell) + len(sep)
        offset += len(line) + 1
    return spans


def trim_person(
    text: str, start: int, end: int, label_colon: bool = True
) -> tuple[int, int] | None:
    """An NER "person" cut to the name it can be, or None when its surroundings say it is
    something else. The small model runs over table rows and line breaks ("Kayla,331",
    "Kestrel Analytics\nTel"): the span ends at the first line break or cell separator. It is not
    a person when it holds digits, "@" or "_", when a colon follows it (a form label: "Naam:",
    "Tel:"), or when a street or company word stands next to it or ends it."""
    cut = re.search(r"[\n\t,;|]| {2,}", text[start:end])
    if cut:
        end = start + cut.start()
    while end > start and not text[end - 1].isalnum():
        end -= 1
    span = text[start:end]
    if len(span) < 2 or any(c.isdigit() for c in span) or "@" in span or "_" in span:
        return None
    if label_colon and re.match(r"\s*:", text[end : end + 3]):
        return None
    words = span.split()
    # "Gareth Hall" is a person, "Albion Hall" a building: a listed given name that is no
    # English word outvotes a building or street word as the surname.
    if len(words) > 1 and _NOT_PERSON_AFTER.match(words[-1]):
        head = words[0].title() if words[0].isupper() else words[0]
        if len(words) > 2 or not (
            gazetteer.given(head, strong=True) and not gazetteer.ordinary(head, english_only=True)
        ):
            return None
    if _NOT_PERSON_AFTER.match(text[end : end + 24]) or _NOT_PERSON_BEFORE.search(
        text[max(0, start - 20) : start]
    ):
        return None
    return start, end


def implausible_person(text: str, start: int, end: int) -> bool:
    return trim_person(text, start, end) != (start, end)


class PresentedNameRecognizer(EntityRecognizer):
    """Names found by how the text presents them: titles, labels, closings and table headers."""

    # Above spaCy's 0.85: Presidio drops a finding inside another of no lower score, and spaCy's
    # spans often run on into the next cell ("Quique Álvarez    Phone").
    SCORE_STRONG = 0.9  # a title, a "Name:" field, a signature line, a name column
    SCORE_WEAK = 0.6  # a capitalised word after "ask", "spoke with", "approved by"...

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["PERSON"], name="PresentedNameRecognizer", supported_language="en"
        )

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from guards.recognizers import result

        strong = [(s, e) for s, e in title_names(text)] + table_names(text)
        out = [result(self, "PERSON", s, e, self.SCORE_STRONG) for s, e in strong]
        for s, e, is_strong in labelled_names(text):
            if not implausible_person(text, s, e):
                score = self.SCORE_STRONG if is_strong else self.SCORE_WEAK
                out.append(result(self, "PERSON", s, e, score))
        return out


# --- Names the gazetteer vouches for ------------------------------------------------------------

# A name-shaped token: a word (any script, inner hyphen or apostrophe) or up to three initials.
_TOKEN = re.compile(rf"(?:[^\W\d_]\.){{1,3}}|{_WORD}")
# What may stand before a chat speaker's name on its line: a time stamp, a date, brackets, dashes
# ("[06:30] Carrie:", "26-FEB-25, 16:57 - Ondřej:", "Oct 19, 16:01 - Henry:").
_SPEAKER_PREFIX = re.compile(r"(?:[\W\d_]|\b[^\W\d_]{1,3}\b)*")
# ... or anything up to a time ("4th of December, 12:20 - Mirona Nemeș:").
_TIMESTAMP_PREFIX = re.compile(
    r"[^\n]{0,40}?\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?\]?[ \t]*[-–,]?[ \t]*",
    re.IGNORECASE,
)
# A generic form label before a value ("Tomador:", "Técnico asignado:", "Passenger 2:"): a few
# words at the start of a line or cell, then a colon.
_GENERIC_LABEL = re.compile(
    r"(?:^|\n|\t| {2,}|[;|•]\s*)[^\W\d_][\w/().' -]{0,40}?\s?:[ \t]*(?=[^\W\d_])"
)
# Someone saying who they are ("Hi, yes, this is Vladimír Novák-Pavlík.", "soy Rocío").
_INTRODUCTION = re.compile(
    r"\b(?:this\s+is|it's|it\s+is|i'm|i\s+am|me\s+llamo|soy|je\s+suis|je\s+m'appelle|ich\s+bin|"
    r"ich\s+heiße|sono|mi\s+chiamo|jestem|jag\s+heter|jeg\s+hedder|jeg\s+heter|ik\s+ben|"
    r"meu\s+nome\s+é|eu\s+sou)\s+(?=[^\W\d_])",
    re.IGNORECASE,
)
# Labels whose value is a place, a company or a thing although it may be a name-list word.
_NOT_PERSON_LABEL = re.compile(
    r"\b(?:city|town|country|place|location|destination|address|street|region|state|county|"
    r"province|hotel|company|employer|organi[sz]ation|bank|branch|department|dept|team|flight|"
    r"airport|station|route|origin|product|item|subject|re|betreff|objet|asunto|oggetto|assunto|"
    r"ort|stadt|ville|ciudad|città|cidade|plaats|stad|miasto|land|pays|país|paese|kraj|firma|"
    r"empresa|société|azienda|bedrijf|brand|model|plan|status|type|category|vessel|ship|"
    r"residence|residency|domicile|birthplace|nationality|citizenship|locker|venue|platform)\b",
    re.IGNORECASE,
)
# Words that join names in a list ("Katherine & Kevin", "Erina Kloiber + Vera").
_JOINERS = {"&", "+", "and", "und", "et", "e", "y", "och", "og", "en", "i", "a", "és"}
_SPACY_NOT_PERSON = {"LOCATION", "ORGANIZATION", "NRP", "GPE", "LOC", "ORG", "FAC", "NORP"}


def _is_initial(tok: str) -> bool:
    return tok.endswith(".") and len(tok) <= 6


def _capitalised(tok: str) -> bool:
    return tok[:1].isupper()


def _caps(tok: str) -> bool:
    return tok.isupper() and len(tok) > 1 and not _is_initial(tok)


def _first_score(tok: str) -> int:
    """How strongly a run's first word reads as a given name (or initials)."""
    if _is_initial(tok):
        return 1
    parts = tok.split("-")
    if all(gazetteer.given(p, strong=True) and not gazetteer.ordinary(p) for p in parts):
        return 2
    return 1 if any(gazetteer.given(p) for p in parts) else 0


def _last_score(tok: str) -> int:
    """How strongly a run's last word reads as a surname: a listed surname, or a word no list
    knows that is no ordinary word either (most rare surnames)."""
    parts = [p for p in re.split(r"[-'’]", tok) if p]
    f = [gazetteer.flags(p) for p in parts]
    if any("s" in x and "e" not in x for x in f):
        return 2
    if any("s" in x or "G" in x or "g" in x for x in f):
        return 1
    if all(not x for x in f) and len(tok) >= 3 and not tok.isupper():
        return 1
    return 0


def _judge(tokens: list[str], slot: bool) -> bool:
    """Whether a run of capitalised (or, in a slot, any-case) words is a person's name."""
    if not tokens or len(tokens) > 4:
        return False
    if len(tokens) == 1:
        tok = tokens[0]
        if _is_initial(tok) or not slot:
            return False
        # In a slot a given name is enough, ordinary word or not ("Heather:"); a surname alone
        # is not: the lists hold towns ("Tucson") and nouns ("Drucker") as surnames; nor a word
        # in capitals ("IBAN:", "ANA:" is rarer than an acronym).
        return (
            not tok.isupper()
            and not _TITLE_WORD.fullmatch(tok)
            and all(gazetteer.given(p, strong=True) for p in tok.split("-"))
        )
    first, last = tokens[0], tokens[-1]
    if len(last) == 1 or len(first) == 1:  # "Brighton L47": a letter without a dot is no initial
        return False
    if _is_initial(last):  # "Sanchez J.J.": surname first
        first, last = last, first
    head = _first_score(first)
    return head >= 1 and head + _last_score(last) >= (2 if slot else 3)


# Upper-case letters of the alphabetic scripts (re has no class for them): a cheap first pass
# finds the stretches of capitalised words, the only places where a run can be.
_UPPER = "".join(re.escape(c) for c in map(chr, range(0x41, 0x2000)) if c.isupper() and c.isalpha())
_CAP_TOKEN = rf"(?:[{_UPPER}]\.){{1,3}}|[{_UPPER}][^\W\d_]*(?:['’\-][^\W\d_]+)*"
_CAP_STRETCH = re.compile(
    rf"(?<![^\W\d_])(?:{_CAP_TOKEN})(?: (?:(?:{'|'.join(sorted(_PARTICLES))}) )*(?:{_CAP_TOKEN}))*"
)


def _runs(text: str, start: int, end: int) -> list[tuple[int, int, list[str]]]:
    """Maximal runs of capitalised tokens (one space apart, particles inside) in text[start:end]."""
    runs: list[tuple[int, int, list[str]]] = []
    for m in _CAP_STRETCH.finditer(text, start, end):
        runs += _runs_in(text, m.start(), m.end())
    return runs


def _runs_in(text: str, start: int, end: int) -> list[tuple[int, int, list[str]]]:
    runs: list[tuple[int, int, list[str]]] = []
    cur: list[re.Match[str]] = []

    def close() -> None:
        while cur and cur[-1].group().lower() in _PARTICLES:
            cur.pop()
        if cur:
            runs.append((cur[0].start(), cur[-1].end(), [m.group() for m in cur]))
        cur.clear()

    for m in _TOKEN.finditer(text, start, end):
        tok = m.group()
        low = tok.lower()
        particle = low in _PARTICLES
        if cur and (
            text[cur[-1].end() : m.start()] != " "
            # "COURT AT Tucson": a name is in capitals or in title case, not both.
            or (len(tok) > 1 and not particle and _caps(tok) != _caps(cur[-1].group()))
        ):
            close()
        if _capitalised(tok) and (particle or low not in _STOP or _is_initial(tok)):
            cur.append(m)
        elif cur and particle:
            cur.append(m)
        else:
            close()
    close()
    return runs


def _strip(
    tokens: list[str], spans: list[tuple[int, int]]
) -> tuple[list[str], list[tuple[int, int]]]:
    """Drop leading words that no list knows as a name or that are titles, stop words or ordinary
    English words ("Contactez Me Édouard Delannoy", "Caller Maria Winkler")."""
    while tokens and (
        tokens[0].lower() in _STOP
        or _TITLE_WORD.fullmatch(tokens[0])
        or (not _is_initial(tokens[0]) and not gazetteer.flags(tokens[0]))
        or (gazetteer.ordinary(tokens[0], english_only=True) and not gazetteer.given(tokens[0]))
    ):
        tokens, spans = tokens[1:], spans[1:]
    return tokens, spans


def gazetteer_names(
    text: str, not_person: list[tuple[int, int]] | tuple[()] = ()
) -> list[tuple[int, int, bool]]:
    """``(start, end, in_slot)`` of names the name lists vouch for: in a slot (a chat speaker, a
    form field's value, the next name of a list) a given name alone is enough; elsewhere it takes
    a given name and a surname (capitalised or in capitals). ``not_person``: spans spaCy calls a
    place or an organisation, which outvote a name outside a slot."""
    out: list[tuple[int, int, bool]] = []
    labels, lines = _slot_starts(text)
    # "this is Paris" is no introduction: after one, a full name only.
    intros = {m.end() for m in _INTRODUCTION.finditer(text)}
    pairs = "&" in text or "+" in text
    prev_end = -1
    for s, e, toks in _runs(text, 0, len(text)):
        spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text, s, e)]
        speaker = s in lines and _SPEAKER_END.match(text, e) is not None
        in_slot = (
            s in labels
            or (s in intros and len(toks) > 1)
            or speaker
            or (prev_end >= 0 and _JOINED.fullmatch(text, prev_end, s) is not None)
            or (pairs and _paired_given(text, s, e))
        )
        # "BERTELSEN/HENRIETTE" (a ticket's surname/given name).
        slash = _TOKEN.match(text, e + 1) if text.startswith("/", e) else None
        if slash and toks[-1].isupper() and slash.group().isupper():
            if gazetteer.given(slash.group().title()) and _last_score(toks[-1].title()) >= 1:
                out.append((spans[-1][0], slash.end(), True))
                prev_end = slash.end()
                continue
        # "NILSSON, Maja": a surname in capitals, a comma, a given name.
        if len(toks) <= 2 and all(t.isupper() and len(t) > 1 for t in toks):
            comma = text.startswith(", ", spans[-1][1])
            nxt = _TOKEN.match(text, spans[-1][1] + 2) if comma else None
            given = nxt.group().title() if nxt else ""
            if nxt and gazetteer.given(given, strong=nxt.group().isupper()):
                if _last_score(toks[-1].title()) >= 1:
                    out.append((spans[0][0], nxt.end(), True))
                    prev_end = nxt.end()
                    continue
        if not in_slot:
            toks, spans = _strip(toks, spans)
            if toks:
                in_slot = _addressed(text, spans[0][0], spans[-1][1])
        if not toks:
            continue
        if len(toks) == 1 and toks[0].isupper():
            continue  # a word in capitals alone is an acronym or a heading ("IBAN:", "NOTES")
        if not in_slot and len(toks) == 1 and _acts(text, spans[0][1], toks[0]):
            if not any(a < spans[0][1] and spans[0][0] < b for a, b in not_person):
                out.append((spans[0][0], spans[0][1], False))
                prev_end = spans[0][1]
                continue
        words = [t.title() if t.isupper() and len(t) > 1 else t for t in toks]
        # A chat speaker ("Mirona Nemeș: yes!!"): two or three words and a colon, none of them
        # an English word ("Action Items:", "Bank Details:"), need no list to vouch for them.
        colon = speaker and text[e : e + 1] == ":"
        if _judge(words, in_slot) or (
            colon and 2 <= len(words) <= 3 and not any(gazetteer.ordinary(w) for w in words)
        ):
            start, end = spans[0][0], spans[-1][1]
            # spaCy's place or organisation outvotes a name outside a slot (in slots it calls
            # too many given names of other languages places: tried, recall fell by 0.02).
            if not in_slot and any(a < end and start < b for a, b in not_person):
                continue
            # A colon after a name the lists vouch for is a chat speaker's, or French spacing
            # ("sur le compte de Marine Gimenez :"), not a form label.
            if trim_person(text, start, end, label_colon=False) == (start, end):
                out.append((start, end, in_slot))
                prev_end = end
    for start in sorted(labels | lines):
        span = _lower_case_name(text, start)
        if span:
            out.append((*span, True))
    out += _free_lower_case_names(text)
    return out


_LOWER_WORD = re.compile(rf"(?<![\w@./-]){_WORD}(?![\w@])")


@lru_cache(maxsize=1)
def _lower_given() -> frozenset[str]:
    """Given names that are no word of any listed language, as written in lower case (folded
    too: a text may drop the accents)."""
    return frozenset(
        name for name, f in gazetteer.table().items() if "G" in f and "e" not in f and "w" not in f
    )


def _free_lower_case_names(text: str) -> list[tuple[int, int, bool]]:
    """A name in lower case in running text ("call anouk verhagen at 5", "can u pay helena
    saari back?"): a given name that is no word of any listed language, then (one space on) a
    surname or a word no English list knows."""
    out: list[tuple[int, int, bool]] = []
    # Most texts hold no lower-case given name at all: a set intersection says so cheaply
    # (on the text without its accents too: "göran" is listed as "goran").
    words_here = set(text.split())
    if not text.isascii():
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        words_here.update(plain.split())
    if not _lower_given().intersection(words_here):
        return out
    words = list(_LOWER_WORD.finditer(text))
    for a, b in zip(words, words[1:], strict=False):
        first, second = a.group(), b.group()
        if b.start() != a.end() + 1 or not (first.islower() and second.islower()):
            continue
        if not gazetteer.given(first, strong=True) or gazetteer.ordinary(first):
            continue
        f = gazetteer.flags(second)
        if "e" in f or second in _FILLERS or len(second) < 3:
            continue
        if "s" in f or not f:
            out.append((a.start(), b.end(), False))
    return out


# What ends a chat speaker's name or a roster's cell: a colon, a wide gap, a time, the line's end.
_SPEAKER_END = re.compile(r"\s*:|[ \t]{2,}|\t|[ \t]*(?:\n|$)|,[ \t]*(?:\n|$)| \(| --? ")
_JOINED = re.compile(r"\s*(?:[,&+/]|,?\s+(?:and|und|et|e|y|och|og|en|i|és))\s*", re.IGNORECASE)


# A person's doing after a given name alone ("Berit is bringing the cake", "Sofie owns it").
_PERSON_VERB = re.compile(
    r" (?:is|was|has|had|says|said|will|would|told|asked|sent|wrote|called|just|knows|agrees|"
    r"needs|owns|thinks|wants|replied|signed|approved)\b"
)


def _acts(text: str, end: int, word: str) -> bool:
    """A given name that is no word of any listed language, followed by a verb of a person (a
    place spaCy recognises is outvoted by the caller)."""
    return (
        _PERSON_VERB.match(text, end) is not None
        and all(gazetteer.given(p, strong=True) for p in word.split("-"))
        and not gazetteer.ordinary(word)
    )


_VOCATIVE_BEFORE = re.compile(r"(?:^|\n)[ \t]*[^\W\d_]{2,12}[ \t]+$")


_LIST_ITEM_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:[-*•·–]|\d{1,2}[.)])[ \t]+$")


def _addressed(text: str, start: int, end: int) -> bool:
    """A given name alone where a text addresses or lists a person: after a greeting word of
    any language at a line's start ("Hej Marcus!", "Merhaba Zevlüde,"), in brackets ("the
    technician (Clémence) said", "AGENT (Renzo):"), or opening a list item's line before a verb
    ("- Koen to send the budget")."""
    name = text[start:end]
    if " " in name or not all(gazetteer.given(p, strong=True) for p in name.split("-")):
        return False
    after = text[end : end + 2]
    if after[:1] in (",", "!") and _VOCATIVE_BEFORE.search(text, max(0, start - 16), start):
        return True
    if text[start - 1 : start] == "(" and after[:1] == ")":
        return True
    return (
        _LIST_ITEM_BEFORE.search(text, max(0, start - 8), start) is not None
        and re.match(r" [^\W\d_A-Z]", after) is not None
        and not gazetteer.ordinary(name, english_only=True)
    )


_PAIR_AFTER = re.compile(rf"\s*[&+]\s*({_WORD})")
_PAIR_BEFORE = re.compile(rf"({_WORD})\s*[&+]\s*$")


def _paired_given(text: str, start: int, end: int) -> bool:
    """A given name joined to another by "&" or "+" ("the wedding of Hjalte & Ida")."""
    if not gazetteer.given(text[start:end], strong=True):
        return False
    after = _PAIR_AFTER.match(text, end)
    before = _PAIR_BEFORE.search(text, max(0, start - 30), start)
    return any(m and gazetteer.given(m.group(1), strong=True) for m in (after, before))


def _lower_case_name(text: str, start: int) -> tuple[int, int] | None:
    """A name in lower case at the start of a slot ("bridget salinas: can someone...",
    "Användare: pia andersson (pia@...)"): a given name and a surname, neither an English word,
    then the slot's end."""
    words = []
    pos = start
    for _ in range(3):
        m = _NAME_WORD.match(text, pos)
        if not m or not m.group().islower():
            break
        words.append(m)
        pos = m.end() + 1
        if not text.startswith(" ", m.end()):
            break
    if len(words) < 2:
        return None
    first, last = words[0].group(), words[-1].group()
    if not (
        gazetteer.given(first, strong=True) and (gazetteer.surname(last) or gazetteer.given(last))
    ):
        return None
    if any(gazetteer.ordinary(w.group(), english_only=True) for w in words):
        return None
    end = words[-1].end()
    if not re.match(r"\s*(?:[:(<,;]|\n|$| --? )", text[end : end + 4]):
        return None
    return words[0].start(), end


def _slot_starts(text: str) -> tuple[set[int], set[int]]:
    """Where a slot's value may start: after a generic form label (not one whose value is a place
    or a company), and at the start of a line after a time stamp (a chat speaker, a roster's name:
    the run must then end as a speaker's name does)."""
    labels: set[int] = set()
    for m in _GENERIC_LABEL.finditer(text):
        if not _NOT_PERSON_LABEL.search(text, m.start(), m.end()):
            labels.add(m.end())
    lines: set[int] = set()
    line_start = 0
    for line in text.split("\n"):
        for regex in (_SPEAKER_PREFIX, _TIMESTAMP_PREFIX):
            prefix = regex.match(line)
            if prefix and prefix.end() < len(line):
                lines.add(line_start + prefix.end())
        line_start += len(line) + 1
    # The line after a closing ("Kind regards,") starts with its writer's name.
    for m in _CLOSING.finditer(text):
        nxt = m.end() + 1
        if nxt < len(text):
            labels.add(nxt + len(text[nxt:]) - len(text[nxt:].lstrip(" \t")))
    return labels, lines


class GazetteerNameRecognizer(EntityRecognizer):
    """Names the gazetteer vouches for (:func:`gazetteer_names`), voting with spaCy: what it
    calls a place or an organisation is not taken outside a slot."""

    SCORE_SLOT = 0.9  # above spaCy's 0.85, see PresentedNameRecognizer
    SCORE_FREE = 0.7

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["PERSON"], name="GazetteerNameRecognizer", supported_language="en"
        )

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from guards.recognizers import result

        not_person = [
            (e.start_char, e.end_char)
            for e in getattr(nlp_artifacts, "entities", None) or []
            if e.label_ in _SPACY_NOT_PERSON
        ]
        return [
            result(self, "PERSON", s, e, self.SCORE_SLOT if slot else self.SCORE_FREE)
            for s, e, slot in gazetteer_names(text, not_person)
        ]


# A lower-case word and a colon right after a name, a value after it on the line: it was a
# form label ("Bill to: Alice", "Gift contributions: GB84..."; not "Anna Kowalska wrote:").
_LABEL_AFTER = re.compile(r" [^\W\d_A-Z][^\W\d_]{0,13}[ \t]*:[ \t]*\S")
# Chat fillers around a lower-case name ("omg ilkka pls").
_FILLERS = {"lol", "omg", "pls", "plz", "thx", "btw", "ok", "okay", "hey", "hi", "yo", "haha"}


def vet_ner_person(text: str, start: int, end: int) -> tuple[int, int] | None:
    """spaCy's "person", cut to its capitalised words and kept only if the name lists do not
    outvote it. The small English model calls capitalised words of other languages and form
    labels people ("Salary", "Teléfono", "Gemeldet von rouven", "Bill to:"): a single word must be
    a listed name that is not an ordinary word (or a given name, which many ordinary words are:
    "Heather"), unless a particle or a hyphen makes it a surname ("van Veen", "Nemeș-Eftimie");
    a span with lower-case words is cut to its capitalised part, or must read as a lower-case
    name ("roger peron": a given name first, no English word)."""
    core = [m for m in _NAME_WORD.finditer(text, start, end) if m.group().lower() not in _PARTICLES]
    if not core:
        return None
    if any(m.group().islower() for m in core):
        caps = _runs(text, start, end)
        if not caps:
            return _lower_case_span(core)
        start, end = max(caps, key=lambda r: (len(r[2]), r[1] - r[0]))[:2]
        core = [
            m for m in _NAME_WORD.finditer(text, start, end) if m.group().lower() not in _PARTICLES
        ]
        if not core:
            return None
    if _LABEL_AFTER.match(text, end):
        return None
    if len(core) == 1:
        word = core[0].group()
        has_particle = core[0].start() > start
        if has_particle or "-" in word.strip("-"):
            return start, end
        f = gazetteer.flags(word.title() if word.isupper() else word)
        if not f or (("e" in f or "w" in f) and "G" not in f):
            return None
    return start, end


def _lower_case_span(words: list[re.Match[str]]) -> tuple[int, int] | None:
    while words and (
        words[0].group() in _FILLERS or gazetteer.ordinary(words[0].group(), english_only=True)
    ):
        words = words[1:]
    while words and (
        words[-1].group() in _FILLERS or gazetteer.ordinary(words[-1].group(), english_only=True)
    ):
        words = words[:-1]
    if not words or not gazetteer.given(words[0].group(), strong=True):
        return None
    if len(words) == 1 and gazetteer.ordinary(words[0].group()):
        return None
    return words[0].start(), words[-1].end()


class VettedSpacyRecognizer(SpacyRecognizer):
    """Presidio's spaCy recognizer, its persons cut and vetted (:func:`trim_person`,
    :func:`vet_ner_person`) before Presidio merges the findings: a finding inside another of no
    lower score is dropped there, so a vetoed span must not be the one to swallow ours."""

    def __init__(self, supported_entities: list[str]) -> None:
        super().__init__(supported_entities=supported_entities, name="SpacyRecognizer")

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        kept = []
        for r in super().analyze(text, entities, nlp_artifacts):
            if r.entity_type == "PERSON":
                span = trim_person(text, r.start, r.end)
                span = vet_ner_person(text, *span) if span else None
                if span is None:
                    continue
                r.start, r.end = span
            kept.append(r)
        return kept
