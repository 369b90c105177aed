import { canonicalJson, listingKindLabel, manifestSchema, MAX_MANIFEST_BYTES, type ListingKind } from "@/server/marketplace/manifest";
import { checkNextVersion } from "@/server/marketplace/versions";
import { utf8Length } from "./listing-form-model";

/*
 * The publish form's checks, made in the browser with the server's own code: the manifest schema
 * (server/marketplace/manifest.ts) and the version rule (server/marketplace/versions.ts). What is
 * sent and signed is the manifest exactly as parsed from the text, never with defaults filled in.
 */

export interface ManifestIssue {
  /** "manifest.hooks.0", the way the server names fields. */
  path: string;
  message: string;
}

export type ManifestDraftCheck = { ok: true; manifest: Record<string, unknown> } | { ok: false; issues: ManifestIssue[] };

/** Parses and checks the manifest text for a listing of `kind`; every problem with the field it is about. */
export function checkManifestDraft(text: string, kind: ListingKind): ManifestDraftCheck {
  if (!text.trim()) return { ok: false, issues: [{ path: "manifest", message: "Paste the manifest: a JSON object" }] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: "manifest", message: `This is not valid JSON: ${(error as Error).message}` }] };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, issues: [{ path: "manifest", message: "The manifest is a JSON object ({ … })" }] };
  const manifest = value as Record<string, unknown>;
  const size = utf8Length(canonicalJson(manifest));
  if (size > MAX_MANIFEST_BYTES) {
    return { ok: false, issues: [{ path: "manifest", message: `The manifest is ${Math.ceil(size / 1024)} KB; the most a manifest may have is ${MAX_MANIFEST_BYTES / 1024} KB` }] };
  }
  const parsed = manifestSchema.safeParse(manifest);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: ["manifest", ...i.path.map(String)].join("."), message: i.message })) };
  }
  if (parsed.data.kind !== kind) {
    return {
      ok: false,
      issues: [
        {
          path: "manifest.kind",
          message: `The manifest is a ${listingKindLabel[parsed.data.kind].toLowerCase()} (${parsed.data.kind}) but this is a ${listingKindLabel[kind].toLowerCase()} (${kind}) listing`,
        },
      ],
    };
  }
  return { ok: true, manifest };
}

/** Null when `version` may follow the versions published so far (yanked ones count), else why not. */
export function versionProblem(version: string, published: readonly string[]): string | null {
  if (!version.trim()) return "Give the version, e.g. 1.0.0";
  const check = checkNextVersion(version, published);
  return check.ok ? null : check.message;
}

/** A starting manifest for a listing's first version: the least each kind needs, to fill in. */
export function manifestTemplate(kind: ListingKind): Record<string, unknown> {
  switch (kind) {
    case "GATEWAY_PLUGIN":
      return { kind, serviceUrl: "https://plugins.example.com/hook", hooks: ["before_request"], timeoutMs: 1000, failMode: "open" };
    case "POLICY_PACK":
      return { kind, policies: [{ name: "Deny secrets", mode: "ENFORCE", condition: '"SECRET" in request.labels', effect: "DENY" }] };
    case "ROUTE_TEMPLATE":
      return {
        kind,
        configSchema: { type: "object", properties: { primaryAgent: { type: "string", title: "Primary agent" } }, required: ["primaryAgent"] },
        route: { name: "Chat", slug: "chat", alias: "chat", strategy: "PRIORITY", targets: [{ agent: "{{primaryAgent}}" }] },
      };
    case "AGENT_TEMPLATE":
      return {
        kind,
        configSchema: { type: "object", properties: { baseUrl: { type: "string", title: "Base URL" } }, required: ["baseUrl"] },
        agent: { protocol: "OPENAI", url: "{{baseUrl}}", name: "My agent" },
      };
  }
}

/** The manifest text the form starts with: the newest version's manifest as signed, else a template. */
export function initialManifestText(kind: ListingKind, latest: Record<string, unknown> | null): string {
  return JSON.stringify(latest ?? manifestTemplate(kind), null, 2);
}
