"""Rounding arithmetic shared by the reader (which infers what totals sum) and the numeric agent
(which checks them): the printed unit of a figure and the tolerances of Calculations 1.1 and DQC.

A printed figure v of unit u stands for the interval [v - u/2, v + u/2]. The unit is read from
the printed text ("3.0" is printed to 0.1, "1,234" to 1), never from the value, so a trailing
zero still counts. An inline-XBRL tag's `decimals` states the rounding too; the coarser of the
two is used (a wider tolerance, never a finding rounding explains).
"""

from __future__ import annotations

import re

# The printed figure: digits with the separators accountants put between them.
_FIGURE = re.compile(r"\d(?:[\d.,'\u00a0\u202f ]*\d)?")
_DECIMALS = re.compile(r"[.,](\d+)$")
EPSILON = 1e-9  # float noise on sums of decimal figures, relative to the unit


def printed_unit(text: str, value: float | None) -> float | None:
    """One unit of the last printed digit: 1 for "1,234", 0.1 for "12.4" and for "3.0".

    None when the cell prints no digit ("-", "nil", blank): it says nothing about rounding.
    `value` is the amount the reader parsed from `text`; it tells a decimal separator ("3.0" =
    3) from a grouping one ("1,000" = 1000, "1.000" = 1000 in continental style).
    """
    if value is None:
        return None
    found = _FIGURE.search(text)
    if found is None:
        return None
    token = re.sub(r"[\u00a0\u202f ']", "", found.group(0))
    decimals = _DECIMALS.search(token)
    if decimals is None:
        return 1.0
    places = len(decimals.group(1))
    digits = int(re.sub(r"\D", "", token))
    if abs(abs(value) * 10**places - digits) < 0.5:
        return 10.0**-places
    return 1.0  # the separator groups thousands: a whole number


def tag_unit(decimals: int | None, scale: int) -> float | None:
    """The rounding unit an inline-XBRL tag states, in printed units: decimals -6 on a figure
    printed in millions (scale 6) is 1; None for INF (exact) or no tag."""
    if decimals is None:
        return None
    return 10.0 ** (-decimals - scale)


def coarsest(*units: float | None, default: float = 1.0) -> float:
    """The coarsest of several units; `default` when none is known."""
    known = [u for u in units if u is not None]
    return max(known) if known else default


def tolerance(components: int, unit: float) -> float:
    """Calculations 1.1: n rounded components and a rounded total may differ by (n+1)u/2."""
    return (components + 1) * unit / 2 + EPSILON * unit


def same_figure_tolerance(unit: float) -> float:
    """DQC: the same figure printed twice may differ by 2 units of the coarser precision."""
    return 2 * unit + EPSILON * unit
