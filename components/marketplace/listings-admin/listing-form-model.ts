import { parseTags, TAG_PATTERN } from "@/components/agents/tags";
import type { ListingKind } from "@/server/marketplace/manifest";
import type { Category, OwnListingView } from "@/server/marketplace/schema";

/*
 * The listing form's values and the checks made before anything is sent. The server checks all of
 * it again (server/marketplace/schema.ts, content.ts); these only answer sooner, in the same words.
 */

/** Size caps of the service (server/marketplace/content.ts), handed down by the page. */
export interface ContentLimits {
  readmeBytes: number;
  iconBytes: number;
}

export interface CategoryOption {
  slug: Category;
  label: string;
}

export const MAX_LISTING_TAGS = 10;
export const MAX_CATEGORIES = 3;
export const ICON_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"] as const;

export interface ListingFormValues {
  name: string;
  summary: string;
  readme: string;
  /** A data: URL, SVG markup, or "" for none. */
  icon: string;
  categories: Category[];
  /** Comma-separated, as typed. */
  tags: string;
  license: string;
  sourceUrl: string;
}

export interface NewListingValues extends ListingFormValues {
  slug: string;
  kind: ListingKind | "";
}

export type ListingField = keyof NewListingValues;

export const emptyListingValues = (): NewListingValues => ({ slug: "", kind: "", name: "", summary: "", readme: "", icon: "", categories: [], tags: "", license: "", sourceUrl: "" });

export function valuesOfListing(l: Pick<OwnListingView, "name" | "summary" | "readme" | "icon" | "categories" | "tags" | "license" | "sourceUrl">): ListingFormValues {
  return {
    name: l.name,
    summary: l.summary,
    readme: l.readme,
    icon: l.icon ?? "",
    // The server only stores categories of its fixed list.
    categories: [...l.categories] as Category[],
    tags: l.tags.join(", "),
    license: l.license ?? "",
    sourceUrl: l.sourceUrl ?? "",
  };
}

/** "Keyword Blocker 2!" → "keyword-blocker-2": a slug suggestion from the name. */
export function slugFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/, "");
}

export const utf8Length = (text: string) => new TextEncoder().encode(text).length;

function base64Utf8(text: string): string {
  let binary = "";
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** What an <img> can show for the icon as typed: the data: URL, SVG markup as a data: URL, or null. */
export function iconPreviewSrc(icon: string): string | null {
  const text = icon.trim();
  if (!text) return null;
  if (text.startsWith("<")) return `data:image/svg+xml;base64,${base64Utf8(text)}`;
  return /^data:image\/(?:png|jpeg|gif|webp|svg\+xml)[;,]/i.test(text) ? text : null;
}

/** Why the icon would be refused for its size or form, or null (the server checks its content too). */
export function iconProblem(icon: string, maxBytes: number): string | null {
  const text = icon.trim();
  if (!text) return null;
  const size = utf8Length(text);
  if (size > maxBytes) return `The icon is ${Math.ceil(size / 1024)} KB; the most an icon may have is ${maxBytes / 1024} KB. Use a smaller image (a 128×128 PNG or an SVG).`;
  const src = iconPreviewSrc(text);
  if (!src) return "The icon is a data: URL of a PNG, JPEG, GIF, WebP or SVG image (data:image/png;base64,…), or SVG markup";
  if (text.startsWith("<") && src.length > maxBytes) return `The SVG icon is ${Math.ceil(src.length / 1024)} KB once encoded; the most an icon may have is ${maxBytes / 1024} KB`;
  return null;
}

/** An uploaded icon file as the form keeps it: SVG as its markup, other images as a data: URL. */
export async function readIconFile(file: File, maxBytes: number): Promise<{ ok: true; icon: string } | { ok: false; error: string }> {
  if (!(ICON_TYPES as readonly string[]).includes(file.type)) return { ok: false, error: `${file.name} is not a PNG, JPEG, GIF, WebP or SVG image` };
  // Base64 makes an image a third bigger, so a file over the cap can never fit.
  if (file.size > maxBytes) return { ok: false, error: `${file.name} is ${Math.ceil(file.size / 1024)} KB; the most an icon may have is ${maxBytes / 1024} KB. Use a smaller image (a 128×128 PNG or an SVG).` };
  const icon =
    file.type === "image/svg+xml"
      ? await file.text()
      : await new Promise<string>((resolve, reject) => {
          const reader = new FileReader();
          reader.onload = () => resolve(String(reader.result));
          reader.onerror = () => reject(reader.error ?? new Error("The file could not be read"));
          reader.readAsDataURL(file);
        });
  const problem = iconProblem(icon, maxBytes);
  return problem ? { ok: false, error: problem } : { ok: true, icon: icon.trim() };
}

/** Problems found before sending, by field; empty when there are none. */
export function checkListingValues(values: ListingFormValues & Partial<Pick<NewListingValues, "kind">>, limits: ContentLimits, opts: { requireKind?: boolean } = {}): Partial<Record<ListingField, string>> {
  const errors: Partial<Record<ListingField, string>> = {};
  if (opts.requireKind && !values.kind) errors.kind = "Choose what kind of listing this is";
  if (values.categories.length === 0) errors.categories = "Choose at least one category";
  else if (values.categories.length > MAX_CATEGORIES) errors.categories = `Choose at most ${MAX_CATEGORIES} categories`;
  const tags = parseTags(values.tags);
  const bad = tags.filter((t) => !TAG_PATTERN.test(t));
  if (bad.length) errors.tags = `${bad.map((t) => `“${t}”`).join(", ")} ${bad.length === 1 ? "is not a valid tag" : "are not valid tags"}: a tag is 1–40 lowercase letters, digits or . _ : - characters, and tags are separated by commas`;
  else if (tags.length > MAX_LISTING_TAGS) errors.tags = `At most ${MAX_LISTING_TAGS} tags`;
  const readmeBytes = utf8Length(values.readme);
  if (readmeBytes > limits.readmeBytes) {
    errors.readme = `The README is ${Math.ceil(readmeBytes / 1024)} KB; the most a README may have is ${limits.readmeBytes / 1024} KB. Shorten it or link to longer documentation.`;
  }
  const icon = iconProblem(values.icon, limits.iconBytes);
  if (icon) errors.icon = icon;
  return errors;
}

/** The editable fields as marketplace.listing.create and .update take them. */
export function listingFieldsInput(values: ListingFormValues) {
  return {
    name: values.name.trim(),
    summary: values.summary.trim(),
    readme: values.readme,
    icon: values.icon.trim() || null,
    categories: values.categories,
    tags: parseTags(values.tags),
    license: values.license.trim() || null,
    sourceUrl: values.sourceUrl.trim() || null,
  };
}

/** Only what differs from the listing as loaded, for marketplace.listing.update. */
export function changedListingFields(initial: ListingFormValues, values: ListingFormValues): Partial<ReturnType<typeof listingFieldsInput>> {
  const before = listingFieldsInput(initial);
  const after = listingFieldsInput(values);
  const changed: Partial<typeof after> = {};
  for (const key of Object.keys(after) as (keyof typeof after)[]) {
    const a = before[key];
    const b = after[key];
    const same = Array.isArray(a) && Array.isArray(b) ? a.join("\u0000") === b.join("\u0000") : a === b;
    if (!same) (changed as Record<string, unknown>)[key] = b;
  }
  return changed;
}
