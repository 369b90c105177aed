import { z } from "zod";
import { idSchema } from "@/server/orgs/schema";
import { MAX_NAME_LENGTH, MAX_PATTERN_LENGTH } from "@/server/policies/pii/limits";

// The name's form (UPPER_SNAKE_CASE, not a built-in kind) and the pattern's meaning (RE2, bounded,
// never empty) are checked by compileCustomPattern in the service, so both give one kind of message.

export const MAX_DESCRIPTION_LENGTH = 500;

export const piiPatternInput = z.object({
  name: z
    .string({ message: "Give the pattern a name, e.g. EMPLOYEE_ID" })
    .trim()
    .min(1, "Give the pattern a name, e.g. EMPLOYEE_ID")
    .max(MAX_NAME_LENGTH, `A name has at most ${MAX_NAME_LENGTH} characters`),
  pattern: z
    .string({ message: "Enter a pattern (RE2 syntax, e.g. EMP-[0-9]{6})" })
    .min(1, "Enter a pattern (RE2 syntax, e.g. EMP-[0-9]{6})")
    .max(MAX_PATTERN_LENGTH, `A pattern has at most ${MAX_PATTERN_LENGTH} characters`),
  description: z
    .string()
    .trim()
    .max(MAX_DESCRIPTION_LENGTH, `A description has at most ${MAX_DESCRIPTION_LENGTH} characters`)
    .nullable()
    .optional()
    .transform((d) => (d ? d : null)),
});
export type PiiPatternInput = z.output<typeof piiPatternInput>;

export const piiPatternIdInput = z.object({ patternId: idSchema });
export const updatePiiPatternInput = piiPatternInput.extend({ patternId: idSchema });

export const piiPatternView = z.object({
  id: z.string(),
  name: z.string(),
  pattern: z.string(),
  description: z.string().nullable(),
  /** The longest text the pattern can match; null if it no longer compiles. */
  maxLength: z.number().int().nullable(),
  /** Policies that mask this kind by name (renaming or deleting it is refused while they do). */
  usedBy: z.array(z.string()),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type PiiPatternView = z.infer<typeof piiPatternView>;
