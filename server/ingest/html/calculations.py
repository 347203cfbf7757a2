"""The calculation linkbase: which concepts the filer says sum to which, statement by statement.

Each `link:calculationLink` (one per extended link role, usually one statement) holds locators
(`link:loc`, pointing at a concept's schema element) and `summation-item` arcs from a total to
its items, with a weight (+1 or -1). Both the XBRL 2.1 arcrole and Calculations 1.1's are read;
a prohibiting arc (`use="prohibited"`) removes the relationship it names. Concepts are named as
in the instance ("us-gaap:Assets") from the locator's fragment, which SEC and ESEF taxonomies
spell "prefix_LocalName".
"""

from __future__ import annotations

from collections import defaultdict

from lxml import etree

from server.errors import InvalidDocument
from server.ingest.document import Calculation

_LINK = "http://www.xbrl.org/2003/linkbase"
_XLINK = "http://www.w3.org/1999/xlink"
_SUMMATION = (
    "http://www.xbrl.org/2003/arcrole/summation-item",
    "https://xbrl.org/2023/arcrole/summation-item",
)
_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


def read_calculations(data: bytes, filename: str = "calculation linkbase") -> list[Calculation]:
    """Every summation in one calculation linkbase file, in the order the file gives them."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InvalidDocument(f"{filename!r} is not a readable XBRL linkbase.") from exc
    found: list[Calculation] = []
    for link in root.iter(f"{{{_LINK}}}calculationLink"):
        role = link.get(f"{{{_XLINK}}}role") or ""
        concepts: dict[str, str] = {}
        for loc in link.iter(f"{{{_LINK}}}loc"):
            label = loc.get(f"{{{_XLINK}}}label")
            href = loc.get(f"{{{_XLINK}}}href") or ""
            if label:
                concepts[label] = concept_of(href)
        arcs: dict[tuple[str, str], tuple[float, float]] = {}
        prohibited: set[tuple[str, str]] = set()
        for arc in link.iter(f"{{{_LINK}}}calculationArc"):
            if arc.get(f"{{{_XLINK}}}arcrole") not in _SUMMATION:
                continue
            parent = concepts.get(arc.get(f"{{{_XLINK}}}from") or "")
            item = concepts.get(arc.get(f"{{{_XLINK}}}to") or "")
            if not parent or not item:
                continue
            if arc.get("use") == "prohibited":
                prohibited.add((parent, item))
                continue
            arcs[(parent, item)] = (_float(arc.get("weight"), 1.0), _float(arc.get("order"), 0.0))
        by_parent: dict[str, list[tuple[float, str, float]]] = defaultdict(list)
        for (parent, item), (weight, order) in arcs.items():
            if (parent, item) not in prohibited:
                by_parent[parent].append((order, item, weight))
        for parent, items in by_parent.items():
            items.sort(key=lambda t: t[0])
            found.append(Calculation(role, parent, [(item, weight) for _, item, weight in items]))
    return found


def concept_of(href: str) -> str:
    """ "https://.../us-gaap-2022.xsd#us-gaap_Assets" -> "us-gaap:Assets"."""
    fragment = href.rsplit("#", 1)[-1]
    prefix, sep, name = fragment.partition("_")
    return f"{prefix}:{name}" if sep else fragment


def _float(text: str | None, default: float) -> float:
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default
