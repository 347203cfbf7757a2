"""The disclosure checklists: data in `data/*.yaml`, each loaded and validated once.

A checklist is data, not code, so a reviewer can read what is checked and why, and a new
requirement is a YAML entry. Each is validated against the same JSON Schema (Draft 2020-12) on
load; a malformed checklist is a bug and raises. One file per framework and period: IFRS annual
(`ifrs.yaml`), IFRS interim (`ias34.yaml`), US GAAP annual (`us_gaap.yaml`), US GAAP interim
(`asc270.yaml`); `for_scope` picks the one a document's framework and period call for.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from server.agents.vocabulary import expand

DATA = Path(__file__).resolve().parent / "data"
CHECKLIST_PATH = DATA / "ifrs.yaml"
# (framework, period) -> file; the values are Framework / PeriodKind values of the ingest scope.
CHECKLISTS: dict[tuple[str, str], str] = {
    ("ifrs", "annual"): "ifrs.yaml",
    ("ifrs", "interim"): "ias34.yaml",
    ("us_gaap", "annual"): "us_gaap.yaml",
    ("us_gaap", "interim"): "asc270.yaml",
}
SCHEMA_PATH = DATA / "checklist.schema.json"
MATCHER_KINDS = ("phrase", "heading", "line_item", "column", "statement", "fact")


@dataclass(frozen=True, slots=True)
class Matcher:
    """One piece of evidence: `kind` is phrase | heading | line_item | column | statement | fact."""

    kind: str
    value: str  # the pattern as written, or the statement kind / fact name
    pattern: re.Pattern[str] | None
    within: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Part:
    name: str
    any: tuple[Matcher, ...]


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    standard: str
    paragraph: str
    requirement: str
    severity: str
    applies_when: tuple[Matcher, ...] | None  # None: always
    evidence: tuple[Matcher, ...]
    parts: tuple[Part, ...] = ()

    @property
    def reference(self) -> str:
        """ "IAS 12.81(c)"; the Codification joins with a hyphen: "ASC 740-10-50-12"."""
        joiner = "-" if self.standard.startswith("ASC ") else "."
        return f"{self.standard}{joiner}{self.paragraph}"


@dataclass(frozen=True, slots=True)
class Standard:
    name: str
    title: str
    applies_when: tuple[Matcher, ...] | None


@dataclass(frozen=True, slots=True)
class Checklist:
    standards: tuple[Standard, ...]
    requirements: tuple[Requirement, ...]
    title: str = "IFRS annual"
    framework: str = "ifrs"
    period: str = "annual"


def _matcher(raw: dict[str, Any]) -> Matcher:
    kind = next(k for k in MATCHER_KINDS if k in raw)
    value = str(raw[kind])
    pattern = re.compile(expand(value), re.M) if kind not in ("statement", "fact") else None
    within = re.compile(expand(raw["within"]), re.M) if "within" in raw else None
    return Matcher(kind, value, pattern, within)


def _applies(raw: Any) -> tuple[Matcher, ...] | None:
    if raw == "always":
        return None
    return tuple(_matcher(m) for m in raw["any"])


def validate(data: Any) -> None:
    """Raise jsonschema.ValidationError when `data` is not a valid checklist."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)


def parse(data: dict[str, Any]) -> Checklist:
    validate(data)
    standards = tuple(
        Standard(name, spec["title"], _applies(spec["applies_when"]))
        for name, spec in data["standards"].items()
    )
    known = {s.name for s in standards}
    requirements = []
    for r in data["requirements"]:
        if r["standard"] not in known:
            raise ValueError(f"Requirement {r['id']!r} names {r['standard']!r}, not in standards.")
        requirements.append(
            Requirement(
                id=r["id"],
                standard=r["standard"],
                paragraph=r["paragraph"],
                requirement=r["requirement"],
                severity=r["severity"],
                applies_when=_applies(r["applies_when"]),
                evidence=tuple(_matcher(m) for m in r["evidence"]["any"]),
                parts=tuple(
                    Part(p["name"], tuple(_matcher(m) for m in p["any"]))
                    for p in r.get("parts", [])
                ),
            )
        )
    return Checklist(
        standards,
        tuple(requirements),
        title=data.get("title", "IFRS annual"),
        framework=data.get("framework", "ifrs"),
        period=data.get("period", "annual"),
    )


@lru_cache(maxsize=len(CHECKLISTS))
def load_checklist(file: str = CHECKLIST_PATH.name) -> Checklist:
    """A bundled checklist (default: IFRS annual), parsed and validated (cached)."""
    with (DATA / file).open(encoding="utf-8") as fh:
        return parse(yaml.safe_load(fh))


def for_scope(framework: str | None, period: str | None) -> Checklist | None:
    """The checklist for a framework and period; None when either is unknown."""
    if framework is None or period is None:
        return None
    file = CHECKLISTS.get((framework, period))
    return load_checklist(file) if file else None
