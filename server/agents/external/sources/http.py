"""One JSON GET for the online sources, with every way it can fail translated once.

httpx is imported here, when an online source first opens a client, never when the agent loads:
online sources are off unless configured, and importing httpx (with the command line it brings
when click, rich and pygments are installed, as they are here) costs about 65 ms of every
offline audit in a fresh process, `crosscheck audit`'s included.

Network errors, timeouts, server errors and bodies that are not JSON all become
`SourceUnavailable`, which the online sources turn into "unverifiable" verdicts: a register
that cannot answer never passes or fails a claim, and never crashes the agent. A 404 is an
answer ("no such record"), so it is returned, not raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from server.errors import SourceUnavailable

if TYPE_CHECKING:
    import httpx

NOT_FOUND = 404


@dataclass(frozen=True, slots=True)
class JsonReply:
    status: int
    body: Any


def open_client(timeout: float) -> httpx.AsyncClient:
    """A client for one source's lookups (use it with `async with`)."""
    import httpx

    return httpx.AsyncClient(timeout=timeout)


async def get_json(
    client: httpx.AsyncClient, url: str, headers: dict[str, str] | None = None
) -> JsonReply:
    import httpx

    try:
        response = await client.get(url, headers=headers)
    except httpx.TimeoutException as exc:
        raise SourceUnavailable(f"{_host(url)} did not answer in time.") from exc
    except httpx.HTTPError as exc:
        raise SourceUnavailable(f"{_host(url)} could not be reached.") from exc
    except httpx.InvalidURL as exc:  # a misconfigured base URL, not an httpx.HTTPError
        raise SourceUnavailable(f"{url!r} is not a valid URL; check the source settings.") from exc
    if response.status_code == NOT_FOUND:
        return JsonReply(NOT_FOUND, None)
    if response.status_code != httpx.codes.OK:
        raise SourceUnavailable(f"{_host(url)} answered HTTP {response.status_code}.")
    try:
        return JsonReply(response.status_code, response.json())
    except ValueError as exc:
        raise SourceUnavailable(f"{_host(url)} answered with something that is not JSON.") from exc


def _host(url: str) -> str:
    import httpx

    try:
        return httpx.URL(url).host or url
    except httpx.InvalidURL:
        return url
