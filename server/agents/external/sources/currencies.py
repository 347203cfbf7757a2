"""ISO 4217 currencies (from pycountry) and the words and symbols reports use for them."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

import pycountry
import yaml


@cache
def _data() -> dict[str, object]:
    text = (
        files("server.agents.external.sources")
        .joinpath("data/currency_names.yaml")
        .read_text("utf-8")
    )
    loaded = yaml.safe_load(text)
    assert isinstance(loaded, dict)
    return loaded


@cache
def iso_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


@cache
def withdrawn_codes() -> frozenset[str]:
    withdrawn = _data()["withdrawn"]
    assert isinstance(withdrawn, list)
    return frozenset(str(c) for c in withdrawn)


def currency_name(code: str) -> str | None:
    found = pycountry.currencies.get(alpha_3=code)
    return str(found.name) if found else None


@cache
def _names() -> dict[str, str]:
    """Lower-case currency name -> ISO code."""
    names = _data()["names"]
    assert isinstance(names, dict)
    words: dict[str, str] = {str(k).lower(): str(v) for k, v in names.items()}
    for currency in pycountry.currencies:
        words.setdefault(str(currency.name).lower(), str(currency.alpha_3))
    return words


@cache
def _symbols() -> dict[str, str]:
    symbols = _data()["symbols"]
    assert isinstance(symbols, dict)
    return {str(k): str(v) for k, v in symbols.items()}


@cache
def currency_pattern() -> str:
    """A regex alternation matching an ISO code, a currency name or a symbol (longest first,
    so "US dollar" wins over "dollar" and "GH₵" over "₵"). Callers confirm with `to_code`."""
    names = "|".join(re.escape(w) for w in sorted(_names(), key=len, reverse=True))
    symbols = "|".join(re.escape(s) for s in sorted(_symbols(), key=len, reverse=True))
    return rf"(?:{symbols}|\b[A-Z]{{3}}\b|(?i:\b(?:{names})\b))"


def to_code(token: str) -> str | None:
    """The ISO code for a token matched by `currency_pattern`, when it names a currency."""
    token = token.strip()
    if len(token) == 3 and token.isupper():
        return token if token in iso_codes() else None
    return _symbols().get(token) or _names().get(token.lower())
