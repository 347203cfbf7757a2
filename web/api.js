// @ts-check
/**
 * The REST API of protocol v1 (/api/v1), typed with the generated contract. Every call throws
 * `ApiError` with the server's `detail` on a 4xx/5xx, so the page can show it as is, and its
 * `code` (the schema's ProblemCode) to branch on.
 */

/** @typedef {import("../generated/contract").AuditCreated} AuditCreated */
/** @typedef {import("../generated/contract").AuditList} AuditList */
/** @typedef {import("../generated/contract").SampleList} SampleList */
/** @typedef {import("../generated/contract").Snapshot} Snapshot */
/** @typedef {import("../generated/contract").ParsedDocument} ParsedDocument */
/** @typedef {import("../generated/contract").CancelReply} CancelReply */
/** @typedef {import("../generated/contract").Problem} Problem */
/** @typedef {import("../generated/contract").ProblemCode} ProblemCode */

export const API = "/api/v1";

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {number | undefined} retryAfterS  from Retry-After on 429/503
   * @param {ProblemCode | undefined} [code]  the Problem's code; an unknown one is still passed on
   */
  constructor(status, message, retryAfterS, code) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.retryAfterS = retryAfterS;
    this.code = code;
  }
}

/**
 * @template T
 * @param {string} path
 * @param {RequestInit} [init]
 * @returns {Promise<T>}
 */
async function call(path, init) {
  let response;
  try {
    response = await fetch(`${API}${path}`, { headers: { Accept: "application/json" }, ...init });
  } catch {
    throw new ApiError(0, "The server cannot be reached. Check that crosscheck serve is running.", undefined);
  }
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`.trim();
    /** @type {ProblemCode | undefined} */
    let code;
    try {
      const problem = /** @type {Problem} */ (await response.json());
      if (typeof problem.detail === "string" && problem.detail) detail = problem.detail;
      if (typeof problem.code === "string") code = problem.code;
    } catch {
      // Not a Problem body (e.g. a proxy's HTML page): keep the status line.
    }
    const retryAfter = Number(response.headers.get("Retry-After"));
    throw new ApiError(response.status, detail, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined, code);
  }
  return /** @type {Promise<T>} */ (response.json());
}

/**
 * @param {{ document?: File, priorYear?: File | null, memos?: readonly File[], sample?: string }} input
 * @returns {Promise<AuditCreated>}
 */
export function createAudit(input) {
  const form = new FormData();
  if (input.sample) form.append("sample", input.sample);
  if (input.document) form.append("document", input.document);
  if (input.priorYear) form.append("prior_year", input.priorYear);
  for (const memo of input.memos ?? []) form.append("memos", memo);
  return call("/audits", { method: "POST", body: form });
}

/** @returns {Promise<AuditList>} */
export function listAudits() {
  return call("/audits");
}

/** @returns {Promise<SampleList>} */
export function listSamples() {
  return call("/samples");
}

/**
 * @param {string} auditId
 * @returns {Promise<Snapshot>}
 */
export function getSnapshot(auditId) {
  return call(`/audits/${encodeURIComponent(auditId)}`);
}

/**
 * @param {string} auditId
 * @returns {Promise<ParsedDocument>}
 */
export function getDocument(auditId) {
  return call(`/audits/${encodeURIComponent(auditId)}/document`);
}

/**
 * @param {string} auditId
 * @returns {Promise<CancelReply>}
 */
export function cancelAudit(auditId) {
  return call(`/audits/${encodeURIComponent(auditId)}/cancel`, { method: "POST" });
}
