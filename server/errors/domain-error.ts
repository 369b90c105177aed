/**
 * Errors services throw. They speak the product's language; `server/trpc/errors.ts` is the one place
 * that turns them into tRPC codes (and HTTP statuses).
 */
export type DomainErrorKind =
  | "UNAUTHORIZED" // not signed in
  | "FORBIDDEN" // signed in, role too low
  | "NOT_FOUND" // missing, or another organization's
  | "BAD_REQUEST" // invalid input; the message says how to fix it
  | "CONFLICT" // would duplicate something unique
  | "TOO_MANY_REQUESTS";

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  /** Optional field the message is about, so forms can show it next to the right input. */
  readonly field?: string;

  constructor(kind: DomainErrorKind, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "DomainError";
    this.kind = kind;
    this.field = options?.field;
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`);
export const forbidden = (message: string) => new DomainError("FORBIDDEN", message);
export const badRequest = (message: string, field?: string) => new DomainError("BAD_REQUEST", message, { field });
export const conflict = (message: string, field?: string) => new DomainError("CONFLICT", message, { field });
