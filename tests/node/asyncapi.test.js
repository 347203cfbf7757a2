// The AsyncAPI document parses with the official parser, with its $refs into the JSON Schemas
// resolved, and names every frame type of the contract.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Parser, fromFile } from "@asyncapi/parser";

const docPath = fileURLToPath(new URL("../../schema/v1/asyncapi.yaml", import.meta.url));
const frames = JSON.parse(
  readFileSync(new URL("../../schema/v1/frames.schema.json", import.meta.url), "utf8"),
);

test("asyncapi document parses without errors and covers every frame type", async () => {
  const parser = new Parser();
  const { document, diagnostics } = await fromFile(parser, docPath).parse();
  const errors = diagnostics.filter((d) => d.severity === 0);
  assert.deepEqual(errors.map((e) => `${e.path.join(".")}: ${e.message}`), []);
  assert.ok(document, "parser returned no document");
  const names = new Set(document.messages().all().map((m) => m.name()));
  const frameTypes = frames.$defs.Frame.oneOf.map(
    (/** @type {{$ref: string}} */ r) => frames.$defs[r.$ref.split("/").pop()].properties.type.const,
  );
  for (const type of frameTypes) assert.ok(names.has(type), `asyncapi lacks ${type}`);
  const ws = document.channels().get("auditWebSocket");
  assert.equal(ws?.address(), "/ws/audit/{audit_id}");
  const payload = document.components().messages().get("agentCompleted")?.payload();
  assert.ok(payload?.required()?.includes("seq"), "schema $ref was not resolved");
});

test("asyncapi document names every review frame type on the review channels", async () => {
  const review = JSON.parse(
    readFileSync(new URL("../../schema/v1/review.schema.json", import.meta.url), "utf8"),
  );
  const { document } = await fromFile(new Parser(), docPath).parse();
  assert.ok(document, "parser returned no document");
  const ws = document.channels().get("reviewWebSocket");
  assert.equal(ws?.address(), "/ws/audit/{audit_id}/review");
  assert.equal(document.channels().get("reviewEvents")?.address(), "/api/v1/audits/{audit_id}/review/events");
  const names = new Set(ws?.messages().all().map((m) => m.name()));
  const types = review.$defs.ReviewFrame.oneOf.map((/** @type {{$ref: string}} */ r) => {
    const [file, pointer] = r.$ref.split("#");
    const defs = file ? frames.$defs : review.$defs;
    return defs[pointer.split("/").pop()].properties.type.const;
  });
  for (const type of types) assert.ok(names.has(type), `reviewWebSocket lacks ${type}`);
  const payload = document.components().messages().get("decisionRecorded")?.payload();
  assert.ok(payload?.required()?.includes("finding_id"), "schema $ref was not resolved");
});
