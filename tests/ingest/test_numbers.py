"""Accountant-printed figures, including generated round trips over many printing styles."""

from __future__ import annotations

import random

import pytest

from server.ingest.numbers import ParsedNumber, continental_style, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234", ParsedNumber(1234.0)),
        ("(1,234)", ParsedNumber(-1234.0)),
        ("( 1,234 )", ParsedNumber(-1234.0)),
        ("1 234", ParsedNumber(1234.0)),
        ("1\u00a0234\u00a0567", ParsedNumber(1234567.0)),
        ("1\u202f234", ParsedNumber(1234.0)),
        ("\u22121,234", ParsedNumber(-1234.0)),
        ("\u20131,234", ParsedNumber(-1234.0)),
        ("-5", ParsedNumber(-5.0)),
        ("+5", ParsedNumber(5.0)),
        ("1,234-", ParsedNumber(-1234.0)),
        ("1.234,5", ParsedNumber(1234.5)),
        ("12,5", ParsedNumber(12.5)),  # a decimal comma: no thousands group has two digits
        ("1.234.567", ParsedNumber(1234567.0)),
        ("1'234'567", ParsedNumber(1234567.0)),
        ("12,34,567", ParsedNumber(1234567.0)),
        ("12.3", ParsedNumber(12.3)),
        (".5", ParsedNumber(0.5)),
        ("$1,234", ParsedNumber(1234.0)),
        ("\u20ac 12", ParsedNumber(12.0)),
        ("\u00a31,000.50", ParsedNumber(1000.5)),
        ("EUR 12", ParsedNumber(12.0)),
        ("12 EUR", ParsedNumber(12.0)),
        ("US$ 7", ParsedNumber(7.0)),
        ("($1,234)", ParsedNumber(-1234.0)),
        ("$(1,234)", ParsedNumber(-1234.0)),
        ("12.5%", ParsedNumber(12.5, percent=True)),
        ("12.5 %", ParsedNumber(12.5, percent=True)),
        ("(2.1)%", ParsedNumber(-2.1, percent=True)),
        ("(2.1%)", ParsedNumber(-2.1, percent=True)),
        ("12,5%", ParsedNumber(12.5, percent=True)),
        ("1,234*", ParsedNumber(1234.0)),
        ("1,234 (a)", ParsedNumber(1234.0)),
        ("(1,234)*", ParsedNumber(-1234.0)),
        ("1,234\u00b9", ParsedNumber(1234.0)),
        ("1,234\u2020", ParsedNumber(1234.0)),
    ],
)
def test_printed_figures(text: str, expected: ParsedNumber) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text", ["-", "\u2013", "\u2014", "\u2212", "nil", "Nil", "NIL", "(-)", "--", " \u2013 "]
)
def test_dashes_and_nil_are_a_deliberate_zero(text: str) -> None:
    assert parse_number(text) == ParsedNumber(0.0, nil=True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "n/a",
        "N/A",
        "n.a.",
        "Revenue",
        "31.12.2024",
        "2024-12-31",
        "31/12/2024",
        "1,2345",
        "12,3456",
        "1.5x",
        "(a)",
        "Note 5",
        "\u00b9",
        "$ - $ 245",  # a nil cell and a figure run together in a PDF: never -245
    ],
)
def test_text_is_not_a_figure(text: str) -> None:
    assert parse_number(text) is None


def _print(value: int, rng: random.Random) -> tuple[str, float]:
    """`value` printed in one of the styles seen in real statements, and what it means."""
    sep = rng.choice([",", " ", "\u00a0", "\u202f", ""])
    digits = f"{abs(value):,}".replace(",", sep)
    negative = value < 0
    style = rng.choice(["paren", "minus", "unicode", "en"]) if negative else "plain"
    text = {
        "paren": f"({digits})",
        "minus": f"-{digits}",
        "unicode": f"\u2212{digits}",
        "en": f"\u2013{digits}",
        "plain": digits,
    }[style]
    decoration = rng.choice(["", "", "$", "\u20ac ", "EUR ", "*", " (a)"])
    if decoration in ("*", " (a)"):
        text += decoration
    else:
        text = decoration + text
    return text, float(value)


def test_generated_figures_round_trip() -> None:
    rng = random.Random(20241231)
    for _ in range(3000):
        magnitude = rng.choice([10, 1000, 10**6, 10**9])
        value = rng.randint(-magnitude, magnitude) or 1
        text, expected = _print(value, rng)
        parsed = parse_number(text)
        assert parsed is not None, text
        assert parsed.value == expected, text
        assert not parsed.nil and not parsed.percent


def test_generated_decimals_and_percentages_round_trip() -> None:
    rng = random.Random(7)
    for _ in range(1000):
        value = round(rng.uniform(-500, 500), rng.choice([1, 2]))
        text = f"{abs(value)}%"
        if value < 0:
            text = rng.choice([f"({abs(value)})%", f"-{abs(value)}%", f"({abs(value)}%)"])
        parsed = parse_number(text)
        assert parsed is not None and parsed.percent, text
        assert parsed.value == pytest.approx(value), text


def test_parse_never_raises_on_noise() -> None:
    rng = random.Random(3)
    alphabet = "0123456789,. ()-\u2013\u2212%$\u20acEURnila*\u00a0/'"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        result = parse_number(text)
        assert result is None or isinstance(result.value, float)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234", 1234.0),
        ("1.234.567", 1234567.0),
        ("1.234,5", 1234.5),
        ("(1.234)", -1234.0),
        ("12,5%", 12.5),
        ("1 234,56", 1234.56),
        ("0,43", 0.43),
    ],
)
def test_continental_figures(text: str, expected: float) -> None:
    parsed = parse_number(text, continental=True)
    assert parsed is not None and parsed.value == expected


def test_the_printing_style_is_decided_by_unambiguous_figures() -> None:
    assert continental_style(["1.234", "1.234.567", "12,5", "2024"])
    assert not continental_style(["1.234", "1,234,567", "0.43"])
    assert not continental_style(["1.234", "5.678"])  # ambiguous alone: English
