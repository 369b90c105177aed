import { z } from "zod";
import { idSchema } from "@/server/orgs/schema";

export const REQUEST_KINDS = ["EXPORT", "ERASE"] as const;
export const REQUEST_STATUSES = ["PENDING", "RUNNING", "COMPLETED", "FAILED"] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The gateway keeps at most this many characters of a subject (see server/gateway/inbound). */
export const MAX_SUBJECT_LENGTH = 256;

/**
 * The identifier applications pass to the gateway (OpenAI `user` or `x-helix-subject`). Matched
 * exactly, so it is not trimmed: leading or trailing spaces are refused rather than silently
 * changed into a subject that matches nothing. A refinement rather than a regex, so the isolation
 * suite can still sample it.
 */
export const subjectSchema = z
  .string({ message: "Give the subject identifier" })
  .min(1, "Give the subject identifier")
  .max(MAX_SUBJECT_LENGTH, `A subject identifier has at most ${MAX_SUBJECT_LENGTH} characters (the gateway keeps no more)`)
  .refine((s) => !/[\p{Cc}\p{Zl}\p{Zp}]/u.test(s), "A subject identifier has printable characters only (no control characters or line breaks)")
  .refine((s) => s.trim() === s, "Remove the spaces at the start or end: subjects are matched exactly");

export const requestKindSchema = z.enum(REQUEST_KINDS, { message: "A request is EXPORT or ERASE" });
export const requestStatusSchema = z.enum(REQUEST_STATUSES);

export const createRequestInput = z.object({ subject: subjectSchema, kind: requestKindSchema });
export const requestIdInput = z.object({ requestId: idSchema });

/**
 * What a request found (EXPORT) or erased (ERASE), per kind of record. Kept small: the export file
 * itself is produced when it is downloaded, never stored in the row.
 */
export const requestResult = z.object({
  /** Gateway request rows (one per client request). */
  requests: z.number().int(),
  /** Gateway attempt rows (one per call to an agent). */
  attempts: z.number().int(),
  /** Feedback rows: exported, or whose label and subject link were erased. */
  feedback: z.number().int(),
  /** EXPORT: earlier data-subject requests for the same subject. */
  priorRequests: z.number().int().optional(),
  /** EXPORT: the file holds what was stored up to this instant (ISO 8601), minus anything erased since. */
  snapshotAt: z.string().optional(),
  /** ERASE: bounded transactions it took. */
  batches: z.number().int().optional(),
});
export type RequestResult = z.infer<typeof requestResult>;

export const requestView = z.object({
  id: z.string(),
  subject: z.string(),
  kind: requestKindSchema,
  status: requestStatusSchema,
  requestedByEmail: z.string().nullable(),
  result: requestResult.nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
  completedAt: z.date().nullable(),
});
export type RequestView = z.infer<typeof requestView>;

