"""Dates as statements print them: "31 December 2024", "Dec. 31, 2024", "2024-12-31", "31.12.2024".

One finder for every reader and agent, so a header, a sentence and a label agree on what is a
date. Numeric dates are read day first ("01/02/2024" is 1 February) unless that is impossible
("12/31/2024" is 31 December): the European and IFRS default, and unambiguous US dates still
read right.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS: dict[str, int] = {
    name.lower(): i
    for i in range(1, 13)
    for name in (calendar.month_name[i], calendar.month_abbr[i])
}
MONTHS["sept"] = 9

# Month names and abbreviations (case-insensitive use), longest first so "Sept" beats "Sep".
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
SPACE = r"[\s\u00a0\u202f]+"
_MONTH = rf"(?:{MONTH_PATTERN})\.?"
_DMY = re.compile(rf"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?{SPACE}({_MONTH}),?{SPACE}(\d{{4}})\b")
_MDY = re.compile(rf"(?i)\b({_MONTH}){SPACE}(\d{{1,2}})(?:st|nd|rd|th)?,?{SPACE}(\d{{4}})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
# A day and month with or without a year ("31 December", "December 31, 2024"): for stripping
# dates out of labels such as "Balance at 31 December".
DAY_MONTH = re.compile(
    rf"(?i)\b(?:\d{{1,2}}(?:st|nd|rd|th)?{SPACE}{_MONTH}(?:,?{SPACE}(?:19|20)\d\d)?"
    rf"|{_MONTH}{SPACE}\d{{1,2}}(?:st|nd|rd|th)?(?:,?{SPACE}(?:19|20)\d\d)?)\b"
)
YEAR = re.compile(r"(?<!\d)(?<!\d[.,])(?:19|20)\d\d(?!\d|[.,]\d|%)")


@dataclass(frozen=True, slots=True)
class DateMention:
    value: date
    start: int  # offset in the searched text
    end: int
    text: str  # as printed


def find_dates(text: str) -> list[DateMention]:
    """Every full date in `text`, in order of appearance, none overlapping another."""
    found: list[DateMention] = []
    for m in _DMY.finditer(text):
        _add(found, m, int(m.group(3)), _month(m.group(2)), int(m.group(1)))
    for m in _MDY.finditer(text):
        _add(found, m, int(m.group(3)), _month(m.group(1)), int(m.group(2)))
    for m in _ISO.finditer(text):
        _add(found, m, int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for m in _NUMERIC.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        day, month = (b, a) if b > 12 >= a else (a, b)
        _add(found, m, int(m.group(3)), month, day)
    found.sort(key=lambda d: d.start)
    out: list[DateMention] = []
    for mention in found:
        if not out or mention.start >= out[-1].end:
            out.append(mention)
    return out


def first_date(text: str) -> DateMention | None:
    dates = find_dates(text)
    return dates[0] if dates else None


def years_in(text: str) -> list[int]:
    """Four-digit years (1900-2099) standing alone: not inside 1,2019 or 2019.5 or 2019%."""
    return [int(y) for y in YEAR.findall(text)]


def strip_dates(text: str) -> str:
    """`text` without its dates and years: "balance at 31 december 2024" -> "balance at"."""
    s = DAY_MONTH.sub("", text)
    s = YEAR.sub("", s)
    return re.sub(r"\s+", " ", s).strip(" ,")


def iso(year: int, month: int, day: int) -> str | None:
    """ISO text of a valid date between 1900 and 2100, else None."""
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value.isoformat() if 1900 <= year <= 2100 else None


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _add(found: list[DateMention], m: re.Match[str], year: int, month: int, day: int) -> None:
    if not 1900 <= year <= 2100:
        return
    try:
        value = date(year, month, day)
    except ValueError:
        return
    found.append(DateMention(value, m.start(), m.end(), m.group(0)))


# How long a reported period is, as a heading or a sentence says it just before the end date:
# "three months ended", "13 weeks ended", "nine-month period ending", "quarter ended".
_LENGTH = re.compile(
    r"(?i)\b(?:(three|six|nine|twelve|thirteen|\d{1,2})[- ]+(months?|weeks?)(?:[- ]+period)?"
    r"|(?:fiscal[ ]+)?(quarters?))[ ]+(?:ended|ending)\b"
)
_COUNTS = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "thirteen": 13}


@dataclass(frozen=True, slots=True)
class PeriodLength:
    """A stated period length: `count` 3 and `unit` "months", or `unit` "quarter" (count 1)."""

    count: int
    unit: str  # "months" | "weeks" | "quarter"
    start: int
    end: int
    said: str = ""  # the count as printed: "three", "13"

    @property
    def interim(self) -> bool:
        """Shorter than a year: a quarter, 1-11 months, fewer than 52 weeks."""
        limit = {"months": 12, "weeks": 52, "quarter": 4}[self.unit]
        return self.count < limit

    def label(self) -> str:
        """ "Three months ended ", "13 weeks ended ", "Quarter ended ": the prefix of a column's
        period, so the 3- and 9-month columns of an interim statement do not look alike."""
        if self.unit == "quarter":
            return "Quarter ended "
        return f"{(self.said or str(self.count)).capitalize()} {self.unit} ended "


def period_lengths(text: str) -> list[PeriodLength]:
    """Every stated period length in `text`, in order."""
    found = []
    for m in _LENGTH.finditer(text):
        if m.group(3):
            found.append(PeriodLength(1, "quarter", m.start(), m.end()))
            continue
        word = m.group(1).lower()
        count = _COUNTS[word] if word in _COUNTS else int(word)
        unit = "months" if m.group(2).lower().startswith("month") else "weeks"
        found.append(PeriodLength(count, unit, m.start(), m.end(), word))
    return found
