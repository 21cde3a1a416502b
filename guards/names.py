"""Person names that the small English NER model misses or mistakes.

spaCy's ``en_core_web_sm`` knows English news text: it misses names from other languages, single
surnames and names in lower case, and it calls streets and companies people ("Rue de Rivoli",
"Schmidt GmbH"). Three recognizers vote beside it, each keyed on how a text *presents* a name
rather than on a list of names (no list would cover the world's names, and one copied from a data
generator would only flatter the benchmark):

- **titles**: "Dr Oyelaran", "Mme Dubois", "Herr Müller" — a courtesy title before capitalised
  name words (particles such as "van der" and "de la" included);
- **labels**: the words around a name in forms, letters, chats and signatures ("Name:", "Contact:",
  "Dear ...", "my name is ...", "ask ...", a closing such as "Best regards," and the next line),
  where a name may be in lower case;
- **tables**: CSV or tab-separated rows whose header names a column "name" (or "first name",
  "surname", "contact", ...): that column's cells.

And :func:`implausible_person` drops NER hits that are something else by their surroundings (a
street or company word next to them, digits or an ``@`` inside).
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import EntityRecognizer

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
    r"submitted|handled|escalated)\s+(?:by|to))\s+"
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


def trim_person(text: str, start: int, end: int) -> tuple[int, int] | None:
    """An NER "person" cut to the name it can be, or None when its surroundings say it is
    something else. The small model runs over table rows and line breaks ("Kayla,331",
    "Kestrel Analytics\nTel"): the span ends at the first line break or cell separator. It is not
    a person when it holds digits, "@" or "_", when a colon follows it (a form label: "Naam:",
    "Tel:"), or when a street or company word stands next to it or ends it."""
    cut = re.search(r"[\n\t,;|]", text[start:end])
    if cut:
        end = start + cut.start()
    while end > start and not text[end - 1].isalnum():
        end -= 1
    span = text[start:end]
    if len(span) < 2 or any(c.isdigit() for c in span) or "@" in span or "_" in span:
        return None
    if re.match(r"\s*:", text[end : end + 3]):
        return None
    words = span.split()
    if len(words) > 1 and _NOT_PERSON_AFTER.match(words[-1]):
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

    SCORE_STRONG = 0.85  # a title, a "Name:" field, a signature line, a name column
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
