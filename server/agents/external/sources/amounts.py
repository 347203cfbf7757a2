"""Money amounts written in sentences ("GH₵4.5 million", "KZT 1,200 thousand", "USD 350,000").

An amount is read only when a currency or a scale word marks it as money, so years, note
numbers and percentages are never mistaken for amounts. Each amount keeps the interval its
printed precision stands for ("4.5 million" is anything from 4.45 to 4.55 million), so two
amounts printed with different precision match when their intervals overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.agents.external.sources.currencies import currency_pattern, to_code
from server.ingest.numbers import SCALE_WORDS


@dataclass(frozen=True, slots=True)
class Amount:
    value: float
    low: float
    high: float
    printed: str

    def overlaps(self, other: Amount) -> bool:
        return self.low <= other.high and other.low <= self.high


def _pattern() -> re.Pattern[str]:
    c = currency_pattern()
    number = r"(?P<n>\d{1,3}(?:[,\u00a0 ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    scale = r"(?P<s>thousands?|millions?|billions?|mln|mn|bn|m|k|'000)"
    return re.compile(rf"(?:(?P<c1>{c})\s?)?{number}(?:\s?{scale}\b)?(?:\s?(?P<c2>{c}))?")


_AMOUNT = _pattern()


def amounts_in(text: str) -> list[Amount]:
    out: list[Amount] = []
    for m in _AMOUNT.finditer(text):
        has_currency = any(to_code(m.group(g) or "") for g in ("c1", "c2"))
        scale_word = (m.group("s") or "").lower()
        if not has_currency and scale_word not in {"thousand", "million", "billion", "bn", "mln"}:
            continue
        if scale_word in {"m", "k"} and not has_currency:
            continue
        digits = m.group("n").replace(",", "").replace("\u00a0", "").replace(" ", "")
        value = float(digits)
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        scale = SCALE_WORDS.get(scale_word, 1.0)
        unit = 10.0**-decimals * scale
        amount = value * scale
        out.append(Amount(amount, amount - unit / 2, amount + unit / 2, m.group(0).strip()))
    return out
