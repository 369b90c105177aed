import type { OwnListingView, PublisherView } from "@/server/marketplace/schema";

/** The publisher page's pure pieces: form drafts to API inputs, key and listing states in words. */

export interface ProfileDraft {
  displayName: string;
  description: string;
  website: string;
}

export interface NewPublisherDraft extends ProfileDraft {
  slug: string;
  /** Whether the slug was typed by hand (then the name no longer suggests it). */
  slugEdited: boolean;
}

export const emptyNewPublisherDraft: NewPublisherDraft = { slug: "", slugEdited: false, displayName: "", description: "", website: "" };

export function profileDraftOf(p: Pick<PublisherView, "displayName" | "description" | "website">): ProfileDraft {
  return { displayName: p.displayName, description: p.description ?? "", website: p.website ?? "" };
}

/** "Acme Labs, Inc." → "acme-labs-inc": a slug suggestion the server's rules accept (or "" for none). */
export function suggestSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/, "");
}

/** The create input: blanks are left out (the server keeps them empty). */
export function newPublisherInput(d: NewPublisherDraft) {
  return {
    slug: d.slug.trim(),
    displayName: d.displayName.trim(),
    description: d.description.trim() || null,
    website: d.website.trim() || null,
  };
}

/** The update input: only what changed; a cleared field becomes null. Null when nothing changed. */
export function profileChanges(before: ProfileDraft, after: ProfileDraft) {
  const out: { displayName?: string; description?: string | null; website?: string | null } = {};
  if (after.displayName.trim() !== before.displayName.trim()) out.displayName = after.displayName.trim();
  if (after.description.trim() !== before.description.trim()) out.description = after.description.trim() || null;
  if (after.website.trim() !== before.website.trim()) out.website = after.website.trim() || null;
  return Object.keys(out).length ? out : null;
}

export type PublisherKey = PublisherView["keys"][number];

/** Keys that may still sign. */
export const activeKeys = (keys: readonly PublisherKey[]) => keys.filter((k) => k.revokedAt === null);

/** "ed25519:3f9a…c07e": a fingerprint short enough for a table (the full one is in its title). */
export function shortKeyId(keyId: string): string {
  const hex = keyId.replace(/^ed25519:/, "");
  return hex.length > 12 ? `ed25519:${hex.slice(0, 8)}…${hex.slice(-4)}` : keyId;
}

/** What revoking a key will do, in words, for its confirmation dialog. */
export function revokeConsequences(key: PublisherKey, keys: readonly PublisherKey[]): string[] {
  const out = ["It can no longer sign new versions."];
  out.push(
    key.signedVersions === 0
      ? "No published version was signed with it, so nothing already published is affected."
      : `The ${key.signedVersions === 1 ? "version" : `${key.signedVersions} versions`} it signed can no longer be installed or upgraded to by any organization; installs that already run ${key.signedVersions === 1 ? "it" : "them"} keep running. Publish new versions signed with a current key.`,
  );
  if (activeKeys(keys).every((k) => k.keyId === key.keyId)) out.push("It is your last key in use: add a new key before publishing again.");
  out.push("This cannot be undone, and a revoked key cannot be added again.");
  return out;
}

export type ListingState = "draft" | "published" | "yanked";

export function listingState(l: Pick<OwnListingView, "publishedAt" | "latestVersion">): ListingState {
  if (l.publishedAt === null) return "draft";
  return l.latestVersion === null ? "yanked" : "published";
}

export const listingStateLabel: Record<ListingState, string> = { draft: "Draft", published: "Published", yanked: "Every version yanked" };
