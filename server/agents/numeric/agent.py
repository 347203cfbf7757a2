"""The numeric agent: do the figures add up, and do they agree with each other?

Every check runs for every period column and either passes or becomes a finding; a check whose
structure is uncertain is counted as skipped, never guessed. One module per responsibility:

- `footing`: every total and subtotal the reader explained (reported as
  roll-forwards for closing balances and as equations for total assets, total comprehensive
  income and the net change in cash), totals of tables continued across pages, and "Total"
  columns cross-footed row by row;
- `balances`: opening balances against the prior closing balance;
- `carrying`: carrying amounts = cost less accumulated depreciation, by date;
- `equations`: assets = equity + liabilities, and the equations footing could not re-add;
- `ties`: profit, cash, equity components and non-cash adjustments across statements;
- `notes`: a statement line against the total of the note it cites;
- `eps`: EPS = profit attributable / weighted average shares;
- `facts`: an inline-XBRL fact printed twice (same concept and context) is one number;
- `calculations`: the filer's calculation linkbase, when the filing supplies one, and how far
  the reader's inferred totals agree with it.

Structure (what each total sums, printed units, which figures never add up) is inferred once when
the document is read (server/ingest/structure.py) and only read here.

Tolerances follow Calculations 1.1 ((n + 1) * u / 2 for n rounded components of unit u) and the
DQC same-figure rule (2 units of the coarser precision); `ledger` decides severities.
"""

from __future__ import annotations

from pydantic import MISSING

from generated.models import NumericResult, NumericSummary
from server.agents.base import AuditInputs, Progress, no_progress
from server.agents.numeric.balances import check_opening_balances
from server.agents.numeric.calculations import check_calculations
from server.agents.numeric.carrying import check_carrying_amounts
from server.agents.numeric.eps import check_eps
from server.agents.numeric.equations import check_equations
from server.agents.numeric.facts import check_duplicate_facts
from server.agents.numeric.footing import foot_table
from server.agents.numeric.ledger import Ledger
from server.agents.numeric.notes import check_note_ties
from server.agents.numeric.ties import check_ties
from server.ingest.document import ColumnRole, Document
from server.workers import offload

PROGRESS_EVERY_TABLES = 5


async def run(inputs: AuditInputs, progress: Progress | None = None) -> NumericResult:
    return await offload(audit, inputs.document, progress=progress)


def audit(document: Document, progress: Progress = no_progress) -> NumericResult:
    """Every numeric check over one document (sync, CPU-bound: `run` offloads it to a worker)."""
    ledger = Ledger()
    tables = document.tables
    steps = len(tables) + 4
    by_id = {t.id: t for t in tables}
    borrowed = frozenset((t.id, r.index) for t in tables for r in t.rows if r.chain_components)
    for done, table in enumerate(tables):
        foot_table(table, ledger, by_id)
        if done % PROGRESS_EVERY_TABLES == 0:
            progress(done, steps, f"table {done + 1} of {len(tables)}")
    progress(len(tables), steps, "opening balances")
    check_opening_balances(document, ledger)
    check_carrying_amounts(document, ledger, borrowed)
    progress(len(tables) + 1, steps, "fundamental equations")
    check_equations(document, ledger, borrowed)
    progress(len(tables) + 2, steps, "ties across statements")
    check_ties(document, ledger)
    progress(len(tables) + 3, steps, "ties to notes")
    check_note_ties(document, ledger)
    check_eps(document, ledger)
    check_duplicate_facts(document, ledger)
    agreement = check_calculations(document, ledger)
    progress(steps, steps, "done")
    tallies = ledger.tallies.values()
    numbers = sum(
        1
        for t in tables
        for c in t.columns
        if c.role is ColumnRole.AMOUNT
        for r in t.rows
        if r.value(c.index) is not None
    )
    summary = NumericSummary(
        checks_run=sum(t.run for t in tallies),
        checks_failed=sum(t.failed for t in tallies),
        checks_skipped=sum(t.skipped for t in tallies),
        by_check=ledger.by_check(),
        tables=len(tables),
        numbers=numbers,
        calculations=agreement if agreement is not None else MISSING,
    )
    return NumericResult(agent="numeric", summary=summary, findings=ledger.in_document_order())
