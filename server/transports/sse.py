"""`GET /api/v1/audits/{id}/events`: the same frames as the WebSocket, as Server-Sent Events.

`id:` is the seq (progress frames carry none, so the browser's last-event-id never moves back),
`event:` the frame type, `data:` the frame exactly as stored. The cursor is `Last-Event-ID`
(what EventSource sends when it reconnects) or else `?after=N` (EventSource cannot set headers
on its first request). sse-starlette sends the `: keep-alive` comments and enforces a send
timeout; the stream ends after `audit_finished`.

Deliberate divergence: a client that resumes at or after the terminal event gets
204 No Content instead of an empty stream; per the SSE spec this tells EventSource to stop
reconnecting, where an empty 200 would make it reconnect every `retry` ms forever.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import APIRouter, Request, Response
from sse_starlette import EventSourceResponse, ServerSentEvent

from generated.models import ProblemCode
from server.log import EventLog, FollowerClosed, FollowerTooSlow
from server.runtime import RuntimeDep
from server.transports.codes import is_audit_id
from server.transports.problems import ProblemError, responses
from server.transports.ws import parse_cursor

router = APIRouter(tags=["stream"])

SEND_TIMEOUT_S = 30.0


@router.get(
    "/api/v1/audits/{audit_id}/events",
    response_class=EventSourceResponse,
    response_description=(
        "Server-Sent Events: `id:` the seq, `event:` the frame type, `data:` a Frame "
        "(frames.schema.json); see /schema/v1/asyncapi.yaml."
    ),
    responses={
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
        204: {"description": "Already finished: nothing after the cursor, and nothing will come."},
        **responses({400: [ProblemCode.bad_parameter], 404: [ProblemCode.unknown_audit]}),
    },
)
async def audit_events(
    audit_id: str, request: Request, rt: RuntimeDep, after: str | None = None
) -> Response:
    """Stream the audit's frames; resume with Last-Event-ID or ?after=N."""
    raw = request.headers.get("last-event-id")
    source = "Last-Event-ID" if raw is not None else "after"
    cursor = parse_cursor(raw if raw is not None else after)
    if cursor is None:
        raise ProblemError(400, f"{source} must be a whole number >= 0.", ProblemCode.bad_parameter)
    if not is_audit_id(audit_id) or not rt.log.exists(audit_id):
        raise ProblemError(404, f"No audit {audit_id!r}.", ProblemCode.unknown_audit)
    last = rt.log.last_seq(audit_id)
    if cursor > last:
        raise ProblemError(
            400,
            f"{source}={cursor} is beyond the newest event ({last}).",
            ProblemCode.bad_parameter,
        )
    if cursor == last and rt.log.is_finished(audit_id):
        return Response(status_code=204)
    return EventSourceResponse(
        _events(rt.log, audit_id, cursor, rt.settings.sse_retry_ms),
        ping=rt.settings.heartbeat_s,
        ping_message_factory=_keep_alive,
        send_timeout=SEND_TIMEOUT_S,
        headers={"X-Accel-Buffering": "no", "Cache-Control": "no-store"},
    )


def _keep_alive() -> ServerSentEvent:
    return ServerSentEvent(comment="keep-alive")


async def _events(
    log: EventLog, audit_id: str, cursor: int, retry_ms: int
) -> AsyncIterator[ServerSentEvent]:
    # Subscribe only once the response streams, so an abandoned response leaves no subscriber.
    with log.follow(audit_id, cursor) as follower:
        yield ServerSentEvent(comment="crosscheck v1", retry=retry_ms)
        try:
            async for wire in follower:
                yield ServerSentEvent(
                    data=wire.text,
                    event=wire.type,
                    id=str(wire.seq) if wire.seq is not None else None,
                )
        except (FollowerTooSlow, FollowerClosed):
            # End the response; EventSource reconnects with Last-Event-ID and resumes.
            return
