"""Figures, decisions and times as a working paper prints them; one place for every format."""

from __future__ import annotations

from datetime import UTC, datetime

from server.exports.review import DecisionRow

SCALE_WORDS = {"thousands": "in thousands", "millions": "in millions", "billions": "in billions"}


def amount(value: float) -> str:
    """1234.5 -> "1,234.5"; negatives in parentheses, as statements print them."""
    text = f"{abs(value):,.2f}".rstrip("0").rstrip(".")
    return f"({text})" if value < 0 else text


def when(ts: str | None) -> str:
    """An RFC 3339 UTC time as "2026-11-27 09:30 UTC"."""
    moment = parse_ts(ts)
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def parse_ts(ts: str | None) -> datetime | None:
    """The time, in UTC without a zone (spreadsheets have none); None if absent or unreadable."""
    if not ts:
        return None
    try:
        moment = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def decision(row: DecisionRow) -> str:
    """ "confirmed by Ana Lee on 2026-11-27 09:30 UTC: note" or "open (not decided)"."""
    if row.decision == "open" and not row.history:
        return "open (not decided)"
    text = row.decision
    if row.reason_words:
        text += f" ({row.reason_words})"
    if row.reviewer:
        text += f" by {row.reviewer}"
    if row.decided_at:
        text += f" on {when(row.decided_at)}"
    if row.carried_from:
        text += f", carried from the earlier draft ({row.carried_from})"
    if row.note:
        text += f": {row.note}"
    return text
