"""Numbers in prose: amounts, percentages and years, with the precision they were written to.

"EUR 12.4 million" stands for [12.35, 12.45) million, "12,400 thousand" for 12,400 +/- 500, and a
bare "12,400" in a note to tables "in thousands" for 12,400 printed units. Years, day numbers of
dates, note and paragraph references, and counts ("30 days", "250 employees") are not amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.ingest.numbers import SCALE_WORDS
from server.text.dates import find_dates

_NUMBER = re.compile(
    r"(?<![\d.,/])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d/]|,\d{3}|\.\d)"
)
CURRENCY_TOKEN = (
    r"(?:\b(?:eur|usd|gbp|chf|kzt|rub|uah|pln|sek|nok|dkk|jpy|cny|inr|aud|cad|nzd|zar|huf|czk|ron|try)"
    r"|ghs|ghc|ngn|kes|ksh|zmw|tzs|ugx|egp|mad|brl|mxn|sgd|hkd|myr|idr|php|thb|krw|aed|sar|qar"
    r"|gh₵|us\$|a\$|c\$|r\$|s\$|hk\$|n\$|[€$£¥₸₽₵₦₹₺])"
)
_CURRENCY_BEFORE = re.compile(CURRENCY_TOKEN + r"\s?(?:'000\s?)?$", re.I)
_CURRENCY_AFTER = re.compile(
    r"^\s?(?:eur|usd|gbp|chf|kzt|rub|ghs|euros?|dollars?|pounds?|tenge|roubles?|rubles?|cedis?|naira"
    r"|rand|francs?|krona|kronor|kroner|yen|yuan|rupees?)\b",
    re.I,
)
_SCALE_AFTER = re.compile(
    r"^\s?(thousands?|millions?|billions?|mln|mn|bn|m|k|'000|tn)(?![a-z])", re.I
)
_PERCENT_AFTER = re.compile(r"^\s?(%|per\s?cent\b|percent\b)", re.I)
_REFERENCE_BEFORE = re.compile(
    r"\b(?:ias|ifrs|ifric|sic|note|notes|paragraphs?|paras?|section|level|stage|tier|page|pages"
    r"|article|no\.?|number|item|phase|chapter|schedule|appendix|clause|part|step|dqc)\s*$",
    re.I,
)
_COUNT_AFTER = re.compile(
    r"^\s?(?:days?|months?|years?|weeks?|hours?|employees?|people|persons|staff|shares?|times"
    r"|x\b|km|tonnes?|tons?|sq|square|m2|hectares?|subsidiaries|entities|branches|stores|sites"
    r"|members|directors|customers|countries|per share|basis points|bps|bp\b)",
    re.I,
)
_PER_UNIT_AFTER = re.compile(r"^\s?(per (ordinary )?share|pence|cents|kobo|pesewas)\b", re.I)
_COMPARATIVE_BEFORE = re.compile(
    r"[(;]\s*(?:(?:\d{1,2}\s+)?[a-z]+\s+|fy\s?)?((?:19|20)\d\d)\s*:\s*(?:[a-z ]{0,20}\bof\s)?(?:"
    + CURRENCY_TOKEN
    + r"\s?)?$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A number in a sentence and how it was written."""

    start: int
    end: int  # end of the whole mention (after scale or % sign)
    text: str
    number: float
    decimals: int
    kind: str  # "amount" | "percent" | "year"
    multiplier: float | None = None  # from a scale word; None when the text gives none
    currency: bool = False
    comparative_year: int | None = None  # "(2023: 9,870)"

    @property
    def money_like(self) -> bool:
        return self.kind == "amount" and (
            self.currency
            or self.multiplier is not None
            or self.comparative_year is not None
            or (self.number >= 1000 and "," in self.text)
        )

    @property
    def step(self) -> float:
        """One unit of the last written digit (before any scale word)."""
        return 10.0 ** (-self.decimals)


def mentions(sentence: str) -> list[Mention]:
    """The numbers of a sentence, in order; references, dates and counts left out."""
    text = sentence.replace("\u00a0", " ").replace("\u2019", "'")
    date_spans = [(d.start, d.end) for d in find_dates(text)]
    out: list[Mention] = []
    for m in _NUMBER.finditer(text):
        s, e = m.start(), m.end()
        if any(a <= s < b for a, b in date_spans):
            continue
        before, after = text[max(0, s - 12) : s], text[e : e + 20]
        if _REFERENCE_BEFORE.search(before):
            continue
        if before[-1:].isalpha() and not _CURRENCY_BEFORE.search(before):
            continue  # "IFRS16", "Q4"
        if after[:1].isalpha() and not _SCALE_AFTER.match(after):
            continue  # "3rd", "2a"
        raw = m.group(1)
        number = float(raw.replace(",", ""))
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        pct = _PERCENT_AFTER.match(after)
        if pct:
            out.append(Mention(s, e + pct.end(), raw, number, decimals, "percent"))
            continue
        currency = bool(_CURRENCY_BEFORE.search(before))
        scale = _SCALE_AFTER.match(after)
        multiplier = SCALE_WORDS[scale.group(1).lower()] if scale else None
        end = e + (scale.end() if scale else 0)
        if _CURRENCY_AFTER.match(text[end : end + 12]):
            currency = True
        comp = _COMPARATIVE_BEFORE.search(text[max(0, s - 40) : s])
        if (
            not currency
            and multiplier is None
            and "," not in raw
            and decimals == 0
            and 1950 <= number <= 2099
        ):
            out.append(Mention(s, e, raw, number, 0, "year"))
            continue
        if not currency and multiplier is None and _COUNT_AFTER.match(after):
            continue
        if _PER_UNIT_AFTER.match(text[end : end + 24]):
            continue  # "GH₵0.08 per share", "17.71 pence": per-share figures, not amounts
        out.append(
            Mention(
                s,
                end,
                raw,
                number,
                decimals,
                "amount",
                multiplier,
                currency,
                int(comp.group(1)) if comp else None,
            )
        )
    return out
