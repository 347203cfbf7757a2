"""Every contract error code has exactly one class, and errors render as safe ErrorInfo."""

from __future__ import annotations

from generated.models import ErrorCode
from server.errors import ERROR_CLASSES, AgentTimeout, CrosscheckError, InvalidDocument
from tests.support.frames import assert_valid


def test_every_error_code_has_a_class() -> None:
    assert set(ERROR_CLASSES) == set(ErrorCode)
    for code, cls in ERROR_CLASSES.items():
        assert cls.code is code


def test_error_info_is_valid_and_keeps_the_message() -> None:
    info = InvalidDocument("'a.docx' is not a Word document: it is not a zip archive.").to_info()
    assert_valid("ErrorInfo", info.model_dump(mode="json"))
    assert info.code is ErrorCode.invalid_document and info.retryable is False
    assert AgentTimeout().to_info().retryable is True


def test_overlong_messages_are_cut_to_the_schema_limit() -> None:
    info = CrosscheckError("x" * 2000).to_info()
    assert len(info.message) == 500
