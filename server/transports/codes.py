"""The contract's codes as the transports use them; tests assert the names, never the numbers.

Every value is defined once, in schema/v1 (CloseCode and AuditId in common.schema.json,
ProblemCode in rest.schema.json), and generated into generated/codes.py and generated.models;
the CLI and the page import the same generated values.
"""

from __future__ import annotations

import re

from generated.codes import (
    AUDIT_ID_PATTERN,
    REFUSED_CLOSE_CODES,
    WS_1000_NORMAL,
    WS_1001_GOING_AWAY,
    WS_1011_INTERNAL_ERROR,
    WS_1013_TRY_AGAIN_LATER,
    WS_4400_BAD_PARAMETER,
    WS_4403_ORIGIN_NOT_ALLOWED,
    WS_4404_UNKNOWN_AUDIT,
)
from generated.models import ProblemCode

__all__ = [
    "AUDIT_ID",
    "MAX_REASON_BYTES",
    "REFUSED_CLOSE_CODES",
    "WS_1000_NORMAL",
    "WS_1001_GOING_AWAY",
    "WS_1011_INTERNAL_ERROR",
    "WS_1013_TRY_AGAIN_LATER",
    "WS_4400_BAD_PARAMETER",
    "WS_4403_ORIGIN_NOT_ALLOWED",
    "WS_4404_UNKNOWN_AUDIT",
    "ProblemCode",
    "is_audit_id",
    "reason",
]

AUDIT_ID = re.compile(AUDIT_ID_PATTERN)
MAX_REASON_BYTES = 123


def is_audit_id(text: str) -> bool:
    """Whether `text` can be an audit id (fullmatch: a `$` would let a final newline through)."""
    return AUDIT_ID.fullmatch(text) is not None


def reason(text: str) -> str:
    """A close reason within the 123 bytes a close frame allows (cut on a character boundary)."""
    return text.encode()[:MAX_REASON_BYTES].decode(errors="ignore")
