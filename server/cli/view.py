"""The terminal view of one audit, shared by `crosscheck audit` and `crosscheck watch`.

It is an `AuditTracker` (server/cli/outcome.py: the snapshot the frames reduce to) that also
draws: the live part (a row per agent with a spinner, elapsed time and progress) is a rich
renderable; each agent's result is printed above it once, the moment its `agent_completed` or
`agent_failed` arrives, and a repeated frame after a reconnect prints nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from server.cli.outcome import AuditTracker, Frame
from server.events import parse_ts

SEVERITY_STYLES = {"high": "bold red", "medium": "yellow", "low": "cyan"}


def format_duration(ms: float) -> str:
    seconds = max(0.0, ms) / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def describe_location(location: Mapping[str, Any]) -> str:
    parts = [location[k] for k in ("document", "section") if location.get(k)]
    if location.get("table"):
        cells = " ".join(f"R{c['row']}C{c['column']}" for c in location.get("cells", []))
        parts.append(f"{location['table']} {cells}".strip())
    if location.get("paragraph"):
        parts.append(location["paragraph"])
    if location.get("quote"):
        parts.append(f"“{location['quote']}”")
    return ", ".join(parts)


def _amount(value: float) -> str:
    text = f"{abs(value):,.2f}".rstrip("0").rstrip(".")
    return f"({text})" if value < 0 else text


def summary_line(result: Mapping[str, Any]) -> str:
    """How much the agent checked, from its summary (unknown agents: nothing)."""
    s = result.get("summary", {})
    agent = result.get("agent")
    if agent == "numeric":
        skipped = f", {s['checks_skipped']} skipped" if s.get("checks_skipped") else ""
        return f"{s['checks_run']} checks, {s['checks_failed']} failed{skipped}"
    if agent == "logic":
        return f"{s['claims_checked']} of {s['claims_found']} claims checked, {s['checks_failed']} of {s['checks_run']} checks failed"
    if agent == "disclosure":
        return f"{s['requirements_checked']} requirements: {s['present']} present, {s['missing']} missing, {s['incomplete']} incomplete"
    if agent == "external":
        return f"{s['claims_found']} facts: {s['verified']} verified, {s['contradicted']} contradicted, {s['unverifiable']} unverifiable"
    return ""


def finding_detail(finding: Mapping[str, Any]) -> str:
    """The second line of a finding: where it is, the figures, the rule."""
    parts = [describe_location(loc) for loc in finding.get("locations", [])]
    if finding.get("agent") == "numeric":
        parts.append(
            f"expected {_amount(finding['expected'])}, printed {_amount(finding['actual'])}"
        )
    parts.append(finding.get("reference", ""))
    return " · ".join(p for p in parts if p)


def live_view(audit_id: str, console: Console | None = None) -> tuple[AuditView, Live]:
    """The view of one audit and the live display that redraws it (enter it while following)."""
    console = console or Console()
    view = AuditView(console, audit_id)
    return view, Live(view, console=console, refresh_per_second=8, transient=True)


class AuditView(AuditTracker):
    """Feed it frames; render it inside `rich.live.Live`; read `snapshot` at the end."""

    def __init__(self, console: Console, audit_id: str) -> None:
        super().__init__(audit_id)
        self.console = console
        self.progress: dict[str, Frame] = {}
        self.started_at: dict[str, str] = {}

    def feed(self, frame: Frame) -> bool:
        kind = frame.get("type")
        if kind == "agent_progress":
            agent = frame.get("agent")
            if isinstance(agent, str) and self._state(agent) in ("pending", "running"):
                self.progress[agent] = frame
            return False
        if not super().feed(frame):
            return False
        if kind == "agent_started":
            self.started_at[frame["agent"]] = frame["ts"]
        elif kind in ("agent_completed", "agent_failed"):
            self.progress.pop(frame["agent"], None)
            self.console.print(self._outcome(frame["agent"]))
        elif kind == "audit_finished":
            self.progress.clear()
            self.console.print(self._closing())
        return True

    def _state(self, agent: str) -> str:
        entry = next((a for a in self.snapshot["agents"] if a["agent"] == agent), None)
        return str(entry["state"]) if entry else "pending"

    # -- printed once per agent ------------------------------------------------------------

    def _outcome(self, agent: str) -> RenderableType:
        entry = next(a for a in self.snapshot["agents"] if a["agent"] == agent)
        took = format_duration(entry.get("duration_ms", 0))
        if entry["state"] == "failed":
            error = entry["error"]
            hint = "retrying may help" if error["retryable"] else "retrying will not help"
            return Text.assemble(
                ("✘ ", "bold red"),
                (agent, "bold"),
                f" failed after {took}: {error['message']} ",
                (f"({error['code']}; {hint})", "dim"),
            )
        result = entry["result"]
        findings = result.get("findings", [])
        counts = {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITY_STYLES}
        head = Text.assemble(
            ("✔ ", "bold green"),
            (agent, "bold"),
            f" completed in {took}: ",
            (summary_line(result), "dim"),
            "  ",
            *[(f"{counts[s]} {s}  ", SEVERITY_STYLES[s] if counts[s] else "dim") for s in counts],
        )
        if not findings:
            return head
        table = Table.grid(padding=(0, 1))
        table.add_column(width=2)
        table.add_column(min_width=6)
        table.add_column(ratio=1)
        order = list(SEVERITY_STYLES)
        ranked = sorted(
            findings,
            key=lambda f: order.index(f["severity"]) if f["severity"] in order else len(order),
        )
        for finding in ranked:
            severity = finding["severity"]
            table.add_row(
                "",
                Text(severity.upper(), SEVERITY_STYLES.get(severity, "")),
                Text.assemble((finding["title"], "bold"), "\n", (finding_detail(finding), "dim")),
            )
        return Group(head, table)

    def _closing(self) -> RenderableType:
        s = self.snapshot
        totals = s.get("summary", {}).get("findings", {"high": 0, "medium": 0, "low": 0})
        style = "bold green" if s["state"] == "completed" else "bold yellow"
        line = Text.assemble(
            ("Audit ", "bold"),
            (s["state"].replace("_", " "), style),
            f" in {format_duration(s.get('duration_ms', 0))}: ",
            *[(f"{totals[k]} {k}  ", SEVERITY_STYLES[k] if totals[k] else "dim") for k in totals],
        )
        if s.get("error"):
            line.append(f"\n{s['error']['message']}", "red")
        return line

    # -- the live rows ---------------------------------------------------------------------

    def __rich__(self) -> RenderableType:
        s = self.snapshot
        names = [a["agent"] for a in s["agents"]] or ["numeric", "logic", "disclosure", "external"]
        done = sum(1 for n in names if self._state(n) in ("completed", "failed"))
        now = datetime.now(UTC)
        table = Table.grid(padding=(0, 2))
        table.add_column(width=2)
        table.add_column(min_width=10)
        table.add_column(min_width=10)
        table.add_column(justify="right", min_width=8)
        table.add_column()
        for name in names:
            state = self._state(name)
            icon: RenderableType
            if state == "running":
                icon = Spinner("dots", style="cyan")
            else:
                icon = Text({"completed": "✔", "failed": "✘"}.get(state, "·"))
            entry: dict[str, Any] = next((a for a in s["agents"] if a["agent"] == name), {})
            if "duration_ms" in entry:
                elapsed = format_duration(entry["duration_ms"])
            elif state == "running" and name in self.started_at:
                elapsed = format_duration(
                    (now - parse_ts(self.started_at[name])).total_seconds() * 1000
                )
            else:
                elapsed = ""
            table.add_row(icon, Text(name, "bold"), state, elapsed, self._progress_text(name))
        started = s.get("started_at")
        if "duration_ms" in s:
            total = format_duration(s["duration_ms"])
        elif started:
            total = format_duration((now - parse_ts(started)).total_seconds() * 1000)
        else:
            total = "starting"
        header = Text.assemble((f"{done} of {len(names)} agents finished", "bold"), f"  {total}")
        if self.connection:
            style = "green" if self.connection == "live" else "yellow"
            header.append(f"  [{self.connection}]", style)
        return Group(header, table)

    def _progress_text(self, name: str) -> Text:
        frame = self.progress.get(name)
        if frame is None:
            return Text("")
        total = frame.get("total")
        counted = f"{frame['done']}/{total}" if total is not None else str(frame["done"])
        message = frame.get("message")
        return Text(f"{counted} {message}" if message else counted, "dim")
