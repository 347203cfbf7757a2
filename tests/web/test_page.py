"""The page in a real browser against the real server: sections fill in as their agents finish,
a cut connection loses and duplicates nothing, a finding shows its cell in the parsed table, and
an audit's link replays it."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from server.ingest.reader import read_document
from server.samples import sample_path
from tests.support.browser import ARTIFACTS, Site, save_screenshot
from tests.support.gated_agents import AGENT_NAMES, total_cell
from tests.support.paths import ROOT

AUDIT_URL = re.compile(r"/audits/[A-Za-z0-9_-]{6,64}$")


def start_sample(page: Page, site: Site) -> str:
    page.goto(site.base + "/")
    page.locator("button[data-sample='fanmilk-2024']").click()
    expect(page).to_have_url(AUDIT_URL)
    return page.url.rsplit("/", 1)[1]


def section(page: Page, agent: str):
    return page.locator(f"#agent-{agent}")


def expect_states(page: Page, **states: str) -> None:
    for agent, state in states.items():
        expect(section(page, agent)).to_have_attribute("data-state", state)


def server_snapshot(site: Site, audit_id: str) -> dict:
    return httpx.get(f"{site.base}/api/v1/audits/{audit_id}", timeout=10).json()


def test_each_section_fills_in_when_its_agent_completes_and_not_before(
    page: Page, site: Site
) -> None:
    start_sample(page, site)
    expect_states(
        page, numeric="running", logic="running", disclosure="running", external="running"
    )
    expect(section(page, "numeric").locator(".progress-text")).to_contain_text("1 of 4")
    expect(page.locator("#connection")).to_have_attribute("data-connection", "live")

    site.team["numeric"].complete()
    expect_states(page, numeric="completed")
    expect_states(page, logic="running", disclosure="running", external="running")
    expect(section(page, "numeric").locator("[data-severity=high][data-count='1']")).to_be_visible()
    expect(page.locator("#agents-finished")).to_contain_text("1 of 4")
    expect(page.locator("#announcer")).to_contain_text("Numeric completed: 1 high")

    site.team["external"].complete()
    expect_states(page, external="completed")
    expect_states(page, logic="running", disclosure="running")
    expect(section(page, "external").locator(".verified summary")).to_contain_text("Verified facts")
    save_screenshot(page, "page-running.png")

    site.team["logic"].fail("The narrative source could not be reached.")
    expect_states(page, logic="failed")
    expect(section(page, "logic")).to_contain_text("The narrative source could not be reached.")
    expect(section(page, "logic")).to_contain_text("running the audit again may help")
    expect_states(page, disclosure="running")

    site.team["disclosure"].complete()
    expect_states(page, disclosure="completed")
    expect(page.locator("#overall")).to_have_attribute("data-state", "completed_with_errors")
    expect(page.locator("#agents-finished")).to_contain_text("4 of 4")
    expect(page.locator("#connection")).to_have_attribute("data-connection", "closed")
    save_screenshot(page, "page-finished.png")


def test_a_cut_connection_resumes_after_the_last_seq_and_loses_nothing(
    page: Page, site: Site
) -> None:
    urls: list[str] = []
    outage = {"on": False}

    def route(ws: WebSocketRoute) -> None:
        urls.append(ws.url)
        if outage["on"]:
            ws.close(code=1011, reason="test outage")
            return
        ws.connect_to_server()
        sockets.append(ws)

    sockets: list[WebSocketRoute] = []
    # The audit's stream only (the review stream has its own cursor).
    page.route_web_socket(re.compile(r".*/ws/audit/[^/]+(\?.*)?$"), route)
    audit_id = start_sample(page, site)
    site.team["numeric"].complete()
    expect_states(page, numeric="completed")
    seen = page.evaluate("window.crosscheck.view().snapshot.last_seq")

    outage["on"] = True
    for ws in sockets:
        ws.close(code=1011, reason="test outage")
    expect(page.locator("#connection")).to_have_attribute("data-connection", "reconnecting")
    for name in ("logic", "disclosure", "external"):
        site.team[name].complete()
    finished = _wait_finished(site, audit_id)
    expect_states(page, logic="running", disclosure="running", external="running")

    outage["on"] = False
    expect(page.locator("#overall")).to_have_attribute("data-state", "completed")
    expect_states(page, logic="completed", disclosure="completed", external="completed")

    # Nothing lost, nothing twice: the page's reduction equals the server's snapshot, and each
    # finding appears once.
    assert page.evaluate("window.crosscheck.view().snapshot") == finished
    ids = page.locator("button[data-finding-id]").evaluate_all(
        "buttons => buttons.map(b => b.dataset.findingId)"
    )
    expected = [f["id"] for a in finished["agents"] for f in a["result"]["findings"]]
    assert sorted(ids) == sorted(expected) and len(set(ids)) == len(ids)
    resumed = [int(parse_qs(urlsplit(u).query)["after"][0]) for u in urls]
    assert resumed[0] == 0 and seen in resumed[1:] and resumed[-1] == seen, urls


def _wait_finished(site: Site, audit_id: str, timeout_s: float = 10) -> dict:
    """Poll the server's snapshot until the audit has finished (a condition, not a fixed sleep)."""
    deadline = time.monotonic() + timeout_s
    while (snapshot := server_snapshot(site, audit_id))["state"] in ("pending", "running"):
        assert time.monotonic() < deadline, f"audit {audit_id} did not finish"
        time.sleep(0.02)
    return snapshot


def test_a_finding_shows_its_cell_in_the_parsed_table_and_the_link_replays_the_audit(
    page: Page, site: Site
) -> None:
    for agent in site.team.values():
        agent.complete()
    audit_id = start_sample(page, site)
    expect(page.locator("#overall")).to_have_attribute("data-state", "completed")

    table, row, column, components = total_cell(
        read_document(sample_path("fanmilk-2024.docx").read_bytes(), "fanmilk-2024.docx")
    )
    finding = section(page, "numeric").locator("button[data-finding-id]").first
    finding.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#finding-dialog")
    expect(dialog).to_be_visible()
    primary = dialog.locator(f"table[data-table-id='{table.id}'] .hl-primary")
    expect(primary).to_have_count(1)
    expect(primary).to_have_attribute("data-row", str(row))
    expect(primary).to_have_attribute("data-column", str(column))
    expect(primary).to_be_in_viewport()
    expect(dialog.locator("table .hl-related")).to_have_count(len(components))
    expect(dialog.locator("[data-field=expected]")).to_have_text("47,210")
    expect(dialog.locator("[data-field=actual]")).to_have_text("48,210")
    page.screenshot(path=str(ARTIFACTS / "page-finding.png"))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(finding).to_be_focused()

    # A quoted sentence is marked inside its paragraph (or shown on its own).
    section(page, "external").locator("button[data-finding-id]").first.click()
    expect(dialog.locator("mark").first).to_be_visible()
    page.keyboard.press("Escape")

    with page.expect_download() as download:
        page.get_by_role("button", name="Export JSON").click()
    exported = json.loads(download.value.path().read_text())
    snapshot = server_snapshot(site, audit_id)
    assert exported["findings"] == [f for a in snapshot["agents"] for f in a["result"]["findings"]]
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    lines = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("agent,id,severity") and len(lines) == len(exported["findings"]) + 1

    # The audit's own link: reloading replays it to the same state.
    page.reload()
    expect(page.locator("#overall")).to_have_attribute("data-state", "completed")
    expect_states(page, **{name: "completed" for name in AGENT_NAMES})
    expect(page.locator("#connection")).to_have_attribute("data-connection", "closed")
    assert page.evaluate("window.crosscheck.view().snapshot") == snapshot
    expect(page.locator(f".recent a[href='/audits/{audit_id}']")).to_be_visible()
    save_screenshot(page, "page-replayed.png")


@pytest.mark.parametrize("site", ["real"], indirect=True)
def test_the_real_agents_find_the_planted_errors_on_the_page(page: Page, site: Site) -> None:
    page.goto(site.base + "/")
    page.locator("button[data-sample='insig-2024-planted']").click()
    expect(page).to_have_url(AUDIT_URL)
    expect(page.locator("#overall")).to_have_attribute("data-state", "completed", timeout=60_000)
    expect(section(page, "numeric").locator("[data-severity=high]").first).not_to_have_attribute(
        "data-count", "0"
    )
    current = page.locator(".recent a[aria-current=page] .badge")
    expect(current).to_have_attribute("data-state", "completed")  # the list follows the audit
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-real-agents.png"), full_page=True)
    if os.environ.get("CROSSCHECK_SCREENSHOT") == "1":
        # docs/screenshot.png is committed: refreshed only when asked.
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(ARTIFACTS / "page-real-agents.png", ROOT / "docs" / "screenshot.png")
    section(page, "numeric").locator("button.sev-high").first.click()
    expect(page.locator("#finding-dialog table .hl-primary")).to_have_count(1)
    expect(page.locator("#finding-dialog table .hl-primary")).to_be_in_viewport()


def test_an_unknown_audit_says_so_and_stops_reconnecting(page: Page, site: Site) -> None:
    page.goto(site.base + "/audits/no-such-audit")
    expect(page.locator("#audit-error")).to_contain_text("No audit 'no-such-audit'")
    expect(page.locator("#connection")).to_have_attribute("data-connection", "offline")


def test_the_page_reads_on_a_phone(page: Page, site: Site) -> None:
    for agent in site.team.values():
        agent.complete()
    page.set_viewport_size({"width": 390, "height": 844})
    start_sample(page, site)
    expect(page.locator("#overall")).to_have_attribute("data-state", "completed")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a phone screen"
    save_screenshot(page, "page-phone.png")


def test_files_dropped_or_picked_start_an_audit_with_its_own_link(page: Page, site: Site) -> None:
    for agent in site.team.values():
        agent.complete()
    page.goto(site.base + "/")
    page.get_by_role("button", name="Start audit").click()
    expect(page.locator("#start-error")).to_have_text("Choose the current-year statements first.")
    page.set_input_files("#document-input", str(sample_path("fanmilk-2024.docx")))
    page.set_input_files("#prior-input", str(sample_path("fanmilk-2023.docx")))
    expect(page.locator("[data-input=document-input] .drop-files")).to_have_text(
        "fanmilk-2024.docx"
    )
    page.get_by_role("button", name="Start audit").click()
    expect(page).to_have_url(AUDIT_URL)
    expect(page.locator("#overall")).to_have_attribute("data-state", "completed")
    expect(page.locator("#audit-meta")).to_contain_text("prior year: fanmilk-2023.docx")
    page.go_back()
    expect(page.locator("#home-view")).to_be_visible()
    page.go_forward()
    expect(page.locator("#overall")).to_have_attribute("data-state", "completed")


def test_cancelling_stops_the_running_agents(page: Page, site: Site) -> None:
    site.team["numeric"].complete()
    start_sample(page, site)
    expect_states(page, numeric="completed", logic="running")
    page.get_by_role("button", name="Cancel audit").click()
    expect(page.locator("#overall")).to_have_attribute("data-state", "cancelled")
    expect_states(page, numeric="completed", logic="failed", disclosure="failed", external="failed")
    expect(section(page, "logic")).to_contain_text("cancelled")
    expect(page.get_by_role("button", name="Cancel audit")).to_be_hidden()
