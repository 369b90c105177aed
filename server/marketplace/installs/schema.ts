import { z } from "zod";
import { idSchema } from "@/server/orgs/schema";
import { listingKindSchema, listingSlugSchema } from "../schema";

/** A configuration value as an install form sends it. */
const configValue = z.union([z.string().max(10_000, "A configuration value has at most 10,000 characters"), z.number(), z.boolean()]);
export const configValues = z.record(z.string().max(100), configValue, { message: "The configuration is an object of field names to values" });

export const failModeSchema = z.enum(["open", "closed"], { message: 'The fail mode is "open" (let requests through when the plugin fails) or "closed" (refuse them)' });

const routeIds = z.array(idSchema).max(200, "At most 200 routes").refine((ids) => new Set(ids).size === ids.length, "A route is listed twice");

export const createInstallInput = z.object({
  listingSlug: listingSlugSchema,
  /** Omitted: the newest version that is not yanked. */
  version: z.string().trim().max(64).optional(),
  config: configValues.default({}),
  /** Gateway plugins: the routes it applies to; empty = every route. */
  routeIds: routeIds.default([]),
  /** Gateway plugins: omitted = the manifest's default. */
  failMode: failModeSchema.optional(),
});

export const installIdInput = z.object({ installId: idSchema });

export const previewUpgradeInput = z.object({ installId: idSchema, version: z.string().trim().min(1, "Choose a version").max(64) });

export const upgradeInstallInput = z.object({
  installId: idSchema,
  version: z.string().trim().min(1, "Choose a version").max(64),
  /** Omitted: the current configuration, kept where the new version's schema still has the field. */
  config: configValues.optional(),
});

export const updateInstallInput = z.object({
  installId: idSchema,
  /** Secret fields left out (or sent empty) keep their stored value. */
  config: configValues.optional(),
  routeIds: routeIds.optional(),
  failMode: failModeSchema.optional(),
  enabled: z.boolean().optional(),
});

export const installView = z.object({
  id: z.string(),
  listing: z.object({ slug: z.string(), name: z.string(), kind: listingKindSchema, icon: z.string().nullable(), publisherName: z.string(), verified: z.boolean() }),
  version: z.string(),
  /** The newest version that is not yanked (an upgrade is available when it differs). */
  latestVersion: z.string().nullable(),
  enabled: z.boolean(),
  failMode: failModeSchema.nullable(),
  routeIds: z.array(z.string()),
  /** Values of the fields that are not secret. */
  config: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** Secret fields that have a value (their values are never returned). */
  secretsSet: z.array(z.string()),
  /** Policy packs: the policies the install created. */
  policies: z.array(z.object({ id: z.string(), name: z.string() })),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type InstallView = z.infer<typeof installView>;

export const installDetail = installView.extend({
  /** The installed version's configuration schema (JSON Schema subset). */
  configSchema: z.unknown(),
  availableVersions: z.array(z.object({ version: z.string(), changelog: z.string(), yanked: z.boolean() })),
});

export const upgradePreview = z.object({
  from: z.string(),
  to: z.string(),
  /** The changelogs of the versions after the installed one, up to the chosen one, newest first. */
  changelogs: z.array(z.object({ version: z.string(), changelog: z.string() })),
  configChanges: z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()) }),
  /** Policy packs: policy names the upgrade adds and removes. */
  policyChanges: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }).nullable(),
});
