// @ts-check
/**
 * Draws the review: the list of findings with their decisions, the drafts comparison, the
 * sign-off, and in a finding's detail its decision and history. Drawing only; what is shown is
 * decided by review.js and the state by state.js. Rows carry `data-review-id` (not
 * `data-finding-id`, which the agents' sections use) and a roving tabindex, so exactly one row
 * is in the tab order and the keyboard keeps its place across redraws.
 */

/** @typedef {import("../generated/contract").Snapshot} Snapshot */
/** @typedef {import("../generated/contract").DecisionEntry} DecisionEntry */
/** @typedef {import("./review.js").ReviewRow} ReviewRow */

import { h, replace } from "./dom.js";
import { SEVERITY_LABELS, agentTitle, formatTimestamp } from "./format.js";
import { DECISION_LABELS, REASON_LABELS, draftCounts } from "./review.js";

/**
 * @param {ReviewRow} row
 * @returns {HTMLElement}
 */
export function decisionBadge(row) {
  const { decision } = row.review;
  const reason = decision === "dismissed" && row.latest?.reason ? `: ${REASON_LABELS[row.latest.reason]}` : "";
  return h(
    "span",
    { class: "decision-badge", "data-decision": decision },
    `${DECISION_LABELS[decision] ?? decision}${reason}`,
    row.carried ? h("span", { class: "carried", title: "Carried from the earlier draft" }, " · carried") : null,
  );
}

/**
 * The list; `currentId` is the row in the tab order.
 * @param {HTMLElement} list
 * @param {readonly ReviewRow[]} rows
 * @param {string | null} currentId
 * @param {string} [empty]  what an empty list says
 */
export function renderReviewList(list, rows, currentId, empty = "No findings match.") {
  if (rows.length === 0) {
    replace(list, h("li", { class: "muted empty" }, empty));
    return;
  }
  const current = rows.some((r) => r.finding.id === currentId) ? currentId : rows[0].finding.id;
  replace(
    list,
    rows.map((row) => {
      const { finding, review, latest } = row;
      return h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: `review-row sev-${finding.severity}`,
            "data-review-id": finding.id,
            "data-decision": review.decision,
            "data-draft": review.draft,
            "data-carried": row.carried ? "true" : null,
            tabindex: finding.id === current ? "0" : "-1",
            "aria-current": finding.id === current ? "true" : null,
            "aria-haspopup": "dialog",
          },
          h("span", { class: `badge sev-${finding.severity}` }, SEVERITY_LABELS[finding.severity] ?? finding.severity),
          h("span", { class: "row-agent" }, agentTitle(finding.agent)),
          h("span", { class: "row-title" }, finding.title),
          review.draft ? h("span", { class: "draft-badge", "data-draft": review.draft }, review.draft === "new" ? "New" : "Persisting") : null,
          decisionBadge(row),
          latest?.note ? h("span", { class: "row-note" }, latest.note) : null,
        ),
      );
    }),
  );
}

/**
 * The draft's comparison with the earlier draft, and the findings it resolved.
 * @param {HTMLElement} el
 * @param {Snapshot} snapshot
 * @param {readonly ReviewRow[]} rows
 */
export function renderDrafts(el, snapshot, rows) {
  const drafts = snapshot.review?.drafts;
  const counts = draftCounts(snapshot, rows);
  el.hidden = !drafts || !counts;
  if (!drafts || !counts) return;
  const earlier = `/audits/${encodeURIComponent(drafts.previous_audit_id)}`;
  replace(
    el,
    h(
      "p",
      { class: "drafts-line" },
      "Next draft of ",
      h("a", { href: earlier, id: "previous-link" }, `the earlier audit ${drafts.previous_audit_id}`),
      ": ",
      h("b", { "data-count": "new" }, `${counts.new} new`),
      ", ",
      h("b", { "data-count": "persisting" }, `${counts.persisting} persisting`),
      counts.carried ? ` (${counts.carried} with a decision carried)` : "",
      ", ",
      h("b", { "data-count": "resolved" }, `${counts.resolved} resolved`),
      ".",
    ),
    drafts.resolved.length
      ? h(
          "details",
          { class: "resolved", open: true },
          h("summary", {}, `Resolved since the earlier draft (${drafts.resolved.length})`),
          h(
            "ul",
            { class: "resolved-list" },
            drafts.resolved.map((r) =>
              h(
                "li",
                { "data-resolved-id": r.finding_id },
                h("span", { class: `badge sev-${r.severity}` }, SEVERITY_LABELS[r.severity] ?? r.severity),
                " ",
                h("span", { class: "row-agent" }, agentTitle(r.agent)),
                " ",
                h("span", { class: "resolved-title" }, r.title),
              ),
            ),
          ),
          h("p", { class: "muted" }, "Only agents that completed in both drafts are compared: ", drafts.agents.map(agentTitle).join(", "), "."),
        )
      : null,
  );
}

/**
 * Who signed off and when, or what sign-off still waits for.
 * @param {{ status: HTMLElement, form: HTMLFormElement, button: HTMLButtonElement }} ui
 * @param {Snapshot} snapshot
 * @param {{ ok: boolean, why: string }} readiness
 * @param {boolean} busy  a request is on its way
 */
export function renderSignOff(ui, snapshot, readiness, busy) {
  const signOff = snapshot.review?.sign_off;
  ui.form.hidden = Boolean(signOff);
  ui.button.disabled = busy || !readiness.ok;
  if (signOff) {
    replace(
      ui.status,
      h(
        "span",
        { class: "signed", id: "signed-off" },
        "✓ Signed off by ",
        h("b", {}, signOff.reviewer),
        ` on ${formatTimestamp(signOff.ts)}`,
        ` (${signOff.counts.decided} of ${signOff.counts.total} decided)`,
        signOff.note ? h("span", { class: "signed-note" }, ` — ${signOff.note}`) : null,
      ),
    );
  } else {
    replace(ui.status, h("span", { class: readiness.ok ? "ready" : "muted" }, readiness.why));
  }
}

/**
 * One entry of a finding's history, in words.
 * @param {DecisionEntry} entry
 * @returns {HTMLElement}
 */
function historyItem(entry) {
  return h(
    "li",
    { "data-seq": entry.seq, "data-decision": entry.decision },
    h("b", {}, DECISION_LABELS[entry.decision] ?? entry.decision),
    entry.reason ? ` (${REASON_LABELS[entry.reason] ?? entry.reason})` : "",
    ` by ${entry.reviewer}, ${formatTimestamp(entry.ts)}`,
    entry.carried_from ? h("span", { class: "carried" }, ` · carried from ${entry.carried_from.audit_id}`) : null,
    entry.note ? h("span", { class: "history-note" }, entry.note) : null,
  );
}

/**
 * The decision part of a finding's detail (the controls are static in index.html).
 * @param {{ current: HTMLElement, history: HTMLElement, historyTitle: HTMLElement, position: HTMLElement }} ui
 * @param {ReviewRow} row
 * @param {{ at: number, of: number } | null} place  its place among the rows shown, if shown
 */
export function renderDecision(ui, row, place) {
  const { latest } = row;
  replace(
    ui.current,
    "Decision: ",
    decisionBadge(row),
    latest ? ` by ${latest.reviewer}, ${formatTimestamp(latest.ts)}` : "",
    latest?.note ? h("span", { class: "history-note" }, latest.note) : null,
  );
  ui.current.dataset.decision = row.review.decision;
  const history = row.review.history;
  ui.historyTitle.textContent = `History (${history.length} decision${history.length === 1 ? "" : "s"})`;
  replace(ui.history, history.length ? [...history].reverse().map(historyItem) : h("li", { class: "muted" }, "No decision yet."));
  ui.position.textContent = place ? `${place.at} of ${place.of}` : "not in the filtered list";
}
