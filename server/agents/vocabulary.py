"""The words of financial statements the logic and disclosure agents recognise line items by.

Preparers word the same thing differently ("Profit/(loss) for the year", "Net income", "Loss for
the period"). Both agents recognise line items through one table of concepts (`CONCEPTS`), match
labels only after `server.text.labels.normalise_label`, and write checklist patterns with
"{term}" macros (`TERMS`), so a complete set of statements from another firm matches the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from server.text.labels import normalise_label

# Line-item concepts: a normalised row label matches a concept when one of its patterns matches
# the whole label. Order matters only for readability; patterns are anchored.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "revenue": (
        r"(total )?(net )?(revenues?|turnover|sales|net sales)( from contracts with customers)?",
        r"revenue from (the )?(sale of goods|rendering of services|contracts with customers)",
    ),
    "cost_of_sales": (r"cost of (sales|revenue|goods sold)",),
    "gross_profit": (r"gross (profit|margin)",),
    "operating_profit": (
        r"(operating (profit|income|loss)|profit from operations|results? from operating activities"
        r"|(profit|loss) from operating activities|operating result)",
    ),
    "finance_costs": (r"(net )?finance (costs?|expenses?)|interest expense",),
    "profit_before_tax": (
        r"(profit|loss|result) before (income )?tax(ation)?( expense)?",
        r"(profit|loss) before income taxes",
    ),
    "income_tax": (
        r"(income )?tax(ation)? (expense|charge|benefit|credit)( for the (year|period))?",
        r"tax (credit|charge|expense)( ?/ ?\((charge|credit|expense)\))?",
        r"income tax(es)?",
        r"tax on profit",
    ),
    "profit_for_year": (
        r"(group |company |consolidated )?(net )?(profit|loss|result)( for the (year|period|financial year))?",
        r"net income( for the (year|period))?",
        r"(net )?(profit|loss) and total comprehensive (income|loss) for the (year|period)",
    ),
    "total_comprehensive_income": (r"total comprehensive (income|loss)( for the (year|period))?",),
    "profit_continuing": (
        r"(profit|loss|result)( for the (year|period))?( after (income )?tax(ation)?)?"
        r" from continu(ed|ing) operations",
    ),
    "total_assets": (r"total assets",),
    "current_assets": (r"total current assets|current assets",),
    "non_current_assets": (r"total non-?current assets|non-?current assets",),
    "current_liabilities": (r"total current liabilities|current liabilities",),
    "non_current_liabilities": (r"total non-?current liabilities|non-?current liabilities",),
    "total_liabilities": (r"total liabilities",),
    "total_equity": (
        r"total equity|equity|net assets|total shareholders' equity|shareholders' equity"
        r"|total equity attributable to (the )?(owners|equity holders|shareholders) of the (company|parent|group)",
    ),
    "total_equity_and_liabilities": (r"total (equity and liabilities|liabilities and equity)",),
    "retained_earnings": (
        r"retained (earnings|profits?|losses|deficit)|accumulated (losses|deficit|profits?)"
        r"|(retained earnings|accumulated losses) ?/ ?\((accumulated losses|retained earnings)\)",
    ),
    "share_capital": (r"(issued )?(share|stated|ordinary share) capital|ordinary shares",),
    "cash": (r"cash and cash equivalents|cash and bank balances|cash at bank( and in hand)?|cash",),
    "ppe": (
        r"property, plant and equipment|plant and equipment|fixed assets|tangible fixed assets",
    ),
    "inventories": (r"inventor(y|ies)|stocks?",),
    "trade_receivables": (r"trade (and other )?receivables|trade debtors|accounts receivable",),
    "borrowings": (
        r"(current |non-current )?(interest-bearing )?(loans and borrowings|borrowings|bank loans|loans"
        r"|bank borrowings|(medium|long|short)-term (bank )?(loans?|borrowings))( - (non-)?current( portion)?)?",
    ),
    "proceeds_borrowings": (
        r"proceeds from (new |bank )?(loans and borrowings|borrowings|bank loans|loans|bank borrowings)",
        r"proceeds from (medium|long|short)-term (bank )?(loans?|borrowings)",
        r"(loans|borrowings) (received|raised|drawn( down)?)",
        r"drawdowns? of (loans|borrowings)",
    ),
    "repay_borrowings": (
        r"repayments? of (bank )?(loans and borrowings|borrowings|bank loans|loans|bank borrowings)",
        r"(loans?|borrowings) repaid",
        r"(medium|long|short)-term (bank )?loans? repaid",
        r"repayments? of (medium|long|short)-term (bank )?(loans?|borrowings)",
    ),
    "depreciation": (
        r"depreciation( of property, plant and equipment)?"
        r"|depreciation and amorti[sz]ation( expense)?|depreciation charge",
    ),
    "purchase_ppe": (
        r"(purchases?|acquisitions?) of (property, )?plant and equipment"
        r"|payments? for (the )?(purchase|acquisition) of (property, )?plant and equipment"
        r"|capital expenditure",
    ),
    "investment_property": (r"investment propert(y|ies)",),
    "goodwill": (r"goodwill",),
    "intangible_assets": (r"(other )?intangible assets",),
    "provisions": (r"provisions?",),
    "lease_liabilities": (r"lease liabilities",),
    "right_of_use_assets": (r"right-of-use assets?",),
    "inventory_expense": (
        r"raw materials and consumables( used)?|cost of inventor(y|ies)( recognised as (an )?expense)?"
        r"|inventor(y|ies) recognised as (an )?expense|materials consumed",
    ),
    "loss_allowance": (
        r"(impairment|loss|credit loss|ecl) allowance"
        r"|allowance for (impairment|doubtful debts|expected credit losses)"
        r"|provision for (impairment|doubtful debts)( of trade receivables)?",
    ),
    "share_issue_proceeds": (
        r"(net )?proceeds from (the )?issu(e|ance) of (ordinary |new )?"
        r"(shares|share capital|equity|ordinary shares)",
    ),
    "auditor_remuneration": (
        r"(auditors?'?s?'? (remuneration|fees?)|audit (fees?|services)|statutory audit( fees?)?)",
    ),
    "impairment": (
        r"impairments?( (losses|charges?))?( (of|on) (intangible|non-financial) assets)?",
    ),
    "eps_basic": (r"basic (and diluted )?(earnings|loss|profit) per share.*|earnings per share.*",),
}

_CONCEPT_RE = {k: [re.compile(rf"^(?:{p})$") for p in v] for k, v in CONCEPTS.items()}


def concept_of(label: str) -> str | None:
    """The concept a row label stands for, or None; `label` may be raw or normalised."""
    key = normalise_label(label)
    for concept, patterns in _CONCEPT_RE.items():
        if any(p.match(key) for p in patterns):
            return concept
    return None


def label_is(label: str, concept: str) -> bool:
    key = normalise_label(label)
    return any(p.match(key) for p in _CONCEPT_RE[concept])


# Words a sentence uses for a concept. Used by the narrative check to find what a figure is about.
NARRATIVE_TERMS: dict[str, tuple[str, ...]] = {
    "revenue": ("revenue", "revenues", "turnover", "net sales", "sales", "group revenue"),
    "gross_profit": ("gross profit",),
    "operating_profit": (
        "operating profit",
        "operating income",
        "profit from operations",
        "operating loss",
    ),
    "profit_before_tax": (
        "profit before tax",
        "profit before income tax",
        "loss before tax",
        "loss before income tax",
        "profit before taxation",
        "loss before taxation",
    ),
    "income_tax": ("income tax expense", "tax expense", "tax charge", "income tax charge"),
    "profit_for_year": (
        "net profit",
        "net loss",
        "net income",
        "profit for the year",
        "loss for the year",
        "profit for the period",
        "loss for the period",
        "profit after tax",
        "loss after tax",
        "loss",
        "profit",
    ),
    "total_comprehensive_income": ("total comprehensive income", "total comprehensive loss"),
    "profit_continuing": (
        "continued operations",
        "continuing operations",
        "profit from continuing operations",
        "loss from continuing operations",
        "loss from continued operations",
    ),
    "total_assets": ("total assets",),
    "current_assets": ("current assets",),
    "current_liabilities": ("current liabilities",),
    "total_liabilities": ("total liabilities",),
    "total_equity": ("total equity", "equity", "net assets", "shareholders' equity"),
    "cash": ("cash and cash equivalents", "cash balances", "cash"),
    "ppe": ("property, plant and equipment",),
    "inventories": ("inventories",),
    "trade_receivables": ("trade receivables", "trade and other receivables"),
    "finance_costs": ("finance costs", "finance expenses", "interest expense"),
    "inventory_expense": (
        "inventories charged to profit or loss",
        "inventories recognised as an expense",
        "inventories expensed",
        "cost of inventories",
    ),
    "loss_allowance": (
        "loss allowance",
        "impairment allowance",
        "allowance for expected credit losses",
    ),
    "share_issue_proceeds": ("equity subscription", "share subscription", "placing", "share issue"),
    "auditor_remuneration": (
        "audit fee",
        "audit fees",
        "auditor's remuneration",
        "auditors' remuneration",
    ),
    "impairment": (
        "impairment charge",
        "impairment charges",
        "impairment loss",
        "impairment losses",
    ),
}


def contains_any(text: str, phrases: Iterable[str]) -> str | None:
    """The first phrase (a regex over normalised text) found in `text`, or None."""
    for p in phrases:
        if re.search(p, text):
            return p
    return None


# Synonym macros for checklist patterns: "{ppe}" in a pattern stands for this alternation.
TERMS: dict[str, str] = {
    "ppe": r"(property, plant and equipment|plant and equipment|property and equipment|fixed assets"
    r"|tangible (fixed )?assets)",
    "fs": r"(consolidated |separate |group |company |parent company )?financial statements",
    "board": r"(board of directors|board|directors|supervisory board|management board|management"
    r"|executive board|governing body|trustees|council)",
    "authorised": r"(authorised for (issue|publication)|approved (for issue )?by|approved for issue"
    r"|approved and (authorised|signed)|were approved|was approved|signed on (its|their) behalf)",
    "rp": r"(related part(y|ies)|related companies|related entities|group companies|affiliates)",
    "kmp": r"(key management( personnel)?|directors'? (remuneration|emoluments|fees|compensation)"
    r"|remuneration of (the )?(directors|key management)|compensation (of|to) (the )?(key|directors)"
    r"|executive (remuneration|compensation)|management (remuneration|compensation))",
    "opening": r"(at (the )?(1|01|beginning|start)|balance at (the )?(1|01|beginning|start)|opening"
    r"|as at 1 |at 1 january|at beginning of (the )?(year|period)|brought forward|b/f|cost at 1)",
    "closing": r"(at (the )?(31|30|end)|balance at (the )?(31|30|end)|closing|carrying amount"
    r"|net book value|carried forward|c/f)",
    "ecl": r"(expected credit loss(es)?|ecl|loss allowance|impairment allowance|allowance for"
    r" (impairment|doubtful|expected|credit)|provision for (impairment|doubtful|bad))",
    "revenue": r"(revenue|turnover|sales)",
    "lease_liab": r"(lease liabilit(y|ies)|lease obligations|finance lease (liabilit|obligation)"
    r"|right-of-use liabilit(y|ies))",
    "rou": r"(right-of-use|right of use|rou asset)",
}
_MACRO = re.compile(r"\{([a-z_]+)\}")


def expand(pattern: str) -> str:
    """A checklist pattern with its "{term}" macros replaced by their alternations."""
    return _MACRO.sub(lambda m: TERMS[m.group(1)], pattern)
