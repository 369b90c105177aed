import { z } from "zod";
import { idSchema } from "@/server/orgs/schema";

export const createApiKeyInput = z.object({
  name: z.string().trim().min(2, "A name has at least 2 characters").max(80, "A name has at most 80 characters"),
  /** Routes the key may use; empty means every route of the organization. */
  routeIds: z.array(idSchema).max(100, "At most 100 routes").default([]),
  expiresAt: z.coerce
    .date({ message: "Give a valid expiry date" })
    .refine((d) => d.getTime() > Date.now(), "The expiry date must be in the future")
    .nullable()
    .optional(),
  rateLimitPerMinute: z.number().int().min(1, "A rate limit is 1–1,000,000 requests a minute").max(1_000_000, "A rate limit is 1–1,000,000 requests a minute").nullable().optional(),
});

export const apiKeyIdInput = z.object({ apiKeyId: idSchema });

export const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  routeIds: z.array(z.string()),
  routes: z.array(z.object({ id: z.string(), name: z.string() })),
  expiresAt: z.date().nullable(),
  rateLimitPerMinute: z.number().int().nullable(),
  revokedAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  createdAt: z.date(),
  status: z.enum(["active", "expired", "revoked"]),
});
export type ApiKeyView = z.infer<typeof apiKeyView>;

export const createdApiKey = z.object({
  key: apiKeyView,
  /** The whole key: shown once, never stored. */
  secret: z.string(),
});
