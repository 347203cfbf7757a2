// Compile-time checks on the generated contract: every frame type is handled, and the unions
// narrow on their discriminators. A type added to the schema without a case here fails tsc.
import type { AgentResult, Frame, LogEvent, ReviewFrame } from "../../generated/contract";

function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

export function describeFrame(frame: Frame): string {
  switch (frame.type) {
    case "audit_started":
      return `${frame.audit_id} started with ${frame.agents.join(", ")} on ${frame.document.name}`;
    case "agent_started":
      return `${frame.agent} started`;
    case "agent_completed":
      return `${frame.agent} completed in ${frame.duration_ms} ms: ${describeResult(frame.result)}`;
    case "agent_failed":
      return `${frame.agent} failed: ${frame.error.code} (retryable: ${frame.error.retryable})`;
    case "audit_finished":
      return `finished ${frame.status} after ${frame.duration_ms} ms`;
    case "agent_progress":
      return `${frame.agent} ${frame.done}/${frame.total ?? "?"}`;
    case "heartbeat":
      return `heartbeat at seq ${frame.last_seq}`;
    default:
      return assertNever(frame);
  }
}

export function describeResult(result: AgentResult): string {
  switch (result.agent) {
    case "numeric":
      return `${result.summary.checks_failed}/${result.summary.checks_run} checks failed`;
    case "logic":
      return `${result.summary.claims_checked} claims checked`;
    case "disclosure":
      return `${result.summary.missing} missing of ${result.summary.requirements_checked}`;
    case "external":
      return `${result.summary.verified} verified, ${result.summary.contradicted} contradicted`;
    default:
      return assertNever(result);
  }
}

export function seqOf(event: LogEvent): number {
  return event.seq;
}

export function describeReviewFrame(frame: ReviewFrame): string {
  switch (frame.type) {
    case "decision_recorded":
      return `${frame.finding_id} ${frame.decision}${frame.reason ? ` (${frame.reason})` : ""} by ${frame.reviewer}`;
    case "audit_signed_off":
      return `signed off by ${frame.reviewer}: ${frame.counts.decided} of ${frame.counts.total} decided`;
    case "drafts_compared":
      return `against ${frame.previous_audit_id}: ${frame.findings.length} compared, ${frame.resolved.length} resolved`;
    case "heartbeat":
      return `review heartbeat at seq ${frame.last_seq}`;
    default:
      return assertNever(frame);
  }
}
