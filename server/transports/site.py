"""The page and the published contract, as static files.

`/` and `/audits/{audit_id}` serve web/index.html (the page reads the id from its URL), assets
live under `/web/`, and the files of schema/v1 (JSON Schemas, AsyncAPI) under `/schema/v1/`,
next to FastAPI's OpenAPI document at `/schema/openapi.json` (also `/openapi.json`).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from server.transports.problems import ProblemError

ROOT = Path(__file__).resolve().parents[2]
WEB_DIR = ROOT / "web"
SCHEMA_DIR = ROOT / "schema" / "v1"

router = APIRouter(include_in_schema=False)


def _index() -> FileResponse:
    index = WEB_DIR / "index.html"
    if not index.is_file():
        raise ProblemError(404, "The page is not built: web/index.html is missing.", "no_page")
    return FileResponse(index, media_type="text/html", headers={"Cache-Control": "no-cache"})


@router.get("/")
async def page() -> FileResponse:
    return _index()


@router.get("/audits/{audit_id}")
async def audit_page(audit_id: str) -> FileResponse:
    return _index()


def mount(app: FastAPI) -> None:
    """Static mounts (not routes): the page assets and the schema files."""

    @app.get("/schema/openapi.json", include_in_schema=False)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi())

    app.mount("/schema/v1", StaticFiles(directory=SCHEMA_DIR, check_dir=False), name="schema")
    app.mount("/web", StaticFiles(directory=WEB_DIR, check_dir=False), name="web")
