import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkGfm from "remark-gfm";
import remarkRehype from "remark-rehype";
import rehypeRaw from "rehype-raw";
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from "rehype-sanitize";
import rehypeStringify from "rehype-stringify";

/*
 * A listing's README (Markdown, with the HTML GitHub allows) rendered to HTML on the server and
 * sanitized, so pages can show it as is; and its icon, checked and stored as a data: URL.
 *
 * Markdown → mdast → hast; raw HTML in the Markdown is re-parsed by a real HTML5 parser (parse5,
 * through rehype-raw) so the sanitizer sees the tree a browser would build; then GitHub's
 * allow-list (hast-util-sanitize): no script, style, iframe or form; no on* attributes; links only
 * http(s) and mailto (javascript:, data:, vbscript: are dropped), images only http(s). Every link
 * gets rel="nofollow noopener noreferrer".
 */

export const README_MAX_BYTES = 100 * 1024;
export const ICON_MAX_BYTES = 64 * 1024;

export class ContentError extends Error {
  override name = "ContentError";
  constructor(
    message: string,
    readonly field: "readme" | "icon",
  ) {
    super(message);
  }
}

const schema: SanitizeSchema = {
  ...defaultSchema,
  protocols: {
    ...defaultSchema.protocols,
    href: ["http", "https", "mailto"],
    src: ["http", "https"],
    cite: ["http", "https"],
    longDesc: ["http", "https"],
  },
};

interface HastNode {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

/** rel="nofollow noopener noreferrer" on every link (run after sanitizing, which would drop it). */
function rehypeLinkRel() {
  const walk = (node: HastNode) => {
    if (node.type === "element" && node.tagName === "a") {
      node.properties = { ...node.properties, rel: ["nofollow", "noopener", "noreferrer"] };
    }
    node.children?.forEach(walk);
  };
  return (tree: HastNode) => walk(tree);
}

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRaw)
  .use(rehypeSanitize, schema)
  .use(rehypeLinkRel)
  .use(rehypeStringify);

/**
 * Sanitized HTML for a README; throws a ContentError when it is over the size cap. Also runs in the
 * browser (the publisher console's live preview), hence TextEncoder rather than Buffer.
 */
export function renderReadme(markdown: string): string {
  const bytes = new TextEncoder().encode(markdown).length;
  if (bytes > README_MAX_BYTES) {
    throw new ContentError(`The README is ${Math.ceil(bytes / 1024)} KB; the most a README may have is ${README_MAX_BYTES / 1024} KB. Shorten it or link to longer documentation.`, "readme");
  }
  if (markdown.trim() === "") return "";
  return String(processor.processSync(markdown));
}

// ---------------------------------------------------------------------------------------------
// Icons

const RASTER: Record<string, (b: Buffer) => boolean> = {
  "image/png": (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  "image/jpeg": (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  "image/gif": (b) => b.subarray(0, 4).toString("latin1") === "GIF8",
  "image/webp": (b) => b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP",
};

/** Why an SVG is refused, or null. Icons are shown with <img>, where scripts do not run; still, none are kept. */
function svgProblem(svg: string): string | null {
  const body = svg.replace(/^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*/i, "");
  if (/<!DOCTYPE|<!ENTITY/i.test(svg)) return "An SVG icon may not declare a DOCTYPE or entities";
  if (!/^<svg[\s>/]/i.test(body)) return "An SVG icon starts with <svg";
  if (/<\s*script/i.test(svg)) return "An SVG icon may not contain <script>";
  if (/<\s*foreignObject/i.test(svg)) return "An SVG icon may not contain <foreignObject>";
  if (/\son[a-z]+\s*=/i.test(svg)) return "An SVG icon may not contain event handlers (on…= attributes)";
  if (/javascript:/i.test(svg)) return "An SVG icon may not contain javascript: URLs";
  if (/\bhref\s*=\s*(?:"(?!#)|'(?!#)|(?!["'#]))/i.test(svg)) return "An SVG icon may only link inside itself (href=\"#…\")";
  return null;
}

/**
 * Checks an icon and returns it as a data: URL: a data: URL of a PNG, JPEG, GIF, WebP or SVG image,
 * or SVG markup (turned into a data: URL). Null clears the icon.
 */
export function normalizeIcon(icon: string | null): string | null {
  if (icon === null || icon.trim() === "") return null;
  const text = icon.trim();
  if (Buffer.byteLength(text, "utf8") > ICON_MAX_BYTES) {
    throw new ContentError(`The icon is ${Math.ceil(Buffer.byteLength(text, "utf8") / 1024)} KB; the most an icon may have is ${ICON_MAX_BYTES / 1024} KB. Use a smaller image (a 128×128 PNG or an SVG).`, "icon");
  }
  if (text.startsWith("<")) return svgDataUrl(text);
  const match = /^data:(image\/(?:png|jpeg|gif|webp|svg\+xml))(;base64)?,(.*)$/is.exec(text);
  if (!match) throw new ContentError("The icon is a data: URL of a PNG, JPEG, GIF, WebP or SVG image (data:image/png;base64,…), or SVG markup", "icon");
  const type = match[1]!.toLowerCase();
  const base64 = Boolean(match[2]);
  const payload = match[3]!;
  if (base64 && !/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) throw new ContentError("The icon's base64 data is malformed", "icon");
  let bytes: Buffer;
  try {
    bytes = base64 ? Buffer.from(payload, "base64") : Buffer.from(decodeURIComponent(payload), "utf8");
  } catch {
    throw new ContentError("The icon's data is malformed", "icon");
  }
  if (type === "image/svg+xml") return svgDataUrl(bytes.toString("utf8"));
  if (!base64) throw new ContentError(`A ${type} icon is base64-encoded: data:${type};base64,…`, "icon");
  if (!RASTER[type]!(bytes)) throw new ContentError(`The icon's data is not a ${type.slice(6).toUpperCase()} image`, "icon");
  return `data:${type};base64,${bytes.toString("base64")}`;
}

function svgDataUrl(svg: string): string {
  const problem = svgProblem(svg);
  if (problem) throw new ContentError(problem, "icon");
  const url = `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
  if (url.length > ICON_MAX_BYTES) {
    throw new ContentError(`The SVG icon is ${Math.ceil(url.length / 1024)} KB once encoded; the most an icon may have is ${ICON_MAX_BYTES / 1024} KB`, "icon");
  }
  return url;
}
