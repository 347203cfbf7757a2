"""WebSocket close codes, named once; tests assert the names, never the numbers."""

from __future__ import annotations

WS_1000_NORMAL = 1000  # after audit_finished
WS_1001_GOING_AWAY = 1001  # the server is shutting down; reconnect with ?after=
WS_1011_INTERNAL_ERROR = 1011
WS_1013_TRY_AGAIN_LATER = 1013  # the client fell behind; reconnect with ?after=
WS_4400_BAD_PARAMETER = 4400
WS_4403_ORIGIN_NOT_ALLOWED = 4403
WS_4404_UNKNOWN_AUDIT = 4404

MAX_REASON_BYTES = 123


def reason(text: str) -> str:
    """A close reason within the 123 bytes a close frame allows (cut on a character boundary)."""
    return text.encode()[:MAX_REASON_BYTES].decode(errors="ignore")
