"""The exports tests' site: a real server with Crosscheck's own agents and the audits made on it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.support.frames import assert_valid_body
from tests.support.harness import LiveServer

PLANTED = ("fanmilk-2024-planted", "insig-2024-planted", "flowtraders-2024-planted")


@dataclass
class Audited:
    audit_id: str
    snapshot: dict[str, Any]
    document: dict[str, Any]


@dataclass
class Site:
    server: LiveServer
    client: httpx.Client
    _audits: dict[str, Audited] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return self.server.base

    def audit(self, sample: str) -> Audited:
        """The finished audit of a bundled sample (audited once per module)."""
        if sample not in self._audits:
            created = self.client.post("/api/v1/audits", data={"sample": sample})
            assert created.status_code == 202, created.text
            self._audits[sample] = self._finished(created.json()["audit_id"])
        return self._audits[sample]

    def upload(self, name: str, data: bytes) -> Audited:
        created = self.client.post("/api/v1/audits", files={"document": (name, data)})
        assert created.status_code == 202, created.text
        return self._finished(created.json()["audit_id"])

    def _finished(self, audit_id: str) -> Audited:
        while True:  # no deadline: pytest's timeout reports a hang
            snapshot = self.client.get(f"/api/v1/audits/{audit_id}").json()
            if snapshot["state"] not in ("pending", "running"):
                break
            time.sleep(0.05)
        assert_valid_body("Snapshot", snapshot)
        document = self.client.get(f"/api/v1/audits/{audit_id}/document").json()
        return Audited(audit_id, snapshot, document)

    def export(self, audit_id: str, fmt: str) -> httpx.Response:
        return self.client.get(f"/api/v1/audits/{audit_id}/export", params={"format": fmt})


def findings_of(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for a in snapshot["agents"] for f in (a.get("result") or {}).get("findings", [])]


def data_dir_of(site: Site) -> Path:
    return site.server.settings.data_dir
