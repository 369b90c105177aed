import { describe, expect, it } from "vitest";
import { ContentError, ICON_MAX_BYTES, normalizeIcon, README_MAX_BYTES, renderReadme } from "./content";

/** Attributes and URLs that must never survive sanitizing, in any spelling. */
function expectInert(html: string) {
  expect(html).not.toMatch(/<script|<iframe|<object|<embed|<style|<form|<base|<meta|<link/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/javascript:|vbscript:|data:text/i);
  expect(html).not.toMatch(/srcdoc|formaction|style=/i);
}

describe("README rendering", () => {
  it("renders Markdown with GitHub's extensions", () => {
    const html = renderReadme("# Title\n\nSome **bold** and `code`.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n- [x] done\n\n~~gone~~");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<table>");
    expect(html).toContain("<del>gone</del>");
  });

  it("gives every link rel=nofollow noopener", () => {
    const html = renderReadme("[site](https://example.com) and <a href=\"https://example.org\" rel=\"me\" target=\"_blank\">raw</a>");
    expect(html).toContain('<a href="https://example.com" rel="nofollow noopener noreferrer">site</a>');
    expect(html).toContain('<a href="https://example.org" rel="nofollow noopener noreferrer">raw</a>');
  });

  const hostile: [string, string][] = [
    ["a script tag", "Hello <script>alert(1)</script> world"],
    ["a script in an SVG", '<svg><script>alert(1)</script></svg>'],
    ["a raw-text element inside SVG", "<svg><textarea><img src=x onerror=alert(1)></textarea></svg>"],
    ["xmp inside math", "<math><xmp><img src=x onerror=alert(1)></xmp></math>"],
    ["an onerror handler", '<img src="https://example.com/x.png" onerror="alert(1)">'],
    ["an onclick handler in mixed case", '<p OnClick="alert(1)">click</p>'],
    ["a javascript: Markdown link", "[click](javascript:alert(1))"],
    ["a javascript: link with odd case and spaces", '<a href=" JaVaScRiPt:alert(1)">x</a>'],
    ["an entity-encoded javascript: link", '<a href="&#106;avascript:alert(1)">x</a>'],
    ["a tab inside javascript:", '<a href="java\tscript:alert(1)">x</a>'],
    ["a vbscript: link", '<a href="vbscript:msgbox(1)">x</a>'],
    ["a data: link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
    ["an iframe", '<iframe src="https://evil.example.com"></iframe>'],
    ["an iframe srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ["a style attribute and tag", '<p style="background:url(javascript:alert(1))">x</p><style>body{}</style>'],
    ["a form with formaction", '<form><button formaction="javascript:alert(1)">go</button></form>'],
    ["an object and embed", '<object data="x.swf"></object><embed src="x.swf">'],
    ["a base and meta refresh", '<base href="https://evil.example.com/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
    ["an unclosed attribute trick", '<img src="x" alt="a"onerror="alert(1)">'],
    ["a comment-hidden script", "<!--><script>alert(1)</script>-->"],
  ];
  it.each(hostile)("neutralises %s", (_label, markdown) => {
    expectInert(renderReadme(markdown));
  });

  it("drops data: images and keeps https ones", () => {
    const html = renderReadme("![logo](data:image/png;base64,iVBORw0KGgo=) ![ok](https://example.com/a.png)");
    expect(html).not.toContain("data:");
    expect(html).toContain('<img src="https://example.com/a.png" alt="ok">');
  });

  it("prefixes ids so a README cannot clobber the page's globals", () => {
    expect(renderReadme('<a id="config" name="config">x</a>')).toContain('id="user-content-config"');
  });

  it("refuses a README over the size cap, saying how big it is", () => {
    expect(renderReadme("x".repeat(README_MAX_BYTES))).toContain("x");
    expect(() => renderReadme("é".repeat(README_MAX_BYTES / 2 + 1))).toThrow(ContentError);
    expect(() => renderReadme("x".repeat(README_MAX_BYTES + 1))).toThrow("The README is 101 KB; the most a README may have is 100 KB");
  });
});

describe("icons", () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(20)]).toString("base64");
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#f00"/></svg>';

  it("keeps PNG data: URLs and turns SVG markup into a data: URL", () => {
    expect(normalizeIcon(`data:image/png;base64,${png}`)).toBe(`data:image/png;base64,${png}`);
    expect(normalizeIcon(svg)).toBe(`data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`);
    expect(normalizeIcon(`data:image/svg+xml,${encodeURIComponent(svg)}`)).toBe(normalizeIcon(svg));
    expect(normalizeIcon("")).toBeNull();
    expect(normalizeIcon(null)).toBeNull();
  });

  it("refuses SVGs with script, handlers, outside links or entities", () => {
    expect(() => normalizeIcon('<svg><script>alert(1)</script></svg>')).toThrow("may not contain <script>");
    expect(() => normalizeIcon('<svg onload="alert(1)"></svg>')).toThrow("event handlers");
    expect(() => normalizeIcon(`data:image/svg+xml;base64,${Buffer.from('<svg><a href="javascript:alert(1)"/></svg>').toString("base64")}`)).toThrow("javascript:");
    expect(() => normalizeIcon('<svg><image xlink:href="https://tracker.example.com/p.gif"/></svg>')).toThrow("only link inside itself");
    expect(() => normalizeIcon('<svg><use href="#shape"/></svg>')).not.toThrow();
    expect(() => normalizeIcon('<!DOCTYPE svg [<!ENTITY x "y">]><svg></svg>')).toThrow("DOCTYPE");
    expect(() => normalizeIcon("<div>not svg</div>")).toThrow("starts with <svg");
  });

  it("refuses other data, wrong types and oversized icons", () => {
    expect(() => normalizeIcon("https://example.com/icon.png")).toThrow("data: URL of a PNG, JPEG, GIF, WebP or SVG image");
    expect(() => normalizeIcon("data:text/html;base64,PHNjcmlwdD4=")).toThrow("data: URL of a PNG");
    expect(() => normalizeIcon(`data:image/png;base64,${Buffer.from("GIF89a....").toString("base64")}`)).toThrow("not a PNG image");
    expect(() => normalizeIcon("data:image/png;base64,@@@")).toThrow("base64 data is malformed");
    expect(() => normalizeIcon(`data:image/png;base64,${"A".repeat(ICON_MAX_BYTES)}`)).toThrow(/The icon is 65 KB; the most an icon may have is 64 KB/);
  });
});
