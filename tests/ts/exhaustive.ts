// Compile-time checks on the generated contract: every frame type is handled, and the unions
// narrow on their discriminators. A type added to the schema without a case here fails tsc.
import type { AgentResult, CloseCode, Finding, Frame, LogEvent, ProblemCode } from "../../generated/contract";

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

export function describeFinding(finding: Finding): string {
  switch (finding.agent) {
    case "numeric":
      return `${finding.check}: expected ${finding.expected}, found ${finding.actual}`;
    case "logic":
      return `${finding.check}: ${finding.claim}`;
    case "disclosure":
      return `${finding.standard}: ${finding.requirement} (${finding.status})`;
    case "external":
      return `${finding.source}: ${finding.status}`;
    default:
      return assertNever(finding);
  }
}

// Every finding a result holds is a Finding.
export const findingsOf = (result: AgentResult): Finding[] => result.findings;

export function shouldReconnect(code: CloseCode): boolean {
  switch (code) {
    case 1000:
    case 4400:
    case 4403:
    case 4404:
      return false;
    case 1001:
    case 1011:
    case 1013:
      return true;
    default:
      return assertNever(code);
  }
}

export const problemCodes: ProblemCode[] = ["unknown_audit", "too_many_audits", "invalid_document"];
