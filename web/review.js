// @ts-check
/**
 * The review list's logic: each finding joined with its review, filtered, searched and sorted,
 * the decided counts and whether the audit can be signed off. Pure functions (no DOM), tested in
 * Node; the page renders what they return. The state itself (decisions, history, sign-off,
 * drafts) is reduced by state.js alone: this module only reads a snapshot.
 */

/** @typedef {import("../generated/contract").Snapshot} Snapshot */
/** @typedef {import("../generated/contract").ParsedDocument} ParsedDocument */
/** @typedef {import("../generated/contract").FindingReview} FindingReview */
/** @typedef {import("../generated/contract").DecisionEntry} DecisionEntry */
/** @typedef {import("../generated/contract").Decision} Decision */
/** @typedef {import("../generated/contract").DismissalReason} DismissalReason */
/** @typedef {import("../generated/contract").Location} Location */
/** @typedef {import("./findings.js").Finding} Finding */

import { findingsOf } from "./findings.js";
import { SEVERITIES } from "./format.js";
import { isFinished } from "./state.js";

/** @type {Readonly<Record<Decision, string>>} */
export const DECISION_LABELS = Object.freeze({ open: "Open", confirmed: "Confirmed", dismissed: "Dismissed" });

/** The reasons a dismissal needs, in the order the page offers them (keys 1, 2, 3). */
/** @type {readonly DismissalReason[]} */
export const DISMISSAL_REASONS = Object.freeze(["false_alarm", "immaterial", "explained_elsewhere"]);

/** @type {Readonly<Record<DismissalReason, string>>} */
export const REASON_LABELS = Object.freeze({
  false_alarm: "False alarm",
  immaterial: "Immaterial",
  explained_elsewhere: "Explained elsewhere",
});

/**
 * One finding as the review list shows it.
 * @typedef {object} ReviewRow
 * @property {Finding} finding
 * @property {FindingReview} review  its decision and history (`open` with no history if none)
 * @property {DecisionEntry | undefined} latest  the decision in force, if any
 * @property {boolean} carried  the decision in force was carried from the earlier draft
 * @property {number} order  position among the audit's findings (agent order, then the agent's)
 * @property {number} position  where it sits in the document (Infinity when unknown)
 */

/**
 * @typedef {object} ReviewFilter
 * @property {string} [agent]
 * @property {string} [severity]
 * @property {string} [decision]
 * @property {string} [draft]  "new" or "persisting"
 * @property {string} [text]  every word must occur in the title, a label or a note
 */

/** @typedef {"severity" | "position"} ReviewSort */

/**
 * Where each block, and each section (at its first block), sits in the document: the key for
 * "position in the document". Sections are known by id and by title, as agents name either.
 * @param {ParsedDocument} doc
 * @returns {Map<string, number>}
 */
export function documentOrder(doc) {
  /** @type {Map<string, number>} */
  const order = new Map();
  doc.blocks.forEach((block, index) => {
    order.set(block.id, index);
    if (block.section_id !== undefined && !order.has(block.section_id)) order.set(block.section_id, index);
  });
  for (const section of doc.sections) {
    const at = order.get(section.id);
    if (at !== undefined && !order.has(section.title)) order.set(section.title, at);
  }
  return order;
}

/**
 * @param {Location} location
 * @param {Map<string, number>} order
 * @returns {number}
 */
function locationPosition(location, order) {
  if (location.document) return Infinity; // another uploaded file comes after the report
  const block = location.table ?? location.paragraph;
  const at = block !== undefined ? order.get(block) : location.section !== undefined ? order.get(location.section) : undefined;
  if (at === undefined) return Infinity;
  const row = location.cells?.[0]?.row ?? 0;
  return at + Math.min(row, 9999) / 10000; // rows of one table in their order
}

/**
 * Every finding of the audit with its review, in the audit's order.
 * @param {Snapshot} snapshot
 * @param {Map<string, number> | null} [order]  from `documentOrder`, once the document is loaded
 * @returns {ReviewRow[]}
 */
export function reviewRows(snapshot, order = null) {
  const reviews = new Map((snapshot.review?.findings ?? []).map((entry) => [entry.finding_id, entry]));
  return findingsOf(snapshot).map((finding, index) => {
    const review = reviews.get(finding.id) ?? { finding_id: finding.id, decision: "open", history: [] };
    const latest = review.history.at(-1);
    const positions = order ? finding.locations.map((l) => locationPosition(l, order)) : [];
    return {
      finding,
      review,
      latest,
      carried: latest?.carried_from !== undefined,
      order: index,
      position: positions.length ? Math.min(...positions) : Infinity,
    };
  });
}

/**
 * The words a search looks in: the title, the reference, every location's labels (section, table
 * title, quote, and with the document the labels of the rows cited) and every note of the history.
 * @param {ReviewRow} row
 * @param {ParsedDocument | null} [doc]
 * @returns {string}
 */
export function searchableText(row, doc = null) {
  const parts = [row.finding.title, row.finding.reference];
  for (const location of row.finding.locations) {
    parts.push(location.section ?? "", location.table_title ?? "", location.quote ?? "");
    if (doc && location.table && location.cells?.length) {
      const table = doc.blocks.find((b) => b.block === "table" && b.id === location.table);
      if (table && table.block === "table") {
        const label = table.columns.find((c) => c.role === "label")?.index ?? 0;
        for (const cell of location.cells) parts.push(table.rows.find((r) => r.index === cell.row)?.cells[label] ?? "");
        parts.push(table.title ?? "");
      }
    }
  }
  for (const entry of row.review.history) parts.push(entry.note ?? "");
  return parts.join("\n").toLowerCase();
}

/**
 * The rows that pass every criterion given (empty criteria pass everything).
 * @param {readonly ReviewRow[]} rows
 * @param {ReviewFilter} filter
 * @param {ParsedDocument | null} [doc]
 * @returns {ReviewRow[]}
 */
export function filterRows(rows, filter, doc = null) {
  const words = (filter.text ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((row) => {
    if (filter.agent && row.finding.agent !== filter.agent) return false;
    if (filter.severity && row.finding.severity !== filter.severity) return false;
    if (filter.decision && row.review.decision !== filter.decision) return false;
    if (filter.draft && row.review.draft !== filter.draft) return false;
    if (words.length) {
      const text = searchableText(row, doc);
      if (!words.every((word) => text.includes(word))) return false;
    }
    return true;
  });
}

/**
 * @param {string} severity
 * @returns {number}
 */
function severityRank(severity) {
  const rank = SEVERITIES.indexOf(/** @type {import("../generated/contract").Severity} */ (severity));
  return rank < 0 ? SEVERITIES.length : rank;
}

/**
 * Sorted copy: by severity (high first, then in document order), or by position in the document
 * (findings without a known place last, in the audit's order). Ties keep the audit's order.
 * @param {readonly ReviewRow[]} rows
 * @param {ReviewSort} sort
 * @returns {ReviewRow[]}
 */
export function sortRows(rows, sort) {
  /** @type {(a: ReviewRow, b: ReviewRow) => number} */
  const byPosition = (a, b) => (a.position === b.position ? 0 : a.position < b.position ? -1 : 1);
  /** @type {(a: ReviewRow, b: ReviewRow) => number} */
  const bySeverity = (a, b) => severityRank(a.finding.severity) - severityRank(b.finding.severity);
  const [first, second] = sort === "position" ? [byPosition, bySeverity] : [bySeverity, byPosition];
  return [...rows].sort((a, b) => first(a, b) || second(a, b) || a.order - b.order);
}

/**
 * "12 of 31 decided" (and how many are shown when a filter hides some).
 * @param {readonly ReviewRow[]} rows  all rows
 * @param {number} [shown]  rows left by the filter
 * @returns {string}
 */
export function decidedLine(rows, shown = rows.length) {
  const decided = rows.filter((r) => isDecided(r.review.decision)).length;
  const line = `${decided} of ${rows.length} decided`;
  return shown === rows.length ? line : `${line} · ${shown} shown`;
}

/**
 * @param {Decision} decision
 * @returns {boolean}
 */
export function isDecided(decision) {
  return decision === "confirmed" || decision === "dismissed";
}

/**
 * Whether the page offers sign-off, and if not why (the server has the last word and its
 * refusal is shown as it comes).
 * @param {Snapshot} snapshot
 * @param {readonly ReviewRow[]} rows
 * @returns {{ ok: boolean, why: string }}
 */
export function signOffReadiness(snapshot, rows) {
  if (snapshot.review?.sign_off) return { ok: false, why: "The audit is signed off." };
  if (!isFinished(snapshot)) return { ok: false, why: "The audit can be signed off once it has finished." };
  if (snapshot.state !== "completed" && snapshot.state !== "completed_with_errors") {
    return { ok: false, why: "A failed or cancelled audit cannot be signed off." };
  }
  const undecided = { high: 0, medium: 0 };
  for (const row of rows) {
    const severity = row.finding.severity;
    if ((severity === "high" || severity === "medium") && !isDecided(row.review.decision)) undecided[severity] += 1;
  }
  const count = undecided.high + undecided.medium;
  if (count === 0) return { ok: true, why: "Every high and medium finding has a decision." };
  const parts = /** @type {const} */ (["high", "medium"]).filter((s) => undecided[s]).map((s) => `${undecided[s]} ${s}`);
  return { ok: false, why: `${count} finding${count > 1 ? "s" : ""} still need${count > 1 ? "" : "s"} a decision (${parts.join(", ")}).` };
}

/**
 * The finding `step` places from `currentId` in `rows` (clamped at both ends); the first row
 * when `currentId` is not among them.
 * @param {readonly ReviewRow[]} rows
 * @param {string | null} currentId
 * @param {number} step
 * @returns {string | null}
 */
export function neighbour(rows, currentId, step) {
  if (rows.length === 0) return null;
  const at = rows.findIndex((r) => r.finding.id === currentId);
  if (at < 0) return rows[0].finding.id;
  return rows[Math.max(0, Math.min(rows.length - 1, at + step))].finding.id;
}

/**
 * Counts of a draft against the earlier one: new, persisting (of which carried), resolved.
 * @param {Snapshot} snapshot
 * @param {readonly ReviewRow[]} rows
 * @returns {{ new: number, persisting: number, carried: number, resolved: number } | null}
 */
export function draftCounts(snapshot, rows) {
  const drafts = snapshot.review?.drafts;
  if (!drafts) return null;
  const counts = { new: 0, persisting: 0, carried: 0, resolved: drafts.resolved.length };
  for (const row of rows) {
    if (row.review.draft === "new") counts.new += 1;
    if (row.review.draft === "persisting") counts.persisting += 1;
    if (row.review.history.some((e) => e.carried_from)) counts.carried += 1;
  }
  return counts;
}
