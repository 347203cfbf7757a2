// @ts-check
/**
 * Words and numbers as the page shows them. Pure functions (no DOM), shared by the page and the
 * Node tests.
 */

/** @typedef {import("../generated/contract").AgentName} AgentName */
/** @typedef {import("../generated/contract").AgentState} AgentState */
/** @typedef {import("../generated/contract").AuditState} AuditState */
/** @typedef {import("../generated/contract").Severity} Severity */
/** @typedef {import("../generated/contract").ScaleName} ScaleName */

/** @type {Readonly<Record<AgentName, { title: string, blurb: string }>>} */
export const AGENT_LABELS = Object.freeze({
  numeric: { title: "Numeric", blurb: "Totals, cross-footing, roll-forwards, ties between statements and notes" },
  logic: { title: "Logic", blurb: "Narrative claims against the figures, signs, dates and rates" },
  disclosure: { title: "Disclosure", blurb: "IFRS disclosure requirements that apply to this entity" },
  external: { title: "External", blurb: "Facts checked against the prior year, memos and outside sources" },
});

/** @type {readonly Severity[]} */
export const SEVERITIES = Object.freeze(["high", "medium", "low"]);

/** @type {Readonly<Record<Severity, string>>} */
export const SEVERITY_LABELS = Object.freeze({ high: "High", medium: "Medium", low: "Low" });

/** @type {Readonly<Record<AgentState, string>>} */
export const AGENT_STATE_LABELS = Object.freeze({
  pending: "Waiting",
  running: "Running",
  completed: "Completed",
  failed: "Failed",
});

/** @type {Readonly<Record<AuditState, string>>} */
export const AUDIT_STATE_LABELS = Object.freeze({
  pending: "Starting",
  running: "Running",
  completed: "Completed",
  completed_with_errors: "Completed with errors",
  failed: "Failed",
  cancelled: "Cancelled",
});

/** @type {Readonly<Record<ScaleName, string>>} */
const SCALE_LABELS = Object.freeze({ units: "", thousands: "thousands", millions: "millions", billions: "billions" });

/**
 * @param {string} name
 * @returns {string}
 */
export function agentTitle(name) {
  return name in AGENT_LABELS ? AGENT_LABELS[/** @type {AgentName} */ (name)].title : name;
}

/**
 * Elapsed time for people: "0.4 s", "12.3 s", "2 min 05 s", "1 h 02 min".
 * @param {number} ms
 * @returns {string}
 */
export function formatDuration(ms) {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (safe < 60_000) return `${(Math.floor(safe / 100) / 10).toFixed(1)} s`;
  const totalSeconds = Math.floor(safe / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return `${minutes} min ${String(seconds).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/**
 * Milliseconds from an RFC 3339 timestamp to `now` (never negative).
 * @param {string} since
 * @param {number} now
 * @returns {number}
 */
export function elapsedSince(since, now) {
  const start = Date.parse(since);
  return Number.isFinite(start) ? Math.max(0, now - start) : 0;
}

const NUMBER = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 });

/**
 * A figure as printed in statements: thousands separators, negatives in parentheses.
 * @param {number} value
 * @returns {string}
 */
export function formatAmount(value) {
  return value < 0 ? `(${NUMBER.format(-value)})` : NUMBER.format(value);
}

/**
 * @param {ScaleName} scale
 * @returns {string}
 */
export function scaleLabel(scale) {
  return SCALE_LABELS[scale] ?? scale;
}

/**
 * @param {number} ratio  e.g. 0.0212
 * @returns {string}
 */
export function formatPercent(ratio) {
  return `${(ratio * 100).toLocaleString("en-GB", { maximumFractionDigits: 2 })}%`;
}

/**
 * A timestamp as local date and time, short.
 * @param {string} ts
 * @returns {string}
 */
export function formatTimestamp(ts) {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return ts;
  return date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

/**
 * An ISO date (YYYY-MM-DD) as people write it: "31 March 2024".
 * @param {string} isoDate
 * @returns {string}
 */
export function formatDate(isoDate) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

/**
 * "1 high, 2 low" or "no findings".
 * @param {{ high: number, medium: number, low: number }} counts
 * @returns {string}
 */
export function countsPhrase(counts) {
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length ? parts.join(", ") : "no findings";
}

/**
 * "check_name" -> "Check name".
 * @param {string} code
 * @returns {string}
 */
export function humanize(code) {
  const words = code.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
