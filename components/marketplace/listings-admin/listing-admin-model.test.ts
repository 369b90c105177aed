import { describe, expect, it } from "vitest";
import { LISTING_KINDS } from "@/server/marketplace/manifest";
import { ICON_MAX_BYTES, normalizeIcon, README_MAX_BYTES } from "@/server/marketplace/content";
import {
  changedListingFields,
  checkListingValues,
  emptyListingValues,
  iconPreviewSrc,
  iconProblem,
  listingFieldsInput,
  slugFromName,
  valuesOfListing,
} from "./listing-form-model";
import { checkManifestDraft, initialManifestText, manifestTemplate, versionProblem } from "./publish-model";

const limits = { readmeBytes: README_MAX_BYTES, iconBytes: ICON_MAX_BYTES };
const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>';

describe("the listing form", () => {
  it("suggests a slug from the name", () => {
    expect(slugFromName("Keyword Blocker 2!")).toBe("keyword-blocker-2");
    expect(slugFromName("  Ünïcode -- name ")).toBe("unicode-name");
    expect(slugFromName("x".repeat(70))).toHaveLength(64);
  });

  it("checks categories, tags, README and icon sizes before sending, in the server's words", () => {
    const ok = { ...emptyListingValues(), kind: "GATEWAY_PLUGIN" as const, categories: ["security" as const], tags: "pii, EU" };
    expect(checkListingValues(ok, limits, { requireKind: true })).toEqual({});
    expect(checkListingValues({ ...ok, kind: "" }, limits, { requireKind: true })).toEqual({ kind: expect.any(String) });
    expect(checkListingValues({ ...ok, categories: [] }, limits).categories).toBe("Choose at least one category");
    expect(checkListingValues({ ...ok, categories: ["security", "privacy", "cost", "routing"] as const }, limits).categories).toBe("Choose at most 3 categories");
    expect(checkListingValues({ ...ok, tags: "good, bad tag" }, limits).tags).toMatch(/“bad tag” is not a valid tag/);
    expect(checkListingValues({ ...ok, tags: Array.from({ length: 11 }, (_, i) => `t${i}`).join(",") }, limits).tags).toBe("At most 10 tags");
    expect(checkListingValues({ ...ok, readme: "é".repeat(README_MAX_BYTES / 2 + 1) }, limits).readme).toMatch(/^The README is 101 KB; the most a README may have is 100 KB/);
    expect(checkListingValues({ ...ok, icon: `data:image/png;base64,${"A".repeat(ICON_MAX_BYTES)}` }, limits).icon).toMatch(/^The icon is 65 KB; the most an icon may have is 64 KB/);
  });

  it("previews and size-checks an icon the way the server will store it", () => {
    expect(iconProblem("", ICON_MAX_BYTES)).toBeNull();
    expect(iconProblem(svg, ICON_MAX_BYTES)).toBeNull();
    // SVG markup becomes the same data: URL the server stores.
    expect(iconPreviewSrc(svg)).toBe(normalizeIcon(svg));
    expect(iconProblem("https://example.com/icon.png", ICON_MAX_BYTES)).toMatch(/data: URL of a PNG/);
    // Under the cap as markup, over it once base64-encoded: refused by the server too.
    const big = `<svg xmlns="http://www.w3.org/2000/svg">${"<g/>".repeat(13_000)}</svg>`;
    expect(iconProblem(big, ICON_MAX_BYTES)).toMatch(/^The SVG icon is \d+ KB once encoded/);
    expect(() => normalizeIcon(big)).toThrow(/once encoded/);
  });

  it("sends only what changed, with empty optional fields as null", () => {
    const listing = { name: "Probe", summary: "A probe listing here", readme: "# Hi", icon: null, categories: ["security"], tags: ["a", "b"], license: "MIT", sourceUrl: null };
    const initial = valuesOfListing(listing);
    expect(changedListingFields(initial, initial)).toEqual({});
    expect(changedListingFields(initial, { ...initial, tags: "b, a", license: " ", summary: "A probe listing here " })).toEqual({ tags: ["b", "a"], license: null });
    expect(listingFieldsInput({ ...initial, icon: ` ${svg} ` })).toMatchObject({ icon: svg, sourceUrl: null, tags: ["a", "b"] });
  });
});

describe("the publish form", () => {
  it("starts every kind from a template the server's schema accepts", () => {
    for (const kind of LISTING_KINDS) {
      expect(checkManifestDraft(initialManifestText(kind, null), kind)).toEqual({ ok: true, manifest: manifestTemplate(kind) });
    }
  });

  it("names every problem with its field, as the server would", () => {
    expect(checkManifestDraft("", "GATEWAY_PLUGIN")).toEqual({ ok: false, issues: [{ path: "manifest", message: "Paste the manifest: a JSON object" }] });
    expect(checkManifestDraft("{ nope", "GATEWAY_PLUGIN")).toMatchObject({ ok: false, issues: [{ path: "manifest", message: expect.stringMatching(/^This is not valid JSON/) }] });
    expect(checkManifestDraft("[1]", "GATEWAY_PLUGIN")).toMatchObject({ ok: false, issues: [{ message: "The manifest is a JSON object ({ … })" }] });
    const bad = checkManifestDraft(JSON.stringify({ kind: "GATEWAY_PLUGIN", serviceUrl: "ftp://x", hooks: ["before_request", "sometimes"], extra: 1 }), "GATEWAY_PLUGIN");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.issues.map((i) => i.path).sort()).toEqual(["manifest", "manifest.hooks.1", "manifest.serviceUrl"]);
    expect(!bad.ok && bad.issues.find((i) => i.path === "manifest")?.message).toBe('Unknown field "extra" in a gateway plugin manifest');
    expect(checkManifestDraft(initialManifestText("POLICY_PACK", null), "GATEWAY_PLUGIN")).toMatchObject({ ok: false, issues: [{ path: "manifest.kind", message: expect.stringContaining("is a policy pack (POLICY_PACK) but this is a gateway plugin") }] });
  });

  it("keeps the manifest exactly as written: defaults are not filled in (the signature covers what is sent)", () => {
    const check = checkManifestDraft('{"kind":"GATEWAY_PLUGIN","serviceUrl":"https://p.example.com/h","hooks":["stream_chunk"]}', "GATEWAY_PLUGIN");
    expect(check).toEqual({ ok: true, manifest: { kind: "GATEWAY_PLUGIN", serviceUrl: "https://p.example.com/h", hooks: ["stream_chunk"] } });
  });

  it("wants a semantic version greater than every one published, yanked ones included", () => {
    expect(versionProblem("1.0.0", [])).toBeNull();
    expect(versionProblem("", [])).toBe("Give the version, e.g. 1.0.0");
    expect(versionProblem("v1", [])).toMatch(/is not a semantic version/);
    expect(versionProblem("1.0.0", ["1.0.0"])).toMatch(/already published/);
    expect(versionProblem("1.0.1", ["1.1.0", "1.0.0"])).toMatch(/not greater than 1.1.0.*use e.g. 1.1.1/);
    expect(versionProblem("2.0.0-beta.1", ["1.1.0"])).toBeNull();
  });
});
