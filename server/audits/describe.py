"""How an audit's inputs are described on the wire, in `audit_started`: the report and the
prior year and memos, by name, kind and size (`DocumentInfo`)."""

from __future__ import annotations

from generated.models import AuditInputs as InputsInfo
from generated.models import DocumentInfo, DocumentKindName
from server.agents.base import AuditInputs
from server.ingest.document import Document


def document_info(document: Document) -> DocumentInfo:
    counts = document.counts()
    extra: dict[str, object] = {}
    if document.pages is not None:
        extra["pages"] = document.pages
    if document.entity_name:
        extra["entity_name"] = document.entity_name
    if document.reporting_date:
        extra["reporting_date"] = document.reporting_date
    return DocumentInfo(
        name=document.name,
        kind=DocumentKindName(document.kind.value),
        tables=counts["tables"],
        sections=counts["sections"],
        paragraphs=counts["paragraphs"],
        **extra,  # type: ignore[arg-type]
    )


def inputs_info(inputs: AuditInputs) -> InputsInfo:
    memos = [document_info(m) for m in inputs.memos]
    if inputs.prior_year is None:
        return InputsInfo(memos=memos)
    return InputsInfo(prior_year=document_info(inputs.prior_year), memos=memos)
