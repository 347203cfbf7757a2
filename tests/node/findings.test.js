// Grouping of findings (web/findings.js) and the page's formatting (web/format.js),
// on the golden snapshots.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  countBySeverity,
  describeLocation,
  findingsOf,
  groupBySeverity,
} from "../../web/findings.js";
import { countsPhrase, formatAmount, formatDate, formatDuration } from "../../web/format.js";
import { backoffDelay } from "../../web/stream.js";

const snapshot = JSON.parse(readFileSync(new URL("../fixtures/sequences/completed.snapshot.json", import.meta.url), "utf8"));

test("findings come from every completed agent and are counted by severity", () => {
  const findings = findingsOf(snapshot);
  const expected = snapshot.agents.flatMap((/** @type {any} */ a) => a.result?.findings ?? []);
  assert.ok(findings.length > 0);
  assert.deepStrictEqual(findings, expected);
  assert.deepStrictEqual(countBySeverity(findings), snapshot.summary.findings);
});

test("groups come high, medium, low and keep every finding once", () => {
  const findings = findingsOf(snapshot);
  const groups = groupBySeverity(findings);
  const order = ["high", "medium", "low"];
  assert.deepStrictEqual(groups.map((g) => g.severity), order.filter((s) => findings.some((f) => f.severity === s)));
  assert.equal(groups.flatMap((g) => g.findings).length, findings.length);
});

test("durations, amounts and counts read as people write them", () => {
  assert.equal(formatDuration(0), "0.0 s");
  assert.equal(formatDuration(12_345), "12.3 s");
  assert.equal(formatDuration(125_000), "2 min 05 s");
  assert.equal(formatDuration(3_720_000), "1 h 02 min");
  assert.equal(formatDuration(-5), "0.0 s");
  assert.equal(formatAmount(48210), "48,210");
  assert.equal(formatAmount(-1000.5), "(1,000.5)");
  assert.equal(countsPhrase({ high: 1, medium: 0, low: 2 }), "1 high, 2 low");
  assert.equal(formatDate("2024-03-31"), "31 March 2024");
  assert.equal(formatDate("not a date"), "not a date");
  assert.equal(countsPhrase({ high: 0, medium: 0, low: 0 }), "no findings");
});

test("reconnect delays grow, stay capped and are jittered", () => {
  const low = () => 0, high = () => 0.999999;
  assert.equal(backoffDelay(1, { first: 200, max: 5000 }, low), 100);
  assert.equal(backoffDelay(1, { first: 200, max: 5000 }, high), 200);
  assert.equal(backoffDelay(3, { first: 200, max: 5000 }, high), 800);
  assert.equal(backoffDelay(30, { first: 200, max: 5000 }, high), 5000);
  assert.ok(backoffDelay(30, { first: 200, max: 5000 }, low) >= 2500);
});
