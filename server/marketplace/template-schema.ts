import { z } from "zod";
import { configValues } from "./installs/schema";
import { listingSlugSchema } from "./schema";

/** Applying a route or agent template: the values of its form. */
export const applyTemplateInput = z.object({
  listingSlug: listingSlugSchema,
  /** Omitted: the newest version that is not yanked. */
  version: z.string().trim().max(64).optional(),
  config: configValues.default({}),
});

/** What applying a template created. */
export const appliedTemplate = z.object({
  type: z.enum(["route", "agent"]),
  id: z.string(),
  name: z.string(),
  slug: z.string(),
});
export type AppliedTemplate = z.infer<typeof appliedTemplate>;
