// web/stream.js against a fake WebSocket: it resumes from the caller's last seq after any close
// that is not preceded by audit_finished, stops for good on a refused request (4400-4499, from
// generated/codes.js), and reconnects when a heartbeat
// shows it fell behind.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";

import {
  REFUSED_CLOSE_CODES,
  WS_1000_NORMAL,
  WS_1001_GOING_AWAY,
  WS_1011_INTERNAL_ERROR,
  WS_1013_TRY_AGAIN_LATER,
  WS_4400_BAD_PARAMETER,
  WS_4403_ORIGIN_NOT_ALLOWED,
  WS_4404_UNKNOWN_AUDIT,
} from "../../generated/codes.js";
import { AuditStream } from "../../web/stream.js";

class FakeSocket extends EventTarget {
  static OPEN = 1;
  /** @type {FakeSocket[]} */
  static made = [];

  /** @param {string} url */
  constructor(url) {
    super();
    this.url = url;
    this.readyState = 0;
    FakeSocket.made.push(this);
  }

  get after() {
    return Number(new URL(this.url).searchParams.get("after"));
  }

  accept() {
    this.readyState = 1;
    this.dispatchEvent(new Event("open"));
  }

  /** @param {object} frame */
  send(frame) {
    this.dispatchEvent(new MessageEvent("message", { data: JSON.stringify(frame) }));
  }

  /** @param {number} code @param {string} [reason] */
  serverClose(code, reason = "") {
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event("close"), { code, reason }));
  }

  close() {
    this.closedByClient = true;
    setTimeout(() => this.serverClose(1005), 0);
  }
}

const ID = "aud_stream1";
const at = (/** @type {number} */ seq, /** @type {string} */ type = "agent_started") => ({
  v: 1, type, audit_id: ID, ts: "2026-11-27T09:30:00.000Z", seq, agent: "numeric",
});

/** Polls until `predicate()` holds (fails after a second). */
async function until(/** @type {() => boolean} */ predicate) {
  for (let i = 0; i < 1000 && !predicate(); i++) await new Promise((r) => setTimeout(r, 1));
  assert.ok(predicate(), "condition not reached");
}

/** A stream whose cursor advances like the page's reducer: only on a higher seq. */
function follow(/** @type {Partial<import("../../web/stream.js").StreamOptions>} */ extra = {}) {
  const log = { lastSeq: 0, statuses: /** @type {string[]} */ ([]), frames: /** @type {any[]} */ ([]) };
  const stream = new AuditStream({
    auditId: ID,
    baseUrl: "ws://test.invalid",
    backoff: { first: 2, max: 4 },
    lastSeq: () => log.lastSeq,
    onFrame: (frame) => {
      log.frames.push(frame);
      const seq = /** @type {any} */ (frame).seq;
      if (typeof seq === "number" && seq > log.lastSeq) log.lastSeq = seq;
    },
    onStatus: (status) => log.statuses.push(status),
    ...extra,
  });
  stream.start();
  return { stream, log };
}

beforeEach(() => {
  FakeSocket.made = [];
  Object.assign(globalThis, { WebSocket: FakeSocket, window: new EventTarget() });
});
afterEach(() => {
  delete (/** @type {any} */ (globalThis)).WebSocket;
  delete (/** @type {any} */ (globalThis)).window;
});

test("a close before audit_finished is an interruption: it resumes after the last seq", async () => {
  const { stream, log } = follow();
  const first = FakeSocket.made[0];
  assert.equal(first.after, 0);
  first.accept();
  for (const seq of [1, 2, 3]) first.send(at(seq));
  first.serverClose(1001, "going away");
  await until(() => FakeSocket.made.length === 2);
  const second = FakeSocket.made[1];
  assert.equal(second.after, 3);
  second.accept();
  second.send(at(4, "audit_finished"));
  second.serverClose(1000);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(FakeSocket.made.length, 2, "reconnected after audit_finished");
  assert.deepStrictEqual(log.statuses, ["connecting", "live", "reconnecting", "live", "closed"]);
  stream.stop();
});

test("even a normal close without audit_finished is not the end", async () => {
  const { stream } = follow();
  FakeSocket.made[0].accept();
  FakeSocket.made[0].send(at(1));
  FakeSocket.made[0].serverClose(1000);
  await until(() => FakeSocket.made.length === 2);
  assert.equal(FakeSocket.made[1].after, 1);
  stream.stop();
});

test("an unknown audit stops for good", async () => {
  const { log } = follow();
  FakeSocket.made[0].accept();
  FakeSocket.made[0].serverClose(WS_4404_UNKNOWN_AUDIT, "No audit 'aud_stream1'.");
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(FakeSocket.made.length, 1);
  assert.equal(log.statuses.at(-1), "offline");
});

test("every refused request (4400-4499) stops for good; every other close before the end resumes", async () => {
  assert.deepStrictEqual(
    [...REFUSED_CLOSE_CODES].sort(),
    [WS_4400_BAD_PARAMETER, WS_4403_ORIGIN_NOT_ALLOWED, WS_4404_UNKNOWN_AUDIT],
  );
  for (const code of REFUSED_CLOSE_CODES) {
    FakeSocket.made = [];
    const { stream, log } = follow();
    FakeSocket.made[0].accept();
    FakeSocket.made[0].serverClose(code, "refused");
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(FakeSocket.made.length, 1, `reconnected after ${code}`);
    assert.equal(log.statuses.at(-1), "offline");
    stream.stop();
  }
  for (const code of [WS_1000_NORMAL, WS_1001_GOING_AWAY, WS_1011_INTERNAL_ERROR, WS_1013_TRY_AGAIN_LATER]) {
    FakeSocket.made = [];
    const { stream } = follow();
    FakeSocket.made[0].accept();
    FakeSocket.made[0].serverClose(code);
    await until(() => FakeSocket.made.length === 2);
    stream.stop();
  }
});

test("a heartbeat ahead of the cursor means missed events: reconnect from the cursor", async () => {
  const { stream } = follow();
  const first = FakeSocket.made[0];
  first.accept();
  first.send(at(1));
  first.send({ v: 1, type: "heartbeat", audit_id: ID, ts: "2026-11-27T09:30:01.000Z", last_seq: 1 });
  assert.equal(first.closedByClient, undefined, "a heartbeat level with the cursor is fine");
  first.send({ v: 1, type: "heartbeat", audit_id: ID, ts: "2026-11-27T09:30:02.000Z", last_seq: 5 });
  assert.equal(first.closedByClient, true);
  await until(() => FakeSocket.made.length === 2);
  assert.equal(FakeSocket.made[1].after, 1);
  stream.stop();
});

test("a silent socket is abandoned and the stream resumes", async () => {
  const { stream } = follow({ silenceMs: 10 });
  FakeSocket.made[0].accept();
  FakeSocket.made[0].send(at(1));
  await until(() => FakeSocket.made.length === 2);
  assert.equal(FakeSocket.made[0].closedByClient, true);
  assert.equal(FakeSocket.made[1].after, 1);
  stream.stop();
});

test("stop() ends it: no reconnect, and frames after it are ignored", async () => {
  const { stream, log } = follow();
  const first = FakeSocket.made[0];
  first.accept();
  stream.stop();
  first.send(at(1));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(FakeSocket.made.length, 1);
  assert.equal(log.frames.length, 0);
});
