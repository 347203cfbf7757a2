"""A cap on request bodies, enforced while they stream in.

Content-Length is checked up front by the upload route, but a chunked upload has none, and
Starlette's multipart parser would spool any amount to disk before the route sees a file. This
middleware counts body bytes as they arrive and stops the request with 413 once the cap is passed.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from generated.models import ProblemCode
from server.transports.problems import ProblemError


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0
        limit = self.max_bytes

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise ProblemError(
                        413,
                        f"The request is larger than {limit // (1024 * 1024)} MB.",
                        ProblemCode.too_large,
                    )
            return message

        await self.app(scope, counted, send)
