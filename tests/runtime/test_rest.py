"""REST: every body matches schema/v1, and bad input is refused cleanly, leaving nothing behind."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import docx

from server.transports import codes
from tests.support.harness import (
    STATEMENT_MD,
    ScriptedAgent,
    agents,
    api,
    create_audit,
    wait_finished,
    ws_stream,
)


def _statement_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Statement of financial position", level=1)
    table = document.add_table(rows=4, cols=3)
    for row, cells in zip(
        table.rows,
        [
            ("", "2024", "2023"),
            ("Cash", "10", "8"),
            ("Receivables", "5", "4"),
            ("Total", "15", "12"),
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _stored_rows(data_dir: Path) -> tuple[int, int]:
    """(audits, uploaded documents) actually in the databases."""
    with sqlite3.connect(data_dir / "crosscheck.sqlite3") as main:
        audits = main.execute("SELECT COUNT(*) FROM audits").fetchone()[0]
    with sqlite3.connect(data_dir / "documents.sqlite3") as docs:
        documents = docs.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    return audits, documents


async def test_docx_upload_with_prior_year_and_memos(start_server):
    server = start_server()
    body = _statement_docx()
    async with api(server) as client:
        response = await client.post(
            "/api/v1/audits",
            files=[
                ("document", ("report.docx", body)),
                ("prior_year", ("prior.docx", body)),
                ("memos", ("memo1.md", STATEMENT_MD)),
                ("memos", ("memo2.txt", b"Management notes: revenue grew.")),
            ],
        )
        assert response.status_code == 202
        created = response.json()
        audit_id = created["audit_id"]
        assert created["links"]["websocket"] == f"{server.ws_base}/ws/audit/{audit_id}"
        assert created["links"]["page"].endswith(f"/audits/{audit_id}")
        stream = await ws_stream(created["links"]["websocket"])
        snap = await client.get(created["links"]["snapshot"])
        parsed = await client.get(created["links"]["document"])
    started = stream.events[0]
    assert started["document"]["name"] == "report.docx" and started["document"]["kind"] == "docx"
    assert started["inputs"]["prior_year"]["name"] == "prior.docx"
    assert [m["name"] for m in started["inputs"]["memos"]] == ["memo1.md", "memo2.txt"]
    assert snap.json()["state"] == "completed"
    assert parsed.json()["kind"] == "docx" and parsed.json()["blocks"]


async def test_bad_uploads_get_clear_statuses_and_leave_nothing(start_server, tmp_path):
    server = start_server(max_upload_bytes=4096)
    async with api(server) as client:
        too_big = await client.post(
            "/api/v1/audits", files={"document": ("big.md", b"# Big\n" + b"x" * 5000)}
        )
        unsupported = await client.post(
            "/api/v1/audits", files={"document": ("book.xlsx", b"PK\x03\x04 not really")}
        )
        fake_docx = await client.post(
            "/api/v1/audits", files={"document": ("report.docx", b"I am plain text")}
        )
        bad_memo = await client.post(
            "/api/v1/audits",
            files=[("document", ("a.md", STATEMENT_MD)), ("memos", ("m.exe", b"MZ"))],
        )
        missing = await client.post("/api/v1/audits", data={"note": "no file"})
        both = await client.post(
            "/api/v1/audits", data={"sample": "fanmilk-2024"}, files={"document": ("a.md", b"x")}
        )
        unknown_sample = await client.post("/api/v1/audits", data={"sample": "no-such-sample"})
        listed = (await client.get("/api/v1/audits")).json()["audits"]
    assert too_big.status_code == 413 and "big.md" in too_big.json()["detail"]
    assert unsupported.status_code == 415
    assert all(ext in unsupported.json()["detail"] for ext in (".docx", ".pdf", ".md", ".txt"))
    assert fake_docx.status_code == 422 and "Word" in fake_docx.json()["detail"]
    assert bad_memo.status_code == 415
    assert missing.status_code == 422 and "document" in missing.json()["detail"]
    assert both.status_code == 400
    assert unknown_sample.status_code == 404 and "fanmilk-2024" in unknown_sample.json()["detail"]
    assert listed == []
    assert _stored_rows(server.settings.data_dir) == (0, 0)


async def test_chunked_upload_without_length_is_stopped_at_the_cap(start_server):
    server = start_server(max_upload_bytes=4096)
    boundary = "crosscheck-test"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="big.md"\r\n'
        "Content-Type: text/markdown\r\n\r\n"
    ).encode()

    async def body():  # no Content-Length: httpx sends it chunked
        yield head
        for _ in range(40):
            yield b"x" * 65536

    async with api(server) as client:
        response = await client.post(
            "/api/v1/audits",
            content=body(),
            headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        )
    assert response.status_code == 413
    assert response.json()["detail"].startswith(
        "The request is larger than"
    )  # not the per-file check
    assert _stored_rows(server.settings.data_dir) == (0, 0)


async def test_too_many_running_audits_get_429_with_retry_after(start_server):
    server = start_server(
        agents(external=ScriptedAgent("external", behaviour="hang")), max_running_audits=1
    )
    async with api(server) as client:
        audit_id = await create_audit(client)
        refused = await client.post("/api/v1/audits", files={"document": ("b.md", STATEMENT_MD)})
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        assert _stored_rows(server.settings.data_dir) == (1, 1)
        health = (await client.get("/api/health")).json()
        assert health["audits_running"] == 1
        await client.post(f"/api/v1/audits/{audit_id}/cancel")
        await wait_finished(client, audit_id)
        accepted = await client.post("/api/v1/audits", files={"document": ("c.md", STATEMENT_MD)})
        assert accepted.status_code == 202


async def test_bundled_sample_audit(start_server):
    server = start_server()
    async with api(server) as client:
        listed = (await client.get("/api/v1/samples")).json()["samples"]
        name = listed[0]["name"]
        response = await client.post("/api/v1/audits", data={"sample": name})
        assert response.status_code == 202
        snap = await wait_finished(client, response.json()["audit_id"])
    assert snap["state"] == "completed"
    assert snap["document"]["name"] == listed[0]["document"]
    if "prior_year" in listed[0]:
        assert snap["inputs"]["prior_year"]["name"] == listed[0]["prior_year"]


async def test_list_newest_first_and_delete(start_server):
    server = start_server(agents(external=ScriptedAgent("external", behaviour="hang")))
    async with api(server) as client:
        first = await create_audit(client, "first.md")
        await client.post(f"/api/v1/audits/{first}/cancel")
        second = await create_audit(client, "second.md")
        listed = (await client.get("/api/v1/audits")).json()["audits"]
        assert [a["audit_id"] for a in listed] == [second, first]
        assert listed[1]["state"] == "cancelled" and "finished_at" in listed[1]
        # Deleting a running audit cancels it first, then removes everything.
        assert (await client.delete(f"/api/v1/audits/{second}")).status_code == 204
        assert (await client.delete(f"/api/v1/audits/{first}")).status_code == 204
        gone = await client.get(f"/api/v1/audits/{first}")
        assert gone.status_code == 404 and gone.json()["code"] == "unknown_audit"
        assert (await client.delete(f"/api/v1/audits/{first}")).status_code == 404
        assert (await client.get(f"/api/v1/audits/{second}/document")).status_code == 404
        assert (await client.get("/api/v1/audits")).json()["audits"] == []
    closed = await ws_stream(f"{server.ws_base}/ws/audit/{first}")
    assert closed.close_code == codes.WS_4404_UNKNOWN_AUDIT
    assert _stored_rows(server.settings.data_dir) == (0, 0)


async def test_contract_page_and_errors_are_served(start_server):
    server = start_server()
    async with api(server) as client:
        health = await client.get("/api/health")
        openapi = await client.get("/openapi.json")
        published = await client.get("/schema/openapi.json")
        frames = await client.get("/schema/v1/frames.schema.json")
        asyncapi = await client.get("/schema/v1/asyncapi.yaml")
        page = await client.get("/")
        audit_page = await client.get("/audits/abcdefgh")
        missing = await client.get("/api/v1/nothing-here")
        bad_limit = await client.get("/api/v1/audits?limit=0")
    assert health.json()["status"] == "ok" and health.json()["protocol"] == 1
    assert "/api/v1/audits" in openapi.json()["paths"]
    assert published.json()["paths"] == openapi.json()["paths"]
    assert frames.json()["$id"].endswith("frames.schema.json")
    assert asyncapi.status_code == 200 and "asyncapi" in asyncapi.text
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert audit_page.text == page.text
    assert missing.status_code == 404 and missing.json()["detail"]
    assert bad_limit.status_code == 422
