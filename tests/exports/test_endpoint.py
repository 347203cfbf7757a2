"""GET /api/v1/audits/{id}/export on a real server: types, file names and Problems."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.support.exports import Audited, Site
from tests.support.frames import assert_valid_body

TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


@pytest.mark.parametrize("fmt", sorted(TYPES))
def test_each_format_is_served_with_its_type_and_a_file_name(site: Site, fmt: str) -> None:
    audited = site.audit("fanmilk-2024-planted")
    response = site.export(audited.audit_id, fmt)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == TYPES[fmt]
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; ")
    if fmt == "docx":
        expected = f"fanmilk-2024-planted-crosscheck-{audited.audit_id}.docx"
    else:
        kind = "working-paper" if fmt == "xlsx" else "findings"
        expected = f"crosscheck-{audited.audit_id}-{kind}.{fmt}"
    assert f'filename="{expected}"' in disposition
    assert f"filename*=UTF-8''{expected}" in disposition
    if fmt in ("xlsx", "docx"):
        assert zipfile.is_zipfile(io.BytesIO(response.content))


def test_an_unknown_audit_is_a_404_problem(site: Site) -> None:
    response = site.export("aud_doesnotexist", "xlsx")
    assert response.status_code == 404
    assert_valid_body("Problem", response.json())
    assert response.json()["code"] == "unknown_audit"
    assert "aud_doesnotexist" in response.json()["detail"]


@pytest.mark.parametrize("fmt", ["pdf", "", None])
def test_an_unknown_format_is_a_422_naming_the_supported_ones(site: Site, fmt: str | None) -> None:
    audited = site.audit("fanmilk-2024-planted")
    path = f"/api/v1/audits/{audited.audit_id}/export"
    response = site.client.get(path, params={"format": fmt} if fmt is not None else None)
    assert response.status_code == 422
    body = response.json()
    assert_valid_body("Problem", body)
    assert body["code"] == "unknown_format"
    assert "supported: xlsx, docx, csv, json" in body["detail"]
    if fmt:
        assert repr(fmt) in body["detail"]


def test_a_word_copy_of_a_markdown_upload_is_a_409_problem(
    site: Site, markdown_audit: Audited
) -> None:
    response = site.export(markdown_audit.audit_id, "docx")
    assert response.status_code == 409
    body = response.json()
    assert_valid_body("Problem", body)
    assert body["code"] == "not_a_word_document"
    assert "'statement.md' is not a Word .docx file" in body["detail"]
    # The other working papers do not need the Word original.
    for fmt in ("xlsx", "csv", "json"):
        assert site.export(markdown_audit.audit_id, fmt).status_code == 200
