"""An HTML or XHTML filing parsed into one lxml tree, and the few questions asked of its nodes.

Inline XBRL documents are XHTML, so the strict XML parser reads them with their namespaces
(`ix:nonFraction` is `{http://www.xbrl.org/2013/inlineXBRL}nonFraction`). Plain .htm filings are
often not well-formed XML; they go through lxml's HTML parser, which keeps a prefixed tag as
the literal, lowercased name "ix:nonfraction" and lowercases attributes. `local` and `attr` hide
that difference from the rest of the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree, html

from server.errors import InvalidDocument

IX_NS = "http://www.xbrl.org/2013/inlineXBRL"
XBRLI_NS = "http://www.xbrl.org/2003/instance"
XBRLDI_NS = "http://xbrl.org/2006/xbrldi"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"

_XML_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
_HTML_PARSER = html.HTMLParser(huge_tree=True, no_network=True)


def parse(data: bytes, filename: str) -> etree._Element:
    """The root element; XML first (XHTML and inline XBRL), then the forgiving HTML parser."""
    try:
        # An XML declaration must come first: filers' tools often put a blank line before it.
        root = etree.fromstring(data.lstrip(b"\xef\xbb\xbf \t\r\n"), _XML_PARSER)
    except etree.XMLSyntaxError:
        root = None
    if root is None or local(root) != "html":
        try:
            root = html.document_fromstring(data, parser=_HTML_PARSER)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
            raise InvalidDocument(f"{filename!r} is not readable HTML.") from exc
    if root is None:
        raise InvalidDocument(f"{filename!r} is not readable HTML.")
    return root


def local(el: etree._Element) -> str:
    """The element's lowercased local name ("nonfraction", "td"); "" for comments and PIs."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return _local_name(tag)


@lru_cache(maxsize=512)
def _local_name(tag: str) -> str:
    if tag[0] == "{":
        return tag.rsplit("}", 1)[1].lower()
    return tag.rsplit(":", 1)[-1].lower()


def is_ix(el: etree._Element) -> bool:
    """An inline-XBRL element, in either parser's spelling."""
    tag = el.tag
    return isinstance(tag, str) and (tag.startswith("{" + IX_NS) or tag.startswith("ix:"))


def attr(el: etree._Element, name: str) -> str | None:
    """An attribute by its XML spelling ("contextRef"), or as the HTML parser lowercased it."""
    value = el.get(name)
    if value is None and name.lower() != name:
        value = el.get(name.lower())
    return value


def is_nil(el: etree._Element) -> bool:
    value = el.get(XSI_NIL) or el.get("xsi:nil")
    return (value or "").strip().lower() == "true"


@dataclass(frozen=True, slots=True)
class Style:
    """What a style attribute says that matters for reading: hidden, bold, size, breaks, rules."""

    hidden: bool = False
    bold: bool | None = None  # None: not stated, inherit
    size_pt: float | None = None
    break_before: bool = False
    break_after: bool = False
    rule_top: bool = False
    rule_bottom: bool = False
    raised: bool = False  # set as a superscript: vertical-align:super, or moved up (top:-3pt)


NO_STYLE = Style()
_DECL = re.compile(r"([a-z-]+)\s*:\s*([^;]+)")
_SIZE = re.compile(r"([\d.]+)\s*(pt|px|em|rem|%)?")


@lru_cache(maxsize=4096)
def style_of(text: str | None) -> Style:
    if not text:
        return NO_STYLE
    props = {k: v.strip().lower() for k, v in _DECL.findall(text.lower())}
    weight = props.get("font-weight")
    bold: bool | None = None
    if weight is not None:
        bold = weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)
    return Style(
        hidden=props.get("display") == "none" or props.get("visibility") == "hidden",
        bold=bold,
        size_pt=_size(props.get("font-size")),
        break_before=_breaks(props, "before"),
        break_after=_breaks(props, "after"),
        rule_top=_ruled(props, "top"),
        rule_bottom=_ruled(props, "bottom"),
        raised=props.get("vertical-align") in ("super", "top", "text-top")
        or (props.get("position") == "relative" and props.get("top", "").startswith("-")),
    )


def _breaks(props: dict[str, str], where: str) -> bool:
    return props.get(f"page-break-{where}") == "always" or props.get(f"break-{where}") in (
        "page",
        "always",
    )


def _ruled(props: dict[str, str], side: str) -> bool:
    value = props.get(f"border-{side}") or props.get(f"border-{side}-style") or ""
    return bool(value) and "none" not in value and not value.startswith("0")


def _size(value: str | None) -> float | None:
    if not value:
        return None
    m = _SIZE.match(value)
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2) or "px"
    if unit == "pt":
        return number
    if unit == "px":
        return number * 0.75
    if unit in ("em", "rem"):
        return number * 10.0
    return number / 10.0  # "%" of a 10pt body
