"""The review on the page, in headless Chromium against one real server for the module: two pages
see each other's decisions, a decision survives a restart and a reload, the keyboard reviews,
filters and search narrow the list, sign-off is refused then accepted, and a draft shows what is
new, persisting (decision carried) and resolved. Every wait is on a condition, never a sleep."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    WebSocketRoute,
    expect,
)

from server.agents.base import AgentResultModel, AuditInputs, Progress
from tests.support.browser import ARTIFACTS
from tests.support.gated_agents import golden
from tests.support.harness import LiveServer, make_settings
from tests.support.review import SPECS, Spec, fid, numeric_result

ASSETS, CASH, ROUNDING, EQUITY = (fid(key) for key, _, _ in SPECS)
NEW = fid("receivables")
DRAFT_2: list[Spec] = [
    ("receivables", "high", "Trade receivables do not agree with note 15"),
    *SPECS[1:],
]
# The golden findings of the other three agents: 1 logic (medium), 1 disclosure (medium),
# 2 external (medium, low); with SPECS 8 findings, 6 of them high or medium.
TOTAL = 8
REVIEW_STREAM = re.compile(r".*/ws/audit/[^/]+/review(\?.*)?$")


@dataclass
class SpecNumeric:
    """The numeric agent, reporting the findings of `specs` (set by the test before an audit)."""

    specs: list[Spec]

    async def __call__(self, inputs: AuditInputs, progress: Progress | None = None) -> Any:
        return numeric_result(self.specs)


@dataclass
class Golden:
    name: str

    async def __call__(
        self, inputs: AuditInputs, progress: Progress | None = None
    ) -> AgentResultModel:
        return golden(self.name, inputs)


class Desk:
    """The module's server, restartable on the same data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.numeric = SpecNumeric(list(SPECS))
        self.team: dict[str, Any] = {
            "numeric": self.numeric,
            **{name: Golden(name) for name in ("logic", "disclosure", "external")},
        }
        self.settings = make_settings(data_dir, heartbeat_s=1.0, agent_timeout_s=60.0)
        self.server = LiveServer(self.settings, self.team).start()

    @property
    def base(self) -> str:
        return self.server.base

    def restart(self) -> None:
        self.server.stop()
        self.server = LiveServer(self.settings, self.team).start()

    def audit(self, specs: list[Spec] | None = None, previous: str | None = None) -> str:
        """A finished audit of the fanmilk sample (a .docx), started over REST."""
        self.numeric.specs = list(specs or SPECS)
        data = {"sample": "fanmilk-2024", **({"previous": previous} if previous else {})}
        response = httpx.post(f"{self.base}/api/v1/audits", data=data, timeout=10)
        assert response.status_code == 202, response.text
        audit_id = str(response.json()["audit_id"])
        self.wait(lambda: self.get(f"/audits/{audit_id}")["state"] not in ("pending", "running"))
        return audit_id

    def get(self, path: str) -> dict[str, Any]:
        response = httpx.get(f"{self.base}/api/v1{path}", timeout=10)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def decide(self, audit_id: str, finding: str, decision: str, **fields: str) -> None:
        body = {"finding_id": finding, "decision": decision, "reviewer": "REST", **fields}
        response = httpx.post(
            f"{self.base}/api/v1/audits/{audit_id}/decisions", json=body, timeout=10
        )
        assert response.status_code == 201, response.text

    def decision(self, audit_id: str, finding: str) -> dict[str, Any]:
        review = self.get(f"/audits/{audit_id}/review")
        return next(f for f in review["findings"] if f["finding_id"] == finding)  # type: ignore[no-any-return]

    @staticmethod
    def wait(condition: Callable[[], bool], timeout_s: float = 15) -> None:
        """Poll a condition (never a fixed sleep) until it holds."""
        deadline = time.monotonic() + timeout_s
        while not condition():
            assert time.monotonic() < deadline, "the condition never held"
            time.sleep(0.02)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    desk = Desk(tmp_path_factory.mktemp("review-desk") / "data")
    yield desk
    desk.server.stop()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Pages in their own browser contexts (own localStorage); a script or console error fails
    the test. `reviewer` is put in localStorage as if the person had been asked before."""
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def make(url: str, reviewer: str | None = None) -> Page:
        context = browser.new_context(
            viewport={"width": 1360, "height": 900}, accept_downloads=True
        )
        if reviewer:
            context.add_init_script(f"localStorage.setItem('crosscheck.reviewer', {reviewer!r})")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error" and "WebSocket" not in message.text:
                problems.append(f"console error: {message.text}")

        page.on("console", on_console)
        if url:
            page.goto(url)
        return page

    yield make
    for context in contexts:
        context.close()
    # The refused sign-off shows in the console as a failed resource: expected, and only that.
    unexpected = [p for p in problems if "status of 409" not in p]
    assert not unexpected, unexpected


def row(page: Page, finding: str):
    return page.locator(f"[data-review-id='{finding}']")


def ready(page: Page, decided: int = 0) -> None:
    """The list is complete and in its final order (the document's positions are known)."""
    expect(page.locator("#review-counts")).to_have_text(
        re.compile(f"^{decided} of {TOTAL} decided")
    )
    expect(page.locator("#review-list")).to_have_attribute("data-positions", "known")


def shown(page: Page) -> list[str]:
    return page.evaluate("window.crosscheck.shown()")  # type: ignore[no-any-return]


def test_two_pages_see_each_others_decisions_with_their_history(
    desk: Desk, open_page: Callable[..., Page]
) -> None:
    audit_id = desk.audit()
    url = f"{desk.base}/audits/{audit_id}"
    first = open_page(url)  # nobody has said who they are in this browser yet
    second = open_page(url, reviewer="B. Ofori")
    for page in (first, second):
        expect(page.locator("#review-counts")).to_have_text(f"0 of {TOTAL} decided")
        expect(page.locator("#review-connection")).to_have_attribute("data-connection", "live")

    # The first page decides from the finding's detail: its name is asked once.
    row(first, CASH).click()
    first.locator("#decision-note").fill("Note 12 shows 8, the statement 10.")
    first.locator("#decision-panel button[data-decide=confirmed]").click()
    expect(first.locator("#reviewer-dialog")).to_be_visible()
    first.locator("#reviewer-input").fill("A. Mensah")
    first.get_by_role("button", name="Save").click()
    expect(first.locator("#decision-current")).to_have_attribute("data-decision", "confirmed")
    expect(first.locator("#decision-current")).to_contain_text("A. Mensah")

    # ... and the other page has it, live.
    expect(row(second, CASH)).to_have_attribute("data-decision", "confirmed")
    expect(row(second, CASH)).to_contain_text("Note 12 shows 8, the statement 10.")
    expect(second.locator("#review-counts")).to_have_text(f"1 of {TOTAL} decided")

    # The second page dismisses another with a reason and a note, then reopens the first one.
    row(second, EQUITY).click()
    second.locator("#dismiss-reason").select_option("explained_elsewhere")
    second.locator("#decision-note").fill("Roll-forward is in note 20.")
    second.locator("#decision-panel button[data-decide=dismissed]").click()
    expect(second.locator("#decision-current")).to_contain_text("Dismissed: Explained elsewhere")
    second.keyboard.press("Escape")
    row(second, CASH).click()
    second.locator("#decision-panel button[data-decide=open]").click()
    expect(second.locator("#decision-history li")).to_have_count(2)

    expect(row(first, EQUITY)).to_have_attribute("data-decision", "dismissed")
    expect(row(first, EQUITY)).to_contain_text("Explained elsewhere")
    expect(first.locator("#review-counts")).to_have_text(f"1 of {TOTAL} decided")
    # The open detail on the first page follows too, with the whole history, newest first.
    expect(first.locator("#decision-current")).to_have_attribute("data-decision", "open")
    history = first.locator("#decision-history li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Open by B. Ofori")
    expect(history.nth(1)).to_contain_text("Confirmed by A. Mensah")
    expect(history.nth(1)).to_contain_text("Note 12 shows 8")
    ARTIFACTS.mkdir(exist_ok=True)
    first.screenshot(path=str(ARTIFACTS / "page-decision.png"))

    # The name was kept: after a reload the first page is not asked again.
    first.reload()
    expect(first.locator("#reviewer-name")).to_have_text("A. Mensah")
    row(first, ROUNDING).click()
    first.locator("#decision-panel button[data-decide=confirmed]").click()
    expect(first.locator("#decision-current")).to_contain_text("A. Mensah")
    expect(first.locator("#reviewer-dialog")).to_be_hidden()
    assert desk.decision(audit_id, ROUNDING)["history"][-1]["reviewer"] == "A. Mensah"


def test_keyboard_review_keeps_its_place(desk: Desk, open_page: Callable[..., Page]) -> None:
    audit_id = desk.audit()
    page = open_page(f"{desk.base}/audits/{audit_id}", reviewer="K. Board")
    ready(page)
    order = shown(page)
    assert order[0] == ASSETS  # by severity: the high finding first

    row(page, ASSETS).focus()
    page.keyboard.press("j")
    expect(row(page, order[1])).to_be_focused()
    page.keyboard.press("c")
    expect(row(page, order[1])).to_have_attribute("data-decision", "confirmed")
    expect(row(page, order[1])).to_be_focused()  # still there after the redraw
    page.keyboard.press("ArrowDown")
    page.keyboard.press("2")  # dismissed as immaterial
    expect(row(page, order[2])).to_contain_text("Dismissed: Immaterial")
    expect(row(page, order[2])).to_be_focused()
    page.keyboard.press("o")
    expect(row(page, order[2])).to_have_attribute("data-decision", "open")
    page.keyboard.press("k")
    expect(row(page, order[1])).to_be_focused()

    # Only the open ones: a decision takes the row out, and the place goes to the next one.
    page.locator("#filter-decision").select_option("open")
    row(page, order[2]).focus()
    page.keyboard.press("1")  # dismissed as a false alarm
    expect(row(page, order[2])).to_have_count(0)
    expect(row(page, order[3])).to_be_focused()

    # In the detail: Enter opens it, j moves on, d goes to the reason, n to the note.
    page.locator("#filter-decision").select_option("")
    row(page, ASSETS).focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#finding-dialog")
    expect(dialog.locator("article.detail")).to_have_attribute("data-finding-id", ASSETS)
    expect(page.locator("#finding-position")).to_have_text(f"1 of {TOTAL}")
    page.keyboard.press("j")
    expect(dialog.locator("article.detail")).to_have_attribute("data-finding-id", order[1])
    page.keyboard.press("j")
    expect(dialog.locator("article.detail")).to_have_attribute("data-finding-id", order[2])
    page.keyboard.press("d")
    expect(page.locator("#dismiss-reason")).to_be_focused()
    page.keyboard.press("ArrowDown")  # from "False alarm" to "Immaterial"
    expect(page.locator("#dismiss-reason")).to_have_value("immaterial")
    for _ in range(3):  # past Dismiss and Reopen to the note
        page.keyboard.press("Tab")
    expect(page.locator("#decision-note")).to_be_focused()
    page.keyboard.type("Below materiality (0.1%).")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#decision-current")).to_contain_text("Dismissed: Immaterial")
    expect(page.locator("#decision-current")).to_contain_text("Below materiality (0.1%).")
    entry = desk.decision(audit_id, order[2])["history"][-1]
    assert (entry["decision"], entry["reason"], entry["note"]) == (
        "dismissed",
        "immaterial",
        "Below materiality (0.1%).",
    )
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(row(page, order[2])).to_be_focused()  # back at the finding last shown
    history = desk.decision(audit_id, order[2])["history"]
    assert [(e["decision"], e.get("reason")) for e in history] == [
        ("dismissed", "immaterial"),
        ("open", None),
        ("dismissed", "false_alarm"),
        ("dismissed", "immaterial"),
    ]
    assert desk.decision(audit_id, order[1])["decision"] == "confirmed"


def test_filters_and_search_narrow_the_list(desk: Desk, open_page: Callable[..., Page]) -> None:
    audit_id = desk.audit()
    desk.decide(audit_id, CASH, "dismissed", reason="immaterial", note="Agreed to the bank letter")
    page = open_page(f"{desk.base}/audits/{audit_id}", reviewer="F. Ilter")
    ready(page, decided=1)
    every = shown(page)
    assert len(every) == TOTAL

    page.locator("#filter-agent").select_option("numeric")
    expect(page.locator("#review-counts")).to_have_text(f"1 of {TOTAL} decided · 4 shown")
    page.locator("#filter-severity").select_option("medium")
    assert sorted(shown(page)) == sorted([CASH, EQUITY])
    page.locator("#filter-decision").select_option("dismissed")
    assert shown(page) == [CASH]
    page.locator("#filter-decision").select_option("open")
    assert shown(page) == [EQUITY]
    for name in ("#filter-agent", "#filter-severity", "#filter-decision"):
        page.locator(name).select_option("")
    assert shown(page) == every

    search = page.locator("#filter-text")
    search.fill("bank letter")  # a note
    expect(page.locator("#review-counts")).to_contain_text("1 shown")
    assert shown(page) == [CASH]
    search.fill("ROLL-FORWARD")  # a title, any case
    assert shown(page) == [EQUITY]
    search.fill("capital management")
    expect(page.locator("[data-review-id]")).to_have_count(1)
    assert shown(page)[0].startswith("disclosure-")
    search.fill("nothing like this")
    expect(page.locator("#review-list")).to_contain_text("No findings match.")
    search.fill("")
    expect(page.locator("[data-review-id]")).to_have_count(TOTAL)

    # By severity, high first; by position, a different order with the same findings.
    severities = page.locator("[data-review-id] .badge").all_inner_texts()
    assert severities == sorted(severities, key=["High", "Medium", "Low"].index)
    page.locator("#review-sort").select_option("position")
    by_position = shown(page)
    assert sorted(by_position) == sorted(every)

    # The export buttons: the Word copy is offered because the upload is .docx.
    expect(page.get_by_role("button", name="Word with comments")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as download:
        page.get_by_role("button", name="Word with comments").click()
    assert download.value.suggested_filename.endswith(".docx")


def test_sign_off_is_refused_then_accepted(desk: Desk, open_page: Callable[..., Page]) -> None:
    audit_id = desk.audit()
    held: list[str | bytes] = []
    paused = {"on": False}
    sockets: list[WebSocketRoute] = []

    def route(ws: WebSocketRoute) -> None:
        sockets.append(ws)
        server = ws.connect_to_server()

        def forward(message: str | bytes) -> None:
            if paused["on"]:
                held.append(message)
            else:
                ws.send(message)

        server.on_message(forward)

    page = open_page("", reviewer="S. Partner")
    page.route_web_socket(REVIEW_STREAM, route)
    page.goto(f"{desk.base}/audits/{audit_id}")
    button = page.locator("#sign-off-button")
    expect(page.locator("#sign-off-status")).to_contain_text(
        "6 findings still need a decision (1 high, 5 medium)."
    )
    expect(button).to_be_disabled()

    review = desk.get(f"/audits/{audit_id}/review")
    to_decide = [f["finding_id"] for f in review["findings"] if f["severity"] != "low"]
    for finding in to_decide:
        desk.decide(audit_id, finding, "confirmed")
    expect(page.locator("#review-counts")).to_have_text(f"6 of {TOTAL} decided")
    expect(button).to_be_enabled()

    # Someone reopens a finding while this page does not hear of it yet: the server refuses.
    paused["on"] = True
    desk.decide(audit_id, CASH, "open")
    page.locator("#sign-off-note").fill("Reviewed with the engagement partner.")
    button.click()
    expect(page.locator("#sign-off-error")).to_contain_text("1 finding has no decision")
    expect(page.locator("#sign-off-error")).to_contain_text(CASH)

    # The stream catches up: the page now says why, and the decision is made here.
    assert held, "the reopening was held back"
    paused["on"] = False
    for message in held:
        sockets[-1].send(message)
    held.clear()
    expect(page.locator("#sign-off-status")).to_contain_text(
        "1 finding still needs a decision (1 medium)."
    )
    expect(button).to_be_disabled()
    row(page, CASH).click()
    page.locator("#decision-panel button[data-decide=confirmed]").click()
    page.keyboard.press("Escape")
    expect(button).to_be_enabled()
    page.locator("#sign-off-note").fill("Reviewed with the engagement partner.")
    button.click()
    signed = page.locator("#signed-off")
    expect(signed).to_contain_text("Signed off by S. Partner")
    expect(signed).to_contain_text("Reviewed with the engagement partner.")
    expect(page.locator("#sign-off-form")).to_be_hidden()
    assert desk.get(f"/audits/{audit_id}/review")["sign_off"]["reviewer"] == "S. Partner"
    # Decisions are closed after sign-off.
    row(page, ROUNDING).click()
    expect(page.locator("#decision-panel button[data-decide=confirmed]")).to_be_disabled()
    page.keyboard.press("Escape")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-signed-off.png"), full_page=True)


def test_a_decision_survives_a_restart_and_a_reload(
    desk: Desk, open_page: Callable[..., Page]
) -> None:
    audit_id = desk.audit()
    page = open_page(f"{desk.base}/audits/{audit_id}", reviewer="R. Start")
    row(page, ASSETS).click()
    page.locator("#decision-note").fill("Subtotal to be corrected by the preparer.")
    page.locator("#decision-panel button[data-decide=confirmed]").click()
    expect(page.locator("#decision-current")).to_have_attribute("data-decision", "confirmed")
    page.close()

    desk.restart()
    page = open_page(f"{desk.base}/audits/{audit_id}", reviewer="R. Start")
    expect(row(page, ASSETS)).to_have_attribute("data-decision", "confirmed")
    expect(row(page, ASSETS)).to_contain_text("Subtotal to be corrected by the preparer.")
    page.reload()
    expect(row(page, ASSETS)).to_have_attribute("data-decision", "confirmed")
    expect(page.locator("#review-counts")).to_have_text(f"1 of {TOTAL} decided")
    expect(page.locator("#review-connection")).to_have_attribute("data-connection", "live")
    # The restarted server's review stream is live for this page too.
    desk.decide(audit_id, EQUITY, "dismissed", reason="false_alarm")
    expect(row(page, EQUITY)).to_have_attribute("data-decision", "dismissed")


def test_a_draft_shows_new_persisting_and_resolved(
    desk: Desk, open_page: Callable[..., Page]
) -> None:
    earlier = desk.audit(SPECS)
    desk.decide(earlier, CASH, "dismissed", reason="explained_elsewhere", note="See note 12.")

    # The next draft, started from the page: the earlier audit is chosen in the form.
    desk.numeric.specs = list(DRAFT_2)
    page = open_page(f"{desk.base}/", reviewer="D. Raft")
    choice = page.locator("#previous-input")
    expect(choice.locator(f"option[value='{earlier}']")).to_have_count(1)
    choice.select_option(earlier)
    page.locator("button[data-sample='fanmilk-2024']").click()
    expect(page).to_have_url(re.compile(r"/audits/[A-Za-z0-9_-]+$"))
    draft = page.url.rsplit("/", 1)[1]
    assert draft != earlier

    drafts = page.locator("#drafts")
    expect(drafts).to_be_visible()
    comparison = desk.get(f"/audits/{draft}/review")
    statuses = [f.get("draft") for f in comparison["findings"]]
    expect(drafts.locator("[data-count=new]")).to_have_text(f"{statuses.count('new')} new")
    expect(drafts.locator("[data-count=persisting]")).to_have_text(
        f"{statuses.count('persisting')} persisting"
    )
    resolved = comparison["drafts"]["resolved"]
    expect(drafts.locator("[data-count=resolved]")).to_have_text(f"{len(resolved)} resolved")
    assert ASSETS in [r["finding_id"] for r in resolved]
    expect(drafts.locator(f"[data-resolved-id='{ASSETS}']")).to_contain_text(
        "Total assets does not add up"
    )

    expect(row(page, NEW)).to_have_attribute("data-draft", "new")
    expect(row(page, CASH)).to_have_attribute("data-draft", "persisting")
    expect(row(page, CASH)).to_have_attribute("data-carried", "true")
    expect(row(page, CASH)).to_contain_text("Dismissed: Explained elsewhere · carried")
    row(page, CASH).click()
    expect(page.locator("#decision-history li").first).to_contain_text(f"carried from {earlier}")
    page.keyboard.press("Escape")

    page.locator("#filter-draft").select_option("new")
    expect(page.locator("[data-review-id]")).to_have_count(statuses.count("new"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#filter-draft").select_option("")
    page.screenshot(path=str(ARTIFACTS / "page-review.png"), full_page=True)

    # The link to the earlier draft opens it.
    drafts.locator("#previous-link").click()
    expect(page).to_have_url(re.compile(f"/audits/{earlier}$"))
    expect(row(page, CASH)).to_have_attribute("data-decision", "dismissed")
    expect(page.locator("#drafts")).to_be_hidden()
