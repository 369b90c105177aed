import { z } from "zod";
import { CHECK_KEYS, type CheckKey } from "./check-keys";

export const COMPLIANCE_STATUSES = ["PASS", "FAIL", "NOT_APPLICABLE"] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];
export const complianceStatusSchema = z.enum(COMPLIANCE_STATUSES);

/** A control's status: from its checks, or NOT_RUN (no results yet) / MANUAL (no automated checks). */
export const CONTROL_STATUSES = ["PASS", "FAIL", "NOT_APPLICABLE", "NOT_RUN", "MANUAL"] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];
export const controlStatusSchema = z.enum(CONTROL_STATUSES);

// ---------------------------------------------------------------------------------------------
// Evidence: what a check looked at, stored with its result (ComplianceCheckResult.evidence)

export const evidenceFact = z.object({ label: z.string(), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) });
/** An object that makes the check fail, named so someone can go and fix it. */
export const evidenceOffender = z.object({ kind: z.string(), id: z.string(), name: z.string(), reason: z.string() });

export const MAX_OFFENDERS = 50;

export const evidenceSchema = z.object({
  /** One sentence: the outcome and why. */
  summary: z.string(),
  facts: z.array(evidenceFact),
  /** At most MAX_OFFENDERS; offendersTotal counts all of them. */
  offenders: z.array(evidenceOffender),
  offendersTotal: z.number().int(),
  /** Things worth attention that do not fail the check. */
  warnings: z.array(z.string()),
  /** How the check decided, including what it cannot see. */
  method: z.string(),
});
export type Evidence = z.infer<typeof evidenceSchema>;
export type EvidenceFact = z.infer<typeof evidenceFact>;
export type EvidenceOffender = z.infer<typeof evidenceOffender>;

export const checkKeySchema = z.enum(CHECK_KEYS, {
  error: (issue) =>
    `Unknown check ${typeof issue.input === "string" ? `“${issue.input}”` : JSON.stringify(issue.input)}; the checks are ${CHECK_KEYS.join(", ")}`,
});

// ---------------------------------------------------------------------------------------------
// Overview

export const checkResultView = z.object({
  key: checkKeySchema,
  title: z.string(),
  description: z.string(),
  /** NOT_RUN: never run for this organization yet. */
  status: z.enum([...COMPLIANCE_STATUSES, "NOT_RUN"]),
  evidence: evidenceSchema.nullable(),
  checkedAt: z.date().nullable(),
});
export type CheckResultView = z.infer<typeof checkResultView>;

export const controlView = z.object({
  controlId: z.string(),
  title: z.string(),
  description: z.string(),
  status: controlStatusSchema,
  /** Its checks' outcomes; the evidence itself is in the overview's `checks`. */
  checks: z.array(z.object({ key: checkKeySchema, title: z.string(), status: z.enum([...COMPLIANCE_STATUSES, "NOT_RUN"]), summary: z.string().nullable() })),
  /** When the oldest of its check results was taken (null when none ran). */
  checkedAt: z.date().nullable(),
});
export type ControlView = z.infer<typeof controlView>;

export const statusCounts = z.object({
  PASS: z.number().int(),
  FAIL: z.number().int(),
  NOT_APPLICABLE: z.number().int(),
  NOT_RUN: z.number().int(),
  MANUAL: z.number().int(),
});

export const frameworkView = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  builtIn: z.boolean(),
  controls: z.array(controlView),
  counts: statusCounts,
});
export type FrameworkView = z.infer<typeof frameworkView>;

export const complianceOverview = z.object({
  frameworks: z.array(frameworkView),
  checks: z.array(checkResultView),
  /** The newest check result's time (null when no check ran yet). */
  lastRunAt: z.date().nullable(),
});
export type ComplianceOverview = z.infer<typeof complianceOverview>;

// ---------------------------------------------------------------------------------------------
// Custom frameworks

export const MAX_CUSTOM_FRAMEWORKS = 50;
export const MAX_CONTROLS_PER_FRAMEWORK = 200;

/** A framework's key: how exports and the API name it. */
export const frameworkKeySchema = z
  .string({ message: "Give the framework a key" })
  .trim()
  .toLowerCase()
  .min(2, "A key has at least 2 characters")
  .max(40, "A key has at most 40 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "A key uses lowercase letters, digits and single dashes, e.g. acme-isms");

/** Naming an existing framework (no pattern: a key that does not exist is simply not found). */
const frameworkRef = z.string({ message: "Name the framework by its key" }).trim().toLowerCase().min(1, "Name the framework by its key").max(60, "No framework has a key that long");

const frameworkName = z.string({ message: "Give the framework a name" }).trim().min(2, "A name has at least 2 characters").max(80, "A name has at most 80 characters");
const frameworkDescription = z.string().trim().max(1000, "A description has at most 1000 characters");

export const createFrameworkInput = z.object({
  name: frameworkName,
  /** Made from the name when left out. */
  key: frameworkKeySchema.optional(),
  description: frameworkDescription.optional(),
});

export const updateFrameworkInput = z
  .object({
    frameworkKey: frameworkRef,
    name: frameworkName.optional(),
    /** An empty description removes it. */
    description: frameworkDescription.optional(),
  })
  .refine((v) => v.name !== undefined || v.description !== undefined, { message: "Nothing to change: give a name or a description" });

export const frameworkRefInput = z.object({ frameworkKey: frameworkRef });

/** A control's own id within its framework ("A.5.1", "ACME-4.2"): free text, as frameworks write them. */
const controlCode = z.string({ message: "Give the control's id" }).trim().min(1, "Give the control's id").max(40, "A control id has at most 40 characters");

export const upsertControlInput = z.object({
  frameworkKey: frameworkRef,
  /** Creates the control, or replaces the one with this id. */
  code: controlCode,
  title: z.string({ message: "Give the control a title" }).trim().min(2, "A title has at least 2 characters").max(160, "A title has at most 160 characters"),
  description: z.string().trim().max(2000, "A description has at most 2000 characters").default(""),
  /** Automated checks that give evidence for it; none makes it a manual control. */
  checks: z
    .array(checkKeySchema)
    .max(CHECK_KEYS.length, `At most ${CHECK_KEYS.length} checks`)
    .default([])
    .transform((keys) => [...new Set(keys)] as CheckKey[]),
});

export const controlRefInput = z.object({ frameworkKey: frameworkRef, code: controlCode });

export const customFrameworkView = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  controls: z.array(z.object({ controlId: z.string(), title: z.string(), description: z.string(), checks: z.array(checkKeySchema) })),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type CustomFrameworkView = z.infer<typeof customFrameworkView>;

export const runChecksResult = z.object({
  ran: z.number().int(),
  counts: z.object({ PASS: z.number().int(), FAIL: z.number().int(), NOT_APPLICABLE: z.number().int() }),
  checkedAt: z.date(),
});
