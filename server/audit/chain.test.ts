import { describe, expect, it } from "vitest";
import { canonicalJson, chainBreak, chainHash, sha256hex, toChainJson, type ChainContent } from "./chain";

describe("canonicalJson", () => {
  it("sorts object keys at every depth, whatever order they were written in", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it("keeps array order and writes no whitespace", () => {
    expect(canonicalJson([3, 1, [2, "x"], {}])).toBe('[3,1,[2,"x"],{}]');
    expect(canonicalJson({ list: [] })).toBe('{"list":[]}');
  });

  it("sorts keys by UTF-16 code units, as RFC 8785 does (not by locale, not by length as jsonb does)", () => {
    expect(canonicalJson({ "é": 1, z: 2, Z: 3, aa: 4, b: 5, "😀": 6, "\uFB01": 7 })).toBe('{"Z":3,"aa":4,"b":5,"z":2,"é":1,"😀":6,"ﬁ":7}');
  });

  it("writes unicode text as itself and escapes only what JSON must", () => {
    expect(canonicalJson({ name: "Zoë 東京 😀", q: 'say "hi"\n\\', ctl: "\u0001" })).toBe(
      '{"ctl":"\\u0001","name":"Zoë 東京 😀","q":"say \\"hi\\"\\n\\\\"}',
    );
  });

  it("writes numbers in their shortest round-trip form", () => {
    expect(canonicalJson([1, 1.0, -0, 0.1 + 0.2, 1e21, 1e-7, 123456789012345680000, -1.5])).toBe(
      "[1,1,0,0.30000000000000004,1e+21,1e-7,123456789012345680000,-1.5]",
    );
    expect(canonicalJson([Number.NaN, Infinity])).toBe("[null,null]");
    expect(() => canonicalJson({ n: 10n })).toThrow(TypeError);
  });

  it("follows JSON.stringify for undefined, toJSON and top-level primitives", () => {
    expect(canonicalJson({ a: undefined, b: [undefined], c: new Date("2026-01-02T03:04:05.678Z") })).toBe(
      '{"b":[null],"c":"2026-01-02T03:04:05.678Z"}',
    );
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson("x")).toBe('"x"');
    expect(canonicalJson(true)).toBe("true");
  });

  it("is what JSON.parse reads back as the same value", () => {
    const value = { z: [1, { y: "ü", x: null }], a: { c: false, b: 2.5 } };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe("toChainJson", () => {
  it("gives the JSON value Postgres will return: no undefined members, dates as strings, null for nothing", () => {
    expect(toChainJson({ a: undefined, d: new Date("2026-01-02T00:00:00.000Z") })).toEqual({ d: "2026-01-02T00:00:00.000Z" });
    expect(toChainJson(undefined)).toBeNull();
    expect(toChainJson(null)).toBeNull();
    expect(toChainJson(0)).toBe(0);
  });
});

describe("chainHash and chainBreak", () => {
  const content: ChainContent = {
    orgId: "org1",
    seq: 1,
    actorEmail: "a@test.helix",
    action: "organization.created",
    targetType: "organization",
    targetId: "org1",
    before: null,
    after: { slug: "acme", name: "Acme" },
    at: "2026-01-02T03:04:05.678Z",
  };

  it("hashes the previous hash, a newline and the canonical content", () => {
    expect(chainHash("", content)).toBe(sha256hex(`\n${canonicalJson(content)}`));
    expect(chainHash("", content)).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash("", { ...content, after: { name: "Acme", slug: "acme" } })).toBe(chainHash("", content));
    expect(chainHash("x", content)).not.toBe(chainHash("", content));
  });

  it("accepts an intact event and names what is wrong with a broken one", () => {
    const hash = chainHash("", content);
    expect(chainBreak({ seq: 1, hash, prevHash: "" }, 1, "", content)).toBeNull();
    expect(chainBreak({ seq: 1, hash, prevHash: "" }, 1, "", { ...content, action: "member.removed" })).toMatch(/content no longer matches/);
    expect(chainBreak({ seq: 3, hash, prevHash: "" }, 1, "", content)).toMatch(/missing before this one: events 1–2 are/);
    expect(chainBreak({ seq: 2, hash, prevHash: "" }, 1, "", content)).toMatch(/missing before this one: event 1 is/);
    expect(chainBreak({ seq: 0, hash, prevHash: "" }, 1, "", content)).toMatch(/out of sequence/);
    expect(chainBreak({ seq: 2, hash, prevHash: "abc" }, 2, "def", { ...content, seq: 2 })).toMatch(/link to event 1/);
    expect(chainBreak({ seq: 1, hash: null, prevHash: "" }, 1, "", content)).toMatch(/no hash/);
  });
});
