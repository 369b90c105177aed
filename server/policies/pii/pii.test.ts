import { describe, expect, it } from "vitest";
import { BUILT_IN_PII_KINDS, compileCustomPattern, createDetector, findPii, maskText, piiKinds } from "./index";

const all = createDetector({ kinds: "ALL" });
/** The text with PII masked by every built-in kind. */
const masked = (text: string) => maskText(all, text).text;

// Each row: text → what is left after masking. A near miss comes back unchanged.
const TABLE: Record<(typeof BUILT_IN_PII_KINDS)[number], { found: [string, string][]; missed: string[] }> = {
  EMAIL: {
    found: [
      ["write to bob@example.com today", "write to [EMAIL] today"],
      ["john.doe+tag@mail.example.co.uk", "[EMAIL]"],
      ["(first_last@sub-domain.example.org).", "([EMAIL])."],
      ["mailto:ops%team@corp.io", "mailto:[EMAIL]"],
    ],
    missed: ["user@localhost", "a@b.c", "@example.com", "foo@bar", "x@@y.com", ".bob@example", "bob@-bad-.com"],
  },
  PHONE: {
    found: [
      ["call +1 415 555 2671 now", "call [PHONE] now"],
      ["+14155552671", "[PHONE]"],
      ["+44 (0)20 7946 0958", "[PHONE]"],
      ["+49-30-1234567", "[PHONE]"],
      ["(555) 123-4567", "[PHONE]"],
      ["555-123-4567.", "[PHONE]."],
      ["555.123.4567", "[PHONE]"],
      ["dial 555-1234", "dial [PHONE]"],
      ["020 7946 0958", "[PHONE]"],
      ["06 12 34 56 78", "[PHONE]"],
      ["1-800-555-0199", "[PHONE]"],
      ["call 555-123-4567 2 times", "call [PHONE] 2 times"],
    ],
    missed: [
      "in 2023 we grew",
      "on 2023-11-05",
      "on 05.11.2023",
      "from 2021-2023",
      "order 1234567890",
      "ORD-2023-11-000123",
      "pi is 3.14159265358979",
      "version 1.2.3.4.5",
      "scores 10 20 30 40 50",
      "1 234 567 people",
      "room 12",
      "1234 5678 9012 3456 7890",
      "4111 1111 1111 111",
    ],
  },
  CARD: {
    found: [
      ["card 4111111111111111, exp 12/27", "card [CARD], exp 12/27"],
      ["4111 1111 1111 1111", "[CARD]"],
      ["4111-1111-1111-1111", "[CARD]"],
      ["amex 3782 822463 10005", "amex [CARD]"],
      ["5500 0000 0000 0004 2025", "[CARD] 2025"],
      ["ref 1234 4111 1111 1111 1111", "ref 1234 [CARD]"],
      ["4222222222222", "[CARD]"], // 13 digits
    ],
    missed: ["4111 1111 1111 1112", "4111-1111 1111-1111", "41111111111111111111", "4111 11111 111 1111", "x4111111111111111", "3.4111111111111111"],
  },
  IBAN: {
    found: [
      ["IBAN DE89 3704 0044 0532 0130 00.", "IBAN [IBAN]."],
      ["DE89370400440532013000", "[IBAN]"],
      ["GB82 WEST 1234 5698 7654 32", "[IBAN]"],
      ["de89370400440532013000", "[IBAN]"],
      ["NO9386011117947", "[IBAN]"],
    ],
    missed: [
      "DE88 3704 0044 0532 0130 00", // bad checksum
      "XX89370400440532013000", // no such country
      "DE8937040044053201300", // one character short for Germany
      "DE89 3704 0044 0532 0130 001",
      "DE89 37040 044 0532 0130 00",
      "xDE89370400440532013000",
    ],
  },
  SSN: {
    found: [
      ["SSN 123-45-6789.", "SSN [SSN]."],
      ["ssn: 123456789", "ssn: [SSN]"],
      ["078-05-1120", "[SSN]"],
    ],
    missed: ["000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-6789", "123-45-0000", "1234567890", "12345678", "A123-45-6789", "123-456789"],
  },
  IP: {
    found: [
      ["from 192.168.1.1.", "from [IP]."],
      ["255.255.255.255", "[IP]"],
      ["0.0.0.0", "[IP]"],
      ["http://10.0.0.1:8080/", "http://[IP]:8080/"],
      ["2001:db8::8a2e:370:7334", "[IP]"],
      ["2001:0db8:85a3:0000:0000:8a2e:0370:7334", "[IP]"],
      ["::1", "[IP]"],
      ["fe80::", "[IP]"],
      ["::ffff:192.0.2.1", "[IP]"],
      ["[2001:db8::1]:443", "[[IP]]:443"],
    ],
    missed: ["256.1.1.1", "1.2.3.4.5", "version 1.2.3.4.5", "01.02.03.04", "1.2.3", "12:30:45", "std::vector", "1:2:3:4:5:6:7:8:9", "1::2::3", "00:1A:2B:3C:4D:5E"],
  },
};

describe.each(BUILT_IN_PII_KINDS)("%s", (kind) => {
  const only = createDetector({ kinds: [kind] });
  it.each(TABLE[kind].found)("finds %j", (text, expected) => {
    expect(masked(text)).toBe(expected);
    expect(maskText(only, text).text).toBe(expected);
    expect(piiKinds(all, text)).toEqual([kind]);
  });
  it.each(TABLE[kind].missed.map((t) => [t]))("leaves %j alone", (text) => {
    expect(masked(text)).toBe(text);
  });
});

describe("findPii", () => {
  it("returns sorted, non-overlapping matches with offsets", () => {
    const text = "Mail ana@example.org, card 4111 1111 1111 1111 and ip 10.1.2.3";
    expect(findPii(all, text)).toEqual([
      { kind: "EMAIL", start: 5, end: 20 },
      { kind: "CARD", start: 27, end: 46 },
      { kind: "IP", start: 54, end: 62 },
    ]);
  });

  it("lets the longest match at the same start win, then the more specific kind", () => {
    // Both a phone and an SSN shape at the same span: SSN. A 15-digit card also reads as a phone: CARD.
    expect(findPii(all, "123-45-6789")).toEqual([{ kind: "SSN", start: 0, end: 11 }]);
    expect(findPii(createDetector({ kinds: ["PHONE", "CARD"] }), "4111 1111 1111 111")).toEqual([]); // not Luhn-valid; nor a phone followed by more digits
    const card = "3782 822463 10005";
    expect(findPii(all, card)).toEqual([{ kind: "CARD", start: 0, end: card.length }]);
  });

  it("lets the earliest match win over a longer one that starts later", () => {
    const custom = [{ name: "CASE_REF", pattern: "4567 [A-Z]{2,20}" }];
    const d = createDetector({ kinds: ["PHONE", "CASE_REF"], custom });
    expect(findPii(d, "555-123-4567 ABCDEF")).toEqual([{ kind: "PHONE", start: 0, end: 12 }]);
    expect(findPii(d, "ref 4567 ABCDEF")).toEqual([{ kind: "CASE_REF", start: 4, end: 15 }]);
  });
});

describe("maskText", () => {
  it("replaces each match by [KIND] and counts them", () => {
    const d = createDetector({ kinds: ["EMAIL", "PHONE", "EMPLOYEE_ID"], custom: [{ name: "EMPLOYEE_ID", pattern: "EMP-[0-9]{6}" }] });
    const result = maskText(d, "EMP-004211 (ana@example.org, +1 415 555 2671) cc bob@example.com; card 4111111111111111");
    expect(result).toEqual({
      text: "[EMPLOYEE_ID] ([EMAIL], [PHONE]) cc [EMAIL]; card 4111111111111111",
      counts: { EMPLOYEE_ID: 1, EMAIL: 2, PHONE: 1 },
    });
  });

  it("leaves text without PII untouched, unicode included", () => {
    expect(maskText(all, "Grüße 😀 — nothing to see.")).toEqual({ text: "Grüße 😀 — nothing to see.", counts: {} });
  });

  it("matches organization patterns by UTF-16 offsets around astral characters", () => {
    const d = createDetector({ kinds: "ALL", custom: [{ name: "BADGE", pattern: "😀[0-9]{3}" }] });
    expect(maskText(d, "x😀123 y").text).toBe("x[BADGE] y");
  });
});

describe("createDetector", () => {
  it("reports kinds that name nothing, and skips stored patterns that no longer validate", () => {
    const d = createDetector({ kinds: ["EMAIL", "PASSPORT", "BROKEN"], custom: [{ name: "BROKEN", pattern: "[a-z]+" }] });
    expect(d.kinds).toEqual(["EMAIL"]);
    expect(d.unknownKinds).toEqual(["PASSPORT"]);
    expect(d.rejected).toEqual([{ name: "BROKEN", message: expect.stringContaining("any length") }]);
  });

  it('treats "ALL" inside a list as every kind, organization patterns included', () => {
    const d = createDetector({ kinds: ["ALL"], custom: [{ name: "EMPLOYEE_ID", pattern: "EMP-[0-9]{6}" }] });
    expect(d.kinds).toEqual(["EMAIL", "IBAN", "CARD", "SSN", "IP", "PHONE", "EMPLOYEE_ID"]);
  });
});

describe("compileCustomPattern", () => {
  const compile = (pattern: string, name = "EMPLOYEE_ID") => compileCustomPattern({ name, pattern });

  it("accepts a bounded RE2 pattern and derives its longest match", () => {
    const cases: [string, number][] = [
      ["EMP-[0-9]{6}", 10],
      ["(?i)case-[a-z]{2}[0-9]{1,4}", 11],
      ["\\bAB[0-9]{2}\\b|ZZ", 4],
      ["[\\x{1F600}-\\x{1F64F}]x", 3],
      [".{1,5}", 10], // any character may take two UTF-16 units
    ];
    for (const [pattern, maxLength] of cases) {
      const result = compile(pattern);
      expect(result.ok ? result.matcher.maxLength : result.message).toBe(maxLength);
    }
  });

  it.each([
    ["ab(c", 2, /character 3: missing closing \) \(the group opened here is never closed\)/],
    ["abc)", 3, /character 4: unexpected \)/],
    ["a[bc", 1, /character 2: missing closing \] in “\[bc”/],
    ["x{2,1}", 1, /character 2: invalid repeat count in “\{2,1\}”/],
    ["id\\8", 2, /character 3: invalid escape sequence .*backreferences/],
    ["(?<=x)a", 0, /character 1: invalid named capture.*lookbehind/],
    ["ab**", 2, /character 3: invalid nested repetition operator/],
    ["abc\\", 3, /character 4: trailing backslash/],
  ])("reports bad syntax in %j at its position", (pattern, index, message) => {
    const result = compile(pattern);
    expect(result).toMatchObject({ ok: false, field: "pattern", index });
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it("refuses patterns that match empty text", () => {
    for (const pattern of ["a*", "x?", "(?:abc)?", "\\b", "^", "a{0,3}"]) {
      const result = compile(pattern);
      expect(result, pattern).toMatchObject({ ok: false, field: "pattern", message: expect.stringMatching(/matches empty text/) });
    }
  });

  it("refuses unbounded patterns and points at the repetition", () => {
    expect(compile("EMP-\\w+")).toMatchObject({ ok: false, index: 6, message: expect.stringMatching(/any length \(character 7\).*\{1,20\}/) });
    expect(compile("[*+]x{2,}")).toMatchObject({ ok: false, index: 5 });
    expect(compile("(ab)*c")).toMatchObject({ ok: false, index: 4 });
  });

  it("refuses patterns whose longest match exceeds 256 characters, and overly long or complex patterns", () => {
    expect(compile("[a-z]{1,300}")).toMatchObject({ ok: false, message: expect.stringMatching(/up to 300 characters; at most 256/) });
    expect(compile("a".repeat(501))).toMatchObject({ ok: false, field: "pattern", message: expect.stringMatching(/at most 500 characters \(this one has 501\)/) });
    expect(compile("")).toMatchObject({ ok: false, field: "pattern", message: expect.stringMatching(/Enter a pattern/) });
    const words = Array.from({ length: 78 }, (_, i) => (i * 7919 + 12345).toString(36).slice(-5));
    const complex = `(?:${words.join("|")}){1,20}`;
    expect(complex.length).toBeLessThanOrEqual(500);
    expect(compile(complex)).toMatchObject({ ok: false, message: expect.stringMatching(/too complex \(\d+ instructions compiled, at most 4000\)/) });
  });

  it("refuses names that are not UPPER_SNAKE_CASE, too long, or a built-in kind", () => {
    expect(compile("x", "employee id")).toMatchObject({ ok: false, field: "name", message: expect.stringContaining("e.g. EMPLOYEE_ID") });
    expect(compile("x", "1ST")).toMatchObject({ ok: false, field: "name" });
    expect(compile("x", "")).toMatchObject({ ok: false, field: "name", message: expect.stringContaining("1–40") });
    expect(compile("x", "A".repeat(41))).toMatchObject({ ok: false, field: "name", message: expect.stringContaining("1–40") });
    expect(compile("x", "EMAIL")).toMatchObject({ ok: false, field: "name", message: expect.stringContaining("built-in") });
    expect(compile("x", "ALL")).toMatchObject({ ok: false, field: "name" });
    expect(compile("x", "A".repeat(40))).toMatchObject({ ok: true });
  });

  it("runs in linear time on inputs that make backtracking engines explode", () => {
    const result = compile("(?:a|aa){1,30}b");
    expect(result.ok).toBe(true);
    const d = createDetector({ kinds: ["EVIL"], custom: [{ name: "EVIL", pattern: "(?:a|aa){1,30}b" }] });
    const t0 = performance.now();
    maskText(d, "a".repeat(20_000) + "c");
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
