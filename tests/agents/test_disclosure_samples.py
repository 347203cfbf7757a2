"""The disclosure agent on the bundled real statements: a note removed from the sample's data,
the Word document rebuilt and read back, must be reported missing under its standard."""

from __future__ import annotations

from functools import cache

import pytest

from generated.models import DisclosureResult
from server.agents.disclosure import agent as disclosure
from tests.support.planted import NO_EDIT, drop_note, planted

DISCLOSURE_CASES: list[tuple[str, str, str]] = [
    ("fanmilk-2024", "Related party disclosures", "IAS 24"),
    ("fanmilk-2024", "Property, plant and equipment", "IAS 16"),
    ("fanmilk-2024", "Leases", "IFRS 16"),
    ("fanmilk-2024", "Inventories", "IAS 2"),
    ("fanmilk-2024", "Financial risk management", "IFRS 7"),
    ("insig-2024", "Segment information", "IFRS 8"),
    ("insig-2024", "Discontinued operations", "IFRS 5"),
    ("flowtraders-2024", "Property and equipment", "IAS 16"),
    ("flowtraders-2024", "Leases", "IFRS 16"),
    ("flowtraders-2024", "Financial assets held for trading", "IFRS 13"),
    ("fanmilk-2024", "Income tax expense", "IAS 12"),
    ("insig-2024", "Intangible assets", "IAS 36"),
    ("insig-2024", "Contingent liabilities", "IAS 37"),
    ("flowtraders-2024", "Employee expenses", "IAS 19"),
]


@cache
def _clean_disclosure(name: str) -> frozenset[str]:
    return frozenset(f.id for f in disclosure.audit(planted(name, NO_EDIT)).findings)


@pytest.mark.parametrize(
    ("name", "title", "standard"), DISCLOSURE_CASES, ids=[c[1] for c in DISCLOSURE_CASES]
)
def test_removed_note_is_reported_missing(name: str, title: str, standard: str) -> None:
    result: DisclosureResult = disclosure.audit(planted(name, drop_note(title)))
    new = [f for f in result.findings if f.id not in _clean_disclosure(name)]
    assert any(f.standard == standard for f in new), [f.title for f in new]
