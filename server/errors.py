"""Crosscheck's error tree; every contract error `code` has exactly one class here.

    CrosscheckError  (code, message safe for users, retryable)     -> internal
    ├─ DocumentError
    │   ├─ InvalidDocument        -> invalid_document      (corrupt, empty, not what it claims)
    │   └─ UnsupportedDocument    -> unsupported_document  (a file type we do not read)
    ├─ AgentError
    │   ├─ AgentTimeout           -> timeout    (retryable)
    │   ├─ AgentCrashed           -> crashed
    │   └─ AgentCancelled         -> cancelled
    ├─ SourceUnavailable          -> source_unavailable (retryable)
    ├─ Interrupted                -> interrupted (retryable: the server stopped mid-audit)
    ├─ AuditNotFound              (transports only: HTTP 404 / close 4404)
    └─ TooManyAudits              (transports only: HTTP 429 with Retry-After)

Library errors are translated once, where they happen (`raise InvalidDocument(...) from exc`);
messages never carry stack traces or raw exception text, so they are safe to show a user.
"""

from __future__ import annotations

from generated.models import ErrorCode, ErrorInfo


class CrosscheckError(Exception):
    """Base of every error a user may see."""

    code: ErrorCode = ErrorCode.internal
    retryable: bool = False
    default_message = "Something went wrong inside Crosscheck."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)

    def to_info(self) -> ErrorInfo:
        return ErrorInfo(code=self.code, message=self.message[:500], retryable=self.retryable)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code.value!r}, message={self.message!r})"


class DocumentError(CrosscheckError):
    """The uploaded document cannot be audited."""


class InvalidDocument(DocumentError):
    """The file is corrupt, empty, or not what its name claims."""

    code = ErrorCode.invalid_document
    default_message = "The document could not be read."


class UnsupportedDocument(DocumentError):
    """The file is of a type Crosscheck does not read."""

    code = ErrorCode.unsupported_document
    default_message = "This kind of document is not supported."


class AgentError(CrosscheckError):
    """An agent did not produce a result."""


class AgentTimeout(AgentError):
    code = ErrorCode.timeout
    retryable = True
    default_message = "The agent ran out of time."


class AgentCrashed(AgentError):
    code = ErrorCode.crashed
    default_message = "The agent stopped with an internal error."


class AgentCancelled(AgentError):
    code = ErrorCode.cancelled
    default_message = "The audit was cancelled."


class SourceUnavailable(CrosscheckError):
    """An outside source (an online service, a missing upload) cannot be reached now."""

    code = ErrorCode.source_unavailable
    retryable = True
    default_message = "A source needed for this check is unavailable."


class Interrupted(CrosscheckError):
    """The server stopped while the audit was running."""

    code = ErrorCode.interrupted
    retryable = True
    default_message = "The server stopped while this audit was running; start it again."


class AuditNotFound(CrosscheckError):
    """No audit has this id (HTTP 404, WebSocket close 4404)."""

    default_message = "No such audit."


class TooManyAudits(CrosscheckError):
    """The configured number of audits is already running (HTTP 429 with Retry-After)."""

    retryable = True

    def __init__(self, limit: int) -> None:
        super().__init__(f"{limit} audits are already running; try again shortly.")
        self.limit = limit


ERROR_CLASSES: dict[ErrorCode, type[CrosscheckError]] = {
    ErrorCode.internal: CrosscheckError,
    ErrorCode.invalid_document: InvalidDocument,
    ErrorCode.unsupported_document: UnsupportedDocument,
    ErrorCode.timeout: AgentTimeout,
    ErrorCode.crashed: AgentCrashed,
    ErrorCode.cancelled: AgentCancelled,
    ErrorCode.source_unavailable: SourceUnavailable,
    ErrorCode.interrupted: Interrupted,
}
