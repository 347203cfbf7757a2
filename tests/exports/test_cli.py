"""`crosscheck export` against a real server: the file it writes opens; errors exit 2 or 3."""

from __future__ import annotations

import io
import socket
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from server.cli.commands import cli
from server.cli.outcome import EXIT_BAD_INPUT, EXIT_INCOMPLETE, EXIT_OK
from tests.support.exports import Audited, Site


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["export", *args])
    return result.exit_code, result.output


def test_export_writes_a_workbook_that_opens(site: Site, tmp_path: Path) -> None:
    audited = site.audit("fanmilk-2024-planted")
    target = tmp_path / "paper.xlsx"
    code, output = _run(audited.audit_id, "--format", "xlsx", "--url", site.base, "-o", str(target))
    assert code == EXIT_OK, output
    assert f"Wrote {target}" in output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == "Overview" and "Coverage" in book.sheetnames


def test_export_names_the_word_copy_as_the_server_does(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    audited = site.audit("fanmilk-2024-planted")
    monkeypatch.chdir(tmp_path)
    code, output = _run(audited.audit_id, "--format", "docx", "--url", site.base)
    assert code == EXIT_OK, output
    written = tmp_path / f"fanmilk-2024-planted-crosscheck-{audited.audit_id}.docx"
    assert written.exists()
    assert len(docx.Document(io.BytesIO(written.read_bytes())).comments) > 0


def test_an_unknown_audit_exits_2_saying_so(site: Site, tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    code, output = _run("aud_nosuchaudit", "--format", "csv", "--url", site.base, "-o", str(target))
    assert code == EXIT_BAD_INPUT
    assert "No audit 'aud_nosuchaudit'" in output
    assert not target.exists()


def test_a_word_copy_of_a_markdown_audit_exits_2(
    site: Site, markdown_audit: Audited, tmp_path: Path
) -> None:
    code, output = _run(
        markdown_audit.audit_id, "-f", "docx", "--url", site.base, "-o", str(tmp_path / "x.docx")
    )
    assert code == EXIT_BAD_INPUT
    assert "not a Word .docx file" in output


def test_an_unknown_format_exits_2(site: Site) -> None:
    code, output = _run("aud_whatever", "--format", "pdf", "--url", site.base)
    assert code == EXIT_BAD_INPUT
    assert "pdf" in output


def test_an_unreachable_server_exits_3(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, output = _run(
        "aud_whatever", "--url", f"http://127.0.0.1:{port}", "-o", str(tmp_path / "x")
    )
    assert code == EXIT_INCOMPLETE
    assert "Cannot reach the Crosscheck server" in output
