// @ts-check
/**
 * The page's entry: routes between the start page (`/`) and an audit (`/audits/{id}`), follows
 * the audit's stream into the reducer and renders it.
 *
 * Every audit has its own link: opening or reloading `/audits/{id}` replays the audit from seq 0,
 * so a finished audit looks the same later as it did live. Navigation between the two views uses
 * the History API, so Back and Forward work without reloading.
 */

/** @typedef {import("../generated/contract").ParsedDocument} ParsedDocument */
/** @typedef {import("../generated/contract").AuditListItem} AuditListItem */
/** @typedef {import("./state.js").ViewState} ViewState */
/** @typedef {import("./state.js").ConnectionStatus} ConnectionStatus */
/** @typedef {import("./review.js").ReviewRow} ReviewRow */
/** @typedef {import("./review.js").ReviewFilter} ReviewFilter */
/** @typedef {import("./review.js").ReviewSort} ReviewSort */
/** @typedef {import("../generated/contract").Decision} Decision */
/** @typedef {import("../generated/contract").DismissalReason} DismissalReason */
/** @typedef {import("../generated/contract").DecisionRequest} DecisionRequest */

import { AUDIT_ID } from "../generated/codes.js";
import {
  ApiError,
  cancelAudit,
  createAudit,
  exportUrl,
  getDocument,
  listAudits,
  listSamples,
  recordDecision,
  signOff,
} from "./api.js";
import { renderFindingDetail } from "./detail.js";
import { byId, h, replace } from "./dom.js";
import { findingById } from "./findings.js";
import { AUDIT_STATE_LABELS, formatTimestamp } from "./format.js";
import {
  agentsToShow,
  announcements,
  auditHeading,
  renderOverall,
  renderRecent,
  renderSamples,
  renderSection,
  tickElapsed,
} from "./render.js";
import {
  DECISION_LABELS,
  DISMISSAL_REASONS,
  REASON_LABELS,
  decidedLine,
  documentOrder,
  filterRows,
  neighbour,
  reviewRows,
  signOffReadiness,
  sortRows,
} from "./review.js";
import { renderDecision, renderDrafts, renderReviewList, renderSignOff } from "./review-view.js";
import { initialView, applyFrame, applyReviewFrame, isFinished, withConnection } from "./state.js";
import { AuditStream } from "./stream.js";

const AUDIT_PATH = /^\/audits\/([^/]+)\/?$/;

/**
 * The audit id of a page path `/audits/{id}`, or null (the id must match the schema's AuditId).
 * @param {string} pathname
 * @returns {string | null}
 */
function auditIdOf(pathname) {
  const id = AUDIT_PATH.exec(pathname)?.[1];
  return id !== undefined && AUDIT_ID.test(id) ? id : null;
}
const TICK_MS = 200;

const ui = {
  homeView: byId("home-view", HTMLElement),
  auditView: byId("audit-view", HTMLElement),
  main: byId("main", HTMLElement),
  form: byId("start-form", HTMLFormElement),
  documentInput: byId("document-input", HTMLInputElement),
  priorInput: byId("prior-input", HTMLInputElement),
  memosInput: byId("memos-input", HTMLInputElement),
  startButton: byId("start-button", HTMLButtonElement),
  startError: byId("start-error", HTMLElement),
  samples: byId("sample-list", HTMLElement),
  recent: byId("recent-list", HTMLElement),
  title: byId("audit-title", HTMLElement),
  meta: byId("audit-meta", HTMLElement),
  auditError: byId("audit-error", HTMLElement),
  overall: byId("overall", HTMLElement),
  sections: byId("sections", HTMLElement),
  cancel: byId("cancel-button", HTMLButtonElement),
  exportXlsx: byId("export-xlsx", HTMLButtonElement),
  exportDocx: byId("export-docx", HTMLButtonElement),
  exportCsv: byId("export-csv", HTMLButtonElement),
  exportJson: byId("export-json", HTMLButtonElement),
  previousInput: byId("previous-input", HTMLSelectElement),
  review: byId("review", HTMLElement),
  reviewCounts: byId("review-counts", HTMLElement),
  reviewConnection: byId("review-connection", HTMLElement),
  reviewerName: byId("reviewer-name", HTMLElement),
  reviewerChange: byId("reviewer-change", HTMLButtonElement),
  drafts: byId("drafts", HTMLElement),
  filters: byId("review-filters", HTMLFormElement),
  filterDraftLabel: byId("filter-draft-label", HTMLElement),
  sort: byId("review-sort", HTMLSelectElement),
  reviewError: byId("review-error", HTMLElement),
  reviewList: byId("review-list", HTMLElement),
  signOffStatus: byId("sign-off-status", HTMLElement),
  signOffForm: byId("sign-off-form", HTMLFormElement),
  signOffButton: byId("sign-off-button", HTMLButtonElement),
  signOffNote: byId("sign-off-note", HTMLInputElement),
  signOffError: byId("sign-off-error", HTMLElement),
  decisionPanel: byId("decision-panel", HTMLElement),
  decisionCurrent: byId("decision-current", HTMLElement),
  decisionNote: byId("decision-note", HTMLTextAreaElement),
  decisionError: byId("decision-error", HTMLElement),
  dismissReason: byId("dismiss-reason", HTMLSelectElement),
  decisionHistory: byId("decision-history", HTMLElement),
  decisionHistoryTitle: byId("decision-history-title", HTMLElement),
  findingPosition: byId("finding-position", HTMLElement),
  findingPrev: byId("finding-prev", HTMLButtonElement),
  findingNext: byId("finding-next", HTMLButtonElement),
  reviewerDialog: byId("reviewer-dialog", HTMLDialogElement),
  reviewerForm: byId("reviewer-form", HTMLFormElement),
  reviewerInput: byId("reviewer-input", HTMLInputElement),
  reviewerCancel: byId("reviewer-cancel", HTMLButtonElement),
  connection: byId("connection", HTMLElement),
  connectionText: byId("connection-text", HTMLElement),
  dialog: byId("finding-dialog", HTMLDialogElement),
  dialogBody: byId("finding-body", HTMLElement),
  announcer: byId("announcer", HTMLElement),
};

/** @type {ViewState | null} */
let view = null;
/** @type {AuditStream | null} */
let stream = null;
/** @type {string | null} why the stream stopped for good, when it did */
let streamProblem = null;
let renderQueued = false;
/** @type {Map<string, Promise<ParsedDocument>>} */
const documents = new Map();
/** @type {string | null} */
let openFindingId = null;

// The review: its own stream (a second log, its own cursor), the list's filter, sort and place.
/** @type {AuditStream | null} */
let reviewStream = null;
/** @type {ConnectionStatus} */
let reviewConnection = "connecting";
/** @type {ReviewFilter} */
let filter = {};
/** @type {ReviewSort} */
let sort = "severity";
/** @type {string | null} the row in the tab order, kept across redraws and decisions */
let currentId = null;
/** @type {ReviewRow[]} the rows shown, in order */
let shownRows = [];
/** @type {ParsedDocument | null} the audit's parsed document once loaded (labels, positions) */
let parsedDoc = null;
/** @type {Map<string, number> | null} */
let docOrder = null;
let docRequested = false;
let signOffBusy = false;
/** @type {unknown[]} what the review card was last drawn from */
let reviewDrawnWith = [];
/** @type {"review" | "section"} where the open finding was opened from, to return focus there */
let openedFrom = "section";
const REVIEWER_KEY = "crosscheck.reviewer";

// ---------------------------------------------------------------------------------- routing

function route() {
  const auditId = auditIdOf(location.pathname);
  if (auditId) {
    openAudit(auditId);
  } else {
    showHome();
  }
}

/**
 * @param {string} path
 */
function navigate(path) {
  if (location.pathname !== path) history.pushState(null, "", path);
  route();
}

function showHome() {
  closeStream();
  view = null;
  ui.auditView.hidden = true;
  ui.homeView.hidden = false;
  document.title = "Crosscheck";
  setConnection("idle", "Not connected");
  refreshSamples();
  refreshRecent();
}

/** @param {string} auditId */
function openAudit(auditId) {
  if (view?.snapshot.audit_id === auditId && stream) return;
  closeStream();
  view = initialView(auditId);
  streamProblem = null;
  ui.homeView.hidden = true;
  ui.auditView.hidden = false;
  replace(ui.sections, agentsToShow(view.snapshot).map(agentSection));
  render();
  ui.main.focus({ preventScroll: true });
  stream = new AuditStream({
    auditId,
    lastSeq: () => (view?.snapshot.audit_id === auditId ? view.snapshot.last_seq : 0),
    onFrame: (frame) => update(applyFrame(/** @type {ViewState} */ (view), frame)),
    onStatus: (status, detail) => {
      if (status === "offline") streamProblem = detail ?? "The audit cannot be followed.";
      update(withConnection(/** @type {ViewState} */ (view), status));
    },
  });
  stream.start();
  reviewConnection = "connecting";
  reviewStream = new AuditStream({
    auditId,
    channel: "review",
    lastSeq: () => (view?.snapshot.audit_id === auditId ? (view.snapshot.review?.last_seq ?? 0) : 0),
    onFrame: (frame) => update(applyReviewFrame(/** @type {ViewState} */ (view), frame)),
    onStatus: (status) => {
      reviewConnection = status;
      scheduleRender();
    },
  });
  reviewStream.start();
  refreshRecent();
}

/**
 * @param {string} name
 * @returns {HTMLElement}
 */
function agentSection(name) {
  return h("section", { class: "agent card", id: `agent-${name}`, "data-agent": name, "data-state": "pending" });
}

function closeStream() {
  stream?.stop();
  stream = null;
  reviewStream?.stop();
  reviewStream = null;
  if (ui.dialog.open) ui.dialog.close();
  currentId = null;
  shownRows = [];
  reviewDrawnWith = [];
  parsedDoc = null;
  docOrder = null;
  docRequested = false;
  ui.reviewError.textContent = "";
  ui.signOffError.textContent = "";
}

// --------------------------------------------------------------------------------- rendering

/** @param {ViewState} next */
function update(next) {
  if (!view || next === view) return;
  announce(announcements(view, next));
  if (view.snapshot.state !== next.snapshot.state) refreshRecentSoon();
  view = next;
  scheduleRender();
}

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

function render() {
  if (!view) return;
  const { snapshot, live } = view;
  const heading = auditHeading(snapshot);
  ui.title.textContent = heading.title;
  const signed = snapshot.review?.sign_off;
  const meta = signed ? [...heading.meta, `signed off by ${signed.reviewer}, ${formatTimestamp(signed.ts)}`] : heading.meta;
  ui.meta.textContent = meta.join(" · ");
  document.title = `${heading.title} · ${AUDIT_STATE_LABELS[snapshot.state] ?? snapshot.state} · Crosscheck`;
  renderOverall(ui.overall, view);
  // An agent this page does not know (a newer server) still gets a section.
  for (const name of agentsToShow(snapshot)) {
    if (!ui.sections.querySelector(`section[data-agent="${CSS.escape(name)}"]`)) ui.sections.append(agentSection(name));
  }
  for (const section of ui.sections.querySelectorAll("section[data-agent]")) {
    renderSection(/** @type {HTMLElement} */ (section), section.getAttribute("data-agent") ?? "", view);
  }
  renderAuditError();
  const finished = isFinished(snapshot);
  ui.cancel.hidden = finished || snapshot.state === "pending" || live.connection === "offline";
  const hasResults = snapshot.agents.some((a) => a.result);
  for (const button of [ui.exportXlsx, ui.exportDocx, ui.exportCsv, ui.exportJson]) button.disabled = !hasResults;
  ui.exportDocx.hidden = snapshot.document?.kind !== "docx";
  renderConnection();
  renderReview();
  if (openFindingId && !ui.dialog.open) openFindingId = null;
}

function renderAuditError() {
  if (!view) return;
  const error = view.snapshot.error;
  let text = null;
  if (error) {
    text = `${error.message} ${error.retryable ? "Starting the audit again may help." : ""}`.trim();
  } else if (streamProblem && view.live.connection === "offline") {
    text = streamProblem;
  }
  ui.auditError.hidden = text === null;
  ui.auditError.textContent = text ?? "";
}

function renderConnection() {
  if (!view) return;
  const { connection, reconnects } = view.live;
  /** @type {Record<ConnectionStatus, string>} */
  const labels = {
    connecting: "Connecting…",
    live: "Live",
    reconnecting: `Connection lost, reconnecting (attempt ${reconnects})…`,
    closed: "Up to date",
    offline: "Not connected",
  };
  setConnection(connection, labels[connection]);
}

/**
 * @param {string} status
 * @param {string} text
 */
function setConnection(status, text) {
  ui.connection.dataset.connection = status;
  ui.connectionText.textContent = text;
}

/** @type {string[]} */
let pending = [];
/** @type {ReturnType<typeof setTimeout> | undefined} */
let announceTimer;

/**
 * Coalesces announcements: a replay of a finished audit would otherwise read out every agent.
 * @param {string[]} messages
 */
function announce(messages) {
  if (messages.length === 0) return;
  pending.push(...messages);
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    const text = pending.length > 3 ? pending.slice(-1).join(" ") : pending.join(" ");
    pending = [];
    ui.announcer.textContent = text;
  }, 250);
}

setInterval(() => {
  if (!ui.auditView.hidden) tickElapsed(ui.auditView, Date.now());
}, TICK_MS);

// ------------------------------------------------------------------------------- finding detail

/**
 * The audit's parsed document, asked for once per audit (again after a failure).
 * @param {string} auditId
 * @returns {Promise<ParsedDocument>}
 */
function documentOf(auditId) {
  let loading = documents.get(auditId);
  if (!loading) {
    loading = getDocument(auditId);
    documents.set(auditId, loading);
    loading.catch(() => documents.delete(auditId));
  }
  return loading;
}

/**
 * @param {string} findingId
 * @param {"review" | "section"} [from]
 */
function openFinding(findingId, from) {
  if (!view) return;
  const finding = findingById(findingId, view.snapshot);
  if (!finding) return;
  const auditId = view.snapshot.audit_id;
  if (from) openedFrom = from;
  if (openFindingId !== findingId) {
    ui.decisionNote.value = "";
    ui.decisionError.textContent = "";
  }
  openFindingId = findingId;
  if (openedFrom === "review") currentId = findingId;
  replace(ui.dialogBody, renderFindingDetail(finding, null, null));
  renderOpenDecision();
  if (!ui.dialog.open) ui.dialog.showModal();
  const loading = documentOf(auditId);
  loading.then(
    (doc) => showDetail(findingId, () => renderFindingDetail(finding, doc, null)),
    (error) => showDetail(findingId, () => renderFindingDetail(finding, null, `The document cannot be shown: ${messageOf(error)}`)),
  );
}

/**
 * @param {string} findingId
 * @param {() => HTMLElement} draw
 */
function showDetail(findingId, draw) {
  if (openFindingId !== findingId || !ui.dialog.open) return;
  replace(ui.dialogBody, draw());
  // Bring the highlighted cell into view inside its table, without scrolling the dialog away
  // from the finding's title.
  for (const wrap of ui.dialogBody.querySelectorAll(".doc-table-wrap")) {
    const cell = wrap.querySelector(".hl-primary");
    if (cell instanceof HTMLElement && wrap instanceof HTMLElement) {
      const cellBox = cell.getBoundingClientRect();
      const wrapBox = wrap.getBoundingClientRect();
      wrap.scrollTop = Math.max(0, cellBox.top - wrapBox.top + wrap.scrollTop - wrap.clientHeight / 3);
      if (cellBox.right > wrapBox.right) wrap.scrollLeft += cellBox.right - wrapBox.right + 24;
    }
  }
}

ui.dialog.addEventListener("close", () => {
  openFindingId = null;
  // Back to the finding's place in the list (it may have moved there with next/previous).
  if (openedFrom === "review") requestAnimationFrame(() => focusCurrentRow());
});

// Clicking the backdrop (outside the dialog's box) closes it, as people expect of a modal.
ui.dialog.addEventListener("click", (event) => {
  if (event.target === ui.dialog) ui.dialog.close();
});

ui.sections.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target.closest("[data-finding-id]") : null;
  const id = target?.getAttribute("data-finding-id");
  if (id) openFinding(id, "section");
});

// -------------------------------------------------------------------------------- starting

/** @param {unknown} error */
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/**
 * @param {Parameters<typeof createAudit>[0]} input
 */
async function start(input) {
  ui.startError.textContent = "";
  ui.startButton.disabled = true;
  for (const b of ui.samples.querySelectorAll("button")) b.disabled = true;
  try {
    const created = await createAudit(input);
    ui.form.reset();
    for (const drop of ui.form.querySelectorAll(".drop")) showChosen(/** @type {HTMLElement} */ (drop));
    navigate(`/audits/${encodeURIComponent(created.audit_id)}`);
  } catch (error) {
    let text = messageOf(error);
    if (error instanceof ApiError && error.retryAfterS) text += ` Try again in ${error.retryAfterS} s.`;
    ui.startError.textContent = text;
  } finally {
    ui.startButton.disabled = false;
    for (const b of ui.samples.querySelectorAll("button")) b.disabled = false;
  }
}

ui.form.addEventListener("submit", (event) => {
  event.preventDefault();
  const document = ui.documentInput.files?.[0];
  if (!document) {
    ui.startError.textContent = "Choose the current-year statements first.";
    ui.documentInput.focus();
    return;
  }
  start({
    document,
    priorYear: ui.priorInput.files?.[0] ?? null,
    memos: [...(ui.memosInput.files ?? [])],
    previous: ui.previousInput.value || undefined,
  });
});

ui.samples.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-sample]") : null;
  const sample = button?.getAttribute("data-sample");
  if (sample) start({ sample, previous: ui.previousInput.value || undefined });
});

/**
 * Shows the chosen file names inside a drop zone.
 * @param {HTMLElement} drop
 */
function showChosen(drop) {
  const input = drop.querySelector("input");
  const label = drop.querySelector(".drop-files");
  if (!input || !label) return;
  const names = [...(input.files ?? [])].map((f) => f.name);
  drop.dataset.filled = String(names.length > 0);
  label.textContent = names.length ? names.join(", ") : (label.getAttribute("data-empty") ?? "");
}

for (const drop of ui.form.querySelectorAll(".drop")) {
  const zone = /** @type {HTMLElement} */ (drop);
  const input = zone.querySelector("input");
  if (!input) continue;
  showChosen(zone);
  input.addEventListener("change", () => showChosen(zone));
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.dataset.over = "true";
  });
  zone.addEventListener("dragleave", () => {
    delete zone.dataset.over;
  });
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    delete zone.dataset.over;
    const dropped = [...(event.dataTransfer?.files ?? [])];
    if (dropped.length === 0) return;
    const transfer = new DataTransfer();
    for (const file of input.multiple ? dropped : dropped.slice(0, 1)) transfer.items.add(file);
    input.files = transfer.files;
    showChosen(zone);
  });
}

// ---------------------------------------------------------------------------- audit actions

ui.cancel.addEventListener("click", async () => {
  if (!view) return;
  ui.cancel.disabled = true;
  try {
    await cancelAudit(view.snapshot.audit_id);
  } catch (error) {
    announce([`Cancel failed: ${messageOf(error)}`]);
  } finally {
    ui.cancel.disabled = false;
  }
});

/**
 * Download the audit's working paper from the server (GET .../export), the same file the CLI
 * and scripts get; the server names it (Content-Disposition).
 * @param {"xlsx" | "docx" | "csv" | "json"} format
 */
function downloadExport(format) {
  if (!view) return;
  const link = h("a", { href: exportUrl(view.snapshot.audit_id, format), download: true, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
}

ui.exportXlsx.addEventListener("click", () => downloadExport("xlsx"));
ui.exportDocx.addEventListener("click", () => downloadExport("docx"));
ui.exportCsv.addEventListener("click", () => downloadExport("csv"));
ui.exportJson.addEventListener("click", () => downloadExport("json"));

// ------------------------------------------------------------------------------ side lists

/** @type {ReturnType<typeof setTimeout> | undefined} */
let recentTimer;

/** The audit's state changed: show it in the list, once a burst of frames has settled. */
function refreshRecentSoon() {
  clearTimeout(recentTimer);
  recentTimer = setTimeout(refreshRecent, 300);
}

async function refreshRecent() {
  try {
    const { audits } = await listAudits();
    renderRecent(ui.recent, audits, view?.snapshot.audit_id ?? null);
    renderPreviousChoices(audits);
  } catch (error) {
    replace(ui.recent, h("li", { class: "muted" }, `Recent audits are unavailable: ${messageOf(error)}`));
  }
}

async function refreshSamples() {
  try {
    const { samples } = await listSamples();
    renderSamples(ui.samples, samples);
  } catch (error) {
    replace(ui.samples, h("li", { class: "muted" }, `Samples are unavailable: ${messageOf(error)}`));
  }
}

// In-page links (brand, recent audits) navigate without reloading the page.
document.addEventListener("click", (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (!(link instanceof HTMLAnchorElement) || link.origin !== location.origin || link.hasAttribute("download")) return;
  if (link.pathname === "/" || auditIdOf(link.pathname)) {
    event.preventDefault();
    navigate(link.pathname);
  }
});

// ------------------------------------------------------------------------------------ review

/**
 * @param {readonly AuditListItem[]} audits
 */
function renderPreviousChoices(audits) {
  const chosen = ui.previousInput.value;
  const finished = audits.filter((a) => a.state === "completed" || a.state === "completed_with_errors");
  replace(
    ui.previousInput,
    h("option", { value: "" }, "None: a first draft"),
    finished.map((a) => h("option", { value: a.audit_id }, `${a.document_name} · ${formatTimestamp(a.created_at)} · ${a.audit_id}`)),
  );
  if (finished.some((a) => a.audit_id === chosen)) ui.previousInput.value = chosen;
}

function renderReview() {
  if (!view) return;
  const { snapshot } = view;
  if (snapshot.document && !docRequested) {
    docRequested = true;
    const auditId = snapshot.audit_id;
    documentOf(auditId).then(
      (doc) => {
        if (view?.snapshot.audit_id !== auditId) return;
        parsedDoc = doc;
        docOrder = documentOrder(doc);
        renderReview();
      },
      () => {}, // labels and positions stay unknown; the list still works
    );
  }
  const signable = snapshot.state === "completed" || snapshot.state === "completed_with_errors";
  const deps = [snapshot.agents, snapshot.review, signable, filter, sort, docOrder, currentId, signOffBusy, reviewConnection];
  // Progress frames and clock ticks change none of these: the list is not redrawn for them.
  if (reviewDrawnWith.length === deps.length && reviewDrawnWith.every((d, i) => Object.is(d, deps[i]))) {
    renderOpenDecision();
    return;
  }
  reviewDrawnWith = deps;
  const rows = reviewRows(snapshot, docOrder);
  // An audit that found nothing can still be signed off, so the card shows once it completed.
  ui.review.hidden = rows.length === 0 && !snapshot.review && !signable;
  if (ui.review.hidden) return;
  const before = shownRows.map((r) => r.finding.id);
  shownRows = sortRows(filterRows(rows, filter, parsedDoc), sort);
  if (currentId !== null && !shownRows.some((r) => r.finding.id === currentId)) {
    // The current row left the list (decided under a decision filter): its place goes to the
    // row that now stands there, so the keyboard carries on where it was.
    const at = before.indexOf(currentId);
    currentId = shownRows.length ? shownRows[Math.min(Math.max(at, 0), shownRows.length - 1)].finding.id : null;
  }
  currentId ??= shownRows[0]?.finding.id ?? null;
  reviewDrawnWith[6] = currentId;
  const hadFocus = ui.reviewList.contains(document.activeElement);
  renderReviewList(ui.reviewList, shownRows, currentId, rows.length ? "No findings match." : "No findings to review.");
  ui.reviewList.dataset.positions = docOrder ? "known" : "unknown"; // known once the document is read
  if (hadFocus) focusCurrentRow();
  ui.reviewCounts.textContent = decidedLine(rows, shownRows.length);
  ui.filterDraftLabel.hidden = !snapshot.review?.drafts;
  renderDrafts(ui.drafts, snapshot, rows);
  renderSignOff(
    { status: ui.signOffStatus, form: ui.signOffForm, button: ui.signOffButton },
    snapshot,
    signOffReadiness(snapshot, rows),
    signOffBusy,
  );
  /** @type {Record<ConnectionStatus, string>} */
  const labels = {
    connecting: "Connecting to decisions…",
    live: "Decisions live",
    reconnecting: "Decisions: reconnecting…",
    closed: "Decisions closed",
    offline: "Decisions not connected",
  };
  ui.reviewConnection.textContent = labels[reviewConnection];
  ui.reviewConnection.dataset.connection = reviewConnection;
  ui.reviewerName.textContent = storedReviewer() ?? "nobody yet";
  const signed = Boolean(snapshot.review?.sign_off);
  for (const button of ui.decisionPanel.querySelectorAll("button[data-decide]")) {
    /** @type {HTMLButtonElement} */ (button).disabled = signed;
  }
  renderOpenDecision();
}

/** The open finding's decision, history and place, when the detail is open. */
function renderOpenDecision() {
  if (!view || !openFindingId) return;
  const row = reviewRows(view.snapshot, docOrder).find((r) => r.finding.id === openFindingId);
  if (!row) return;
  const at = shownRows.findIndex((r) => r.finding.id === openFindingId);
  renderDecision(
    { current: ui.decisionCurrent, history: ui.decisionHistory, historyTitle: ui.decisionHistoryTitle, position: ui.findingPosition },
    row,
    at >= 0 ? { at: at + 1, of: shownRows.length } : null,
  );
  ui.findingPrev.disabled = at <= 0;
  ui.findingNext.disabled = at < 0 || at >= shownRows.length - 1;
}

function focusCurrentRow() {
  if (!currentId) return;
  const row = ui.reviewList.querySelector(`[data-review-id="${CSS.escape(currentId)}"]`);
  if (row instanceof HTMLElement) row.focus();
}

/** @returns {string | null} */
function storedReviewer() {
  try {
    return localStorage.getItem(REVIEWER_KEY) || null;
  } catch {
    return null; // storage disabled: asked each time
  }
}

/** @type {((name: string | null) => void) | null} */
let reviewerAnswer = null;

/**
 * The reviewer's name: asked once, then kept in this browser.
 * @param {boolean} [change]  ask even if a name is kept
 * @returns {Promise<string | null>}
 */
function askReviewer(change = false) {
  const known = storedReviewer();
  if (known && !change) return Promise.resolve(known);
  ui.reviewerInput.value = known ?? "";
  if (!ui.reviewerDialog.open) ui.reviewerDialog.showModal();
  ui.reviewerInput.focus();
  return new Promise((resolve) => {
    reviewerAnswer = resolve;
  });
}

ui.reviewerForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const name = ui.reviewerInput.value.trim();
  if (!name) {
    ui.reviewerInput.focus();
    return;
  }
  try {
    localStorage.setItem(REVIEWER_KEY, name);
  } catch {
    // kept for this answer only
  }
  ui.reviewerName.textContent = name;
  ui.reviewerDialog.close();
  reviewerAnswer?.(name);
  reviewerAnswer = null;
});

ui.reviewerCancel.addEventListener("click", () => ui.reviewerDialog.close());
ui.reviewerDialog.addEventListener("close", () => {
  reviewerAnswer?.(null);
  reviewerAnswer = null;
});
ui.reviewerChange.addEventListener("click", () => askReviewer(true));

/**
 * Record a decision; the reply is applied at once (the review stream's copy is then a duplicate).
 * @param {string} findingId
 * @param {Decision} decision
 * @param {DismissalReason | undefined} reason
 * @param {"list" | "detail"} from  where the message goes and whether the note field is used
 */
async function decide(findingId, decision, reason, from) {
  if (!view) return;
  const auditId = view.snapshot.audit_id;
  const errorBox = from === "detail" ? ui.decisionError : ui.reviewError;
  errorBox.textContent = "";
  const reviewer = await askReviewer();
  if (!reviewer) {
    errorBox.textContent = "A decision needs the reviewer's name.";
    return;
  }
  const title = findingById(findingId, view.snapshot)?.title ?? findingId;
  /** @type {DecisionRequest} */
  const request = { finding_id: findingId, decision, reviewer };
  if (reason) request.reason = reason;
  const note = from === "detail" ? ui.decisionNote.value.trim() : "";
  if (note) request.note = note;
  try {
    const event = await recordDecision(auditId, request);
    if (from === "detail" && openFindingId === findingId) ui.decisionNote.value = "";
    if (view?.snapshot.audit_id === auditId) update(applyReviewFrame(view, event));
    announce([`${title}: ${DECISION_LABELS[decision]}${reason ? ` (${REASON_LABELS[reason]})` : ""}.`]);
  } catch (error) {
    errorBox.textContent = messageOf(error);
  }
}

/**
 * The keys of the review, on a row of the list or in the open detail. Returns whether handled.
 * @param {KeyboardEvent} event
 * @param {string} findingId
 * @param {"list" | "detail"} from
 * @returns {boolean}
 */
function reviewKey(event, findingId, from) {
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  const key = event.key;
  if (key === "j" || key === "k" || (from === "list" && (key === "ArrowDown" || key === "ArrowUp"))) {
    const next = neighbour(shownRows, findingId, key === "j" || key === "ArrowDown" ? 1 : -1);
    if (next === null) return true;
    currentId = next;
    if (from === "detail") {
      openFinding(next);
    } else {
      renderReviewList(ui.reviewList, shownRows, currentId);
      focusCurrentRow();
    }
    return true;
  }
  if (from === "list" && (key === "Home" || key === "End")) {
    currentId = (key === "Home" ? shownRows[0] : shownRows.at(-1))?.finding.id ?? null;
    renderReviewList(ui.reviewList, shownRows, currentId);
    focusCurrentRow();
    return true;
  }
  if (key === "c") {
    decide(findingId, "confirmed", undefined, from);
    return true;
  }
  if (key === "o") {
    decide(findingId, "open", undefined, from);
    return true;
  }
  if (key === "1" || key === "2" || key === "3") {
    decide(findingId, "dismissed", DISMISSAL_REASONS[Number(key) - 1], from);
    return true;
  }
  if (key === "d") {
    // Dismissing with a reason and a note: in the detail, at the reason.
    if (from === "list") openFinding(findingId, "review");
    ui.dismissReason.focus();
    return true;
  }
  if (key === "n" && from === "detail") {
    ui.decisionNote.focus();
    return true;
  }
  return false;
}

ui.reviewList.addEventListener("click", (event) => {
  const row = event.target instanceof Element ? event.target.closest("[data-review-id]") : null;
  const id = row?.getAttribute("data-review-id");
  if (!id) return;
  currentId = id;
  openFinding(id, "review");
});

ui.reviewList.addEventListener("keydown", (event) => {
  const row = event.target instanceof Element ? event.target.closest("[data-review-id]") : null;
  const id = row?.getAttribute("data-review-id");
  if (id && reviewKey(event, id, "list")) event.preventDefault();
});

ui.reviewList.addEventListener("focusin", (event) => {
  const row = event.target instanceof Element ? event.target.closest("[data-review-id]") : null;
  const id = row?.getAttribute("data-review-id");
  if (id && id !== currentId) {
    currentId = id;
    for (const other of ui.reviewList.querySelectorAll("[data-review-id]")) {
      const mine = other === row;
      other.setAttribute("tabindex", mine ? "0" : "-1");
      if (mine) other.setAttribute("aria-current", "true");
      else other.removeAttribute("aria-current");
    }
  }
});

// On the document, not the dialog: moving to the next finding redraws the detail, and a focused
// element inside it goes with it, leaving focus on the body while the dialog is still open.
document.addEventListener("keydown", (event) => {
  if (!openFindingId || !ui.dialog.open || ui.reviewerDialog.open || event.defaultPrevented) return;
  const target = event.target;
  const typing = target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement || target instanceof HTMLSelectElement;
  if (typing) {
    // In the note, Ctrl+Enter records the dismissal with the chosen reason.
    if (target instanceof HTMLTextAreaElement && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      decide(openFindingId, "dismissed", /** @type {DismissalReason} */ (ui.dismissReason.value), "detail");
    }
    return;
  }
  if (reviewKey(event, openFindingId, "detail")) event.preventDefault();
});

ui.decisionPanel.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-decide]") : null;
  const decision = /** @type {Decision | undefined} */ (button?.getAttribute("data-decide") ?? undefined);
  if (!decision || !openFindingId) return;
  const reason = decision === "dismissed" ? /** @type {DismissalReason} */ (ui.dismissReason.value) : undefined;
  decide(openFindingId, decision, reason, "detail");
});

ui.findingPrev.addEventListener("click", () => {
  const next = openFindingId && neighbour(shownRows, openFindingId, -1);
  if (next) openFinding(next, "review");
});
ui.findingNext.addEventListener("click", () => {
  const next = openFindingId && neighbour(shownRows, openFindingId, 1);
  if (next) openFinding(next, "review");
});

function readFilters() {
  const data = new FormData(ui.filters);
  const text = (/** @type {string} */ name) => String(data.get(name) ?? "");
  filter = { agent: text("agent"), severity: text("severity"), decision: text("decision"), draft: text("draft"), text: text("text") };
  sort = text("sort") === "position" ? "position" : "severity";
  renderReview();
}

ui.filters.addEventListener("input", readFilters);
ui.filters.addEventListener("change", readFilters);
ui.filters.addEventListener("submit", (event) => event.preventDefault());

ui.signOffForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!view || signOffBusy) return;
  const auditId = view.snapshot.audit_id;
  ui.signOffError.textContent = "";
  const reviewer = await askReviewer();
  if (!reviewer) {
    ui.signOffError.textContent = "Sign-off needs the reviewer's name.";
    return;
  }
  signOffBusy = true;
  renderReview();
  try {
    const note = ui.signOffNote.value.trim();
    const event = await signOff(auditId, note ? { reviewer, note } : { reviewer });
    ui.signOffNote.value = "";
    if (view?.snapshot.audit_id === auditId) update(applyReviewFrame(view, event));
    announce([`Signed off by ${reviewer}.`]);
  } catch (error) {
    ui.signOffError.textContent = messageOf(error);
  } finally {
    signOffBusy = false;
    scheduleRender();
  }
});

window.addEventListener("popstate", route);
route();

// Exposed for debugging in the console and for the browser tests' assertions.
Object.defineProperty(window, "crosscheck", {
  value: Object.freeze({
    view: () => view,
    shown: () => shownRows.map((r) => r.finding.id),
  }),
});
