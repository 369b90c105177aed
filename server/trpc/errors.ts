import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { Prisma } from "@/server/generated/prisma/client";
import { DomainError } from "@/server/errors/domain-error";

/**
 * The one place where errors become tRPC codes. Services throw `DomainError`s; a few Prisma errors
 * that clients can provoke (a unique value taken, a row gone between read and write) are mapped too,
 * so nothing a client sends turns into a 500.
 */
export function toTRPCError(error: unknown): TRPCError | null {
  if (error instanceof TRPCError) return error.cause ? toTRPCError(error.cause) ?? error : error;
  if (error instanceof DomainError) {
    return new TRPCError({ code: error.kind, message: error.message, cause: error });
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") {
      return new TRPCError({ code: "CONFLICT", message: "That value is already taken", cause: error });
    }
    if (error.code === "P2025") {
      return new TRPCError({ code: "NOT_FOUND", message: "Not found", cause: error });
    }
  }
  return null;
}

export interface FieldErrors {
  [field: string]: string[] | undefined;
}

/** Shapes every error sent to clients: readable validation messages, no internals for 5xx. */
export function formatError({
  shape,
  error,
}: {
  shape: { message: string; code: number; data: Record<string, unknown> & { httpStatus: number } };
  error: TRPCError;
}) {
  const data: Record<string, unknown> = { ...shape.data };
  delete data.stack;
  let message = shape.message;
  if (error.code === "BAD_REQUEST" && error.cause instanceof ZodError) {
    message = describeZodError(error.cause);
    data.fieldErrors = fieldErrorsOf(error.cause);
  } else if (error.cause instanceof DomainError && error.cause.field) {
    data.fieldErrors = { [error.cause.field]: [error.message] } satisfies FieldErrors;
  }
  if (shape.data.httpStatus >= 500) {
    message = "Something went wrong on our side. The error has been logged; please try again.";
  }
  return { ...shape, message, data };
}

/**
 * Messages by the dotted path of the field they are about ("slug", "targets.0.weight"), so a form
 * can put each next to its field however deep it sits. Issues about the whole input are left to
 * the message.
 */
export function fieldErrorsOf(error: ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    if (issue.path.length === 0) continue;
    const key = issue.path.map(String).join(".");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** "name: Too long (at most 80 characters); slug: ..." — one line a person can act on. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
