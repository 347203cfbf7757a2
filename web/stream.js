// @ts-check
/**
 * Follows one audit over the WebSocket, resuming from the last seq it has seen.
 *
 * The cursor is owned by the caller (`lastSeq()`, normally the reducer's `snapshot.last_seq`),
 * so a reconnect asks for `?after=<last seq>` and the reducer drops anything repeated: nothing is
 * lost and nothing is applied twice. A close that comes before `audit_finished` is an
 * interruption, never the end: the stream reconnects with backoff (and at once when the browser
 * comes back online). It stops only after `audit_finished`, on a refused request (the close
 * codes 4400-4499: unknown audit, bad cursor, Origin not allowed), or when `stop()` is called.
 * The close codes come from the schema, through generated/codes.js.
 *
 * A watchdog closes a socket that has been silent for much longer than the server's heartbeat
 * interval, since a dead proxy path can keep a socket "open" without delivering anything. A
 * heartbeat naming a newer seq than the caller has applied means events went missing on the
 * way: the stream reconnects at once from its cursor rather than leave a silent gap.
 */

import { REFUSED_CLOSE_CODES, WS_1000_NORMAL } from "../generated/codes.js";

/** @typedef {import("./state.js").ConnectionStatus} ConnectionStatus */
/** @typedef {import("../generated/contract").CloseCode} CloseCode */

export const DEFAULT_BACKOFF_MS = Object.freeze({ first: 250, max: 10_000 });
/** Several heartbeat periods (15 s on the server) without any frame. */
export const DEFAULT_SILENCE_MS = 45_000;

/**
 * @typedef {object} StreamOptions
 * @property {string} auditId
 * @property {() => number} lastSeq  the newest seq already applied
 * @property {(frame: unknown) => void} onFrame  every parsed frame, in arrival order
 * @property {(status: ConnectionStatus, detail?: string) => void} onStatus
 * @property {string} [baseUrl]  ws(s)://host; defaults to the page's own origin
 * @property {number} [silenceMs]
 * @property {{ first: number, max: number }} [backoff]  reconnect delays in ms
 */

/**
 * @param {string} auditId
 * @param {number} after
 * @param {string} [baseUrl]
 * @returns {string}
 */
export function streamUrl(auditId, after, baseUrl) {
  const base = baseUrl ?? `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}`;
  return `${base}/ws/audit/${encodeURIComponent(auditId)}?after=${after}`;
}

/**
 * Delay before reconnect attempt `attempt` (1, 2, ...): doubling, capped, with jitter so many
 * pages do not come back at the same instant after a server restart.
 * @param {number} attempt
 * @param {{ first: number, max: number }} [backoff]
 * @param {() => number} [random]
 * @returns {number}
 */
export function backoffDelay(attempt, backoff = DEFAULT_BACKOFF_MS, random = Math.random) {
  const ceiling = Math.min(backoff.max, backoff.first * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class AuditStream {
  /** @param {StreamOptions} options */
  constructor(options) {
    this.options = options;
    /** @type {WebSocket | null} */
    this.socket = null;
    this.finished = false;
    this.stopped = false;
    this.attempt = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.retryTimer = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.silenceTimer = undefined;
    this.onOnline = () => {
      if (!this.socket && !this.stopped && !this.finished) {
        clearTimeout(this.retryTimer);
        this.connect();
      }
    };
  }

  start() {
    window.addEventListener("online", this.onOnline);
    this.options.onStatus("connecting");
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener("online", this.onOnline);
    clearTimeout(this.retryTimer);
    clearTimeout(this.silenceTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(WS_1000_NORMAL, "page left the audit");
  }

  connect() {
    const { auditId, lastSeq, baseUrl } = this.options;
    const socket = new WebSocket(streamUrl(auditId, lastSeq(), baseUrl));
    this.socket = socket;
    socket.addEventListener("open", () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.options.onStatus("live");
      this.armWatchdog(socket);
    });
    socket.addEventListener("message", (event) => {
      if (this.socket !== socket) return;
      this.armWatchdog(socket);
      let frame;
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return; // Not JSON: nothing this version of the page can use.
      }
      this.options.onFrame(frame);
      if (!frame || typeof frame !== "object") return;
      if (frame.type === "audit_finished") {
        this.finished = true;
      } else if (frame.type === "heartbeat" && typeof frame.last_seq === "number" && frame.last_seq > this.options.lastSeq()) {
        this.abandon(socket);
      }
    });
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearTimeout(this.silenceTimer);
      if (this.stopped) return;
      if (this.finished) {
        this.options.onStatus("closed");
      } else if (REFUSED_CLOSE_CODES.includes(/** @type {CloseCode} */ (event.code))) {
        this.options.onStatus("offline", event.reason || `closed with code ${event.code}`);
      } else {
        this.scheduleReconnect();
      }
    });
  }

  scheduleReconnect() {
    this.attempt += 1;
    this.options.onStatus("reconnecting");
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.stopped && !this.socket) this.connect();
    }, backoffDelay(this.attempt, this.options.backoff));
  }

  /**
   * Let go of a socket that cannot be trusted (silent, or behind on events) and resume from the
   * cursor; a dead path may never finish the close handshake, so nothing waits for it.
   * @param {WebSocket} socket
   */
  abandon(socket) {
    if (this.socket !== socket) return;
    this.socket = null;
    clearTimeout(this.silenceTimer);
    socket.close();
    if (!this.stopped && !this.finished) this.scheduleReconnect();
  }

  /** @param {WebSocket} socket */
  armWatchdog(socket) {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => this.abandon(socket), this.options.silenceMs ?? DEFAULT_SILENCE_MS);
  }
}
