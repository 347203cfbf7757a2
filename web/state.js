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
 *
 * The review (`snapshot.review`, a ReviewState) comes from the audit's second log, the review
 * stream, numbered on its own: `applyReviewEvent` follows the same rules against
 * `review.last_seq`. After an event of either log the finding list is rebuilt from the audit's
 * findings (`arrange`), keeping decisions; a decision on a finding this page has not received yet
 * waits at the end of the list, so the two streams may interleave in any order. `review` is
 * present once a review event was applied.
 */

/** @typedef {import("../generated/contract").Frame} Frame */
/** @typedef {import("../generated/contract").LogEvent} LogEvent */
/** @typedef {import("../generated/contract").Snapshot} Snapshot */
/** @typedef {import("../generated/contract").AgentSnapshot} AgentSnapshot */
/** @typedef {import("../generated/contract").AgentName} AgentName */
/** @typedef {import("../generated/contract").AgentProgress} AgentProgress */
/** @typedef {import("../generated/contract").ReviewState} ReviewState */
/** @typedef {import("../generated/contract").ReviewEvent} ReviewEvent */
/** @typedef {import("../generated/contract").FindingReview} FindingReview */
/** @typedef {import("../generated/contract").DecisionEntry} DecisionEntry */
/** @typedef {import("../generated/contract").ReviewCounts} ReviewCounts */
/** @typedef {import("../generated/contract").SignOff} SignOff */

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
 * @property {number} [reviewServerLastSeq]  newest review seq a review-stream heartbeat reported
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
  if (next.review) next.review = arrange(next.review, next);
  return next;
}

/**
 * Reduce a list of events (any order, duplicates allowed) to a snapshot, as the server does.
 * With `reviewEvents` the snapshot carries `review` once one of them applies.
 * @param {string} auditId
 * @param {Iterable<unknown>} events
 * @param {Iterable<unknown>} [reviewEvents]
 * @returns {Snapshot}
 */
export function reduce(auditId, events, reviewEvents) {
  const ordered = [...events].sort((a, b) => seqOf(a) - seqOf(b));
  const snapshot = ordered.reduce(applyEvent, emptySnapshot(auditId));
  if (reviewEvents === undefined) return snapshot;
  const review = [...reviewEvents].sort((a, b) => seqOf(a) - seqOf(b));
  return review.reduce(applyReviewEvent, snapshot);
}

// -- the review ---------------------------------------------------------------------------

const SEVERITIES = /** @type {const} */ (["high", "medium", "low"]);

/**
 * @param {string} auditId
 * @returns {ReviewState}
 */
export function emptyReview(auditId) {
  return { audit_id: auditId, last_seq: 0, findings: [], counts: countDecided([]) };
}

/**
 * The snapshot with a `review` (an empty one if it had none).
 * @param {Snapshot} snapshot
 * @returns {Snapshot}
 */
export function withReview(snapshot) {
  if (snapshot.review) return snapshot;
  return { ...snapshot, review: arrange(emptyReview(snapshot.audit_id), snapshot) };
}

/**
 * The entry of one finding, created open when first named (mutates `review.findings`, which
 * `applyReviewEvent` has already copied).
 * @param {ReviewState} review
 * @param {string} findingId
 * @returns {FindingReview}
 */
function reviewEntry(review, findingId) {
  const found = review.findings.find((entry) => entry.finding_id === findingId);
  if (found) return found;
  /** @type {FindingReview} */
  const entry = { finding_id: findingId, decision: "open", history: [] };
  review.findings.push(entry);
  return entry;
}

/**
 * One handler per review-event type; each edits the fresh copy `applyReviewEvent` made.
 * @type {{ [K in ReviewEvent["type"]]: (r: ReviewState, e: Extract<ReviewEvent, { type: K }>) => void }}
 */
const REVIEW_HANDLERS = {
  decision_recorded(r, e) {
    const entry = reviewEntry(r, e.finding_id);
    /** @type {DecisionEntry} */
    const item = { seq: e.seq, ts: e.ts, decision: e.decision, reviewer: e.reviewer };
    if (e.reason !== undefined) item.reason = e.reason;
    if (e.note !== undefined) item.note = e.note;
    if (e.carried_from !== undefined) item.carried_from = clone(e.carried_from);
    entry.history = [...entry.history, item];
    entry.decision = e.decision;
  },
  audit_signed_off(r, e) {
    /** @type {SignOff} */
    const signOff = { seq: e.seq, ts: e.ts, reviewer: e.reviewer, counts: clone(e.counts) };
    if (e.note !== undefined) signOff.note = e.note;
    r.sign_off = signOff;
  },
  drafts_compared(r, e) {
    r.drafts = {
      seq: e.seq,
      ts: e.ts,
      previous_audit_id: e.previous_audit_id,
      agents: [...e.agents],
      resolved: clone(e.resolved),
    };
    for (const item of e.findings) {
      const entry = reviewEntry(r, item.finding_id);
      entry.draft = item.status;
      if (item.previous_finding_id !== undefined) entry.previous_finding_id = item.previous_finding_id;
    }
  },
};

/**
 * The snapshot after one event of the review log; the input is not modified. Frames without a
 * seq above `review.last_seq`, heartbeats and unknown types return the same snapshot object.
 * `review` appears with the first review event applied, as on the server.
 * @param {Snapshot} snapshot
 * @param {unknown} frame  anything parsed from the review stream
 * @returns {Snapshot}
 */
export function applyReviewEvent(snapshot, frame) {
  const review = snapshot.review ?? emptyReview(snapshot.audit_id);
  if (typeof frame !== "object" || frame === null) return snapshot;
  const { seq, type } = /** @type {{ seq?: unknown, type?: unknown }} */ (frame);
  if (typeof seq !== "number" || !Number.isInteger(seq) || seq <= review.last_seq) return snapshot;
  if (typeof type !== "string" || !Object.hasOwn(REVIEW_HANDLERS, type)) return snapshot;
  /** @type {ReviewState} */
  const next = { ...review, findings: review.findings.map((f) => ({ ...f })), last_seq: seq };
  const handler = /** @type {(r: ReviewState, e: ReviewEvent) => void} */ (
    REVIEW_HANDLERS[/** @type {ReviewEvent["type"]} */ (type)]
  );
  handler(next, /** @type {ReviewEvent} */ (frame));
  return { ...snapshot, review: arrange(next, snapshot) };
}

/**
 * Every finding of the audit in result order (then any not known yet), and the counts.
 * @param {ReviewState} review
 * @param {Snapshot} snapshot
 * @returns {ReviewState}
 */
function arrange(review, snapshot) {
  const byId = new Map(review.findings.map((entry) => [entry.finding_id, entry]));
  /** @type {FindingReview[]} */
  const arranged = [];
  for (const agent of snapshot.agents) {
    for (const finding of agent.result?.findings ?? []) {
      const known = byId.get(finding.id);
      byId.delete(finding.id);
      /** @type {FindingReview} */
      const entry = known ? { ...known } : { finding_id: finding.id, decision: "open", history: [] };
      entry.agent = finding.agent;
      entry.severity = finding.severity;
      entry.title = finding.title;
      arranged.push(entry);
    }
  }
  arranged.push(...byId.values());
  return { ...review, findings: arranged, counts: countDecided(arranged) };
}

/**
 * "12 of 31 decided": confirmed or dismissed, of the findings whose severity is known.
 * @param {FindingReview[]} findings
 * @returns {ReviewCounts}
 */
export function countDecided(findings) {
  const counts = {
    decided: 0,
    total: 0,
    confirmed: 0,
    dismissed: 0,
    by_severity: {
      high: { decided: 0, total: 0 },
      medium: { decided: 0, total: 0 },
      low: { decided: 0, total: 0 },
    },
  };
  for (const entry of findings) {
    const severity = entry.severity;
    if (severity === undefined || !SEVERITIES.includes(severity)) continue;
    counts.by_severity[severity].total += 1;
    counts.total += 1;
    if (entry.decision === "confirmed" || entry.decision === "dismissed") {
      counts.by_severity[severity].decided += 1;
      counts.decided += 1;
      counts[entry.decision] += 1;
    }
  }
  return counts;
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
 * The view after one frame from the review stream: review events go to `snapshot.review`, its
 * heartbeats to `live.reviewServerLastSeq` (a different log, so never `serverLastSeq`).
 * @param {ViewState} view
 * @param {unknown} frame
 * @returns {ViewState}
 */
export function applyReviewFrame(view, frame) {
  const snapshot = applyReviewEvent(view.snapshot, frame);
  let live = view.live;
  if (typeof frame === "object" && frame !== null) {
    const f = /** @type {{ type?: unknown, last_seq?: unknown }} */ (frame);
    if (f.type === "heartbeat" && typeof f.last_seq === "number" && f.last_seq > (live.reviewServerLastSeq ?? 0)) {
      live = { ...live, reviewServerLastSeq: f.last_seq };
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
