"""Going concern: what the figures indicate against what the document says (IAS 1.25-26).

Indicators: a loss for the year, net current liabilities, negative equity, and Altman's Z''
(the version for private non-manufacturers: 6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4, where X1 =
working capital / total assets, X2 = retained earnings / total assets, X3 = EBIT / total assets,
X4 = equity / total liabilities) below 1.1, its distress zone. A document with indicators that
never mentions going concern, or one that asserts "no material uncertainty" against strong
indicators, is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generated.models import Location, LogicCheck, Severity
from server.agents.logic.base import Figure, LogicContext, label_key, paragraph_location
from server.ingest.document import Framework, Paragraph
from server.text.labels import normalise
from server.text.sentences import sentences

CHECK = LogicCheck.going_concern
Z_DISTRESS = 1.1
_MU = re.compile(r"material uncertaint")
# A sentence that assesses going concern, not capital-management boilerplate or a cross-reference.
_ASSESSMENT = re.compile(
    r"\b(basis|assess\w*|prepared|appropriate|material uncertaint\w*|significant doubt|adopt\w*"
    r"|forecast\w*|foreseeable future|reasonable expectation|conclud\w*|satisfied|confident|review\w*)\b"
)
_BOILERPLATE = re.compile(
    r"\b(managing capital|capital management|manage (its |the )?capital|objectives? when)\b"
)
_NEGATION = re.compile(r"\b(no|not|nor|without|absence|neither|none)\b|n't\b")


@dataclass(slots=True)
class Indicators:
    found: list[str] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    z: float | None = None
    strong: bool = False


def _signed(f: Figure) -> float:
    key = label_key(f.row)
    if "loss" in key and "profit" not in key and f.value > 0:
        return -f.value
    return f.value


def indicators(ctx: LogicContext) -> Indicators:
    facts, y = ctx.facts, ctx.facts.current_year
    out = Indicators()
    profit = facts.figure("profit_for_year", y)
    ca, cl = facts.figure("current_assets", y), facts.figure("current_liabilities", y)
    equity, assets = facts.figure("total_equity", y), facts.figure("total_assets", y)
    if profit and _signed(profit) < 0:
        out.found.append(f"a loss for the year ({profit.describe()})")
        out.locations.append(profit.location())
    ncl = bool(ca and cl and abs(cl.value) > abs(ca.value))
    if ca and cl and ncl:
        out.found.append(f"net current liabilities ({cl.describe()} > {ca.describe()})")
        out.locations.append(cl.location())
    negative_equity = bool(equity and equity.value < 0)
    if equity and negative_equity:
        out.found.append(f"negative equity ({equity.describe()})")
        out.locations.append(equity.location())
    out.z = _altman(ctx, ca, cl, equity, assets)
    distress = out.z is not None and out.z < Z_DISTRESS
    if distress:
        out.found.append(f"Altman Z'' of {out.z:.2f}, below the distress threshold {Z_DISTRESS}")
    loss = bool(profit and _signed(profit) < 0)
    out.strong = negative_equity or (loss and (ncl or distress)) or (ncl and distress)
    return out


def _altman(
    ctx: LogicContext,
    ca: Figure | None,
    cl: Figure | None,
    equity: Figure | None,
    assets: Figure | None,
) -> float | None:
    facts, y = ctx.facts, ctx.facts.current_year
    if not (ca and cl and equity and assets) or assets.value <= 0:
        return None
    re_ = facts.figure("retained_earnings", y)
    liabilities = facts.figure("total_liabilities", y)
    total_liabilities = abs(liabilities.value) if liabilities else assets.value - equity.value
    ebit_fig = facts.figure("operating_profit", y)
    if ebit_fig is not None:
        ebit = _signed(ebit_fig)
    else:
        pbt, fc = facts.figure("profit_before_tax", y), facts.figure("finance_costs", y)
        if pbt is None or fc is None:
            return None
        ebit = _signed(pbt) + abs(fc.value)
    if re_ is None or total_liabilities <= 0:
        return None
    retained = _signed(re_)
    ta = assets.value
    x1 = (abs(ca.value) - abs(cl.value)) / ta
    x2 = retained / ta
    x3 = ebit / ta
    x4 = equity.value / total_liabilities
    return 6.56 * x1 + 3.26 * x2 + 6.72 * x3 + 1.05 * x4


def check_going_concern(ctx: LogicContext) -> None:
    if ctx.facts.current_year is None:
        ctx.skipped(CHECK)
        return
    ind = indicators(ctx)
    mentions: list[tuple[Paragraph, str]] = []
    uncertainty_denied: list[tuple[Paragraph, str]] = []
    uncertainty_stated = False
    for p in ctx.document.paragraphs:
        for s in sentences(p.text):
            low = normalise(s.text)
            if "going concern" in low and _ASSESSMENT.search(low) and not _BOILERPLATE.search(low):
                mentions.append((p, s.text))
            m = _MU.search(low)
            if m:
                if _NEGATION.search(low[: m.start()]):
                    uncertainty_denied.append((p, s.text))
                else:
                    uncertainty_stated = True
    if not ind.found:
        ctx.passed(CHECK)
        return
    listed = "; ".join(ind.found)
    if not mentions and ctx.document.framework is Framework.US_GAAP:
        # ASC 205-40-50-12: US GAAP asks for a going-concern note only when substantial doubt is
        # raised, so its absence says nothing (the disclosure agent checks the doubt's note).
        ctx.skipped(CHECK)
        return
    if not mentions:  # a heading with nothing under it is no assessment
        ctx.failed(
            CHECK,
            key=("no-assessment",),
            severity=Severity.high if ind.strong else Severity.medium,
            title="Going-concern indicators without a going-concern assessment",
            description=(
                f"The figures show {listed}, but the document never discusses going concern. "
                "Management must assess the entity's ability to continue and disclose it."
            ),
            reference="IAS 1.25-26",
            locations=ind.locations,
            claim="No going-concern assessment in the document.",
            contradiction=listed,
        )
        return
    if ind.strong and uncertainty_denied and not uncertainty_stated:
        p, text = uncertainty_denied[0]
        ctx.failed(
            CHECK,
            key=("denied", p.id),
            severity=Severity.medium,
            title="'No material uncertainty' against strong going-concern indicators",
            description=(
                f"The document states that no material uncertainty exists, while the figures show "
                f"{listed}. The judgement and the mitigating factors should be explained."
            ),
            reference="IAS 1.25; IAS 1.122",
            locations=[paragraph_location(p, text), *ind.locations],
            claim=text,
            contradiction=listed,
        )
        return
    ctx.passed(CHECK)
