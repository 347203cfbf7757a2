"""Inline XBRL: contexts, units and the value of each `ix:nonFraction`, read from the tags.

The tag is exact where the printed text is not: `scale` says the printed 1,234 means
1,234,000,000, `sign="-"` says the value is negative whatever the parentheses show, and the
`format` transformation says how to read the text ("no" is 0 under ixt-sec:numwordsen, a dash
is 0 under ixt:fixed-zero). A format we do not know leaves the value None (a counted skip
downstream) rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lxml import etree

from server.ingest.document import Fact
from server.ingest.html.tree import XBRLDI_NS, XBRLI_NS, attr, is_ix, is_nil, local


@dataclass(frozen=True, slots=True)
class Context:
    id: str
    period_end: str | None
    period_start: str | None  # None for an instant (or "forever")
    dimensional: bool


@dataclass(slots=True)
class Catalogue:
    """Contexts and units of a filing, by id."""

    contexts: dict[str, Context] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


def catalogue(root: etree._Element) -> Catalogue:
    """Every `xbrli:context` and `xbrli:unit` in the document (they live in `ix:resources`)."""
    cat = Catalogue()
    for el in root.iter(f"{{{XBRLI_NS}}}context", "xbrli:context"):
        ctx = _context(el)
        if ctx is not None:
            cat.contexts[ctx.id] = ctx
    for el in root.iter(f"{{{XBRLI_NS}}}unit", "xbrli:unit"):
        uid = el.get("id")
        if uid:
            cat.units[uid] = _unit(el)
    return cat


def _context(el: etree._Element) -> Context | None:
    cid = el.get("id")
    if not cid:
        return None
    start = end = instant = None
    dimensional = False
    for child in el.iter():
        name = local(child)
        if name == "startdate":
            start = _date(child.text)
        elif name == "enddate":
            end = _date(child.text)
        elif name == "instant":
            instant = _date(child.text)
        elif name in ("explicitmember", "typedmember") or (
            isinstance(child.tag, str) and child.tag.startswith(f"{{{XBRLDI_NS}}}")
        ):
            dimensional = True
    if instant:
        return Context(cid, instant, None, dimensional)
    return Context(cid, end, start, dimensional)


def _date(text: str | None) -> str | None:
    value = (text or "").strip()
    return value[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", value) else None


def _unit(el: etree._Element) -> str:
    """ "USD", "shares", "pure", or "USD/shares" for a divide."""
    numerator: list[str] = []
    denominator: list[str] = []
    for child in el.iter():
        if local(child) != "measure":
            continue
        measure = (child.text or "").strip().split(":")[-1]
        parent = child.getparent()
        in_denominator = parent is not None and local(parent) == "unitdenominator"
        (denominator if in_denominator else numerator).append(measure)
    text = "*".join(numerator) or "?"
    return f"{text}/{'*'.join(denominator)}" if denominator else text


# ---------------------------------------------------------------------------- transforms

_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
}
_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_NO_WORDS = frozenset({"no", "none", "nil", "zero"})


def transform(fmt: str | None, text: str) -> Decimal | None:
    """The number an ixt/ixt-sec format reads from the displayed text; None when unknown."""
    name = re.sub(r"[-_]", "", (fmt or "").split(":")[-1].lower())
    s = " ".join(text.split())
    if name in ("fixedzero", "zerodash", "numdash", "fixedempty"):
        return Decimal(0)
    if name in ("numwordsen", "numwordsenus", "numwordenus") or name.startswith("numword"):
        return _words(s)
    if name in ("", "numdotdecimal", "numcommadot", "numspacedot", "numdotdecimalin", "numdot"):
        digits = re.sub(r"[^\d.]", "", s)
        return _decimal(digits) if digits.strip(".") else (Decimal(0) if _is_dash(s) else None)
    if name in ("numcommadecimal", "numdotcomma", "numspacecomma", "numcomma"):
        digits = re.sub(r"[^\d,]", "", s).replace(",", ".")
        return _decimal(digits) if digits.strip(".") else (Decimal(0) if _is_dash(s) else None)
    return None


def _is_dash(s: str) -> bool:
    return bool(s) and all(ch in "-\u2012\u2013\u2014\u2015\u2212 " for ch in s)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _words(text: str) -> Decimal | None:
    """English number words ("no", "none", "twenty-one", "one hundred"), as ixt-sec reads them."""
    words = re.sub(r"[^a-z ]", " ", text.lower().replace("-", " ")).split()
    words = [w for w in words if w != "and"]
    if not words:
        return None
    if len(words) == 1 and words[0] in _NO_WORDS:
        return Decimal(0)
    total = current = 0
    for w in words:
        if w in _WORDS:
            current += _WORDS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in _MULTIPLIERS:
            total += max(current, 1) * _MULTIPLIERS[w]
            current = 0
        else:
            return None
    return Decimal(total + current)


# --------------------------------------------------------------------------------- facts


def numeric_fact(el: etree._Element, cat: Catalogue) -> Fact | None:
    """The fact an `ix:nonFraction` states; None when it names no concept or context."""
    concept = attr(el, "name")
    context_id = attr(el, "contextRef")
    if not concept or not context_id:
        return None
    ctx = cat.contexts.get(context_id)
    scale = _int(attr(el, "scale")) or 0
    sign = -1 if (attr(el, "sign") or "").strip() == "-" else 1
    decimals_text = (attr(el, "decimals") or "").strip()
    decimals = None if decimals_text.upper() in ("INF", "") else _int(decimals_text)
    value: float | None = None
    if not is_nil(el):
        shown = transform(attr(el, "format"), displayed_text(el))
        if shown is not None:
            value = float(sign * shown.scaleb(scale))
    unit_ref = attr(el, "unitRef")
    return Fact(
        concept=concept,
        context=context_id,
        value=value,
        period_end=ctx.period_end if ctx else None,
        period_start=ctx.period_start if ctx else None,
        dimensional=ctx.dimensional if ctx else False,
        unit=cat.units.get(unit_ref, unit_ref) if unit_ref else None,
        decimals=decimals,
        scale=scale,
        sign=sign,
        id=el.get("id"),
    )


def printed_value(fact: Fact) -> float | None:
    """The fact's magnitude in the units it is printed in (its value without scale or sign)."""
    if fact.value is None:
        return None
    return abs(float(Decimal(repr(fact.value)).scaleb(-fact.scale)))


def displayed_text(el: etree._Element) -> str:
    """The text a reader sees in a tag, without `ix:exclude`d parts."""
    parts: list[str] = []
    _collect(el, parts, top=True)
    return "".join(parts)


def _collect(el: etree._Element, parts: list[str], top: bool) -> None:
    if not top and is_ix(el) and local(el) == "exclude":
        if el.tail:
            parts.append(el.tail)
        return
    if el.text:
        parts.append(el.text)
    for child in el:
        _collect(child, parts, top=False)
    if not top and el.tail:
        parts.append(el.tail)


def _int(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None


# ----------------------------------------------------------------------- cover page (dei)

_DEI = (
    "documenttype",
    "documentperiodenddate",
    "entityregistrantname",
    "amendmentflag",
    "documentfiscalperiodfocus",
)


def cover_facts(root: etree._Element) -> dict[str, str]:
    """The dei facts that say what the document is: {"documenttype": "10-K", ...}."""
    found: dict[str, str] = {}
    for el in root.iter(etree.Element):
        if not is_ix(el) or local(el) != "nonnumeric":
            continue
        name = (attr(el, "name") or "").split(":")[-1].lower()
        if name in _DEI and name not in found:
            text = " ".join(displayed_text(el).split())
            if text:
                found[name] = text
    return found
