// @ts-check
/**
 * Renders the audit view from the state: the overall bar and one section per agent.
 *
 * Each section is rebuilt only when its agent's entry changed (state, result or error object;
 * the reducer replaces those, never mutates them), so a completed section is not redrawn while
 * other agents report progress, and keyboard focus inside it survives. Elapsed times tick
 * through `data-since` attributes (see `tickElapsed`) without re-rendering.
 */

/** @typedef {import("../generated/contract").Snapshot} Snapshot */
/** @typedef {import("../generated/contract").AgentSnapshot} AgentSnapshot */
/** @typedef {import("../generated/contract").AgentName} AgentName */
/** @typedef {import("../generated/contract").AgentResult} AgentResult */
/** @typedef {import("../generated/contract").ErrorInfo} ErrorInfo */
/** @typedef {import("../generated/contract").CheckTally} CheckTally */
/** @typedef {import("../generated/contract").SeverityCounts} SeverityCounts */
/** @typedef {import("../generated/contract").AuditListItem} AuditListItem */
/** @typedef {import("../generated/contract").Sample} Sample */
/** @typedef {import("../generated/contract").Location} Location */
/** @typedef {import("./state.js").ViewState} ViewState */
/** @typedef {import("./state.js").ProgressInfo} ProgressInfo */
/** @typedef {import("./findings.js").Finding} Finding */

import { h, replace } from "./dom.js";
import { countBySeverity, findingsOf, groupBySeverity } from "./findings.js";
import {
  AGENT_LABELS,
  AGENT_STATE_LABELS,
  AUDIT_STATE_LABELS,
  SEVERITIES,
  SEVERITY_LABELS,
  agentTitle,
  elapsedSince,
  formatDate,
  formatDuration,
  formatTimestamp,
  humanize,
} from "./format.js";
import { AGENTS, isFinished } from "./state.js";

/**
 * The agents to show: the four known ones in display order, then any the server named that this
 * page does not know (shown generically rather than dropped).
 * @param {Snapshot} snapshot
 * @returns {string[]}
 */
export function agentsToShow(snapshot) {
  const extra = snapshot.agents.map((a) => a.agent).filter((name) => !AGENTS.includes(name));
  return [...AGENTS, ...extra];
}

/**
 * @param {Snapshot} snapshot
 * @param {string} name
 * @returns {AgentSnapshot}
 */
function entryOf(snapshot, name) {
  return (
    snapshot.agents.find((a) => a.agent === name) ?? {
      agent: /** @type {AgentName} */ (name),
      state: "pending",
    }
  );
}

/** Findings listed per section before the rest fold into "Show N more". */
const SHOWN_FINDINGS = 4;

/** @type {WeakMap<Element, unknown[]>} */
const renderedWith = new WeakMap();

/**
 * Calls `draw` only when `deps` differ (by identity) from the last draw into `el`.
 * @param {Element} el
 * @param {unknown[]} deps
 * @param {() => void} draw
 */
function drawIfChanged(el, deps, draw) {
  const before = renderedWith.get(el);
  if (before && before.length === deps.length && before.every((d, i) => Object.is(d, deps[i]))) return;
  renderedWith.set(el, deps);
  draw();
}

/**
 * @param {SeverityCounts} counts
 * @param {string} [label]
 * @returns {HTMLElement}
 */
export function severityChips(counts, label = "Findings by severity") {
  return h(
    "ul",
    { class: "chips", "aria-label": label },
    SEVERITIES.map((s) =>
      h("li", { class: `chip sev-${s}`, "data-severity": s, "data-count": counts[s] }, h("b", {}, counts[s]), ` ${SEVERITY_LABELS[s]}`),
    ),
  );
}

/**
 * The overall bar: agents finished of four, elapsed time, final status, totals.
 * @param {HTMLElement} el
 * @param {ViewState} view
 */
export function renderOverall(el, view) {
  const { snapshot } = view;
  const names = agentsToShow(snapshot);
  const finished = names.filter((n) => ["completed", "failed"].includes(entryOf(snapshot, n).state)).length;
  const totals = snapshot.summary?.findings ?? countBySeverity(findingsOf(snapshot));
  const final = isFinished(snapshot);
  drawIfChanged(el, [snapshot.state, finished, totals.high, totals.medium, totals.low, snapshot.started_at], () => {
    el.dataset.state = snapshot.state;
    const elapsed = final
      ? h("span", { class: "elapsed" }, formatDuration(snapshot.duration_ms ?? 0))
      : snapshot.started_at
        ? h("span", { class: "elapsed", "data-since": snapshot.started_at }, formatDuration(elapsedSince(snapshot.started_at, Date.now())))
        : h("span", { class: "elapsed" }, "not started");
    replace(
      el,
      h(
        "div",
        { class: "overall-line" },
        h("span", { class: "badge", "data-state": snapshot.state, id: "audit-status" }, AUDIT_STATE_LABELS[snapshot.state] ?? snapshot.state),
        h("span", { class: "overall-count", id: "agents-finished" }, h("b", {}, `${finished} of ${names.length}`), " agents finished"),
        h("span", { class: "overall-time" }, final ? "Took " : "Elapsed ", elapsed),
      ),
      h("progress", {
        class: "overall-progress",
        max: names.length,
        value: finished,
        "aria-label": `${finished} of ${names.length} agents finished`,
      }),
      severityChips(totals, "All findings by severity"),
    );
  });
}

/**
 * One agent's section; its findings are buttons carrying `data-finding-id` (app.js listens).
 * @param {HTMLElement} el
 * @param {string} name
 * @param {ViewState} view
 */
export function renderSection(el, name, view) {
  const { snapshot, live } = view;
  const entry = entryOf(snapshot, name);
  const progress = live.progress[name];
  const stopped = isFinished(snapshot) && (entry.state === "pending" || entry.state === "running");
  const since = live.startedAt[name] ?? snapshot.started_at;
  drawIfChanged(el, [entry.state, entry.result, entry.error, progress, stopped, since], () => {
    el.dataset.state = stopped ? "stopped" : entry.state;
    el.setAttribute("aria-busy", String(entry.state === "running" && !stopped));
    const label = name in AGENT_LABELS ? AGENT_LABELS[/** @type {AgentName} */ (name)] : { title: name, blurb: "" };
    const headingId = `agent-${name}-title`;
    el.setAttribute("aria-labelledby", headingId);
    replace(
      el,
      h(
        "header",
        { class: "agent-head" },
        h("h2", { id: headingId }, label.title),
        h("span", { class: "badge", "data-state": stopped ? "stopped" : entry.state }, stopped ? "Not finished" : AGENT_STATE_LABELS[entry.state]),
        timeOf(entry, stopped, since),
      ),
      label.blurb ? h("p", { class: "blurb" }, label.blurb) : null,
      h("div", { class: "agent-body" }, bodyOf(entry, snapshot, progress, stopped)),
    );
  });
}

/**
 * @param {AgentSnapshot} entry
 * @param {boolean} stopped
 * @param {string | undefined} since
 * @returns {HTMLElement | null}
 */
function timeOf(entry, stopped, since) {
  if (entry.duration_ms !== undefined) return h("span", { class: "agent-time" }, formatDuration(entry.duration_ms));
  if (entry.state === "running" && !stopped && since) {
    return h("span", { class: "agent-time", "data-since": since }, formatDuration(elapsedSince(since, Date.now())));
  }
  return null;
}

/**
 * @param {AgentSnapshot} entry
 * @param {Snapshot} snapshot
 * @param {ProgressInfo | undefined} progress
 * @param {boolean} stopped
 * @returns {(HTMLElement | string)[]}
 */
function bodyOf(entry, snapshot, progress, stopped) {
  if (stopped) {
    const why = snapshot.error?.message ?? `The audit ended (${AUDIT_STATE_LABELS[snapshot.state]}) before this agent finished.`;
    return [h("p", { class: "muted" }, why)];
  }
  if (entry.state === "pending") return [h("p", { class: "muted" }, "Waiting to start.")];
  if (entry.state === "running") return [runningBody(progress)];
  if (entry.state === "failed" && entry.error) return [failedBody(entry.error)];
  if (entry.state === "completed" && entry.result) return completedBody(entry.result);
  return [h("p", { class: "muted" }, AGENT_STATE_LABELS[entry.state] ?? entry.state)];
}

/**
 * @param {ProgressInfo | undefined} progress
 * @returns {HTMLElement}
 */
function runningBody(progress) {
  const parts = [h("span", { class: "spinner", "aria-hidden": "true" }), h("span", {}, "Working…")];
  if (!progress) return h("div", { class: "running" }, parts);
  const ofTotal = progress.total !== undefined ? `${progress.done} of ${progress.total}` : `${progress.done} done`;
  return h(
    "div",
    { class: "running" },
    parts,
    progress.total !== undefined && progress.total > 0
      ? h("progress", { max: progress.total, value: Math.min(progress.done, progress.total), "aria-label": `Progress ${ofTotal}` })
      : null,
    h("span", { class: "progress-text" }, progress.message ? `${ofTotal} · ${progress.message}` : ofTotal),
  );
}

/**
 * @param {ErrorInfo} error
 * @returns {HTMLElement}
 */
export function failedBody(error) {
  return h(
    "div",
    { class: "failure", role: "group", "aria-label": "Error" },
    h("p", { class: "error-message" }, error.message),
    h(
      "p",
      { class: "error-hint" },
      error.retryable ? "This may be temporary: running the audit again may help." : "Running the audit again will not help.",
      " ",
      h("code", {}, error.code),
    ),
  );
}

/**
 * @param {AgentResult} result
 * @returns {HTMLElement[]}
 */
function completedBody(result) {
  const findings = /** @type {Finding[]} */ (result.findings);
  const counts = countBySeverity(findings);
  /** @type {HTMLElement[]} */
  const out = [severityChips(counts), checkedLine(result)];
  if (findings.length === 0) {
    out.push(h("p", { class: "all-clear" }, "No findings."));
  } else {
    // The most severe first; past the first few, the rest fold away so all four sections
    // stay in view together.
    const ranked = groupBySeverity(findings).flatMap((g) => g.findings);
    out.push(...findingGroups(ranked.slice(0, SHOWN_FINDINGS)));
    const rest = ranked.slice(SHOWN_FINDINGS);
    if (rest.length > 0) {
      out.push(
        h(
          "details",
          { class: "more-findings" },
          h("summary", {}, `Show ${rest.length} more finding${rest.length > 1 ? "s" : ""}`),
          findingGroups(rest),
        ),
      );
    }
  }
  out.push(checkedDetails(result));
  if (result.agent === "external" && result.summary.verified_facts.length > 0) out.push(verifiedFacts(result));
  return out;
}

/**
 * Findings under a heading per severity.
 * @param {readonly Finding[]} findings
 * @returns {HTMLElement[]}
 */
function findingGroups(findings) {
  return groupBySeverity(findings).map((group) => {
    const title = SEVERITY_LABELS[/** @type {import("../generated/contract").Severity} */ (group.severity)] ?? humanize(group.severity);
    return h(
      "div",
      { class: "finding-group", "data-severity": group.severity },
      h("h3", {}, title),
      h("ul", { class: "findings" }, group.findings.map(findingItem)),
    );
  });
}

/**
 * @param {Finding} finding
 * @returns {HTMLElement}
 */
function findingItem(finding) {
  return h(
    "li",
    {},
    h(
      "button",
      { type: "button", class: `finding sev-${finding.severity}`, "data-finding-id": finding.id, "aria-haspopup": "dialog" },
      h("span", { class: "finding-title" }, finding.title),
      finding.title.includes(finding.reference) ? null : h("span", { class: "finding-ref" }, finding.reference),
    ),
  );
}

/**
 * One line saying how much was checked, from the agent's summary.
 * @param {AgentResult} result
 * @returns {HTMLElement}
 */
function checkedLine(result) {
  /** @type {string[]} */
  let parts;
  switch (result.agent) {
    case "numeric": {
      const s = result.summary;
      parts = [`${s.checks_run} checks`, `${s.checks_failed} failed`];
      if (s.checks_skipped) parts.push(`${s.checks_skipped} skipped`);
      if (s.tables !== undefined) parts.push(`${s.tables} tables`);
      break;
    }
    case "logic": {
      const s = result.summary;
      parts = [`${s.claims_checked} of ${s.claims_found} claims checked`, `${s.checks_failed} of ${s.checks_run} checks failed`];
      break;
    }
    case "disclosure": {
      const s = result.summary;
      parts = [`${s.requirements_checked} requirements`, `${s.present} present`, `${s.missing} missing`, `${s.incomplete} incomplete`];
      break;
    }
    case "external": {
      const s = result.summary;
      parts = [`${s.claims_found} facts`, `${s.verified} verified`, `${s.contradicted} contradicted`, `${s.unverifiable} unverifiable`];
      break;
    }
    default:
      parts = [];
  }
  return h("p", { class: "checked-line" }, parts.join(" · "));
}

/**
 * @param {readonly CheckTally[]} tallies
 * @returns {HTMLElement}
 */
function tallyTable(tallies) {
  return h(
    "table",
    { class: "tally" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Check"), h("th", { scope: "col" }, "Run"), h("th", { scope: "col" }, "Failed"), h("th", { scope: "col" }, "Skipped"))),
    h(
      "tbody",
      {},
      tallies.map((t) => h("tr", {}, h("th", { scope: "row" }, humanize(t.check)), h("td", {}, t.run), h("td", {}, t.failed), h("td", {}, t.skipped ?? 0))),
    ),
  );
}

/**
 * "What was checked": the summary in full, folded.
 * @param {AgentResult} result
 * @returns {HTMLElement}
 */
function checkedDetails(result) {
  /** @type {HTMLElement[]} */
  let inner;
  switch (result.agent) {
    case "numeric":
      inner = [
        result.summary.numbers !== undefined ? h("p", {}, `${result.summary.numbers} figures read in ${result.summary.tables ?? "?"} tables.`) : h("span"),
        tallyTable(result.summary.by_check),
      ];
      break;
    case "logic":
      inner = [tallyTable(result.summary.by_check)];
      break;
    case "disclosure":
      inner = [
        h(
          "ul",
          { class: "standards" },
          result.summary.standards.map((s) =>
            h(
              "li",
              { "data-applies": String(s.applies) },
              h("b", {}, s.standard),
              s.applies ? ` applies: ${s.present ?? 0} of ${s.requirements ?? 0} present` : " does not apply",
              h("span", { class: "muted" }, ` (${s.reason})`),
            ),
          ),
        ),
      ];
      break;
    case "external":
      inner = [
        h(
          "table",
          { class: "tally" },
          h("thead", {}, h("tr", {}, ["Source", "Facts", "Verified", "Contradicted", "Unverifiable"].map((c) => h("th", { scope: "col" }, c)))),
          h(
            "tbody",
            {},
            result.summary.sources.map((s) =>
              h(
                "tr",
                { "data-available": String(s.available) },
                h("th", { scope: "row" }, humanize(s.source), s.available ? null : h("span", { class: "muted" }, ` unavailable${s.detail ? `: ${s.detail}` : ""}`)),
                h("td", {}, s.claims),
                h("td", {}, s.verified),
                h("td", {}, s.contradicted),
                h("td", {}, s.unverifiable),
              ),
            ),
          ),
        ),
      ];
      break;
    default:
      inner = [];
  }
  return h("details", { class: "checked" }, h("summary", {}, "What was checked"), inner);
}

/**
 * @param {import("../generated/contract").ExternalResult} result
 * @returns {HTMLElement}
 */
function verifiedFacts(result) {
  const facts = result.summary.verified_facts;
  return h(
    "details",
    { class: "verified" },
    h("summary", {}, `Verified facts (${facts.length})`),
    h(
      "ul",
      { class: "facts" },
      facts.map((f) =>
        h("li", {}, h("span", { class: "fact-claim" }, f.claim), h("span", { class: "fact-evidence" }, `${f.evidence} — ${humanize(f.source)}, ${f.source_date}`)),
      ),
    ),
  );
}

/**
 * Updates every running clock in `root` (elements with `data-since`).
 * @param {ParentNode} root
 * @param {number} now
 */
export function tickElapsed(root, now) {
  for (const el of root.querySelectorAll("[data-since]")) {
    const since = el.getAttribute("data-since");
    if (since) el.textContent = formatDuration(elapsedSince(since, now));
  }
}

/**
 * @param {HTMLElement} list
 * @param {readonly AuditListItem[]} audits
 * @param {string | null} currentId
 */
export function renderRecent(list, audits, currentId) {
  if (audits.length === 0) {
    replace(list, h("li", { class: "muted empty" }, "No audits yet."));
    return;
  }
  replace(
    list,
    audits.map((a) =>
      h(
        "li",
        { class: "recent-item" },
        h(
          "a",
          { href: `/audits/${encodeURIComponent(a.audit_id)}`, "aria-current": a.audit_id === currentId ? "page" : null },
          h("span", { class: "recent-name" }, a.document_name),
          h("span", { class: "badge", "data-state": a.state }, AUDIT_STATE_LABELS[a.state] ?? a.state),
          h("span", { class: "recent-when muted" }, formatTimestamp(a.created_at)),
          a.findings ? h("span", { class: "recent-counts" }, SEVERITIES.map((s) => h("span", { class: `dot sev-${s}`, title: `${a.findings?.[s]} ${s}` }, a.findings?.[s] ?? 0))) : null,
        ),
      ),
    ),
  );
}

/**
 * @param {HTMLElement} list
 * @param {readonly Sample[]} samples
 */
export function renderSamples(list, samples) {
  if (samples.length === 0) {
    replace(list, h("li", { class: "muted" }, "No bundled samples."));
    return;
  }
  replace(
    list,
    samples.map((s) =>
      h(
        "li",
        { class: "sample" },
        h("div", {}, h("b", {}, s.title), h("p", { class: "muted" }, s.description)),
        h("button", { type: "button", class: "secondary", "data-sample": s.name, "aria-label": `Audit the sample ${s.title}` }, "Audit this sample"),
      ),
    ),
  );
}

/**
 * Title and facts about the audited document for the audit header.
 * @param {Snapshot} snapshot
 * @returns {{ title: string, meta: string[] }}
 */
export function auditHeading(snapshot) {
  const doc = snapshot.document;
  if (!doc) return { title: "Audit", meta: [snapshot.audit_id] };
  const meta = [doc.name];
  if (doc.reporting_date) meta.push(`year ended ${formatDate(doc.reporting_date)}`);
  if (doc.tables !== undefined) meta.push(`${doc.tables} tables`);
  if (snapshot.inputs?.prior_year) meta.push(`prior year: ${snapshot.inputs.prior_year.name}`);
  if (snapshot.inputs?.memos.length) meta.push(`${snapshot.inputs.memos.length} memo${snapshot.inputs.memos.length > 1 ? "s" : ""}`);
  return { title: doc.entity_name ?? doc.name, meta };
}

/**
 * The messages to announce to screen readers between two views: an agent finishing, the audit
 * finishing, the connection dropping or returning.
 * @param {ViewState} before
 * @param {ViewState} after
 * @returns {string[]}
 */
export function announcements(before, after) {
  /** @type {string[]} */
  const messages = [];
  for (const entry of after.snapshot.agents) {
    const old = before.snapshot.agents.find((a) => a.agent === entry.agent);
    if (old?.state === entry.state) continue;
    if (entry.state === "completed" && entry.result) {
      const counts = countBySeverity(/** @type {Finding[]} */ (entry.result.findings));
      const phrase = SEVERITIES.map((s) => `${counts[s]} ${s}`).join(", ");
      messages.push(`${agentTitle(entry.agent)} completed: ${phrase}.`);
    } else if (entry.state === "failed" && entry.error) {
      messages.push(`${agentTitle(entry.agent)} failed: ${entry.error.message}`);
    }
  }
  if (!isFinished(before.snapshot) && isFinished(after.snapshot)) {
    messages.push(`Audit ${AUDIT_STATE_LABELS[after.snapshot.state].toLowerCase()}.`);
  }
  if (before.live.connection !== after.live.connection) {
    if (after.live.connection === "reconnecting" && before.live.connection === "live") messages.push("Connection lost, reconnecting.");
    if (after.live.connection === "live" && before.live.connection === "reconnecting") messages.push("Reconnected.");
  }
  return messages;
}
