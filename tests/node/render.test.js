// The DOM-free parts of web/render.js: which sections to show, the heading, and what is
// announced to screen readers as frames arrive.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { agentsToShow, announcements, auditHeading } from "../../web/render.js";
import { applyFrame, initialView, withConnection } from "../../web/state.js";

const load = (/** @type {string} */ name) =>
  JSON.parse(readFileSync(new URL(`../fixtures/sequences/${name}`, import.meta.url), "utf8"));

test("each agent's completion and the audit's end are announced once, in order", () => {
  const events = load("completed-with-errors.events.json");
  let view = initialView(events[0].audit_id);
  const heard = [];
  for (const event of [...events, ...events]) {
    const next = applyFrame(view, event);
    heard.push(...announcements(view, next));
    view = next;
  }
  const finishedAgents = events.filter((e) => e.type === "agent_completed" || e.type === "agent_failed");
  assert.equal(heard.length, finishedAgents.length + 1, heard.join("\n"));
  assert.match(heard.at(-1) ?? "", /^Audit completed with errors\.$/);
  const failed = events.find((e) => e.type === "agent_failed");
  assert.ok(heard.some((m) => m.includes("failed") && m.includes(failed.error.message)));
});

test("a dropped connection and its return are announced", () => {
  let view = withConnection(initialView("aud_conn01"), "live");
  const dropped = withConnection(view, "reconnecting");
  assert.deepStrictEqual(announcements(view, dropped), ["Connection lost, reconnecting."]);
  assert.deepStrictEqual(announcements(dropped, withConnection(dropped, "live")), ["Reconnected."]);
});

test("the four known agents come first and an unknown one is still shown", () => {
  const [started] = load("completed.events.json");
  const view = applyFrame(initialView(started.audit_id), { ...started, agents: ["external", "numeric", "esg"] });
  assert.deepStrictEqual(agentsToShow(view.snapshot), ["numeric", "logic", "disclosure", "external", "esg"]);
});

test("the heading names the entity and what was uploaded", () => {
  const snapshot = load("completed.snapshot.json");
  const heading = auditHeading(snapshot);
  assert.equal(heading.title, snapshot.document.entity_name);
  assert.ok(heading.meta.includes(snapshot.document.name));
  assert.ok(heading.meta.some((m) => m.startsWith("prior year:")) === Boolean(snapshot.inputs.prior_year));
});
