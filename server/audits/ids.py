"""Audit ids: made when an audit is created (by the server's intake or by `crosscheck audit`)."""

from __future__ import annotations

import secrets


def new_audit_id() -> str:
    """URL-safe and unguessable; matches the AuditId pattern ^[A-Za-z0-9_-]{6,64}$.

    The `aud_` prefix keeps ids from starting with "-", which a command line reads as an option.
    """
    return "aud_" + secrets.token_urlsafe(12)
