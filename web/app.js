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

import { AUDIT_ID } from "../generated/codes.js";
import { ApiError, cancelAudit, createAudit, getDocument, listAudits, listSamples } from "./api.js";
import { renderFindingDetail } from "./detail.js";
import { byId, h, replace } from "./dom.js";
import { findingById, findingsOf, findingsToCsv, findingsToJson } from "./findings.js";
import { AUDIT_STATE_LABELS } from "./format.js";
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
import { initialView, applyFrame, isFinished, withConnection } from "./state.js";
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
  exportCsv: byId("export-csv", HTMLButtonElement),
  exportJson: byId("export-json", HTMLButtonElement),
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
  if (ui.dialog.open) ui.dialog.close();
}

// --------------------------------------------------------------------------------- rendering

/** @param {ViewState} next */
function update(next) {
  if (!view || next === view) return;
  announce(announcements(view, next));
  if (view.snapshot.state !== next.snapshot.state) refreshRecentSoon();
  view = next;
  if (!renderQueued) {
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      render();
    });
  }
}

function render() {
  if (!view) return;
  const { snapshot, live } = view;
  const heading = auditHeading(snapshot);
  ui.title.textContent = heading.title;
  ui.meta.textContent = heading.meta.join(" · ");
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
  ui.exportCsv.disabled = !hasResults;
  ui.exportJson.disabled = !hasResults;
  renderConnection();
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

/** @param {string} findingId */
function openFinding(findingId) {
  if (!view) return;
  const finding = findingById(findingId, view.snapshot);
  if (!finding) return;
  const auditId = view.snapshot.audit_id;
  openFindingId = findingId;
  replace(ui.dialogBody, renderFindingDetail(finding, null, null));
  if (!ui.dialog.open) ui.dialog.showModal();
  let loading = documents.get(auditId);
  if (!loading) {
    loading = getDocument(auditId);
    documents.set(auditId, loading);
    loading.catch(() => documents.delete(auditId));
  }
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
});

// Clicking the backdrop (outside the dialog's box) closes it, as people expect of a modal.
ui.dialog.addEventListener("click", (event) => {
  if (event.target === ui.dialog) ui.dialog.close();
});

ui.sections.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target.closest("[data-finding-id]") : null;
  const id = target?.getAttribute("data-finding-id");
  if (id) openFinding(id);
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
  start({ document, priorYear: ui.priorInput.files?.[0] ?? null, memos: [...(ui.memosInput.files ?? [])] });
});

ui.samples.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-sample]") : null;
  const sample = button?.getAttribute("data-sample");
  if (sample) start({ sample });
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
 * @param {string} text
 * @param {string} type
 * @param {string} filename
 */
function download(text, type, filename) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

ui.exportCsv.addEventListener("click", () => {
  if (!view) return;
  download(findingsToCsv(findingsOf(view.snapshot)), "text/csv;charset=utf-8", `crosscheck-${view.snapshot.audit_id}-findings.csv`);
});

ui.exportJson.addEventListener("click", () => {
  if (!view) return;
  download(findingsToJson(view.snapshot), "application/json", `crosscheck-${view.snapshot.audit_id}-findings.json`);
});

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

window.addEventListener("popstate", route);
route();

// Exposed for debugging in the console and for the browser tests' assertions.
Object.defineProperty(window, "crosscheck", {
  value: Object.freeze({
    view: () => view,
  }),
});
