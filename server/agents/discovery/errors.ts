import { DomainError } from "@/server/errors/domain-error";

export type DiscoveryErrorCode =
  | "invalid_url"
  | "blocked_address"
  | "dns"
  | "unreachable"
  | "tls"
  | "timeout"
  | "http_error"
  | "not_json"
  | "too_large"
  | "invalid_document"
  | "unsupported";

/**
 * Why HelixAgent could not learn what an agent can do, or reach it at all. Always BAD_REQUEST: the
 * cause lies in what was entered or in the agent, never in HelixAgent, and the message says what to do.
 */
export class DiscoveryError extends DomainError {
  readonly code: DiscoveryErrorCode;
  /** The HTTP status the agent answered with, for `http_error`. */
  readonly status: number | null;

  constructor(code: DiscoveryErrorCode, message: string, options?: { status?: number | null; cause?: unknown; field?: string }) {
    super("BAD_REQUEST", message, { cause: options?.cause, field: options?.field });
    this.name = "DiscoveryError";
    this.code = code;
    this.status = options?.status ?? null;
  }
}

export const isDiscoveryError = (e: unknown): e is DiscoveryError => e instanceof DiscoveryError;

/** Failures that concern the host as a whole: no other path or protocol on it would fare better. */
export const HOST_LEVEL_CODES: ReadonlySet<DiscoveryErrorCode> = new Set(["invalid_url", "blocked_address", "dns", "unreachable", "tls"]);
