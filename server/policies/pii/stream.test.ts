import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDetector, maskText, StreamMasker, type PiiDetector } from "./index";

// The stream masker's contract: for every way of cutting the input into chunks, the concatenated
// output is maskText of the whole. Checked with random text, random PII of every kind and random
// cuts (1-character chunks and cuts inside tokens and surrogate pairs included).

const CUSTOM = { name: "EMPLOYEE_ID", pattern: "EMP-[0-9]{6}" };
const detector = createDetector({ kinds: "ALL", custom: [CUSTOM] });

/** Feeds `text` cut at `cuts` (offsets, any order, duplicates allowed) and returns the output. */
function streamed(d: PiiDetector, text: string, cuts: number[]): { out: string; masker: StreamMasker } {
  const points = [...new Set(cuts.map((c) => Math.min(text.length, Math.max(0, c))))].sort((a, b) => a - b);
  const masker = new StreamMasker(d);
  let out = "";
  let at = 0;
  for (const p of [...points, text.length]) {
    out += masker.push(text.slice(at, p));
    at = p;
  }
  out += masker.end();
  return { out, masker };
}

const oneCharChunks = (text: string) => Array.from({ length: text.length }, (_, i) => i);

// --- PII generators ---------------------------------------------------------------------------

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(""));
const lower = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz");
const alnum = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789");
const word = (min: number, max: number, chars = alnum) => fc.array(chars, { minLength: min, maxLength: max }).map((c) => c.join(""));

const email = fc
  .tuple(word(1, 12), fc.option(fc.tuple(fc.constantFrom(".", "_", "+", "-"), word(1, 6)), { nil: undefined }), fc.array(word(1, 10), { minLength: 1, maxLength: 3 }), word(2, 6, lower))
  .map(([local, extra, labels, tld]) => `${local}${extra ? extra.join("") : ""}@${labels.join(".")}.${tld}`);

const phone = fc.oneof(
  fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `(${a.replace(/^0/, "5")}) ${b}-${c}`),
  fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `${a.replace(/^0/, "5")}-${b}-${c}`),
  fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `${a}.${b}.${c}`),
  fc.tuple(fc.integer({ min: 1, max: 99 }), digits(3), digits(3), digits(4)).map(([cc, a, b, c]) => `+${cc} ${a} ${b} ${c}`),
  fc.tuple(digits(2), digits(4), digits(4)).map(([a, b, c]) => `+44 ${a} ${b} ${c}`),
  fc.tuple(digits(2), digits(4), digits(4)).map(([a, b, c]) => `0${a} ${b} ${c}`),
);

function luhnComplete(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

const card = fc.oneof(
  fc.tuple(fc.constantFrom("4", "51", "37"), fc.integer({ min: 13, max: 19 })).chain(([prefix, len]) => digits(len - prefix.length - 1).map((d) => luhnComplete(prefix + d))),
  fc.tuple(digits(15), fc.constantFrom(" ", "-")).map(([d, sep]) => luhnComplete(`4${d.slice(1)}`).replace(/(\d{4})(?=\d)/g, `$1${sep}`)),
  digits(14).map((d) => luhnComplete(`3${d}`).replace(/^(\d{4})(\d{6})(\d{5})$/, "$1 $2 $3")),
);

function ibanOf(country: string, bban: string): string {
  const numeric = (bban + country + "00").replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of numeric) rest = (rest * 10 + Number(ch)) % 97;
  return `${country}${String(98 - rest).padStart(2, "0")}${bban}`;
}

const iban = fc.oneof(
  digits(18).map((b) => ibanOf("DE", b)),
  fc.tuple(fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"), digits(13)).map(([c, b]) => ibanOf("NL", `ABN${c}${b.slice(3)}`)),
  digits(23).map((b) => ibanOf("FR", b)),
  digits(11).map((b) => ibanOf("NO", b)),
).chain((compact) => fc.boolean().map((spaced) => (spaced ? compact.replace(/(.{4})(?=.)/g, "$1 ") : compact)));

const ssn = fc
  .tuple(fc.integer({ min: 1, max: 899 }).filter((a) => a !== 666), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }), fc.boolean())
  .map(([a, g, s, dashed]) => [String(a).padStart(3, "0"), String(g).padStart(2, "0"), String(s).padStart(4, "0")].join(dashed ? "-" : ""));

const octet = fc.integer({ min: 0, max: 255 }).map(String);
const hexGroup = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
const ip = fc.oneof(
  fc.array(octet, { minLength: 4, maxLength: 4 }).map((o) => o.join(".")),
  fc.array(hexGroup, { minLength: 8, maxLength: 8 }).map((g) => g.join(":")),
  fc.tuple(fc.array(hexGroup, { minLength: 1, maxLength: 3 }), fc.array(hexGroup, { minLength: 1, maxLength: 3 })).map(([a, b]) => `${a.join(":")}::${b.join(":")}`),
  fc.array(hexGroup, { minLength: 1, maxLength: 2 }).map((g) => `::${g.join(":")}`),
  fc.array(octet, { minLength: 4, maxLength: 4 }).map((o) => `::ffff:${o.join(".")}`),
);

const employeeId = digits(6).map((d) => `EMP-${d}`);

const pii = fc.oneof(
  email.map((value) => ({ kind: "EMAIL", value })),
  phone.map((value) => ({ kind: "PHONE", value })),
  card.map((value) => ({ kind: "CARD", value })),
  iban.map((value) => ({ kind: "IBAN", value })),
  ssn.map((value) => ({ kind: "SSN", value })),
  ip.map((value) => ({ kind: "IP", value })),
  employeeId.map((value) => ({ kind: "EMPLOYEE_ID", value })),
);

/** Prose that can hold no PII of any kind: no digits, no hex letters, no @ or colon. */
const prose = fc
  .array(fc.constantFrom(..."ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ", " ", " ", ".", ",", "!", "?", "'", "\n", "é", "ß", "😀", "—"), { maxLength: 30 })
  .map((c) => c.join(""));

type Part = { kind: string; value: string } | { text: string };
const parts = fc.array(fc.oneof({ arbitrary: prose.map((text) => ({ text })), weight: 2 }, { arbitrary: pii, weight: 1 }), { minLength: 1, maxLength: 12 });

// Two numbers with only a space between can read as one ("555 123 4567 1234"), so neighbouring PII
// is separated by a comma; prose is joined with a space.
const join = (list: Part[], show: (p: Part) => string) =>
  list.map((p, i) => (i === 0 ? "" : "text" in p || "text" in list[i - 1]! ? " " : ", ") + show(p)).join("");
const raw = (p: Part) => ("text" in p ? p.text : p.value);
const masked = (p: Part) => ("text" in p ? p.text : `[${p.kind}]`);

const cutsFor = (text: string) => fc.array(fc.integer({ min: 0, max: Math.max(0, text.length) }), { maxLength: 20 });

describe("StreamMasker", () => {
  it("masks every generated PII value and leaves the prose as it was, however the stream is cut", () => {
    fc.assert(
      fc.property(
        parts.chain((list) => {
          const text = join(list, raw);
          return fc.tuple(fc.constant(list), fc.oneof(cutsFor(text), fc.constant(oneCharChunks(text))));
        }),
        ([list, cuts]) => {
          const text = join(list, raw);
          const expected = join(list, masked);
          expect(maskText(detector, text).text).toBe(expected);
          const { out, masker } = streamed(detector, text, cuts);
          expect(out).toBe(expected);
          for (const p of list) if ("value" in p) expect(out).not.toContain(p.value);
          const kinds = list.filter((p): p is { kind: string; value: string } => "kind" in p).map((p) => p.kind);
          for (const kind of new Set(kinds)) expect(masker.counts[kind]).toBe(kinds.filter((k) => k === kind).length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("equals maskText on adversarial text (dense digits, dots, dashes, colons, @) for every cut", () => {
    const soup = fc
      .array(fc.oneof(fc.constantFrom(..."0123456789 .-:@()+/,_abcdefxyzABDEZ\n", "😀"), pii.map((p) => p.value)), { maxLength: 40 })
      .map((c) => c.join(""));
    fc.assert(
      fc.property(
        soup.chain((text) => fc.tuple(fc.constant(text), fc.oneof(cutsFor(text), fc.constant(oneCharChunks(text))))),
        ([text, cuts]) => {
          expect(streamed(detector, text, cuts).out).toBe(maskText(detector, text).text);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("equals maskText for a detector of a few kinds, including an organization pattern with assertions", () => {
    const d = createDetector({ kinds: ["PHONE", "IP", "TICKET"], custom: [{ name: "TICKET", pattern: "(?i)\\bT-[0-9]{2,5}\\b|^[a-z]{2}[0-9]{2}$" }] });
    const soup = fc.array(fc.constantFrom(..."0123456789 .-:tT\nab", "T-12", "t-9999 ", "ab12"), { maxLength: 40 }).map((c) => c.join(""));
    fc.assert(
      fc.property(
        soup.chain((text) => fc.tuple(fc.constant(text), cutsFor(text))),
        ([text, cuts]) => {
          expect(streamed(d, text, cuts).out).toBe(maskText(d, text).text);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("masks a card number split over two chunks", () => {
    const masker = new StreamMasker(detector);
    const out = masker.push("card 4111 1111 ") + masker.push("1111 1111, thanks") + masker.end();
    expect(out).toBe("card [CARD], thanks");
    expect(masker.counts).toEqual({ CARD: 1 });
  });

  describe("holds back only what could still become a match", () => {
    const cases: [string, string, string][] = [
      // input so far, emitted at once, held back
      ["hello ", "hello ", ""],
      ["call 555-", "call ", "555-"],
      ["call 555-123-4567", "call ", "555-123-4567"], // more digits could follow
      ["call 555-123-4567, ok ", "call [PHONE], ok ", ""],
      ["mail bob@exa", "mail ", "bob@exa"],
      ["mail bob@example.com", "mail ", "bob@example.com"], // .com could go on (.com.au)
      ["The quick brown fox", "The quick brown ", "fox"], // fox@… would be an email
      ["Total: 42 items!", "Total: 42 items!", ""],
      ["Total: 42 items", "Total: 42 ", "items"],
      ["ticket EMP-12", "ticket ", "EMP-12"],
      ["ok 😀", "ok 😀", ""],
    ];
    it.each(cases)("after %j it emits %j and holds %j", (input, emitted, held) => {
      const masker = new StreamMasker(detector);
      expect(masker.push(input)).toBe(emitted);
      expect(masker.held).toBe(held.length);
    });

    it("does not hold back a surrogate half", () => {
      const masker = new StreamMasker(detector);
      const first = masker.push("ok \ud83d");
      expect(first).toBe("ok ");
      expect(masker.push("\ude00 done.") + masker.end()).toBe("😀 done.");
    });

    it("holds back at most a kind's window even in an endless run of digits", () => {
      const masker = new StreamMasker(detector);
      let out = "";
      for (let i = 0; i < 2000; i++) out += masker.push(String(i % 10));
      expect(masker.held).toBeLessThanOrEqual(256);
      expect(out.length + masker.held).toBe(2000);
    });
  });

  it("is linear: a long stream in one-character chunks costs about as much per character as a short one", () => {
    const unit = "Contact bob@example.com or +1 555 123 4567 about invoice 4111111111111111, IP 10.0.0.1. ";
    const run = (repeats: number) => {
      const text = unit.repeat(repeats);
      const masker = new StreamMasker(detector);
      const t0 = performance.now();
      for (const ch of text) masker.push(ch);
      masker.end();
      return (performance.now() - t0) / text.length;
    };
    run(50); // warm up
    const small = Math.min(run(50), run(50), run(50));
    const large = Math.min(run(1000), run(1000), run(1000));
    // 20× the text; a quadratic masker would cost ~20× per character.
    expect(large).toBeLessThan(small * 5);
  });

  it("refuses to be pushed after the end", () => {
    const masker = new StreamMasker(detector);
    masker.push("a");
    masker.end();
    expect(() => masker.push("b")).toThrow(/after end/);
  });
});
