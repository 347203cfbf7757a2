"""Arithmetic inside the prose: figures a sentence relates to each other.

- "a dividend of GH₵9.3 million (GH₵0.08 per share)": total / per-share amount must give a share
  count the document states (in text or in a share table), within both figures' precision.
- "a fine of €2.2 million and €2.3 million ...; the total of €4.5 million": a stated total equals
  the figures listed before it in the same sentence.

Both are narrative-vs-figures checks (IAS 1.15); each is skipped when a figure it needs is absent.
"""

from __future__ import annotations

import re

from generated.models import LogicCheck, Severity
from server.agents.logic.base import LogicContext, fmt, paragraph_location
from server.agents.logic.mentions import CURRENCY_TOKEN, Mention, mentions
from server.ingest.document import Paragraph
from server.text.labels import normalise_label
from server.text.sentences import sentences

CHECK = LogicCheck.narrative
_PER_SHARE = re.compile(
    r"(?:" + CURRENCY_TOKEN + r")\s?(\d+(?:\.\d+)?)\s?(?:per (?:ordinary )?share)", re.I
)
_SHARE_COUNT = re.compile(
    r"(\d{1,3}(?:,\d{3}){2,})\s+(?:issued\s+)?(?:ordinary\s+|common\s+)?shares\b", re.I
)
_TOTAL_BEFORE = re.compile(
    r"\btotal(?:ling| of| amount of)?\s*(?:" + CURRENCY_TOKEN + r")?\s*$", re.I
)
# Share counts of award plans, buy-backs and deliveries are not the shares the dividend was
# paid on ("1,587,329 shares granted as restricted stock units", "received 6,995,147 shares").
_NOT_SHARE_CAPITAL = re.compile(
    r"(?i)\b(grant\w*|award\w*|options?|restricted|vest\w*|equity compensation|plans?"
    r"|available for (future )?issuance|repurchas\w*|bought back|buy-?backs?|deliver\w*|treasury)\b"
)
_NOT_A_SUM = re.compile(r"(?i)\baverag|\bcompared\b|\bversus\b|\bvs\.|\brespectively\b")
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


def check_arithmetic(ctx: LogicContext) -> None:
    counts = _share_counts(ctx)
    for paragraph in ctx.document.paragraphs:
        for s in sentences(paragraph.text):
            ms = mentions(s.text)
            if counts:
                _per_share(ctx, paragraph, s.text, ms, counts)
            _stated_total(ctx, paragraph, s.text, ms)


def _share_counts(ctx: LogicContext) -> list[float]:
    """Share counts the document states: "116,207,288 ordinary shares", share tables."""
    out = [
        float(m.group(1).replace(",", ""))
        for p in ctx.document.paragraphs
        for s in sentences(p.text)
        if not _NOT_SHARE_CAPITAL.search(s.text)
        for m in _SHARE_COUNT.finditer(s.text)
    ]
    for table in ctx.document.tables:
        if _NOT_SHARE_CAPITAL.search(table.title or "") or any(
            _NOT_SHARE_CAPITAL.search(r.label) for r in table.rows
        ):
            continue
        share_cols = [c.index for c in table.columns if "number of shares" in c.header.lower()]
        for row in table.rows:
            key = normalise_label(row.label)
            cols = share_cols or (
                [c.index for c in table.amount_columns()]
                if re.search(r"\bnumber of (ordinary |issued )?shares\b", key)
                else []
            )
            out.extend(v for c in cols if (v := row.value(c)) and v >= 1000)
    return out


def _value(m: Mention) -> tuple[float, float] | None:
    """A money mention in currency units with its half-precision; None without a scale word."""
    if m.kind != "amount" or not m.currency:
        return None
    mult = m.multiplier or 1.0
    return m.number * mult, m.step * mult / 2


def _per_share(
    ctx: LogicContext, paragraph: Paragraph, sentence: str, ms: list[Mention], counts: list[float]
) -> None:
    if "dividend" not in sentence.lower():
        return
    for pm in _PER_SHARE.finditer(sentence):
        per = float(pm.group(1))
        dec = len(pm.group(1).split(".")[1]) if "." in pm.group(1) else 0
        half = 10.0**-dec / 2
        total = next(
            (m for m in reversed(ms) if m.end <= pm.start() and m.kind == "amount" and m.currency),
            None,
        )
        if (
            total is None
            or per <= half
            or not re.fullmatch(r"[\s(]*", sentence[total.end : pm.start()])
        ):
            continue
        tv = _value(total)
        if tv is None:
            continue
        amount, amount_half = tv
        low, high = (amount - amount_half) / (per + half), (amount + amount_half) / (per - half)
        if any(low * 0.995 <= c <= high * 1.005 for c in counts):
            ctx.passed(CHECK)
            continue
        if any(low * 0.9 <= c <= high * 1.1 for c in counts):
            # Near a stated count: dividends paid through a year of buy-backs or issues are not
            # the year-end count times the rate; that does not say the figures disagree.
            ctx.skipped(CHECK)
            continue
        ctx.failed(
            CHECK,
            key=(paragraph.id, pm.start(), "per-share"),
            severity=Severity.medium,
            title="Dividend per share does not agree with the total dividend",
            description=(
                f"'{sentence[total.start : pm.end()]}' implies {fmt(round(amount / per))} shares, but "
                f"the document states {', '.join(fmt(c) for c in sorted(set(counts))[:3])} shares."
            ),
            reference="IAS 1.107",
            locations=[paragraph_location(paragraph, sentence)],
            claim=sentence,
            contradiction=f"Total / per-share = {fmt(round(amount / per))} shares",
        )


def _stated_total(
    ctx: LogicContext, paragraph: Paragraph, sentence: str, ms: list[Mention]
) -> None:
    if _NOT_A_SUM.search(sentence):
        return  # "totaled $23.5 billion ..., and averaged $27.6 billion as compared to ..."
    money = [m for m in ms if m.kind == "amount" and m.currency and m.comparative_year is None]
    for i, m in enumerate(money):
        if i < 2 or not _TOTAL_BEFORE.search(sentence[: m.start]):
            continue
        parts = money[:i]
        if (
            any(p.multiplier != m.multiplier for p in parts)
            or ";" in sentence[parts[0].start : parts[-1].end]
        ):
            continue
        values = [_value(p) for p in parts]
        tv = _value(m)
        if tv is None or any(v is None for v in values):
            continue
        total, half = tv
        summed = sum(v[0] for v in values if v)
        slack = half + sum(v[1] for v in values if v) + 1e-9
        if abs(summed - total) <= slack:
            ctx.passed(CHECK)
            continue
        ctx.failed(
            CHECK,
            key=(paragraph.id, m.start, "stated-total"),
            severity=Severity.medium,
            title="A total stated in the text is not the sum of its parts",
            description=(
                f"The sentence lists {', '.join(sentence[p.start : p.end] for p in parts)} and a total of "
                f"{sentence[m.start : m.end]}; the parts add up to {fmt(summed)}."
            ),
            reference="IAS 1.15",
            locations=[paragraph_location(paragraph, sentence)],
            claim=sentence,
            contradiction=f"Sum of the parts: {fmt(summed)}",
        )
