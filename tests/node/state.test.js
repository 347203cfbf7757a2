// The page's reducer (web/state.js) against the server's reduction (server/snapshot.py): both
// must turn each golden event sequence in tests/fixtures/sequences/ into the same snapshot.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

import { applyEvent, applyFrame, emptySnapshot, initialView, reduce, withConnection } from "../../web/state.js";
import { published, withAddition, withoutAddition } from "./schemas.js";

const SEQUENCES = new URL("../fixtures/sequences/", import.meta.url);
const load = (/** @type {string} */ name) => JSON.parse(readFileSync(new URL(name, SEQUENCES), "utf8"));
const names = readdirSync(SEQUENCES)
  .filter((f) => f.endsWith(".events.json"))
  .map((f) => f.slice(0, -".events.json".length))
  .sort();

test("there are golden sequences to compare", () => {
  assert.ok(names.length >= 5, `only ${names.length} sequences in ${SEQUENCES.pathname}`);
});

for (const name of names) {
  test(`reduce(${name}) equals the server snapshot`, () => {
    const events = load(`${name}.events.json`);
    const expected = load(`${name}.snapshot.json`);
    assert.deepStrictEqual(reduce(expected.audit_id, events), expected);
  });

  test(`frames of ${name} applied one by one in arrival order give the same snapshot part`, () => {
    const events = load(`${name}.events.json`);
    const expected = load(`${name}.snapshot.json`);
    const view = events.reduce(applyFrame, initialView(expected.audit_id));
    assert.deepStrictEqual(view.snapshot, expected);
  });

  test(`reducing ${name} leaves the input frames untouched`, () => {
    const events = load(`${name}.events.json`);
    const before = structuredClone(events);
    const snapshot = reduce("aud_untouched", events);
    assert.deepStrictEqual(events, before);
    // Later edits to the snapshot must not reach back into the frames either.
    for (const agent of snapshot.agents) if (agent.result) agent.result.findings.length = 0;
    assert.deepStrictEqual(events, before);
  });
}

test("frames of every golden sequence with a field added to every object: the published schema accepts them and the page reduces them alike", () => {
  for (const name of names) {
    const grown = load(`${name}.events.json`).map(withAddition);
    const expected = load(`${name}.snapshot.json`);
    for (const frame of grown) assert.deepStrictEqual(published("Frame", frame), [], `${name} seq ${frame.seq}`);
    const snapshot = reduce(expected.audit_id, grown);
    assert.deepStrictEqual(Object.keys(snapshot).sort(), Object.keys(expected).sort(), `${name}: a frame's unknown field reached the snapshot`);
    assert.deepStrictEqual(withoutAddition(snapshot), expected, name);
    const view = grown.reduce(applyFrame, initialView(expected.audit_id));
    assert.deepStrictEqual(withoutAddition(view.snapshot), expected, name);
  }
});

test("a repeated or older seq leaves the snapshot object unchanged", () => {
  const events = load("completed.events.json");
  const snapshot = reduce("aud_7Hq2LmX9", events);
  for (const event of events) assert.equal(applyEvent(snapshot, event), snapshot);
});

test("unknown frame types and unknown fields are ignored", () => {
  const [started] = load("completed.events.json");
  const base = applyEvent(emptySnapshot(started.audit_id), started);
  const unknown = { v: 1, type: "agent_thought", audit_id: started.audit_id, ts: started.ts, seq: 2, text: "hm" };
  assert.equal(applyEvent(base, unknown), base);
  const withExtra = { ...started, seq: 1, shiny_new_field: { a: 1 } };
  assert.deepStrictEqual(applyEvent(emptySnapshot(started.audit_id), withExtra), base);
  for (const junk of [null, 3, "x", [], {}, { seq: "2", type: "agent_started" }]) {
    assert.equal(applyEvent(base, junk), base);
  }
});

test("progress and heartbeats stay out of the snapshot and progress ends with its agent", () => {
  const events = load("replay-with-duplicates.events.json");
  const auditId = events[0].audit_id;
  let view = initialView(auditId);
  const progress = { v: 1, type: "agent_progress", audit_id: auditId, ts: events[0].ts, agent: "numeric", done: 5, total: 10 };
  for (const event of events) {
    view = applyFrame(view, event);
    if (event.type === "agent_started" && event.agent === "numeric") {
      view = applyFrame(view, progress);
      assert.deepStrictEqual(view.live.progress.numeric, { done: 5, total: 10 });
      // done only increases: a late, smaller one is dropped.
      view = applyFrame(view, { ...progress, done: 2 });
      assert.equal(view.live.progress.numeric?.done, 5);
    }
  }
  assert.equal(view.live.progress.numeric, undefined, "progress outlived agent_completed");
  assert.deepStrictEqual(view.snapshot, load("replay-with-duplicates.snapshot.json"));
  const beat = { v: 1, type: "heartbeat", audit_id: auditId, ts: events[0].ts, last_seq: 99 };
  const after = applyFrame(view, beat);
  assert.equal(after.snapshot, view.snapshot);
  assert.equal(after.live.serverLastSeq, 99);
});

test("connection status counts reconnects", () => {
  let view = initialView("aud_conn01");
  view = withConnection(view, "live");
  view = withConnection(view, "reconnecting");
  view = withConnection(view, "reconnecting");
  view = withConnection(view, "live");
  view = withConnection(view, "reconnecting");
  assert.equal(view.live.reconnects, 2);
  assert.deepStrictEqual(view.snapshot, emptySnapshot("aud_conn01"));
});
