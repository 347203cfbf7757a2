// Every golden fixture checked by a second, independent validator (ajv, JSON Schema 2020-12):
// files named valid-*.json must validate and invalid-*.json must be rejected. The folder names
// the definition: frames/<type>/ (checked against the Frame union AND that type's branch),
// results/<agent>/ (AgentResult and the agent's result), bodies/<$defs name>/.
//
// Two flavours (tests/node/schemas.js): the strict copy the server is held to rejects every
// invalid fixture; the published schema, open to additions, rejects them too except those in
// fixtures/additions.json, and accepts every valid frame and body with fields added everywhere.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

import { FRAME_TYPES, RESULT_TYPES, published, strict, withAddition } from "./schemas.js";

const FIXTURES = new URL("../fixtures/", import.meta.url);
const ADDITIONS = new Set(JSON.parse(readFileSync(new URL("additions.json", FIXTURES), "utf8")).fixtures);

/** @returns {{ kind: string, folder: string, name: string, definitions: string[] }[]} */
function cases() {
  const found = [];
  for (const kind of ["frames", "results", "bodies"]) {
    const dir = new URL(`${kind}/`, FIXTURES);
    for (const folder of readdirSync(dir).sort()) {
      /** @type {string[]} */
      let definitions;
      if (kind === "frames") {
        const branch = FRAME_TYPES[/** @type {keyof FRAME_TYPES} */ (folder)];
        assert.ok(branch, `tests/fixtures/frames/${folder}/ is not a frame type`);
        definitions = ["Frame", branch];
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
  assert.ok(ALL.every((c) => /^(valid|invalid)-/.test(c.name)), "a fixture name says neither valid- nor invalid-");
  assert.ok(ALL.filter((c) => c.name.startsWith("invalid-")).length >= 10);
  const invalid = new Set(ALL.filter((c) => c.name.startsWith("invalid-")).map((c) => `${c.kind}/${c.folder}/${c.name}`));
  for (const path of ADDITIONS) assert.ok(invalid.has(path), `additions.json lists ${path}, not an invalid fixture`);
});

for (const c of ALL) {
  const path = `${c.kind}/${c.folder}/${c.name}`;
  const data = JSON.parse(readFileSync(new URL(path, FIXTURES), "utf8"));
  if (c.name.startsWith("valid-")) {
    test(`${path} validates, strictly and as published`, () => {
      for (const definition of c.definitions) {
        assert.deepStrictEqual(strict(definition, data), [], definition);
        assert.deepStrictEqual(published(definition, data), [], definition);
      }
    });
    test(`${path} with a field added to every object: published accepts, strict rejects`, () => {
      const grown = withAddition(data);
      for (const definition of c.definitions) {
        assert.deepStrictEqual(published(definition, grown), [], definition);
        assert.notDeepStrictEqual(strict(definition, grown), [], definition);
      }
    });
  } else {
    test(`${path} is rejected (published: ${ADDITIONS.has(path) ? "accepted, an addition" : "rejected"})`, () => {
      for (const definition of c.definitions) {
        assert.notDeepStrictEqual(strict(definition, data), [], definition);
        if (ADDITIONS.has(path)) assert.deepStrictEqual(published(definition, data), [], definition);
        else assert.notDeepStrictEqual(published(definition, data), [], definition);
      }
    });
  }
}

test("the golden sequences are made of valid frames", () => {
  const dir = new URL("sequences/", FIXTURES);
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".events.json"))) {
    for (const frame of JSON.parse(readFileSync(new URL(name, dir), "utf8"))) {
      assert.deepStrictEqual(strict("Frame", frame), [], `${name} seq ${frame.seq}`);
    }
  }
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".snapshot.json"))) {
    assert.deepStrictEqual(strict("Snapshot", JSON.parse(readFileSync(new URL(name, dir), "utf8"))), [], name);
  }
});
