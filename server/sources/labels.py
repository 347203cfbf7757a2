"""Line labels, note titles and dates as two reports (or a report and a register) print them.

Two years of the same report rarely print a line identically: non-breaking spaces, a note
marker, "Profit/(loss) for the year" against "Profit for the year", "12. Inventories" against
"13 Inventories". Matching goes through `normalise_label` so those differences vanish, while
anything that changes the meaning (a different word, a different date) is kept.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_MONTH_RE = "|".join(MONTHS)
DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\s*,?\s+(\d{{4}})\b", re.I
)
MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(\d{{4}})\b", re.I
)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
YEAR = re.compile(r"(?<![\d.,])(19\d{2}|20\d{2})(?![\d.,%])")

_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
_NOTE_MARKER = re.compile(r"\(\s*(?:note|notes)\s*[\w.,\s]*\)|\bnotes?\s+\d+[\w.]*\s*$", re.I)
_TRAILING_MARK = re.compile(r"(?:\s*(?:[*†‡]+|\([a-z]\)|\(\d{1,2}\)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))+$")
_LEADING_NUMBER = re.compile(r"^\s*(?:note\s+)?\(?[0-9]{1,3}(?:\.[0-9]{1,2})*\)?[.:)\-–]?\s+", re.I)
_CONTINUED = re.compile(r"[\s(\-–]*\b(?:continued|cont'?d)\b[)\s.]*$", re.I)
_PROFIT_LOSS = re.compile(
    r"\b(profit|loss|income|gain|surplus)\s*/\s*\((\w+)\)|\((\w+)\)\s*/\s*(\w+)"
)
_FOR_THE_YEAR = re.compile(r"\bfor the (?:financial )?(?:year|period)\b")
_PUNCT = re.compile(r"[^\w\s]")


def clean_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def normalise_label(text: str) -> str:
    """A line label reduced to what identifies the line, for matching across documents."""
    s = clean_spaces(text).replace("’", "'").replace("–", "-").replace("—", "-")
    s = _TRAILING_MARK.sub("", s)
    s = _NOTE_MARKER.sub("", s).lower()
    s = _PROFIT_LOSS.sub(lambda m: m.group(1) or m.group(4), s)
    s = s.replace("&", " and ")
    s = _FOR_THE_YEAR.sub("", s)
    s = _PUNCT.sub(" ", s)
    return clean_spaces(s)


def strip_numbering(title: str) -> str:
    """A note or section title without its number: "12. Inventories" -> "inventories"."""
    text = _CONTINUED.sub("", _LEADING_NUMBER.sub("", clean_spaces(title)))
    return normalise_label(text)


def find_dates(text: str) -> list[tuple[date, str]]:
    """Every full date written in `text` (day month year, month day year, 31.12.2024, ISO),
    with the text as printed, in order of appearance."""
    found: list[tuple[int, date, str]] = []
    for m in DAY_MONTH_YEAR.finditer(text):
        _add(found, m.start(), int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)), m)
    for m in MONTH_DAY_YEAR.finditer(text):
        _add(found, m.start(), int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)), m)
    for m in NUMERIC_DATE.finditer(text):
        _add(found, m.start(), int(m.group(3)), int(m.group(2)), int(m.group(1)), m)
    for m in ISO_DATE.finditer(text):
        _add(found, m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3)), m)
    return [(d, s) for _, d, s in sorted(found, key=lambda f: f[0])]


def _add(
    found: list[tuple[int, date, str]], pos: int, y: int, mo: int, d: int, m: re.Match[str]
) -> None:
    try:
        found.append((pos, date(y, mo, d), m.group(0)))
    except ValueError:
        return


def years_in(text: str) -> list[int]:
    return [int(y) for y in YEAR.findall(text)]
