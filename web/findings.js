// @ts-check
/**
 * Findings taken out of a snapshot: grouping, counting and export (CSV and JSON). Pure functions,
 * tested in Node.
 */

/** @typedef {import("../generated/contract").Snapshot} Snapshot */
/** @typedef {import("../generated/contract").AgentResult} AgentResult */
/** @typedef {import("../generated/contract").Location} Location */
/** @typedef {import("../generated/contract").Severity} Severity */
/** @typedef {import("../generated/contract").SeverityCounts} SeverityCounts */
/** @typedef {import("../generated/contract").Finding} Finding */

import { SEVERITIES } from "./format.js";

/**
 * Every finding of every completed agent, in agent display order then as the agent listed them.
 * @param {Snapshot} snapshot
 * @returns {Finding[]}
 */
export function findingsOf(snapshot) {
  return snapshot.agents.flatMap((a) => (a.result ? /** @type {Finding[]} */ (a.result.findings) : []));
}

/**
 * @param {readonly Finding[]} findings
 * @returns {SeverityCounts}
 */
export function countBySeverity(findings) {
  const counts = { high: 0, medium: 0, low: 0 };
  for (const f of findings) if (f.severity in counts) counts[f.severity] += 1;
  return counts;
}

/**
 * Findings grouped high, medium, low (empty groups left out; unknown severities last).
 * @param {readonly Finding[]} findings
 * @returns {{ severity: string, findings: Finding[] }[]}
 */
export function groupBySeverity(findings) {
  /** @type {Map<string, Finding[]>} */
  const groups = new Map(SEVERITIES.map((s) => [s, []]));
  for (const f of findings) {
    const group = groups.get(f.severity) ?? [];
    group.push(f);
    groups.set(f.severity, group);
  }
  return [...groups].filter(([, list]) => list.length > 0).map(([severity, list]) => ({ severity, findings: list }));
}

/**
 * @param {string} id
 * @param {Snapshot} snapshot
 * @returns {Finding | undefined}
 */
export function findingById(id, snapshot) {
  return findingsOf(snapshot).find((f) => f.id === id);
}

/**
 * One line for a location: "Statement of financial position, t3, R12C2" or the quote.
 * @param {Location} location
 * @returns {string}
 */
export function describeLocation(location) {
  const parts = [];
  if (location.document) parts.push(location.document);
  if (location.section) parts.push(location.section);
  if (location.table) {
    const title = location.table_title && location.table_title !== location.section ? ` (${location.table_title})` : "";
    parts.push(`table ${location.table}${title}`);
  }
  if (location.cells?.length) parts.push(location.cells.map((c) => `R${c.row}C${c.column}`).join(" "));
  if (location.paragraph) parts.push(`paragraph ${location.paragraph}`);
  if (location.quote) parts.push(`"${location.quote}"`);
  return parts.join(", ");
}
