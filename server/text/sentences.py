"""Paragraphs split into sentences, with offsets, for every agent that reads prose.

Abbreviations do not end a sentence ("Fan Milk Ltd. reported...", "e.g. leases"), nor does a
decimal point; a sentence ends at . ! or ? followed by space and a capital, a digit-free opening
bracket or quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int  # offset in the paragraph


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9(\"'\u201c])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|no|nos|vs|approx|incl|ltd|plc|inc|co|corp|para|paras|art|mr|mrs|ms"
    r"|dr|st)\.)$",
    re.I,
)


def sentences(text: str) -> Iterator[Sentence]:
    """The sentences of `text`, stripped, with where each starts."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        head = text[start : m.start()]
        if _ABBREVIATION.search(head.rstrip("\"')]")):
            continue
        if head.strip():
            yield Sentence(head.strip(), start + len(head) - len(head.lstrip()))
        start = m.end()
    tail = text[start:]
    if tail.strip():
        yield Sentence(tail.strip(), start + len(tail) - len(tail.lstrip()))
