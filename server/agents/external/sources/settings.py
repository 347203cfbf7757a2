"""Where the online sources live, read from the environment in this one place.

Online sources are off unless configured, so an audit never touches the network by surprise:

    CROSSCHECK_ONLINE=1          switch on GLEIF and SEC EDGAR at their public addresses
    CROSSCHECK_GLEIF_URL=...     switch on GLEIF at this base URL (e.g. a mirror or a replay)
    CROSSCHECK_SEC_URL=...       switch on SEC EDGAR at this base URL
    CROSSCHECK_SEC_CIK=...       the SEC Central Index Key, when the report does not print it
    CROSSCHECK_SEC_USER_AGENT=.. SEC asks every client to name itself with a contact address
    CROSSCHECK_SOURCE_TIMEOUT_S  seconds per request (default 10)

Tests build `SourceSettings` directly and point it at a local replay server.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

GLEIF_PUBLIC_URL = "https://api.gleif.org"
SEC_PUBLIC_URL = "https://data.sec.gov"
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_SEC_USER_AGENT = "Crosscheck co-auditor (contact: set CROSSCHECK_SEC_USER_AGENT)"

_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class SourceSettings:
    gleif_url: str | None = None
    sec_url: str | None = None
    sec_cik: str | None = None
    sec_user_agent: str = DEFAULT_SEC_USER_AGENT
    timeout_s: float = DEFAULT_TIMEOUT_S

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SourceSettings:
        env = os.environ if environ is None else environ
        online = env.get("CROSSCHECK_ONLINE", "").strip().lower() in _TRUE
        gleif = env.get("CROSSCHECK_GLEIF_URL", "").strip() or (GLEIF_PUBLIC_URL if online else "")
        sec = env.get("CROSSCHECK_SEC_URL", "").strip() or (SEC_PUBLIC_URL if online else "")
        timeout = env.get("CROSSCHECK_SOURCE_TIMEOUT_S", "").strip()
        return cls(
            gleif_url=gleif.rstrip("/") or None,
            sec_url=sec.rstrip("/") or None,
            sec_cik=env.get("CROSSCHECK_SEC_CIK", "").strip() or None,
            sec_user_agent=env.get("CROSSCHECK_SEC_USER_AGENT", "").strip()
            or DEFAULT_SEC_USER_AGENT,
            timeout_s=float(timeout) if timeout else DEFAULT_TIMEOUT_S,
        )

    @property
    def online(self) -> bool:
        return bool(self.gleif_url or self.sec_url)


OFFLINE = SourceSettings()
