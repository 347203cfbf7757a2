"""Numbers as accountants print them.

A statement cell is not a Python literal: "(1,234)" is negative, "–" and "nil" are a deliberate
zero, "1 234" uses a (often non-breaking) space for thousands, "€ 12" and "EUR 12" carry a
currency, "1,234*" and "1,234 (a)" carry footnote markers, "12.5%" is a rate. `parse_number`
reads all of these and returns the value in printed units plus what kind of figure it was; it
returns None for anything that is not a figure (labels, dates, "n/a"), so a caller never
mistakes text for an amount.

Deliberate choices, do not "fix" without reading why:
- "1,234" and "1.234.567" are thousands; a single "1.234" is a decimal (English print is the
  common case in our inputs); "1.234,5" (dot then comma) is continental.
- "12,5" (one comma, one or two digits after) is a decimal comma, as no English statement
  prints a thousands group shorter than three digits.
- A date ("31.12.2024", "2024-12-31") is not a number: its groups break the thousands rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Spaces used as thousands separators: space, no-break space, thin space, narrow no-break space,
# figure space.
_SPACES = "\u0020\u00a0\u2009\u202f\u2007"
_DASHES = "-\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_MINUS_SIGNS = "-\u2212\u2013\u2012\ufe63\uff0d"  # a dash right before digits is a minus sign

# Multipliers of the scale words prose puts after an amount ("EUR 12.4 million", "GH₵ 3bn").
SCALE_WORDS: dict[str, float] = {
    "thousand": 1e3,
    "thousands": 1e3,
    "k": 1e3,
    "'000": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mln": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "tn": 1e12,
}

NIL_WORDS = frozenset({"nil", "none", "—", "–", "-", "−", "--", "---", "(-)", "(–)", "‒"})
NOT_APPLICABLE = frozenset({"n/a", "n.a.", "n.a", "na", "n/m", "nm", "not applicable"})

_CURRENCY_SYMBOLS = "$€£¥₸₽₹₩₺₴₦₱₵₪₫₼₾¢"
_CURRENCY_CODE = r"(?:[A-Z]{3}|US\$|A\$|C\$|NZ\$|HK\$|S\$|R\$|GH₵|GH¢|kr\.?|Fr\.?|zł|Kč)"
_LEADING_CURRENCY = re.compile(rf"^(?:{_CURRENCY_CODE}|[{_CURRENCY_SYMBOLS}])\s*")
_TRAILING_CURRENCY = re.compile(rf"\s*(?:{_CURRENCY_CODE}|[{_CURRENCY_SYMBOLS}])$")
# Footnote markers after a figure: "*", "†", "‡", "(a)", "(iv)", superscript digits, "a)".
_TRAILING_MARKER = re.compile(
    r"(?:\s*(?:[*†‡§#]+|\((?:[a-z]|[ivx]{1,4})\)|[a-z]\)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\s[a-z]))+$"
)
_GROUPED_COMMA = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_GROUPED_INDIAN = re.compile(r"^\d{1,2}(?:,\d{2})*,\d{3}(?:\.\d+)?$")
_GROUPED_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_GROUPED_APOSTROPHE = re.compile(r"^\d{1,3}(?:['’]\d{3})+(?:\.\d+)?$")
_GROUPED_SPACE = re.compile(rf"^\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d+)?$")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$|^\.\d+$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}$")


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A printed figure: `value` in printed units (0.0 for nil), with what kind of figure it is."""

    value: float
    nil: bool = False
    percent: bool = False


@lru_cache(maxsize=65536)
def parse_number(text: str, continental: bool = False) -> ParsedNumber | None:
    """The figure printed in `text`, or None when the text is not a figure.

    `continental` reads "1.234" as a thousand and "12,5" as a decimal, for documents whose
    figures are printed that way (see `continental_style`)."""
    s = _normalise(text)
    if continental:
        s = s.translate(_SWAP_SEPARATORS)
    if not s:
        return None
    low = s.lower()
    bare = s[1:-1].strip() if s.startswith("(") and s.endswith(")") else s
    if low in NIL_WORDS or (bare and all(ch in _DASHES for ch in bare)):
        return ParsedNumber(0.0, nil=True)
    if low in NOT_APPLICABLE or len(s) > 40:
        return None

    s = _TRAILING_MARKER.sub("", s).strip()
    negative = False
    if s.startswith("(") and (s.endswith(")") or s.endswith(")%")):
        negative = True
        s = s[1:].replace(")", "", 1) if s.endswith(")%") else s[1:-1]
        s = s.strip()
    percent = False
    if s.endswith("%"):
        percent = True
        s = s[:-1].strip()
        if s.endswith(")") and s.startswith("("):
            negative, s = True, s[1:-1].strip()

    s = _strip_currency(s)
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s[:1] in _MINUS_SIGNS:
        if s[1:2].isspace() and _LEADING_CURRENCY.match(s[1:].strip()):
            return None  # "$ - $ 245": a nil cell and a figure run together, not a minus
        negative, s = True, s[1:].strip()
    elif len(s) > 1 and s[-1] in _MINUS_SIGNS and s[-2].isdigit():
        negative, s = True, s[:-1]  # "1,234-": the trailing minus of ledger printouts
    elif s[:1] == "+":
        s = s[1:].strip()
    s = _strip_currency(s)
    if s.endswith("%"):
        percent, s = True, s[:-1].strip()
    if not s:
        return None
    if s.lower() in NIL_WORDS:
        return ParsedNumber(0.0, nil=True)

    value = _digits(s, percent)
    if value is None:
        return None
    return ParsedNumber(-value if negative else value, nil=False, percent=percent)


_SWAP_SEPARATORS = str.maketrans(".,", ",.")
_CONTINENTAL = re.compile(r"\d{1,3}(?:\.\d{3})+,\d|\d\.\d{3}\.\d{3}(?!\d)|^[(−-]?\d+,\d{1,2}\)?%?$")
_ENGLISH = re.compile(r"\d{1,3}(?:,\d{3})+\.\d|\d,\d{3},\d{3}(?!\d)|^[(−-]?\d+\.\d{1,2}\)?%?$")


def continental_style(texts: list[str]) -> bool:
    """Whether a document prints "1.234,5" rather than "1,234.5": decided only by figures that
    can be read one way alone ("1.234.567", "1.234,5", "12,5"), by majority; English otherwise."""
    continental = sum(1 for t in texts if _CONTINENTAL.search(t.strip()))
    english = sum(1 for t in texts if _ENGLISH.search(t.strip()))
    return continental > english


def is_figure(text: str) -> bool:
    """True when the cell prints a figure (including a nil dash), not text."""
    return parse_number(text) is not None


def _normalise(text: str) -> str:
    s = text.replace("\u00ad", "").replace("\u200b", "").strip()
    s = re.sub(r"\s+", lambda m: m.group(0)[0] if len(m.group(0)) == 1 else " ", s)
    return s.strip(" \u00a0")


def _strip_currency(s: str) -> str:
    s = _LEADING_CURRENCY.sub("", s, count=1)
    s = _TRAILING_CURRENCY.sub("", s, count=1)
    return s.strip()


def _digits(s: str, percent: bool) -> float | None:
    s = s.strip(_SPACES)
    if _PLAIN.match(s):
        return float(s)
    if _GROUPED_COMMA.match(s) or _GROUPED_INDIAN.match(s):
        return float(s.replace(",", ""))
    if _GROUPED_APOSTROPHE.match(s):
        return float(s.replace("'", "").replace("’", ""))
    if _GROUPED_SPACE.match(s):
        compact = re.sub(f"[{_SPACES}]", "", s)
        return float(compact.replace(",", "."))
    if _GROUPED_DOT.match(s) and (s.count(".") > 1 or "," in s):
        return float(s.replace(".", "").replace(",", "."))
    if _DECIMAL_COMMA.match(s):
        return float(s.replace(",", "."))
    if percent and re.fullmatch(r"\d+,\d+", s):
        return float(s.replace(",", "."))
    return None
