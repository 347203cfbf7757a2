// The review list's logic (web/review.js) on the golden review snapshots: rows joined with their
// review, filters and search, sorting, counts, sign-off readiness, keyboard neighbours, drafts.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  decidedLine,
  documentOrder,
  draftCounts,
  filterRows,
  neighbour,
  reviewRows,
  searchableText,
  signOffReadiness,
  sortRows,
} from "../../web/review.js";

const load = (/** @type {string} */ name) =>
  JSON.parse(readFileSync(new URL(`../fixtures/sequences/${name}.snapshot.json`, import.meta.url), "utf8"));
const signed = load("review-signed-off");
const draft = load("review-draft");
const ids = (/** @type {{ finding: { id: string } }[]} */ rows) => rows.map((r) => r.finding.id);

/** A parsed document in which the fixtures' places occur in a known order. */
const doc = {
  name: "report.docx",
  kind: "docx",
  sections: [
    { id: "s1", title: "Directors' report", level: 1 },
    { id: "s2", title: "Consolidated statement of financial position", level: 1 },
    { id: "s3", title: "Notes to the financial statements", level: 1 },
  ],
  blocks: [
    { block: "paragraph", id: "p3", text: "LEI 5493...", section_id: "s1" },
    { block: "paragraph", id: "p41", text: "Revenue increased by 8% to EUR 12.4 million.", section_id: "s1" },
    {
      block: "table",
      id: "t3",
      section_id: "s2",
      title: "Consolidated statement of financial position",
      columns: [
        { index: 0, header: "", role: "label" },
        { index: 2, header: "2024", role: "amount" },
      ],
      rows: [
        { index: 8, kind: "line", cells: ["Inventories", "", "10"] },
        { index: 9, kind: "line", cells: ["Trade receivables", "", "5"] },
        { index: 12, kind: "total", cells: ["Total current assets", "", "16"] },
      ],
    },
    { block: "table", id: "t4", section_id: "s2", columns: [], rows: [] },
    { block: "paragraph", id: "p100", text: "Notes", section_id: "s3" },
    { block: "paragraph", id: "p212", text: "USD 1 = EUR 0.9126 at 31 December 2024", section_id: "s3" },
  ],
};

test("every finding is a row with its decision, latest entry and whether it was carried", () => {
  const rows = reviewRows(draft);
  assert.equal(rows.length, 5);
  const byId = Object.fromEntries(rows.map((r) => [r.finding.id, r]));
  assert.equal(byId["numeric-7c1d2e3f4a5b"].review.decision, "confirmed");
  assert.equal(byId["numeric-7c1d2e3f4a5b"].carried, false);
  assert.equal(byId["logic-0a1b2c3d4e5f"].carried, true);
  assert.equal(byId["logic-0a1b2c3d4e5f"].latest?.reason, "immaterial");
  assert.equal(byId["external-99aa88bb77cc"].latest, undefined);
  // Without a review every finding is open.
  const { review: _, ...bare } = signed;
  assert.deepEqual(
    reviewRows(bare).map((r) => r.review.decision),
    ["open", "open", "open", "open", "open"],
  );
});

test("filters narrow by agent, severity, decision and draft status, together", () => {
  const rows = reviewRows(signed);
  assert.deepEqual(ids(filterRows(rows, { agent: "external" })), ["external-1122aabbccdd", "external-99aa88bb77cc"]);
  assert.deepEqual(ids(filterRows(rows, { severity: "high" })), ["numeric-3f9a1c0b7d2e"]);
  assert.deepEqual(ids(filterRows(rows, { decision: "open" })), ["external-99aa88bb77cc"]);
  assert.deepEqual(ids(filterRows(rows, { decision: "dismissed", agent: "logic" })), ["logic-0a1b2c3d4e5f"]);
  assert.deepEqual(ids(filterRows(rows, { agent: "numeric", severity: "low" })), []);
  assert.equal(filterRows(rows, {}).length, 5);
  assert.deepEqual(ids(filterRows(reviewRows(draft), { draft: "new" })), ["numeric-7c1d2e3f4a5b"]);
});

test("search looks in titles, labels and notes, every word, any case", () => {
  const rows = reviewRows(signed);
  assert.deepEqual(ids(filterRows(rows, { text: "LEI" })), ["external-99aa88bb77cc"]);
  // A note of an earlier decision in the history counts too.
  assert.deepEqual(ids(filterRows(rows, { text: "2023 only" })), ["logic-0a1b2c3d4e5f"]);
  assert.deepEqual(ids(filterRows(rows, { text: "engagement" })), []);
  // A location's label: the section, the quote.
  assert.deepEqual(ids(filterRows(rows, { text: "notes to the" })), ["disclosure-9e8d7c6b5a41"]);
  assert.deepEqual(ids(filterRows(rows, { text: "0.9126 usd" })), ["external-1122aabbccdd"]);
  // A cited row's label, once the document is known.
  assert.deepEqual(ids(filterRows(rows, { text: "inventories" })), []);
  assert.deepEqual(ids(filterRows(rows, { text: "inventories" }, doc)), ["numeric-3f9a1c0b7d2e"]);
  assert.match(searchableText(rows[0], doc), /trade receivables/);
});

test("sorting by severity puts high first; by position follows the document", () => {
  const order = documentOrder(doc);
  assert.equal(order.get("s3"), 4);
  assert.equal(order.get("Notes to the financial statements"), 4);
  const rows = reviewRows(signed, order);
  assert.deepEqual(ids(sortRows(rows, "position")), [
    "external-99aa88bb77cc", // p3
    "logic-0a1b2c3d4e5f", // p41
    "numeric-3f9a1c0b7d2e", // t3
    "disclosure-9e8d7c6b5a41", // the notes' section
    "external-1122aabbccdd", // p212
  ]);
  assert.deepEqual(ids(sortRows(rows, "severity")), [
    "numeric-3f9a1c0b7d2e",
    "logic-0a1b2c3d4e5f",
    "disclosure-9e8d7c6b5a41",
    "external-1122aabbccdd",
    "external-99aa88bb77cc",
  ]);
  // Without the document, position keeps the audit's order.
  assert.deepEqual(ids(sortRows(reviewRows(signed), "position")), ids(reviewRows(signed)));
  // Rows of one table in row order.
  const twoCells = structuredClone(signed);
  twoCells.agents[0].result.findings.push({ ...twoCells.agents[0].result.findings[0], id: "numeric-000000000001", locations: [{ table: "t3", cells: [{ row: 8, column: 2 }] }] });
  const sorted = ids(sortRows(reviewRows(twoCells, order), "position"));
  assert.ok(sorted.indexOf("numeric-000000000001") < sorted.indexOf("numeric-3f9a1c0b7d2e"));
});

test("the decided line counts decisions, and what a filter shows", () => {
  const rows = reviewRows(signed);
  assert.equal(decidedLine(rows), "4 of 5 decided");
  assert.equal(decidedLine(rows, 2), "4 of 5 decided · 2 shown");
});

test("sign-off is offered only on a finished audit with every high and medium finding decided", () => {
  const rows = reviewRows(signed);
  assert.deepEqual(signOffReadiness(signed, rows), { ok: false, why: "The audit is signed off." });
  const { review: _, ...unsigned } = structuredClone(signed);
  const open = reviewRows(unsigned);
  assert.deepEqual(signOffReadiness(unsigned, open), {
    ok: false,
    why: "4 findings still need a decision (1 high, 3 medium).",
  });
  const decided = structuredClone(signed);
  delete decided.review.sign_off;
  assert.equal(signOffReadiness(decided, reviewRows(decided)).ok, true);
  const running = { ...decided, state: "running" };
  assert.equal(signOffReadiness(running, reviewRows(running)).ok, false);
  const failed = { ...decided, state: "cancelled" };
  assert.match(signOffReadiness(failed, reviewRows(failed)).why, /cancelled/);
});

test("next and previous move through the shown rows and stop at the ends", () => {
  const rows = reviewRows(signed);
  assert.equal(neighbour(rows, "logic-0a1b2c3d4e5f", 1), "disclosure-9e8d7c6b5a41");
  assert.equal(neighbour(rows, "logic-0a1b2c3d4e5f", -1), "numeric-3f9a1c0b7d2e");
  assert.equal(neighbour(rows, "numeric-3f9a1c0b7d2e", -1), "numeric-3f9a1c0b7d2e");
  assert.equal(neighbour(rows, "external-99aa88bb77cc", 1), "external-99aa88bb77cc");
  assert.equal(neighbour(rows, "gone", 1), "numeric-3f9a1c0b7d2e");
  assert.equal(neighbour([], null, 1), null);
});

test("a draft counts new, persisting, carried and resolved", () => {
  assert.deepEqual(draftCounts(draft, reviewRows(draft)), { new: 1, persisting: 4, carried: 3, resolved: 1 });
  assert.equal(draftCounts(signed, reviewRows(signed)), null);
});
