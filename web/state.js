// @ts-check
/**
 * The page's state: a reducer over frames.
 *
 * Two parts, kept apart on purpose:
 * - `snapshot`: the audit as its log events describe it. `applyEvent` is the same reduction as
 *   server/snapshot.py, rule for rule, so the page and `GET /api/v1/audits/{id}` agree exactly
 *   (tests/node/state.test.js compares both on tests/fixtures/sequences/).
 * - `live`: what only this connection knows: advisory progress, the newest seq a heartbeat
 *   reported, and the connection status. It never leaks into the snapshot.
 *
 * Rules (as on the server): an event whose `seq` is not above `last_seq` is ignored, so a
 * replay after a reconnect may repeat events harmlessly; unknown frame types and unknown fields
 * are ignored; nothing is mutated in place, every apply returns new objects.
 */

/** @typedef {import("../generated/contract").Frame} Frame */
/** @typedef {import("../generated/contract").LogEvent} LogEvent */
/** @typedef {import("../generated/contract").Snapshot} Snapshot */
/** @typedef {import("../generated/contract").AgentSnapshot} AgentSnapshot */
/** @typedef {import("../generated/contract").AgentName} AgentName */
/** @typedef {import("../generated/contract").AgentProgress} AgentProgress */

/**
 * "connecting": first connection attempt; "live": socket open; "reconnecting": dropped before
 * the terminal event, retrying; "closed": the server sent `audit_finished` and closed;
 * "offline": gave up (unknown audit, or the browser is offline).
 * @typedef {"connecting" | "live" | "reconnecting" | "closed" | "offline"} ConnectionStatus
 */

/**
 * @typedef {object} ProgressInfo
 * @property {number} done
 * @property {number} [total]
 * @property {string} [message]
 */

/**
 * @typedef {object} LiveState
 * @property {ConnectionStatus} connection
 * @property {Partial<Record<string, ProgressInfo>>} progress  advisory progress by agent name
 * @property {number} serverLastSeq  newest seq the server reported in a heartbeat
 * @property {number} reconnects  how many times the stream was re-opened
 * @property {Partial<Record<string, string>>} startedAt  `ts` of each agent's agent_started, for
 *   the elapsed time of a running agent (the snapshot keeps only durations of finished ones)
 */

/**
 * @typedef {object} ViewState
 * @property {Snapshot} snapshot
 * @property {LiveState} live
 */

/** The four agents in display order. */
/** @type {readonly AgentName[]} */
export const AGENTS = Object.freeze(["numeric", "logic", "disclosure", "external"]);

/** Audit states that mean the audit will not change any more. */
export const FINAL_STATES = Object.freeze(["completed", "completed_with_errors", "failed", "cancelled"]);

/**
 * @param {string} auditId
 * @returns {Snapshot}
 */
export function emptySnapshot(auditId) {
  return { audit_id: auditId, state: "pending", last_seq: 0, agents: [] };
}

/**
 * Deep copy of plain JSON, so the snapshot never shares objects with a frame.
 * @template T
 * @param {T} value
 * @returns {T}
 */
function clone(value) {
  return structuredClone(value);
}

/**
 * The entry for one agent, created as pending when first seen (mutates `snapshot.agents`,
 * which `applyEvent` has already copied).
 * @param {Snapshot} snapshot
 * @param {AgentName} name
 * @returns {AgentSnapshot}
 */
function agentEntry(snapshot, name) {
  const found = snapshot.agents.find((entry) => entry.agent === name);
  if (found) return found;
  /** @type {AgentSnapshot} */
  const entry = { agent: name, state: "pending" };
  snapshot.agents.push(entry);
  return entry;
}

/**
 * One handler per log-event type; each edits the fresh copy `applyEvent` made.
 * @type {{ [K in LogEvent["type"]]: (s: Snapshot, e: Extract<LogEvent, { type: K }>) => void }}
 */
const HANDLERS = {
  audit_started(s, e) {
    s.state = "running";
    s.started_at = e.ts;
    s.document = clone(e.document);
    s.inputs = clone(e.inputs);
    for (const name of e.agents) agentEntry(s, name);
  },
  agent_started(s, e) {
    agentEntry(s, e.agent).state = "running";
  },
  agent_completed(s, e) {
    const entry = agentEntry(s, e.agent);
    entry.state = "completed";
    entry.duration_ms = e.duration_ms;
    entry.result = clone(e.result);
    delete entry.error;
  },
  agent_failed(s, e) {
    const entry = agentEntry(s, e.agent);
    entry.state = "failed";
    entry.duration_ms = e.duration_ms;
    entry.error = clone(e.error);
    delete entry.result;
  },
  audit_finished(s, e) {
    s.state = e.status;
    s.finished_at = e.ts;
    s.duration_ms = e.duration_ms;
    s.summary = clone(e.summary);
    if (e.error !== undefined) s.error = clone(e.error);
  },
};

/**
 * The snapshot after one frame; the input is not modified. Frames without a seq above
 * `last_seq`, connection frames and unknown types return the same snapshot object.
 * @param {Snapshot} snapshot
 * @param {unknown} frame  anything parsed from the wire
 * @returns {Snapshot}
 */
export function applyEvent(snapshot, frame) {
  if (typeof frame !== "object" || frame === null) return snapshot;
  const { seq, type } = /** @type {{ seq?: unknown, type?: unknown }} */ (frame);
  if (typeof seq !== "number" || !Number.isInteger(seq) || seq <= snapshot.last_seq) return snapshot;
  if (typeof type !== "string" || !Object.hasOwn(HANDLERS, type)) return snapshot;
  // Shallow copies suffice: nested values are replaced, never mutated in place.
  /** @type {Snapshot} */
  const next = { ...snapshot, agents: snapshot.agents.map((a) => ({ ...a })), last_seq: seq };
  const handler = /** @type {(s: Snapshot, e: LogEvent) => void} */ (
    HANDLERS[/** @type {LogEvent["type"]} */ (type)]
  );
  handler(next, /** @type {LogEvent} */ (frame));
  return next;
}

/**
 * Reduce a list of events (any order, duplicates allowed) to a snapshot, as the server does.
 * @param {string} auditId
 * @param {Iterable<unknown>} events
 * @returns {Snapshot}
 */
export function reduce(auditId, events) {
  const ordered = [...events].sort((a, b) => seqOf(a) - seqOf(b));
  return ordered.reduce(applyEvent, emptySnapshot(auditId));
}

/**
 * @param {unknown} frame
 * @returns {number}
 */
function seqOf(frame) {
  if (typeof frame !== "object" || frame === null) return 0;
  const seq = /** @type {{ seq?: unknown }} */ (frame).seq;
  return typeof seq === "number" ? seq : 0;
}

/**
 * @param {string} auditId
 * @returns {ViewState}
 */
export function initialView(auditId) {
  return {
    snapshot: emptySnapshot(auditId),
    live: { connection: "connecting", progress: {}, serverLastSeq: 0, reconnects: 0, startedAt: {} },
  };
}

/**
 * The view after one frame from the stream: log events go to the snapshot, progress and
 * heartbeats to the live part. Progress of an agent that is no longer running is dropped, and
 * `done` never goes backwards (progress frames may arrive late or be coalesced).
 * @param {ViewState} view
 * @param {unknown} frame
 * @returns {ViewState}
 */
export function applyFrame(view, frame) {
  const snapshot = applyEvent(view.snapshot, frame);
  let live = view.live;
  if (snapshot !== view.snapshot) {
    live = { ...live, progress: pruneProgress(live.progress, snapshot) };
    const event = /** @type {LogEvent} */ (frame);
    if (event.type === "agent_started" && typeof event.ts === "string") {
      live = { ...live, startedAt: { ...live.startedAt, [event.agent]: event.ts } };
    }
  }
  if (typeof frame === "object" && frame !== null) {
    const f = /** @type {{ type?: unknown }} */ (frame);
    if (f.type === "agent_progress") {
      live = withProgress(live, snapshot, /** @type {AgentProgress} */ (frame));
    } else if (f.type === "heartbeat") {
      const lastSeq = /** @type {{ last_seq?: unknown }} */ (frame).last_seq;
      if (typeof lastSeq === "number" && lastSeq > live.serverLastSeq) {
        live = { ...live, serverLastSeq: lastSeq };
      }
    }
  }
  return snapshot === view.snapshot && live === view.live ? view : { snapshot, live };
}

/**
 * @param {LiveState} live
 * @param {Snapshot} snapshot
 * @param {AgentProgress} frame
 * @returns {LiveState}
 */
function withProgress(live, snapshot, frame) {
  if (typeof frame.agent !== "string" || typeof frame.done !== "number") return live;
  const entry = snapshot.agents.find((a) => a.agent === frame.agent);
  if (entry && entry.state !== "running" && entry.state !== "pending") return live;
  const before = live.progress[frame.agent];
  if (before && before.done > frame.done) return live;
  /** @type {ProgressInfo} */
  const info = { done: frame.done };
  if (typeof frame.total === "number") info.total = frame.total;
  if (typeof frame.message === "string") info.message = frame.message;
  return { ...live, progress: { ...live.progress, [frame.agent]: info } };
}

/**
 * Progress only for agents still running.
 * @param {LiveState["progress"]} progress
 * @param {Snapshot} snapshot
 * @returns {LiveState["progress"]}
 */
function pruneProgress(progress, snapshot) {
  /** @type {LiveState["progress"]} */
  const kept = {};
  for (const [name, info] of Object.entries(progress)) {
    const entry = snapshot.agents.find((a) => a.agent === name);
    if (!entry || entry.state === "running" || entry.state === "pending") kept[name] = info;
  }
  return kept;
}

/**
 * @param {ViewState} view
 * @param {ConnectionStatus} connection
 * @returns {ViewState}
 */
export function withConnection(view, connection) {
  if (view.live.connection === connection) return view;
  const reconnects = view.live.reconnects + (connection === "reconnecting" ? 1 : 0);
  return { ...view, live: { ...view.live, connection, reconnects } };
}

/**
 * @param {Snapshot} snapshot
 * @returns {boolean}
 */
export function isFinished(snapshot) {
  return FINAL_STATES.includes(snapshot.state);
}
