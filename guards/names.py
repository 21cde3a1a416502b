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

- **greetings, sign-offs and parties** of many languages: "Szia Zsófia,", "Thanks, Arttu",
  "hilsen Vidar", "... - Kristiina" at a message's end; whose a card, an account or a lease is
  ("titular ...", "au nom de ...", "Landlord ..."); attendee lists ("Anwesend: A, B, C"); chat
  speakers with a role ("Agent Maarit:", "Agent (Nilcan):") or of a chat ("KEVIN:", "sonia:");
  who did something in a record ("Badge issued by Máté"), when the lists know the name;
- **a name mentioned again** on its own elsewhere in the text (:func:`repeated_mentions`).

And :func:`trim_person` drops NER hits that are something else by their surroundings (a street
or company word next to them, digits or an ``@`` inside; a place's or an institution's first
word, a house number before a street, three surnames of a firm, a greeting or a title joined to
the name, a month before a day), :func:`vet_ner_person` those the
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
    r"Meneer|Dhr|Fr|Hr|Capt|Captain|Rev|Ing|Dra|Mgr|Bc|Úr|Asszony|Bay|Bayan|Hon|Dre|Dl|Dna|"
    r"Doamna|Domnul|Lic|Licda|Av|Sn|Arq"
)
# One space after it: a wide gap ends a cell ("HART/SUSAN MRS   Seat 14C"); not the end of a
# domain (".mx. Si no fuiste tú").
_TITLE = re.compile(rf"(?<![.@])\b(?:{_TITLES})\.? (?=[^\W\d_])", re.IGNORECASE)
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
    r"|\b(?:hey|hi|hello)\s+(?:it'?s|this\s+is)\s+"
    r"|\b(?:dear|hi|hello|hey|thanks|thank\s+you|cheers|ciao|hallo|bonjour|hola)\s+(?=\S+[,!:\n]))",
    re.IGNORECASE,
)
# A greeting of any of many languages that opens a line, then the name (a title may come first)
# up to a comma, "!" or a colon ("Szia Zsófia,", "Bună ziua, doamna Popescu,", "Prezado(a) ...").
_GREETING = re.compile(
    r"^[ \t]*(?:dear|hi|hello|hey|salut|szia|selam|merhaba|hei|hej|moi|oi|olá|ola|kedves|"
    r"hoi|beste|liebe[rs]?|caro|cara|querid[oa]|estimad[oa](?:/a)?|prezad[oa](?:\(a\))?|sayın|"
    r"drog[ai]|szanown[ya]|dragă|bună\s+ziua|hyvä|kære|kjære|bästa|gentile|egregio|"
    r"sehr\s+geehrte[rs]?(?:/r)?|bonsoir|buongiorno|buenos\s+días|bom\s+dia|servus|moin|ahoj|"
    r"cześć|witam|hallo|bonjour|hola|ciao)[ \t]*,?[ \t]+(?=[^\n,!:]{2,40}[,!:\n])",
    re.IGNORECASE | re.MULTILINE,
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
    r"^[ \t>]*(?:best(?:\s+regards|\s+wishes)?|kind\s+regards|regards|warm\s+regards|sincerely|"
    r"yours(?:\s+sincerely|\s+truly)?|cheers|thanks|many\s+thanks|thank\s+you|cordialement|"
    r"mit\s+freundlichen\s+grüßen|viele\s+grüße|liebe\s+grüße|saludos|un\s+saludo|"
    r"atentamente|un\s+saluto|cordiali\s+saluti|distinti\s+saluti|saluti|groeten|groetjes|"
    r"pozdrawiam|z\s+poważaniem|met\s+vriendelijke\s+groet(?:en)?|atenciosamente|"
    r"abraços?|saygılarımızla|saygılarımla|üdvözlettel|üdv|(?:ystävällisin\s+)?terveisin|"
    r"cu\s+stimă|cu\s+respect|(?:med\s+vänlig\s+)?hälsning(?:ar)?|mvh|"
    r"(?:med\s+vennlig\s+|venlig\s+)?hilsen|bien\s+à\s+vous|--)\s*[,:!.]?\s*$",
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
    r"gatan|vej|gade|katu|caddesi|sokak|kht\.?|nyrt\.?|zrt\.?|bt\.?|oyj|ry|ky|asa|cv|e\.v\.|sca|"
    r"pfa|ltda|a\.c\.|s\.c\.|bank|site|newsletter|outlet|store|depot|warehouse|practice|"
    r"apt\.?|suite|valleys|plains|hollow|turnpike|trail|loop|ways|forge|ridge|ferry|crossing|"
    r"heights|trace|parkway|expressway|freeway|motorway|vista|plaza|summit|gardens|gruppen|"
    r"gruppe|legekontor|klinikk|kontor)(?!\w)",
    re.IGNORECASE,
)
_FIRM_SUFFIX = re.compile(
    r"inc\.?|ltd\.?|llc|plc|gmbh|ag|kg|sa|s\.a\.?|sas|sarl|srl|spa|bv|nv|ab|oy|oyj|asa|a/s|kft|"
    r"kht|nyrt|zrt|bt|ry|ky|cv|e\.v\.?|sca|pfa|ltda|a\.c\.?|s\.c\.?|corp\.?|corporation|group|"
    r"holdings?|gruppen|gruppe|bank",
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


# Words before a name that say whose an account, a card or a contract is, in the languages of
# payment slips and contracts; a colon is optional ("titular Aldo Cepeda", "au nom de ...",
# "kart sahibi ...", "Landlord ...; Tenant ...").
_HOLDER_WORDS = (
    r"titular|kart\s+sahibi|kártyabirtokos|kortinnehaver|kortholder|karteninhaber(?:in)?|"
    r"kontoinhaber(?:in)?|titolare|intestat[oa]\s+a|au\s+nom\s+de|em\s+nome\s+de|"
    r"a\s+nombre\s+de|op\s+naam\s+van|ten\s+name\s+van|saaja|odbiorca|alıcı|kedvezményezett|"
    r"beneficiario|beneficiário|bénéficiaire|begünstigter|mottaker|mottagare|policyholder|"
    r"represented\s+by|in\s+the\s+name\s+of|name\s+on\s+card|cardholder|account\s+holder|"
    r"landlord|tenant|witness|new\s+hire|new\s+starter|neue[rn]?\s+mitarbeiter(?:in)?"
)
# Labels of a list of people: attendees, participants, volunteers ("Anwesend: A, B, C").
_LIST_WORDS = (
    r"participants?|attendees?|present|presents?|présents?|presenti|presentes|anwesend|"
    r"teilnehmer(?:innen)?|katılımcılar|participanți|jelen\s+vannak|résztvevők|obecni|"
    r"uczestnicy|läsnä|osallistujat|til\s+stede|deltakere|deltagere|deltagare|närvarande|"
    r"aanwezig(?:en)?|deelnemers|apologies|absent|excused|volunteers(?:\s+this\s+week)?|"
    r"guests?|speakers?|signatories|witnesses|table\s+\d{1,3}"
)
_HOLDER = re.compile(rf"\b(?:{_HOLDER_WORDS})[ \t]*:?[ \t]*(?=[^\W\d_])", re.IGNORECASE)
# Looked for only before a colon (texts have few): the label ends there.
_BLANKS = re.compile(r"[ \t]*")
_LIST_LABEL_BEFORE = re.compile(rf"\b(?:{_LIST_WORDS})[ \t]*$", re.IGNORECASE)
_LIST_JOIN = re.compile(
    r"(?:[ \t]*[,;&+][ \t]*|[ \t]+(?:and|und|et|e|y|och|og|en|i|és|ve|și)[ \t]+)", re.IGNORECASE
)
# A chat line's speaker given with a role: "Agent Maarit:", "Agent (Nilcan):", "Leo (Support):".
_ROLES = (
    r"agent|support|customer|client|driver|bot|visitor|user|operator|rep|advisor|adviser|"
    r"nurse|doctor|caller|host|moderator|admin|technician|tech|staff|manager|assistant"
)
_ROLE_SPEAKER = re.compile(
    rf"^[ \t]*(?:\[[^\]\n]{{1,24}}\][ \t]*)?(?:(?:{_ROLES})[ \t]+\(?"
    rf"(?=[^\W\d_][^\n:()]{{0,40}}\)?[ \t]*:)"
    rf"|(?=[^\W\d_][^\n:()]{{0,40}}\((?:{_ROLES})\)[ \t]*:))",
    re.IGNORECASE | re.MULTILINE,
)
# A sign-off before the writer's name at a line's end ("Thanks, Arttu", "Puszi, Mária", "hilsen
# Vidar", "À+ Yves", "lg Caroline"), and a dash before a name that ends a message ("... - Roger").
_SIGNOFF = re.compile(
    r"(?:^|(?<=[.!?),\-–])[ \t]+|\n)[ \t>]*(?:thanks|thank\s+you|cheers|regards|best|puszi|hilsen|"
    r"mvh|groetjes|danke|lg|vg|liebe\s+grüße|saludos|besos|bisous|bises|à\+|a\+|baci|saluti|"
    r"pozdrawiam|kiitos|terveisin|hälsningar|obrigad[oa]|abraços?|beijos|sevgiler|xoxo|love)"
    r"[ \t]*[,!]?[ \t]+(?=[^\W\d_])",
    re.IGNORECASE | re.MULTILINE,
)
_DASH_SIGNOFF = re.compile(r"[ \t][-–—][ \t]+(?=[^\W\d_][^\n]{0,40}$)", re.MULTILINE)
# Who did something or whom it is for, in records and notices ("Badge issued by Máté",
# "Membership renewed for ...", "We tried to deliver to ...", "Questions to Euan on ..."): a name
# the lists know must follow, capitalised (a firm or a town follows such words as often).
_RECORD_PARTY = re.compile(
    r"\b(?:[a-z]{3,}ed\s+(?:by|for|to|from)|questions\s+to|reach|paged|recommend|manda|"
    r"übernimmt|buddy[^\n.]{0,30}\bis)\s+(?=[^\W\d_a-z])"
)
# A chat line's speaker: a single word and a colon at a line's start, after a time stamp or a
# list mark ("[15:39] sonia: ...", "- EMMA: on call", "KEVIN: thanks").
_CHAT_SPEAKER = re.compile(
    r"^[ \t]*(?:[-*•>][ \t]*|\[[^\]\n]{1,24}\][ \t]*)?([^\W\d_][^\W\d_'’-]{1,20}):[ \t]+\S",
    re.MULTILINE,
)


def _plausible(text: str, start: int, end: int) -> bool:
    """Whether words a label or a greeting points at can be a name: not only ordinary words
    ("Customer: Hi", "Dear parents", "name: payments"), not a short acronym ("contact: SMS"),
    not a word of two letters alone ("Si", "Ty"); in lower case only with a listed given name
    or surname first ("titular de la cuenta" is no name)."""
    words = [w for w in _NAME_WORD.findall(text, start, end) if w.lower() not in _PARTICLES]
    if not words:
        return False
    if len(words) == 1 and (len(words[0]) <= 2 or (words[0].isupper() and len(words[0]) <= 4)):
        return gazetteer.given(words[0].title(), strong=True) and len(words[0]) > 2
    if all(
        gazetteer.ordinary(w, english_only=True) and not gazetteer.given(w, strong=True)
        for w in words
    ):
        return False
    # "Andersen Gruppen legekontor": a name in capitals does not go on in lower case.
    if any(a[0].isupper() and b.islower() for a, b in zip(words, words[1:], strict=False)):
        return False
    if text[start:end].islower():
        first = words[0]
        return (gazetteer.given(first) or gazetteer.surname(first)) and not gazetteer.ordinary(
            first, english_only=True
        )
    return True


def _vouched(text: str, start: int, end: int) -> bool:
    """A plausible name whose first word the lists know as a given name ("Máté", "TADEUSZ
    CABALA"), or whose last as a surname, neither an English word."""
    words = [w.title() if w.isupper() else w for w in _NAME_WORD.findall(text, start, end)]
    if not words or not _plausible(text, start, end):
        return False
    first, last = words[0], words[-1]
    if gazetteer.ordinary(first, english_only=True) and not gazetteer.given(first, strong=True):
        return False
    return gazetteer.given(first) or (
        len(words) > 1 and gazetteer.surname(last) and not gazetteer.ordinary(last, True)
    )


def _name_list(text: str, pos: int) -> list[tuple[int, int]]:
    """The names of a list that starts at ``pos`` ("A. Nagy, Kovács Béla and eva"), on one line."""
    spans: list[tuple[int, int]] = []
    while len(spans) < 12:
        span = _take_name(text, pos, any_case=True, max_words=4)
        if not span:
            break
        if _plausible(text, *span):
            spans.append(span)
        join = _LIST_JOIN.match(text, span[1])
        if not join:
            break
        pos = join.end()
    return spans


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def labelled_names(
    text: str, not_person: list[tuple[int, int]] | tuple[()] = ()
) -> list[tuple[int, int, bool]]:
    """``(start, end, strong)``: strong when the label names the field ("Name:", "my name is").
    ``not_person``: spans spaCy calls a place or an organisation, which outvote a record's party
    ("occupied by Germany")."""
    spans = []
    for m in _LABEL_ANY_CASE.finditer(text):
        span = _take_name(text, m.end(), any_case=True, max_words=4)
        if span and _plausible(text, *span):
            spans.append((*span, True))
    colon = text.find(":")
    while colon >= 0:
        if _LIST_LABEL_BEFORE.search(text, max(0, colon - 32), colon):
            start = _BLANKS.match(text, colon + 1).end()  # type: ignore[union-attr]
            spans += [(*span, True) for span in _name_list(text, start)]
        colon = text.find(":", colon + 1)
    for regex in (_GREETING, _HOLDER, _ROLE_SPEAKER):
        for m in regex.finditer(text):
            span = _take_name(text, m.end(), any_case=True, max_words=4)
            if span and _plausible(text, *span):
                spans.append((*span, True))
    for m in _LABEL_CAPITALISED.finditer(text):
        span = _take_name(text, m.end(), any_case=False, max_words=4)
        if span and _plausible(text, *span):
            spans.append((*span, False))
    for m in _SIGNOFF.finditer(text):
        span = _take_name(text, m.end(), any_case=True, max_words=3)
        # The name ends the line (not "Thanks, Anna will call you").
        if span and _plausible(text, *span):
            rest = text[span[1] : _line_end(text, span[1])]
            if not rest.strip(" \t.!)"):
                spans.append((*span, True))
    # "... Any ideas? - Kristiina", "Expense claim 2023/06487 - Amanda Garcia": a given name
    # after a dash ends a line.
    for m in _DASH_SIGNOFF.finditer(text):
        span = _take_name(text, m.end(), any_case=True, max_words=3)
        if span and _vouched(text, *span):
            if not text[span[1] : _line_end(text, span[1])].strip(" \t.!)"):
                spans.append((*span, True))
    for m in _RECORD_PARTY.finditer(text):
        span = _take_name(text, m.end(), any_case=False, max_words=3)
        # A single word spaCy calls a place is one ("occupied by Germany"), unless it is a given
        # name of no language's words ("issued by Nils").
        if span and any(a < span[1] and span[0] < b for a, b in not_person):
            word = text[span[0] : span[1]].title()
            if " " not in word and not (
                gazetteer.given(word, strong=True) and not gazetteer.ordinary(word)
            ):
                continue
        if span and _vouched(text, *span):
            spans.append((*span, False))
    spans += [(s, e, True) for s, e in chat_speakers(text)]
    for m in _CLOSING.finditer(text):
        line_start = m.end() + 1
        while text.startswith((">", " "), line_start):  # a quoted mail's "> "
            line_start += 1
        if line_start < len(text):
            span = _take_name(text, line_start, any_case=True, max_words=4)
            # The whole next line is the name (not "Sent from my phone").
            line_end = _line_end(text, line_start)
            if span and span[1] >= len(text[:line_end].rstrip()) and _plausible(text, *span):
                spans.append((*span, True))
    return spans


def chat_speakers(text: str) -> list[tuple[int, int]]:
    """Speakers of a chat (two lines or more that open with a word and a colon) whose word is a
    listed given name, in any case ("adrianna:", "KEVIN:"); not a form's labels ("Date:",
    "Bill:": a given name that is also an English word is left to the other rules)."""
    spans = []
    for m in _CHAT_SPEAKER.finditer(text):
        word = m.group(1)
        look = word.title() if word.isupper() or word.islower() else word
        if word.lower() in _STOP or len(word) < 3:
            continue
        if word.isupper() and not gazetteer.given(look, strong=True):
            continue  # an acronym ("IBAN:", "VAT:")
        if gazetteer.given(look) and not gazetteer.ordinary(look, english_only=True):
            spans.append((m.start(1), m.end(1)))
    # A chat has two lines of speakers at least, not all in capitals ("IBAN:" in a form is no
    # speaker).
    if len(spans) < 2 or all(text[s:e].isupper() for s, e in spans):
        return []
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
    cut = re.search(r"[\n\t,;|()<>=→]| {2,}|->", text[start:end])
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
    if len(words) > 1 and _FIRM_SUFFIX.fullmatch(words[-1]):
        return None  # "Jordan Inc", "Ahmed ASA": a firm whatever its first word
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
    if _place_or_firm(text, start, end, words):
        return None
    return start, end


# First words of places and institutions ("San Israel", "Vieja Libia", "Lake Zachary", "Hotel
# Walker", "Clinique Lavoie"), last words of places ("Conrad Ville", "Elizabeth Quay").
_PLACE_FIRST = {
    "san", "santa", "santo", "são", "sankt", "saint", "sainte", "vieja", "viejo", "nueva",
    "nuevo", "villa", "lake", "port", "fort", "mount", "monte", "ponte", "porto", "puerto",
    "isla", "rocca", "piazza", "stretto", "borgo", "castel", "north", "south", "east", "west",
    "new", "hotel", "clinique", "clinic", "club", "abteilung", "restaurant", "café", "cafe",
    "studio", "praxis", "cabinet", "pharmacie", "farmacia", "apotheke", "banco", "universidad",
    "université", "università", "universität", "instituto", "institut", "colegio", "escuela",
    "école", "scuola", "schule", "museo", "musée", "museum", "teatro", "théâtre", "theater",
    "hospital", "hôpital", "ospedale", "krankenhaus", "estadio", "stade", "parque", "parc",
    "parco", "gare", "estación", "stazione", "bahnhof", "aeropuerto", "aéroport", "flughafen",
    "via", "viale", "rue", "calle", "avenida", "rua", "plaza", "praça", "strada", "corso", "largo",
    "travessa", "carrer", "paseo", "camino", "ruta", "rodovia", "retorno", "prolongación",
    "andador", "privada", "cerrada", "circuito", "callejón", "pasaje", "boulevard", "avenue",
    "chemin", "allée", "quai", "ulica", "aleja", "room",
}  # fmt: skip
# Greetings a model joins to the name or title after them ("Bonjour Me", "Sayın Av").
_GREETING_WORDS = {
    "hi", "hello", "hey", "dear", "bonjour", "salut", "hola", "hallo", "sayın", "gentile",
    "estimado", "estimada", "prezado", "prezada", "szia", "selam", "merhaba", "hei", "hej",
    "kedves", "hoi", "beste", "liebe", "lieber", "caro", "cara", "querido", "querida", "bună",
    "dragă", "ciao", "olá", "oi", "moi", "reply",
}  # fmt: skip
# Short titles that end a model's span before the name ("Sayın Av. Oliver Arsoy").
_TITLE_ENDS = {"dr", "dott", "av", "sn", "me", "mr", "mrs", "ms", "mme", "prof", "lic", "dl", "dna"}
_TITLE_BEFORE = re.compile(rf"\b(?:{_TITLES})\.? $", re.IGNORECASE)
_MONTH_ABBREVIATIONS = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}  # fmt: skip
_PLACE_LAST = {"ville", "quay", "station", "airport", "village", "harbour", "harbor"}
# A house number before a capitalised phrase and a comma, a line's end or a flat after it:
# "8581 Hickman Club Apt. 900", "550 Williams Plains, Clayfort".
_HOUSE_NUMBER_BEFORE = re.compile(r"(?:^|[\s,])\d{1,6}[A-Za-z]?[ \t]$")
_ADDRESS_AFTER = re.compile(
    r"[ \t]*(?:,|\n|$|\.?[ \t]*(?:apt|suite|unit|ste|flat)\b)", re.IGNORECASE
)
# Three single surnames in a row are a firm ("Lewis, Thompson and Carter", "Nijs, Huyghe en
# Verstraete CV"), unless a label before them says they are people ("Present: ...").
_FIRM = re.compile(
    r"(?<!, )(?<!\w)\b([^\W\d_a-z][\w'’-]+), ([^\W\d_a-z][\w'’-]+),? "
    r"(?:and|&|og|och|e|y|és|en|und|et|i|ve|și) ([^\W\d_a-z][\w'’-]+)\b(?! [^\W\d_a-z]\w*,)"
)


def _place_or_firm(text: str, start: int, end: int, words: list[str]) -> bool:
    """Words of a place, a firm, a greeting or a date the NER or a label took for a name."""
    first, last = words[0].lower(), words[-1]
    initial = len(last) == 1 and text.startswith(".", end)  # "Sarah Taylor E."
    if first in _GREETING_WORDS or last.lower() in _TITLE_ENDS or (len(last) == 1 and not initial):
        return True  # "Bonjour Me", "Sayın Av", "Reply C", "Room Hall B"
    if (
        len(words) == 1
        and len(last) <= 2
        and not _TITLE_BEFORE.search(text, max(0, start - 12), start)
    ):
        f = gazetteer.flags(last)
        if last.isupper() or "e" in f or "w" in f:
            return True  # "IP", "Ty" (Polish "you"), "Si" (Spanish "if")
    if len(words) == 1 and first in _MONTH_ABBREVIATIONS and re.match(r"\.? \d", text[end:]):
        return True  # "DOB: Jan 26, 1958"
    if words[0].lower() in _PLACE_FIRST or (len(words) > 1 and words[-1].lower() in _PLACE_LAST):
        return True
    if _HOUSE_NUMBER_BEFORE.search(text, max(0, start - 8), start) and _ADDRESS_AFTER.match(
        text, end
    ):
        return True
    if len(words) == 1:
        line_start = text.rfind("\n", 0, start) + 1
        for m in _FIRM.finditer(text, max(line_start, start - 60), min(len(text), end + 60)):
            if m.start() <= start and end <= m.end():
                return not re.search(r":[ \t]*$", text[line_start : m.start()])
    return False


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
        not_person = [
            (e.start_char, e.end_char)
            for e in getattr(nlp_artifacts, "entities", None) or []
            if e.label_ in _SPACY_NOT_PERSON
        ]
        for s, e, is_strong in labelled_names(text, not_person):
            # A colon may follow: a chat speaker's name ("Agent Maarit:").
            if trim_person(text, s, e, label_colon=False) == (s, e):
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
    if tokens and tokens[0].lower() in _PLACE_FIRST:  # "Fort Collins", "Hotel Walker"
        return [], []
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


def repeated_mentions(text: str, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Later (or earlier) mentions of a word of a name found in the text: minutes that list
    "Gülgen Bilir" and then say "Gülgen sends the offer", a chat that thanks "sonia". Words that
    are ordinary English words, stop words or shorter than three letters are not followed."""
    words: dict[str, None] = {}
    for start, end in names:
        for w in _NAME_WORD.findall(text, start, end):
            low = w.lower()
            if (
                len(w) >= 3
                and low not in _STOP
                and low not in _PARTICLES
                and not (gazetteer.ordinary(w, english_only=True))
            ):
                words[low] = None
    if not words:
        return []
    out = []
    for low in words:
        # As the name was written, capitalised or in capitals; or all lower case as chats do.
        for form in {low.capitalize(), low.upper(), low}:
            pos = text.find(form)
            while pos >= 0:
                end = pos + len(form)
                if _mention_at(text, pos, end, names):
                    out.append((pos, end))
                pos = text.find(form, end)
    return sorted(set(out))


def _mention_at(text: str, start: int, end: int, names: list[tuple[int, int]]) -> bool:
    """A whole word (not inside an address, a longer word or a found name) that is a plausible
    person where it stands."""
    before, after = text[start - 1 : start], text[end : end + 2]
    if before and (before.isalnum() or before in "@.-'’_"):
        return False
    if after[:1] and (after[:1].isalnum() or after[:1] in "@-'’_" or re.match(r"\.\w", after)):
        return False
    if any(s <= start < e for s, e in names):
        return False
    if trim_person(text, start, end, label_colon=False) != (start, end):
        return False
    prev = re.search(r"([^\W\d_]+)[ \t]$", text[max(0, start - 16) : start])
    if prev and prev.group(1).lower() in _PLACE_FIRST:
        return False  # "New Rochelle", "San Diego"
    # Where a text puts a person: opening a line ("Gülgen sends the offer"), a chat speaker, after
    # thanks or a greeting; elsewhere only a given name of no language's words, not after "the",
    # "in", "at" ("the Rhine", "in London", "at Victoria" are no people).
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip(" \t-*•>") or text.startswith(":", end):
        return True
    if _THANKED.search(text, max(0, start - 12), start):
        return True
    word = text[start:end]
    return (
        gazetteer.given(word.title(), strong=True)
        and not gazetteer.ordinary(word.title())
        and not re.search(r"\b(?:the|in|at)\s$", text[max(0, start - 6) : start], re.I)
    )


_THANKED = re.compile(
    r"\b(?:thanks|thank\s+you|thx|ty|gracias|merci|grazie|danke|obrigad[oa]|kiitos|tack|takk|"
    r"dzięki|köszi|mulțumesc|teşekkürler|hi|hey|hello|dear|ciao|hola|salut|hei|hej|szia)[ ,]+$",
    re.IGNORECASE,
)
