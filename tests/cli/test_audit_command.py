"""`crosscheck audit`: frames as JSON lines, a live terminal view, exit codes that gate a pipeline."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from server.agents import registry
from server.cli.audit import run_audit
from server.cli.commands import cli
from server.cli.outcome import EXIT_BAD_INPUT, EXIT_HIGH_FINDINGS, EXIT_INCOMPLETE, EXIT_OK
from server.cli.watch import EXIT_OUTPUT_CLOSED
from server.samples import sample_path
from tests.support.frames import assert_valid_frame
from tests.support.gated_agents import AGENT_NAMES, GatedAgent, gated_team
from tests.support.harness import ScriptedAgent
from tests.support.paths import ROOT

REPORT = sample_path("fanmilk-2024.docx")
PRIOR = sample_path("fanmilk-2023.docx")


@pytest.fixture
def use_agents(monkeypatch: pytest.MonkeyPatch):
    def install(team: dict[str, object]) -> None:
        monkeypatch.setattr(registry, "default_agents", lambda: team)

    return install


def test_json_lines_are_the_frames_of_one_audit_and_a_high_finding_exits_1(use_agents) -> None:
    use_agents(gated_team(open_all=True))
    result = CliRunner().invoke(cli, ["audit", str(REPORT), "--prior-year", str(PRIOR), "--json"])
    assert result.exit_code == EXIT_HIGH_FINDINGS, result.output
    frames = [json.loads(line) for line in result.stdout.splitlines()]
    for frame in frames:
        assert_valid_frame(frame)
    events = [f for f in frames if "seq" in f]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["type"] == "audit_started" and events[-1]["type"] == "audit_finished"
    assert events[0]["inputs"]["prior_year"]["name"] == PRIOR.name
    assert sorted(e["agent"] for e in events if e["type"] == "agent_completed") == sorted(
        AGENT_NAMES
    )
    assert events[-1]["summary"]["findings"]["high"] == 1


def _quiet_team() -> dict[str, object]:
    """Agents that complete without findings."""
    return {name: ScriptedAgent(name) for name in AGENT_NAMES}


def test_no_high_finding_exits_0(use_agents) -> None:
    use_agents(_quiet_team())
    result = CliRunner().invoke(cli, ["audit", str(REPORT)])
    assert result.exit_code == EXIT_OK, result.output
    assert "Audit completed" in result.output


def test_an_agent_that_did_not_finish_exits_3(use_agents) -> None:
    team = _quiet_team()
    failing = GatedAgent("external")
    failing.fail("The ECB rates could not be downloaded.")
    team["external"] = failing
    use_agents(team)
    result = CliRunner().invoke(cli, ["audit", str(REPORT)])
    assert result.exit_code == EXIT_INCOMPLETE, result.output
    assert "external failed" in result.output
    assert "The ECB rates could not be downloaded." in result.output
    assert "retrying may help" in result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.docx", None, "does not exist"),
        ("ledger.xlsx", b"PK\x03\x04 not really", "xlsx"),
        ("empty.md", b"", "empty"),
        ("fake.docx", b"just text, not a zip", "fake.docx"),
    ],
)
def test_bad_input_exits_2_before_any_agent_runs(
    use_agents, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    team = _quiet_team()
    use_agents(team)
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = CliRunner().invoke(cli, ["audit", str(path)])
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert message in result.output
    assert all(agent.calls == 0 for agent in team.values())  # type: ignore[attr-defined]


def test_a_bad_memo_is_bad_input_too(use_agents, tmp_path: Path) -> None:
    use_agents(_quiet_team())
    memo = tmp_path / "minutes.rtf"
    memo.write_text("{\\rtf1 minutes}")
    result = CliRunner().invoke(cli, ["audit", str(REPORT), "--memo", str(memo)])
    assert result.exit_code == EXIT_BAD_INPUT, result.output


async def test_the_live_view_prints_each_result_once_and_ends_with_the_snapshot() -> None:
    out = io.StringIO()
    console = Console(file=out, width=160, force_terminal=False, color_system=None)
    snapshot = await run_audit(REPORT, None, [], agents=gated_team(open_all=True), console=console)
    text = out.getvalue()
    for name in AGENT_NAMES:
        assert text.count(f"✔ {name} completed") == 1, text
    assert "does not add up" in text and "expected 47,210, printed 48,210" in text
    assert "Audit completed" in text
    assert snapshot["state"] == "completed" and snapshot["last_seq"] == 10


CROSSCHECK = Path(sys.executable).parent / "crosscheck"


def test_json_output_to_a_closed_pipe_ends_audit_quietly() -> None:
    """`crosscheck audit FILE --json | head -n 1`: the reader goes away after one line; the
    audit stops writing, finishes, and exits 141 without a traceback."""
    document = sample_path("fanmilk-2024.docx")
    auditor = subprocess.Popen(
        [str(CROSSCHECK), "audit", str(document), "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert auditor.stdout is not None and auditor.stderr is not None
    first = json.loads(auditor.stdout.readline())
    auditor.stdout.close()  # as `head -n 1` does once it has its line
    code = auditor.wait()
    errors = auditor.stderr.read().decode()
    assert first["type"] == "audit_started"
    assert code == EXIT_OUTPUT_CLOSED
    assert errors == ""
