"""The OpenAPI document says what each route really replies, no more and no less.

Statically, for every route: each 2xx names a generated model (or is an SSE stream or empty),
each error status is a Problem with an example per code it carries, every example validates,
the schemas are the published ones, and the document is valid OpenAPI 3.1.

Against a live server: a set of requests provokes every reply the document lists (except 500,
which needs a bug); each reply's status must be declared for its route, its Problem code among
that status's examples, its body valid (strictly) against the declared schema; and every declared
(route, status, code) must have been seen, so nothing the server cannot send stays listed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate as validate_openapi

from generated import models
from server.transports.openapi import published_schemas
from tests.frames import errors
from tests.runtime.harness import (
    STATEMENT_MD,
    LiveServer,
    ScriptedAgent,
    agents,
    make_settings,
    wait_finished,
)

PROBLEM = "#/components/schemas/Problem"
Seen = set[tuple[str, str, str, str | None]]  # (method, route, status, problem code)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = make_settings(
        tmp_path_factory.mktemp("openapi") / "data", max_upload_bytes=4096, max_running_audits=1
    )
    live = LiveServer(settings, agents(external=ScriptedAgent("external", behaviour="hang")))
    yield live.start()
    live.stop()


@pytest.fixture(scope="module")
def document(server: LiveServer) -> dict[str, Any]:
    reply = httpx.get(f"{server.base}/schema/openapi.json", timeout=10)
    assert reply.status_code == 200
    return reply.json()  # type: ignore[no-any-return]


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for route, operations in document["paths"].items():
        for method, operation in operations.items():
            yield method.upper(), route, operation


def _schema_name(reply: dict[str, Any], media_type: str = "application/json") -> str:
    ref = reply["content"][media_type]["schema"]["$ref"]
    assert ref.startswith("#/components/schemas/"), ref
    return str(ref.rsplit("/", 1)[-1])


def test_the_document_is_valid_openapi_with_the_published_schemas(document: dict[str, Any]):
    validate_openapi(document)
    assert document["components"]["schemas"] == published_schemas()
    text = json.dumps(document)
    assert "HTTPValidationError" not in text
    assert '"additionalProperties": false' not in text, "published schemas are open to additions"


def test_every_route_declares_its_model_and_its_problems(document: dict[str, Any]):
    operations = list(_operations(document))
    assert len(operations) >= 9
    for method, route, operation in operations:
        where = f"{method} {route}"
        replies = operation["responses"]
        assert any(status.startswith("2") for status in replies), f"{where}: no success reply"
        assert "500" in replies, f"{where}: any route can fail with 500 internal"
        for status, reply in replies.items():
            content = reply.get("content", {})
            if status.startswith("2"):
                if "text/event-stream" in content:
                    assert route.endswith("/events") and "Frame" in reply["description"]
                elif content:
                    name = _schema_name(reply)
                    assert hasattr(models, name), f"{where} {status}: {name} is not generated"
                else:
                    assert status == "204", f"{where} {status}: a success reply without a body"
                continue
            assert status[0] in "45", f"{where}: {status}"
            assert list(content) == ["application/json"], f"{where} {status}"
            assert content["application/json"]["schema"] == {"$ref": PROBLEM}, f"{where} {status}"
            examples = content["application/json"]["examples"]
            assert examples, f"{where} {status}: no example"
            for code, example in examples.items():
                assert errors("Problem", example["value"]) == [], f"{where} {status} {code}"
                assert example["value"]["code"] == code
                assert code in {c.value for c in models.ProblemCode}


def test_every_problem_code_is_sent_by_some_route(document: dict[str, Any]):
    declared = {
        code
        for _, _, operation in _operations(document)
        for reply in operation["responses"].values()
        for code in reply.get("content", {}).get("application/json", {}).get("examples", {})
    }
    # Sent outside any route: by Starlette for an unknown path or method, and with no page.
    unrouted = {"not_found", "method_not_allowed", "no_page"}
    assert declared | unrouted == {c.value for c in models.ProblemCode}


def _declared(document: dict[str, Any]) -> Seen:
    out: Seen = set()
    for method, route, operation in _operations(document):
        for status, reply in operation["responses"].items():
            examples = reply.get("content", {}).get("application/json", {}).get("examples")
            for code in examples or [None]:
                out.add((method, route, status, code))
    return out


def _route_of(document: dict[str, Any], path: str) -> str:
    matches = [
        route
        for route in document["paths"]
        if re.fullmatch(re.sub(r"\{[^/]+\}", "[^/]+", route), path)
    ]
    assert len(matches) == 1, f"{path} matches {matches}"
    return matches[0]


def _check(document: dict[str, Any], seen: Seen, response: httpx.Response) -> None:
    """Record one reply and hold it to the route's declaration."""
    method, path = response.request.method, response.url.path
    route = _route_of(document, path)
    status = str(response.status_code)
    declared = document["paths"][route][method.lower()]["responses"]
    assert status in declared, f"{method} {route} replied {status}, which it does not declare"
    code = None
    if response.status_code >= 400:
        body = response.json()
        assert errors("Problem", body) == [], body
        code = body.get("code")
        assert code in declared[status]["content"]["application/json"]["examples"], (
            f"{method} {route} {status} sent code {code!r}, which it does not declare"
        )
    elif response.headers.get("content-type", "").startswith("application/json"):
        name = _schema_name(declared[status])
        assert errors(name, response.json()) == [], f"{method} {route}: not a valid {name}"
    seen.add((method, route, status, code))


async def test_the_server_replies_exactly_what_the_document_declares(
    server: LiveServer, document: dict[str, Any]
):
    seen: Seen = set()
    async with httpx.AsyncClient(base_url=server.base, timeout=20) as client:

        async def call(method: str, path: str, **kwargs: Any) -> httpx.Response:
            response = await client.request(method, path, **kwargs)
            _check(document, seen, response)
            return response

        def upload(name: str, data: bytes) -> dict[str, Any]:
            return {"files": {"document": (name, data)}}

        await call("GET", "/api/health")
        await call("GET", "/api/v1/samples")
        await call("GET", "/api/v1/audits")
        await call("GET", "/api/v1/audits", params={"limit": 0})
        await call("POST", "/api/v1/audits", **upload("big.md", b"# Big\n" + b"x" * 5000))
        await call("POST", "/api/v1/audits", **upload("book.xlsx", b"PK\x03\x04 not really"))
        await call("POST", "/api/v1/audits", **upload("report.docx", b"I am plain text"))
        await call("POST", "/api/v1/audits", data={"note": "no file"})
        await call("POST", "/api/v1/audits", data={"sample": "x"}, **upload("a.md", b"x"))
        await call("POST", "/api/v1/audits", data={"sample": "no-such-sample"})

        # Passes the upload check, cannot be read: the audit fails, its document is a 422.
        blank = (await call("POST", "/api/v1/audits", **upload("blank.md", b" \n\n "))).json()
        assert (await wait_finished(client, blank["audit_id"]))["state"] == "failed"
        await call("GET", f"/api/v1/audits/{blank['audit_id']}/document")

        # One audit running (its external agent hangs) is the limit: the next one is refused.
        running = (await call("POST", "/api/v1/audits", **upload("a.md", STATEMENT_MD))).json()
        audit = running["audit_id"]
        await call("POST", "/api/v1/audits", **upload("b.md", STATEMENT_MD))
        await call("GET", f"/api/v1/audits/{audit}")
        await call("GET", f"/api/v1/audits/{audit}/document")
        await call("POST", f"/api/v1/audits/{audit}/cancel")
        last_seq = (await wait_finished(client, audit))["last_seq"]

        async with client.stream("GET", f"/api/v1/audits/{audit}/events") as stream:
            assert "event: audit_finished" in (await stream.aread()).decode()
            _check(document, seen, stream)
        await call("GET", f"/api/v1/audits/{audit}/events", params={"after": last_seq})
        await call("GET", f"/api/v1/audits/{audit}/events", params={"after": "x"})

        unknown = "aud_unknown1"
        for method, path in [
            ("GET", f"/api/v1/audits/{unknown}"),
            ("GET", f"/api/v1/audits/{unknown}/document"),
            ("GET", f"/api/v1/audits/{unknown}/events"),
            ("POST", f"/api/v1/audits/{unknown}/cancel"),
            ("DELETE", f"/api/v1/audits/{unknown}"),
        ]:
            await call(method, path)
        await call("DELETE", f"/api/v1/audits/{audit}")

    never_seen = {entry for entry in _declared(document) - seen if entry[2] != "500"}
    assert never_seen == set(), "declared replies no request produced (drop or provoke them)"
