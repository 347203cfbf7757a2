// Every golden fixture checked by a second, independent validator (ajv, JSON Schema 2020-12):
// files named valid-*.json must validate and invalid-*.json must be rejected. The folder names
// the definition: frames/<type>/ (checked against the Frame union AND that type's branch),
// results/<agent>/ (AgentResult and the agent's result), review/<type>/ (the ReviewFrame union
// and that type's branch), bodies/<$defs name>/.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const ROOT = new URL("../../", import.meta.url);
const SCHEMA_DIR = new URL("schema/v1/", ROOT);
const FIXTURES = new URL("tests/fixtures/", ROOT);
const BASE = "https://crosscheck.dev/schema/v1/";

const FRAME_TYPES = {
  audit_started: "AuditStarted",
  agent_started: "AgentStarted",
  agent_completed: "AgentCompleted",
  agent_failed: "AgentFailed",
  audit_finished: "AuditFinished",
  agent_progress: "AgentProgress",
  heartbeat: "Heartbeat",
};
const REVIEW_TYPES = {
  decision_recorded: "DecisionRecorded",
  audit_signed_off: "AuditSignedOff",
  drafts_compared: "DraftsCompared",
  heartbeat: "Heartbeat",
};
const RESULT_TYPES = {
  numeric: "NumericResult",
  logic: "LogicResult",
  disclosure: "DisclosureResult",
  external: "ExternalResult",
};

/** @type {Record<string, any>} */
const schemas = {};
for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".schema.json")).sort()) {
  schemas[file] = JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), "utf8"));
}

const ajv = new Ajv2020({ strict: true, discriminator: true, allErrors: true });
addFormats(ajv, ["date-time", "date"]);
for (const schema of Object.values(schemas)) ajv.addSchema(schema);

/** @param {string} definition */
function fileOf(definition) {
  const file = Object.keys(schemas).find((name) => definition in (schemas[name].$defs ?? {}));
  assert.ok(file, `no schema file defines ${definition}`);
  return file;
}

/** @type {Map<string, import("ajv").ValidateFunction>} */
const compiled = new Map();
/** @param {string} definition */
function validator(definition) {
  let validate = compiled.get(definition);
  if (!validate) {
    validate = ajv.getSchema(`${BASE}${fileOf(definition)}#/$defs/${definition}`);
    assert.ok(validate, `ajv could not compile ${definition}`);
    compiled.set(definition, validate);
  }
  return validate;
}

/** @param {string} definition @param {unknown} data */
function problems(definition, data) {
  const validate = validator(definition);
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

/** @returns {{ kind: string, folder: string, name: string, definitions: string[] }[]} */
function cases() {
  const found = [];
  for (const kind of ["frames", "results", "review", "bodies"]) {
    const dir = new URL(`${kind}/`, FIXTURES);
    for (const folder of readdirSync(dir).sort()) {
      /** @type {string[]} */
      let definitions;
      if (kind === "frames") {
        const branch = FRAME_TYPES[/** @type {keyof FRAME_TYPES} */ (folder)];
        assert.ok(branch, `tests/fixtures/frames/${folder}/ is not a frame type`);
        definitions = ["Frame", branch];
      } else if (kind === "review") {
        const branch = REVIEW_TYPES[/** @type {keyof REVIEW_TYPES} */ (folder)];
        assert.ok(branch, `tests/fixtures/review/${folder}/ is not a review frame type`);
        definitions = ["ReviewFrame", branch];
      } else if (kind === "results") {
        const branch = RESULT_TYPES[/** @type {keyof RESULT_TYPES} */ (folder)];
        assert.ok(branch, `tests/fixtures/results/${folder}/ is not an agent`);
        definitions = ["AgentResult", branch];
      } else {
        definitions = [folder];
      }
      for (const name of readdirSync(new URL(`${folder}/`, dir)).filter((f) => f.endsWith(".json")).sort()) {
        found.push({ kind, folder, name, definitions });
      }
    }
  }
  return found;
}

const ALL = cases();

test("every frame type and agent has valid and invalid fixtures", () => {
  const valid = new Set(ALL.filter((c) => c.name.startsWith("valid-")).map((c) => c.folder));
  for (const type of [...Object.keys(FRAME_TYPES), ...Object.keys(RESULT_TYPES)]) assert.ok(valid.has(type), type);
  const review = new Set(ALL.filter((c) => c.kind === "review" && c.name.startsWith("valid-")).map((c) => c.folder));
  for (const type of Object.keys(REVIEW_TYPES)) assert.ok(review.has(type), `review/${type}`);
  assert.ok(ALL.every((c) => /^(valid|invalid)-/.test(c.name)), "a fixture name says neither valid- nor invalid-");
  assert.ok(ALL.filter((c) => c.name.startsWith("invalid-")).length >= 10);
});

for (const c of ALL) {
  const path = `${c.kind}/${c.folder}/${c.name}`;
  const data = JSON.parse(readFileSync(new URL(path, FIXTURES), "utf8"));
  if (c.name.startsWith("valid-")) {
    test(`${path} validates`, () => {
      for (const definition of c.definitions) assert.deepStrictEqual(problems(definition, data), [], definition);
    });
  } else {
    test(`${path} is rejected`, () => {
      for (const definition of c.definitions) assert.notDeepStrictEqual(problems(definition, data), [], definition);
    });
  }
}

test("the golden sequences are made of valid frames", () => {
  const dir = new URL("sequences/", FIXTURES);
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".events.json"))) {
    for (const frame of JSON.parse(readFileSync(new URL(name, dir), "utf8"))) {
      assert.deepStrictEqual(problems("Frame", frame), [], `${name} seq ${frame.seq}`);
    }
  }
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".review.json"))) {
    for (const frame of JSON.parse(readFileSync(new URL(name, dir), "utf8"))) {
      assert.deepStrictEqual(problems("ReviewFrame", frame), [], `${name} seq ${frame.seq}`);
    }
  }
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".snapshot.json"))) {
    assert.deepStrictEqual(problems("Snapshot", JSON.parse(readFileSync(new URL(name, dir), "utf8"))), [], name);
  }
});
