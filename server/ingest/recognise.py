"""Reading a statement the way an accountant does: what it is, its scale, currency and periods.

Every function here takes text and returns what the text states, or None: nothing is guessed.
The callers decide where to look (a table's header cells first, then its caption, its heading,
the page header, the document), so a scale in "EUR'000" beside the figures wins over a general
"in thousands" far away.

Which statement a table is lives in `statements`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from server.ingest.statements import statement_from_title
from server.text.dates import MONTH_PATTERN, SPACE, first_date, period_lengths

# ---------------------------------------------------------------------------------- scale

SCALES: dict[str, float] = {"units": 1.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
_CODE = r"[A-Z]{3}"
_SYM = r"[$€£¥₸₽₹]"
# "TEUR" and "MEUR" are thousands and millions of euros; a four-letter capital word such as
# "TERM" or "MILK" is not, so only these codes take the prefix.
# A bare "million" states a scale ("(in million)", "EUR million"); after a figure it is an
# amount ("12.4 million"), which a caption sentence above a table may well mention.
_NO_FIG = r"(?<![\d.,]\s)(?<![\d.,])\b"
_MAJOR = r"(?:EUR|USD|GBP|CHF|JPY|CNY|RUB|KZT|SEK|NOK|DKK|PLN|CZK|HUF|CAD|AUD)"
_SCALE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "billions",
        re.compile(
            rf"(?i:\bin\s+billions\b|\bbillions\s+of\b|{_NO_FIG}(?:billion|bn)\b)|{_SYM}\s?bn\b|\b{_CODE}\s?bn\b"
        ),
    ),
    (
        "millions",
        re.compile(
            rf"(?i:\bin\s+millions\b|\bmillions\s+of\b|{_NO_FIG}(?:million|mln|mn)\b)"
            rf"|{_SYM}\s?['’]?\s?m\b|\b{_CODE}\s?['’]?m\b|\bm{_SYM}|\bM{_MAJOR}\b"
        ),
    ),
    (
        "thousands",
        re.compile(
            rf"(?i:\bin\s+thousands\b|\bthousands\s+of\b|{_NO_FIG}thousands?\b|\bin\s+['’‘]000)"
            rf"|['’‘`]\s?000\b|\b000['’]?s\b|{_SYM}\s?['’]?0{{3}}\b|\(0{{3}}\)|\b{_CODE}\s?['’]?0{{3}}\b"
            rf"|\bT{_MAJOR}\b|\bk{_SYM}|{_SYM}\s?k\b|\bk{_CODE}\b|\bT{_SYM}|\b0{{3}}\s?{_CODE}\b"
        ),
    ),
]
# "In thousands of ..." is only a scale statement in a short line; in a sentence like "a loss of
# 12,400 thousand" it is a narrative amount.
_SCALE_SENTENCE = re.compile(
    r"(?i)\b(?:amounts?|figures?|expressed|presented|stated|shown|all\s+amounts)\b.{0,60}?"
    r"\bin\s+(?:(?:[A-Z]{3}|\w+)\s+)?(thousands|millions|billions)\b"
)


def find_scale(text: str) -> str | None:
    """The scale ("thousands", ...) a header, caption or short line states, or None."""
    if not text or len(text) > 200:
        return _scale_sentence(text)
    for name, pattern in _SCALE_PATTERNS:
        if pattern.search(text):
            return name
    if re.search(r"(?i)\bin\s+units\b|\bin\s+(?:whole\s+)?(?:euros?|dollars?|tenge)\b", text):
        return "units"
    return None


def _scale_sentence(text: str) -> str | None:
    m = _SCALE_SENTENCE.search(text or "")
    return m.group(1).lower() if m else None


def document_scale(text: str) -> str | None:
    """A document-wide rounding statement ("All amounts are in thousands of euros")."""
    return _scale_sentence(text)


# ------------------------------------------------------------------------------- currency

_SYMBOL_CURRENCY = [
    ("GH₵", "GHS"),
    ("GH¢", "GHS"),
    ("₵", "GHS"),
    ("₦", "NGN"),
    ("₪", "ILS"),
    ("₫", "VND"),
    ("₼", "AZN"),
    ("₾", "GEL"),
    ("zł", "PLN"),
    ("Kč", "CZK"),
    ("US$", "USD"),
    ("A$", "AUD"),
    ("C$", "CAD"),
    ("HK$", "HKD"),
    ("NZ$", "NZD"),
    ("S$", "SGD"),
    ("R$", "BRL"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("₸", "KZT"),
    ("₽", "RUB"),
    ("₹", "INR"),
    ("¥", "JPY"),
    ("₩", "KRW"),
    ("₺", "TRY"),
    ("₴", "UAH"),
    ("$", "USD"),
]
_EXTRA_NAMES = {
    "euro": "EUR",
    "euros": "EUR",
    "us dollar": "USD",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "united states dollars": "USD",
    "dollars": "USD",
    "pounds sterling": "GBP",
    "sterling": "GBP",
    "british pounds": "GBP",
    "kazakhstani tenge": "KZT",
    "kazakhstan tenge": "KZT",
    "tenge": "KZT",
    "russian roubles": "RUB",
    "russian rubles": "RUB",
    "roubles": "RUB",
    "rubles": "RUB",
    "swiss francs": "CHF",
    "japanese yen": "JPY",
    "renminbi": "CNY",
    "chinese yuan": "CNY",
    "indian rupees": "INR",
    "danish kroner": "DKK",
    "norwegian kroner": "NOK",
    "swedish kronor": "SEK",
    "hryvnias": "UAH",
    "uzbek sum": "UZS",
    "tenges": "KZT",
    "south african rand": "ZAR",
    "south african rands": "ZAR",
    "vietnamese dong": "VND",
    "korean won": "KRW",
    "south korean won": "KRW",
}
# Three-letter words that are currency codes but also ordinary capitals in a header.
_NOT_CURRENCY = {"ALL", "CUP", "TOP", "MOP", "BOB", "PEN", "TRY", "SOS", "GEL", "MAD", "PAB"}
# Metals and accounting units (XAU gold, XDR special drawing rights) are not what statements
# are presented in, and a mining company writes "gold" in every caption.
_NOT_CURRENCY |= {"XAU", "XAG", "XPT", "XPD", "XDR", "XTS", "XXX", "XSU", "XUA"}
_NOT_CURRENCY |= {"XBA", "XBB", "XBC", "XBD"}
# One-word currency names that are ordinary English words: "won a contract", "rand", "sol".
_WORD_NAMES = {"won", "dong", "rand", "sol", "som", "lek", "kina", "sucre", "leone", "tala"}
_WORD_NAMES |= {"loti", "pula", "vatu", "mvdol", "dobra", "real", "kip"}


@lru_cache(maxsize=1)
def _currency_tables() -> tuple[frozenset[str], list[tuple[re.Pattern[str], str]]]:
    codes = frozenset(c.alpha_3 for c in pycountry.currencies) - _NOT_CURRENCY
    names: dict[str, str] = {}
    for c in pycountry.currencies:
        name = c.name.lower()
        if c.alpha_3 in codes and len(name) > 3 and name not in _WORD_NAMES:
            names[name] = c.alpha_3
            names[name + "s"] = c.alpha_3
    names.update(_EXTRA_NAMES)
    ordered = sorted(names, key=len, reverse=True)
    patterns = [(re.compile(rf"(?i)\b{re.escape(n)}\b"), names[n]) for n in ordered]
    return codes, patterns


def find_currency(text: str) -> str | None:
    """The ISO 4217 code a header or caption states ("EUR'000", "in thousands of tenge", "€m")."""
    if not text:
        return None
    codes, names = _currency_tables()
    for m in re.finditer(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])", text):
        if m.group(1) in codes:
            return m.group(1)
    prefixed = re.search(r"(?<![A-Za-z])[TkM]([A-Z]{3})(?![A-Za-z])", text)  # TEUR, kUSD
    if prefixed and prefixed.group(1) in codes:
        return prefixed.group(1)
    for symbol, code in _SYMBOL_CURRENCY:
        if symbol in text:
            return code
    if re.search(
        r"(?i)\bin\s+(?:thousands|millions|billions|units)\s+of\b|\bamounts?\b|\bin\b", text
    ):
        for pattern, code in names:
            if pattern.search(text):
                return code
    return None


# -------------------------------------------------------------------------------- periods

_MONTH = rf"(?:{MONTH_PATTERN})\.?"
_SP = SPACE
_FISCAL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[/–-]\s*(\d{2}|(?:19|20)\d\d)(?!\d)")
_YEAR = re.compile(r"(?<![\d,.])(?:FY\s?)?((?:19[5-9]|20\d)\d)(?![\d,])")


@dataclass(frozen=True, slots=True)
class Period:
    label: str  # as printed, tidied: "31 December 2024", "2024"
    end: str | None  # ISO date when a day is stated
    year: int
    restated: bool = False


def find_date(text: str) -> tuple[str, str] | None:
    """The first full date in `text`: (as printed, ISO)."""
    found = first_date(text)
    return (_tidy(found.text), found.value.isoformat()) if found else None


def find_period(header: str) -> Period | None:
    """The period a column header names: a date, or a year ("2024", "FY2024", "2023 restated")."""
    text = header.replace("\u00a0", " ")
    restated = bool(re.search(r"(?i)\brestated\b|\bas\s+adjusted\b|\brepresented\b", text))
    date = find_date(text)
    if date:
        return Period(_duration(text) + date[0], date[1], int(date[1][:4]), restated)
    fiscal = _FISCAL_YEAR.search(text)
    if fiscal:  # "2023/24" and "2023-2024" name the year that ends in 2024
        first, second = int(fiscal.group(1)), fiscal.group(2)
        year = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if year == first + 1:
            return Period(fiscal.group(0), None, year, restated)
    years = {int(y) for y in _YEAR.findall(text)}
    if len(years) == 1:
        year = years.pop()
        return Period(str(year), None, year, restated)
    return None


def _duration(header: str) -> str:
    """ "Three months ended " when the header states a period shorter than a year: the 3- and
    9-month columns of an interim statement end on the same day and must not look alike."""
    lengths = period_lengths(header)
    return lengths[0].label() if lengths else ""


def _tidy(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


_PERIOD_END_PHRASE = re.compile(
    rf"(?i)\b(?:as\s+at|as\s+of|at|for\s+the\s+(?:year|period|six\s+months|three\s+months|"
    rf"twelve\s+months|financial\s+year)s?\s+ended|(?:year|period)\s+ended|ended)"
    rf"{_SP}((?:\d{{1,2}}{_SP}{_MONTH},?{_SP}\d{{4}})|(?:{_MONTH}{_SP}\d{{1,2}},?{_SP}\d{{4}}))"
)


def find_period_end(text: str) -> str | None:
    """ISO date of "as at 31 December 2024" / "for the year ended December 31, 2024"."""
    m = next(
        (
            m
            for m in _PERIOD_END_PHRASE.finditer(text or "")
            if not re.search(r"(?i)\b(?:balances?|opening)\s+(?:as\s+)?$", text[: m.start()])
        ),
        None,
    )
    if not m:
        return None
    date = find_date(m.group(1))
    return date[1] if date else None


# ---------------------------------------------------------------------------------- notes

_NOTE_WORD = re.compile(r"(?i)^note\s+(\d{1,3}(?:\.\d{1,2})*)(?![\d,])\s*[.:)\-–—]?\s*(.*)$")
_NUMBERED = re.compile(
    r"^(\d{1,3}(?:\.\d{1,2}){0,2})(?![\d,])(?:\.|\)|\s)\s*([A-Z(\"'‘“].{1,150})$"
)
_NOTES_SECTION = re.compile(r"(?i)^(?:selected\s+)?(?:explanatory\s+)?notes\s+to\s+(?:the\s+)?")


@dataclass(frozen=True, slots=True)
class NoteTitle:
    number: str
    title: str

    @property
    def depth(self) -> int:
        return self.number.count(".")


def note_title(text: str, numbered_ok: bool = True) -> NoteTitle | None:
    """ "Note 12 Property, plant and equipment" or "12. Property, plant and equipment"."""
    text = text.strip()
    if not text or len(text) > 160 or text.endswith((".", ";", ",")) and len(text.split()) > 12:
        return None
    m = _NOTE_WORD.match(text)
    if m:
        return NoteTitle(m.group(1), m.group(2).strip() or text)
    if numbered_ok:
        m = _NUMBERED.match(text)
        if m and int(m.group(1).split(".")[0]) <= 150 and not re.search(r"\d[\d,]{3,}", m.group(2)):
            return NoteTitle(m.group(1), m.group(2).strip())
    return None


def is_notes_heading(text: str) -> bool:
    return bool(_NOTES_SECTION.match(text.strip()))


_NOTE_HEADER = re.compile(
    r"(?i)^(?:notes?|note\s*(?:ref(?:erence)?\.?|no\.?|#)|ref\.?|прим\.?|примечани[ея]"
    r"|anhang|erl[äa]uterung(?:en)?|annexe|nota|toelichting)$"
)
_NOTE_REF = re.compile(
    r"^\d{1,3}(?:\.\d{1,2})*[a-z]?(?:\s*(?:,|&|and|-|–)\s*\d{1,3}(?:\.\d{1,2})*[a-z]?)*$"
)


def is_note_header(text: str) -> bool:
    return bool(_NOTE_HEADER.match(text.strip()))


def is_note_reference(text: str) -> bool:
    return bool(_NOTE_REF.match(text.strip()))


# ------------------------------------------------------------------------------- labels

_LABEL_NOTE = re.compile(
    r"(?i)\s*[(\[]?\b(?:see\s+)?notes?\s+(\d{1,3}(?:\.\d{1,2})*[a-z]?)[)\]]?\s*$"
)
_LABEL_MARKER = re.compile(r"(?:\s*(?:[*†‡§]+|\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))+$")


_BULLET = re.compile(r"^(?:[-–—•·▪]|\u2212)\s+(?=\S)")


def clean_label(text: str) -> tuple[str, str | None]:
    """A row label without non-breaking or double spaces and trailing markers; and its note."""
    label = re.sub(r"[\s\u00a0\u2009\u202f]+", " ", text).strip()
    label = _BULLET.sub("", label)  # "– Depreciation" under "Adjustments for:"
    note = None
    m = _LABEL_NOTE.search(label)
    if m and m.start() > 0:
        note = m.group(1)
        label = label[: m.start()].rstrip()
    stripped = _LABEL_MARKER.sub("", label).rstrip()
    if stripped:
        label = stripped
    return label.rstrip(), note


# ------------------------------------------------------------------------ document facts

_LEGAL_FORM = re.compile(
    r"(?:\b(?:(?i:plc|ltd\.?|limited|llp|llc|inc\.?|incorporated|corp\.?|corporation|holdings?|group)"
    r"|JSC|PJSC|OJSC|CJSC|AO|PAO|TOO|S\.A\.|SA|S\.p\.A\.|AG|SE|GmbH|N\.V\.|NV|B\.V\.|BV|AB|ASA"
    r"|A/S|Oyj|S\.A\.S\.|SAS)(?=$|[\s,.)]))"
)


def find_entity_name(lines: Iterable[str]) -> str | None:
    """The reporting entity's name: the first short line that ends in a legal form."""
    for raw in lines:
        line = re.sub(r"\s+", " ", raw).strip()
        if not line or len(line) > 120 or statement_from_title(line):
            continue
        if re.search(r"(?i)\bnotes?\s+to\b|\bfor\s+the\s+year\b|\bas\s+at\b|\bcontents\b", line):
            continue
        m = _LEGAL_FORM.search(line)
        if not m or len(line[: m.end()].split()) > 8:
            continue
        sentence = line.endswith(".") and m.end() < len(line) - 1
        if not sentence and ":" not in line[: m.start()]:
            name = line[: m.end()].strip(" ,")
            name = re.sub(r"(?i)^(?:the\s+)", "", name)
            if len(name) >= 3 and name[0].isalnum():
                return name
    return None
