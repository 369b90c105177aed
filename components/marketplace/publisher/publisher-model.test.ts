import { describe, expect, it } from "vitest";
import { createPublisherInput } from "@/server/marketplace/schema";
import { listingState, newPublisherInput, profileChanges, revokeConsequences, shortKeyId, suggestSlug, type PublisherKey } from "./publisher-model";

const key = (over: Partial<PublisherKey> = {}): PublisherKey => ({
  keyId: `ed25519:${"a".repeat(32)}`,
  publicKey: "x",
  label: null,
  createdAt: new Date(0),
  revokedAt: null,
  signedVersions: 0,
  ...over,
});

describe("publisher page model", () => {
  it("suggests slugs the server accepts", () => {
    for (const [name, slug] of [
      ["Acme Labs, Inc.", "acme-labs-inc"],
      ["  Ünïcode — Tools ", "unicode-tools"],
      ["!!!", ""],
      ["x".repeat(70), "x".repeat(64)],
    ] as const) {
      expect(suggestSlug(name)).toBe(slug);
      if (slug.length >= 2) expect(createPublisherInput.shape.slug.safeParse(slug).success).toBe(true);
    }
  });

  it("turns drafts into inputs: blanks become null, only changes are sent", () => {
    expect(newPublisherInput({ slug: " acme ", slugEdited: true, displayName: " Acme ", description: " ", website: "" })).toEqual({ slug: "acme", displayName: "Acme", description: null, website: null });
    const before = { displayName: "Acme", description: "Tools", website: "https://acme.example" };
    expect(profileChanges(before, { ...before, displayName: "Acme " })).toBeNull();
    expect(profileChanges(before, { ...before, description: "", website: "https://acme.example/new" })).toEqual({ description: null, website: "https://acme.example/new" });
  });

  it("says what revoking a key does", () => {
    const used = key({ keyId: `ed25519:${"b".repeat(32)}`, signedVersions: 3 });
    const other = key();
    expect(revokeConsequences(used, [used, other])).toEqual([
      "It can no longer sign new versions.",
      expect.stringContaining("The 3 versions it signed can no longer be installed"),
      "This cannot be undone, and a revoked key cannot be added again.",
    ]);
    expect(revokeConsequences(other, [used, other])).toContain("No published version was signed with it, so nothing already published is affected.");
    expect(revokeConsequences(other, [{ ...used, revokedAt: new Date() }, other])).toContain("It is your last key in use: add a new key before publishing again.");
    expect(shortKeyId(`ed25519:0123456789abcdef0123456789abcdef`)).toBe("ed25519:01234567…cdef");
  });

  it("names a listing's state", () => {
    expect(listingState({ publishedAt: null, latestVersion: null })).toBe("draft");
    expect(listingState({ publishedAt: new Date(), latestVersion: "1.0.0" })).toBe("published");
    expect(listingState({ publishedAt: new Date(), latestVersion: null })).toBe("yanked");
  });
});
