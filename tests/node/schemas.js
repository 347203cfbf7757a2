// The schema/v1 files compiled by ajv (JSON Schema 2020-12), in the two flavours tests/frames.py
// has: `published`, the files exactly as served (open to additions, what a client validates
// with), and `strict`, a copy in which every object that declares `properties` is closed (what
// the server's own frames are held to). Not a test file: the *.test.js files import it.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const SCHEMA_DIR = new URL("../../schema/v1/", import.meta.url);
const BASE = "https://crosscheck.dev/schema/v1/";
/** A field no version of the schema declares: what a later v1 server might add. */
export const ADDED_FIELD = "added_in_a_later_v1";

export const FRAME_TYPES = Object.freeze({
  audit_started: "AuditStarted",
  agent_started: "AgentStarted",
  agent_completed: "AgentCompleted",
  agent_failed: "AgentFailed",
  audit_finished: "AuditFinished",
  agent_progress: "AgentProgress",
  heartbeat: "Heartbeat",
});
export const RESULT_TYPES = Object.freeze({
  numeric: "NumericResult",
  logic: "LogicResult",
  disclosure: "DisclosureResult",
  external: "ExternalResult",
});

const MAPS = ["$defs", "properties", "patternProperties", "dependentSchemas"];
const LISTS = ["oneOf", "anyOf", "allOf", "prefixItems"];
const ONE = ["items", "contains", "not", "if", "then", "else", "additionalProperties"];
const COMPOSED = ["allOf", "anyOf", "oneOf", "if", "$ref", "dependentSchemas"];

/**
 * A copy of `schema` in which every object that declares `properties` is closed (the same rule
 * as tests/frames.py:closed()).
 * @param {any} schema
 * @returns {any}
 */
export function closed(schema) {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const out = { ...schema };
  for (const key of MAPS) {
    if (out[key] && typeof out[key] === "object") {
      out[key] = Object.fromEntries(Object.entries(out[key]).map(([name, sub]) => [name, closed(sub)]));
    }
  }
  for (const key of LISTS) if (Array.isArray(out[key])) out[key] = out[key].map(closed);
  for (const key of ONE) if (out[key] && typeof out[key] === "object") out[key] = closed(out[key]);
  if ("properties" in out && !("additionalProperties" in out)) {
    const composed = COMPOSED.filter((key) => key in out);
    assert.deepEqual(composed, [], `${out.title}: close it with unevaluatedProperties instead`);
    out.additionalProperties = false;
  }
  return out;
}

/**
 * A deep copy of `value` with one unknown field added to every object in it.
 * @param {unknown} value
 * @returns {any}
 */
export function withAddition(value) {
  if (Array.isArray(value)) return value.map(withAddition);
  if (typeof value === "object" && value !== null) {
    const grown = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withAddition(v)]));
    grown[ADDED_FIELD] = { note: "a field this client does not know" };
    return grown;
  }
  return value;
}

/**
 * A deep copy of `value` without the field `withAddition` adds.
 * @param {unknown} value
 * @returns {any}
 */
export function withoutAddition(value) {
  if (Array.isArray(value)) return value.map(withoutAddition);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== ADDED_FIELD)
        .map(([k, v]) => [k, withoutAddition(v)]),
    );
  }
  return value;
}

/** @type {Record<string, any>} */
export const schemas = {};
for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".schema.json")).sort()) {
  schemas[file] = JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), "utf8"));
}

/** @param {string} definition */
function fileOf(definition) {
  const file = Object.keys(schemas).find((name) => definition in (schemas[name].$defs ?? {}));
  assert.ok(file, `no schema file defines ${definition}`);
  return file;
}

/**
 * @param {boolean} strict
 * @returns {(definition: string, data: unknown) => string[]}  every violation, empty when valid
 */
function flavour(strict) {
  const ajv = new Ajv2020({ strict: true, discriminator: true, allErrors: true });
  addFormats(ajv, ["date-time", "date"]);
  for (const schema of Object.values(schemas)) ajv.addSchema(strict ? closed(schema) : schema);
  /** @type {Map<string, import("ajv").ValidateFunction>} */
  const compiled = new Map();
  return (definition, data) => {
    let validate = compiled.get(definition);
    if (!validate) {
      validate = ajv.getSchema(`${BASE}${fileOf(definition)}#/$defs/${definition}`);
      assert.ok(validate, `ajv could not compile ${definition}`);
      compiled.set(definition, validate);
    }
    return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
  };
}

/** Violations of the schema as published (open to additions). */
export const published = flavour(false);
/** Violations of the strict copy the server's frames are held to. */
export const strict = flavour(true);
