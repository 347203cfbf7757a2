"""How a line label, a column header or a note title is compared: one answer everywhere.

Two tables, two years of a report, or a report and a register rarely print a line identically:
non-breaking spaces and ligatures, en dashes and curly quotes, a footnote marker ("Revenue¹",
"Goodwill*", "Leases (a)"), a note reference ("Inventories (note 12)"), "Profit/(loss) for the
year" against "(Loss)/profit for the year", "authorized" against "authorised". `normalise_label`
removes exactly those differences and keeps everything that changes the meaning (words, dates,
"Level 1" against "Level 2"). `match_key` goes one step further for matching lines across
documents, where "for the year" and punctuation carry no meaning.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2009]+")
_FOLD = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2032": "'",
        "`": "'",
    }
)
# British spelling is the canonical form; American variants are folded into it.
_SPELLING = (
    (re.compile(r"\b(\w{3,})iz(e|es|ed|ing|ation|ations)\b"), r"\1is\2"),
    (re.compile(r"\bjudgments?\b"), lambda m: m.group(0).replace("judgment", "judgement")),
    (re.compile(r"\blabor\b"), "labour"),
    (re.compile(r"\bprogram\b"), "programme"),
)
# Footnote markers after a label: asterisks, daggers, superscripts, "(a)", "(1)".
_FOOTNOTE = re.compile(
    r"(?:\s*(?:[*\u2020\u2021]+|[\u00b9\u00b2\u00b3\u2070-\u2079]+|\([a-zA-Z]\)|\(\d{1,2}\)))+$"
)
_NOTE_REFERENCE = re.compile(r"\s*\(\s*notes?\b[\w.,\s]*\)$|\s+notes?\s+\d+[\w.]*$")
_PROFIT_LOSS = re.compile(
    r"\b(?:profit\s*/\s*\(loss\)|\(loss\)\s*/\s*profit|profit\s*/\s*loss|loss\s*/\s*profit)"
)
_INCOME_EXPENSE = re.compile(r"\b(income|expense)\s*/\s*\((income|expense)\)")
_SLASH_PAREN = re.compile(r"\b([a-z]+)\s*/\s*\([a-z]+\)")  # "earnings/(loss)" -> "earnings"
_PAREN_SLASH = re.compile(r"\(([a-z]+)\)\s*/\s*([a-z]+)\b")  # "(loss)/earnings" -> "earnings"
_FOR_THE_YEAR = re.compile(r"\bfor the (?:financial )?(?:year|period)\b")
_PUNCTUATION = re.compile(r"[^\w\s]")
_LEADING_NUMBER = re.compile(r"^\s*(?:note\s+)?\(?[0-9]{1,3}(?:\.[0-9]{1,2})*\)?[.:)\-]?\s+")
_CONTINUED = re.compile(r"[\s(\-]*\b(?:continued|cont'?d)\b[)\s.]*$")

CACHE = 1 << 16  # labels repeat across tables and checks: normalise each once


def clean_spaces(text: str) -> str:
    """One plain space between words, none at the ends."""
    return _SPACES.sub(" ", text).strip()


def normalise(text: str) -> str:
    """Prose for comparison: lower case, one kind of space, dash and quote, '&' as 'and',
    British spelling."""
    t = text.translate(_FOLD).lower().replace("&", " and ")
    t = _SPACES.sub(" ", t).strip()
    for pattern, repl in _SPELLING:
        t = pattern.sub(repl, t)
    return t


@lru_cache(maxsize=CACHE)
def normalise_label(label: str) -> str:
    """A label ready for comparison: `normalise`d, footnote markers and note references dropped,
    "profit/(loss)" and the like folded to their first-named (positive) word."""
    t = unicodedata.normalize("NFKC", _FOOTNOTE.sub("", label.strip()))
    t = normalise(t)
    t = _PROFIT_LOSS.sub("profit", t)
    t = _INCOME_EXPENSE.sub(r"\1", t)
    t = _SLASH_PAREN.sub(r"\1", t)
    t = _PAREN_SLASH.sub(r"\2", t)
    t = _NOTE_REFERENCE.sub("", t)
    return t.rstrip(":;,.* ").strip()


@lru_cache(maxsize=CACHE)
def match_key(label: str) -> str:
    """What identifies a line across documents: the normalised label without "for the year"
    and punctuation ("Profit/(loss) for the year:" and "Profit" give the same key)."""
    t = _FOR_THE_YEAR.sub("", normalise_label(label))
    return clean_spaces(_PUNCTUATION.sub(" ", t))


def title_key(title: str) -> str:
    """A note or section title without its number or "(continued)": "12. Inventories" ->
    "inventories"."""
    t = _LEADING_NUMBER.sub("", clean_spaces(title))
    t = _CONTINUED.sub("", t.lower())
    return match_key(t)
