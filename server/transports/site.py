"""The page and the published contract, as static files.

`/` and `/audits/{audit_id}` serve web/index.html (the page reads the id from its URL), assets
live under `/web/`, the values the page imports from the schema at `/generated/codes.js`, and the
files of schema/v1 (JSON Schemas, AsyncAPI) under `/schema/v1/`, next to FastAPI's OpenAPI
document at `/schema/openapi.json` (also `/openapi.json`).

Every file is found with importlib.resources: web/ and schema/ are installed as the packages
`server.web` and `server.schema` (setup.py), so an installed wheel serves the same files as a
checkout, and nothing depends on where the repository is.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from generated.models import ProblemCode
from server.transports import openapi
from server.transports.problems import ProblemError


def _directory(package: str) -> Path:
    """The directory of an installed package's files (StaticFiles needs a real directory)."""
    root = files(package)
    if not isinstance(root, Path):
        raise RuntimeError(f"{package} is not installed as plain files; reinstall Crosscheck")
    return root


WEB_DIR = _directory("server.web")
SCHEMA_DIR = _directory("server.schema") / "v1"
CODES_JS = _directory("generated") / "codes.js"

router = APIRouter(include_in_schema=False)


def _index() -> FileResponse:
    index = WEB_DIR / "index.html"
    if not index.is_file():
        raise ProblemError(
            404, "The page is not built: web/index.html is missing.", ProblemCode.no_page
        )
    return FileResponse(index, media_type="text/html", headers={"Cache-Control": "no-cache"})


@router.get("/")
async def page() -> FileResponse:
    return _index()


@router.get("/audits/{audit_id}")
async def audit_page(audit_id: str) -> FileResponse:
    return _index()


@router.get("/generated/codes.js")
async def codes_js() -> FileResponse:
    """Close codes and the audit-id pattern, generated from the schema (web/stream.js, app.js)."""
    return FileResponse(
        CODES_JS, media_type="text/javascript", headers={"Cache-Control": "no-cache"}
    )


def mount(app: FastAPI) -> None:
    """Static mounts (not routes): the page assets and the schema files; the OpenAPI document."""
    openapi.install(app)

    @app.get("/schema/openapi.json", include_in_schema=False)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi())

    app.mount("/schema/v1", StaticFiles(directory=SCHEMA_DIR, check_dir=False), name="schema")
    app.mount("/web", StaticFiles(directory=WEB_DIR, check_dir=False), name="web")
