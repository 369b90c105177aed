import {
  at,
  CLOSE,
  COLON,
  DASH,
  DOT,
  isAlnum,
  isAlpha,
  isDigit,
  isHex,
  isUpper,
  isWord,
  NONE,
  OPEN,
  PLUS,
  SLASH,
  SPACE,
} from "./chars";

// The built-in detectors. Each is a hand-written scanner that, from a start position, reads at
// most `window` characters and returns the end of the longest match starting there (or -1). They
// never backtrack and try a bounded number of ends, so scanning a text is O(length × window).
//
// Each also declares `liveness`, an RE2 pattern covering every string the scanner may have read
// before it decides (lookahead included), and `canStart`, the left-context rule it applies. The
// stream masker runs those patterns incrementally to know which trailing characters could still
// become part of a match; that only works if the pattern is at least as permissive as the scanner,
// which the property tests in stream.test.ts check against random splits.

export const BUILT_IN_PII_KINDS = ["EMAIL", "PHONE", "CARD", "IBAN", "SSN", "IP"] as const;
export type BuiltInPiiKind = (typeof BUILT_IN_PII_KINDS)[number];

export interface BuiltInDetector {
  kind: BuiltInPiiKind;
  /** Upper bound on the characters the scanner reads from a start, lookahead included. */
  window: number;
  canStart(text: string, i: number): boolean;
  /** End of the longest match starting at `s`, or -1. */
  matchAt(text: string, s: number): number;
  liveness: string;
}

/** Reads `text` up to `limit` (exclusive); beyond it, "no character". */
const reader = (text: string, limit: number) => (i: number) => (i < limit ? text.charCodeAt(i) : NONE);

// ---------------------------------------------------------------------------------------------
// EMAIL: local@domain — local part 1–64 of [A-Za-z0-9._%+-] (not starting or ending with a dot),
// domain of at least two labels, the last an alphabetic TLD of 2–24 letters; at most 254 in all.

const isLocal = (c: number) => isAlnum(c) || c === DOT || c === 95 || c === 37 || c === PLUS || c === DASH;
const isDomain = (c: number) => isAlnum(c) || c === DASH || c === DOT;

const EMAIL_WINDOW = 256;

function emailCanStart(text: string, i: number): boolean {
  const c = at(text, i);
  return isLocal(c) && c !== DOT && !isLocal(at(text, i - 1));
}

function emailAt(text: string, s: number): number {
  if (!emailCanStart(text, s)) return -1;
  const get = reader(text, Math.min(text.length, s + EMAIL_WINDOW));
  let i = s;
  while (i - s <= 64 && isLocal(get(i))) i++;
  if (i - s > 64 || get(i) !== 64 /* @ */ || get(i - 1) === DOT) return -1;
  const domain = i + 1;
  let j = domain;
  while (j - s < 255 && isDomain(get(j))) j++;
  let best = -1;
  let labels = 0;
  let labelStart = domain;
  for (let k = domain; k <= j; k++) {
    if (k < j && get(k) !== DOT) continue;
    const len = k - labelStart;
    if (len < 1 || len > 63 || get(labelStart) === DASH || get(k - 1) === DASH) break;
    labels++;
    if (labels >= 2 && len >= 2 && len <= 24 && k - s <= 254) {
      let alpha = true;
      for (let t = labelStart; t < k && alpha; t++) alpha = isAlpha(get(t));
      if (alpha) best = k;
    }
    labelStart = k + 1;
  }
  return best;
}

export const EMAIL: BuiltInDetector = {
  kind: "EMAIL",
  window: EMAIL_WINDOW,
  canStart: emailCanStart,
  matchAt: emailAt,
  liveness: "[A-Za-z0-9_%+-][A-Za-z0-9._%+-]{0,64}(?:@[A-Za-z0-9.-]*)?",
};

// ---------------------------------------------------------------------------------------------
// PHONE: international "+CC …" or a national number written in groups (spaces, dashes, dots, an
// area code in parentheses), 7–15 digits. Plain digit runs without "+" are not phones (order
// numbers, ids); neither are dates, year ranges, SSN-shaped or IP/version-shaped groups.

const PHONE_WINDOW = 48;

function phoneCanStart(text: string, i: number): boolean {
  const c = at(text, i);
  if (!(isDigit(c) || c === PLUS || c === OPEN)) return false;
  const p = at(text, i - 1);
  if (p === NONE || p === OPEN) return true;
  if (isWord(p) || p === PLUS || p === CLOSE) return false;
  if (c === PLUS) return true;
  // Not inside a hyphenated or dotted token (ORD-2023-…, v1.2) or a decimal.
  return !((p === DASH || p === DOT || p === SLASH) && isAlnum(at(text, i - 2)));
}

/** Right after a number and a space: only a number that is not itself space-separated starts here. */
const afterNumber = (text: string, s: number) => at(text, s - 1) === SPACE && (isDigit(at(text, s - 2)) || at(text, s - 2) === CLOSE);

function phoneValid(groups: number[], seps: number[], plus: boolean, parens: boolean, firstDigit: number): boolean {
  const digits = groups.reduce((a, b) => a + b, 0);
  if (digits < 7 || digits > 15) return false;
  const dots = seps.filter((c) => c === DOT).length;
  if (dots > 0 && (dots !== seps.length || Math.max(...groups) <= 3)) return false;
  if (plus) return groups.length === 1 ? digits >= 8 : groups[0]! <= 4;
  if (groups.length < 2) return false;
  const first = groups[0]!;
  const last = groups[groups.length - 1]!;
  if (first > 5 || last < 2 || last > 8) return false;
  for (let k = 1; k < groups.length - 1; k++) if (groups[k]! < 2 || groups[k]! > 5) return false;
  if (first === 1 && groups.length < 3) return false;
  const trunk = firstDigit === 48; // a national trunk prefix "0…"
  if (!trunk && last < 4) return false;
  if (groups.length === 2 && !parens && !trunk && !(first === 3 && last === 4)) return false;
  if (groups.length === 3 && !parens) {
    const [a, b, c] = groups as [number, number, number];
    if ((a <= 2 && b <= 2 && c === 4) || (a === 4 && b <= 2 && c <= 2)) return false; // dates
    if (a === 3 && b === 2 && c === 4 && seps.every((x) => x === DASH)) return false; // SSN-shaped
  }
  return true;
}

function phoneAt(text: string, s: number): number {
  if (!phoneCanStart(text, s)) return -1;
  const get = reader(text, Math.min(text.length, s + PHONE_WINDOW));
  let i = s;
  const plus = get(i) === PLUS;
  // "1234 5678 9012 3456" is not a phone from its second group on.
  const glued = isDigit(get(s)) && afterNumber(text, s);
  if (plus && !isDigit(get(++i))) return -1;
  const groups: number[] = [];
  const seps: number[] = [];
  let parens = false;
  let digits = 0;
  let best = -1;
  let strong = false;
  let firstDigit = NONE;
  for (;;) {
    const c = get(i);
    let afterParen = false;
    if (c === OPEN) {
      if (parens || groups.length > (plus ? 1 : 0)) return best;
      let j = i + 1;
      while (isDigit(get(j))) j++;
      const len = j - i - 1;
      if (len < 1 || len > 5 || get(j) !== CLOSE) return best;
      if (firstDigit === NONE) firstDigit = get(i + 1);
      groups.push(len);
      digits += len;
      parens = true;
      afterParen = true;
      i = j + 1;
    } else if (isDigit(c)) {
      if (firstDigit === NONE) firstDigit = c;
      let j = i;
      while (isDigit(get(j))) j++;
      groups.push(j - i);
      digits += j - i;
      i = j;
    } else {
      return best;
    }
    // A chain of more than 15 digits is something else (a card, an account number), unless the
    // number found so far is unmistakably formatted as a phone and another number merely follows.
    if (digits > 15) return strong ? best : -1;
    const next = get(i);
    const spaced = seps.includes(SPACE);
    const formatted = plus || parens || !spaced;
    // A space-separated number that runs on into more digits is a list of numbers, not a phone.
    const runsOn = next === SPACE && isDigit(get(i + 1));
    if (!isWord(next) && phoneValid(groups, seps, plus, parens, firstDigit) && !(glued && spaced) && !(runsOn && !formatted)) {
      best = i;
      strong = formatted;
    }
    if (next === SPACE || next === DASH || next === DOT) {
      const after = get(i + 1);
      if (!isDigit(after) && after !== OPEN) return best;
      seps.push(next);
      i++;
    } else if (!(afterParen && isDigit(next)) && next !== OPEN) {
      return best;
    }
  }
}

export const PHONE: BuiltInDetector = {
  kind: "PHONE",
  window: PHONE_WINDOW,
  canStart: phoneCanStart,
  matchAt: phoneAt,
  liveness: "[+(0-9][0-9 ().-]*",
};

// ---------------------------------------------------------------------------------------------
// CARD: 13–19 digits, Luhn-valid, written as one run, in groups of four (the last one shorter),
// or as 4-6-5 / 4-6-4 (Amex, Diners), with spaces or dashes (one kind per number).

const CARD_WINDOW = 48;

function cardCanStart(text: string, i: number): boolean {
  if (!isDigit(at(text, i))) return false;
  const p = at(text, i - 1);
  if (isWord(p)) return false;
  return !((p === DOT || p === 44) /* , */ && isDigit(at(text, i - 2))); // not the decimals of a number
}

function cardFormat(groups: number[], digits: number): boolean {
  if (digits < 13 || digits > 19) return false;
  if (groups.length === 1) return true;
  if (groups.length === 3 && groups[0] === 4 && groups[1] === 6 && (groups[2] === 5 || groups[2] === 4)) return true;
  if (groups.length < 4) return false;
  for (let k = 0; k < groups.length - 1; k++) if (groups[k] !== 4) return false;
  return groups[groups.length - 1]! <= 4;
}

function luhn(text: string, from: number, to: number): boolean {
  let sum = 0;
  let double = false;
  for (let i = to - 1; i >= from; i--) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) continue;
    let d = c - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function cardAt(text: string, s: number): number {
  if (!cardCanStart(text, s)) return -1;
  const get = reader(text, Math.min(text.length, s + CARD_WINDOW));
  const groups: number[] = [];
  let sep = NONE;
  let digits = 0;
  let best = -1;
  let i = s;
  for (;;) {
    let j = i;
    while (isDigit(get(j)) && digits + (j - i) <= 19) j++;
    groups.push(j - i);
    digits += j - i;
    i = j;
    if (digits > 19) return best;
    const next = get(i);
    if (!isWord(next) && cardFormat(groups, digits) && luhn(text, s, i)) best = i;
    if ((next === SPACE || next === DASH) && (sep === NONE || sep === next) && isDigit(get(i + 1))) {
      sep = next;
      i++;
    } else {
      return best;
    }
  }
}

export const CARD: BuiltInDetector = {
  kind: "CARD",
  window: CARD_WINDOW,
  canStart: cardCanStart,
  matchAt: cardAt,
  liveness: "[0-9][0-9 -]*",
};

// ---------------------------------------------------------------------------------------------
// IBAN: country code, two check digits, the BBAN; as many characters as the country's IBAN has,
// compact or in groups of four separated by single spaces; the ISO 7064 mod-97 checksum holds.

/** IBAN lengths by country (SWIFT IBAN registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28,
  IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20,
  LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28,
  NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24,
  SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

const IBAN_WINDOW = 48;

function ibanCanStart(text: string, i: number): boolean {
  return isAlpha(at(text, i)) && !isWord(at(text, i - 1));
}

/** mod-97 of the IBAN in `chars` (upper-cased, no spaces), rearranged as ISO 13616 says. */
export function ibanChecksumOk(chars: string): boolean {
  const rearranged = chars.slice(4) + chars.slice(0, 4);
  let rest = 0;
  for (let k = 0; k < rearranged.length; k++) {
    const c = rearranged.charCodeAt(k);
    const value = isDigit(c) ? c - 48 : c - 55; // A = 10 … Z = 35
    rest = value > 9 ? (rest * 100 + value) % 97 : (rest * 10 + value) % 97;
  }
  return rest === 1;
}

function ibanAt(text: string, s: number): number {
  if (!ibanCanStart(text, s)) return -1;
  const get = reader(text, Math.min(text.length, s + IBAN_WINDOW));
  if (!isAlpha(get(s + 1))) return -1;
  const country = text.slice(s, s + 2).toUpperCase();
  const length = IBAN_LENGTHS[country];
  if (!length || !isDigit(get(s + 2)) || !isDigit(get(s + 3))) return -1;
  let chars = text.slice(s, s + 4).toUpperCase();
  let i = s + 4;
  const spaced = get(i) === SPACE;
  while (chars.length < length) {
    if (spaced && chars.length % 4 === 0) {
      if (get(i) !== SPACE) return -1;
      i++;
    }
    const c = get(i);
    if (!isAlnum(c)) return -1;
    chars += isUpper(c) || isDigit(c) ? text[i] : text[i]!.toUpperCase();
    i++;
  }
  if (isWord(get(i))) return -1;
  return ibanChecksumOk(chars) ? i : -1;
}

export const IBAN: BuiltInDetector = {
  kind: "IBAN",
  window: IBAN_WINDOW,
  canStart: ibanCanStart,
  matchAt: ibanAt,
  liveness: "[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]{4})*(?: ?[A-Za-z0-9]{1,4})?",
};

// ---------------------------------------------------------------------------------------------
// SSN: AAA-GG-SSSS, or the nine digits alone (not within a longer run of digits); never area 000,
// 666 or 900–999, group 00 or serial 0000.

const SSN_WINDOW = 12;

function ssnCanStart(text: string, i: number): boolean {
  if (!isDigit(at(text, i))) return false;
  const p = at(text, i - 1);
  if (isWord(p)) return false;
  return !((p === DASH || p === DOT || p === 44) && isAlnum(at(text, i - 2)));
}

const digitsAt = (get: (i: number) => number, from: number, count: number) => {
  for (let k = 0; k < count; k++) if (!isDigit(get(from + k))) return false;
  return true;
};

export function ssnValid(area: number, group: number, serial: number): boolean {
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}

function ssnAt(text: string, s: number): number {
  if (!ssnCanStart(text, s)) return -1;
  const get = reader(text, Math.min(text.length, s + SSN_WINDOW));
  if (!digitsAt(get, s, 3)) return -1;
  let end: number;
  let groupAt: number;
  let serialAt: number;
  if (get(s + 3) === DASH) {
    if (!digitsAt(get, s + 4, 2) || get(s + 6) !== DASH || !digitsAt(get, s + 7, 4)) return -1;
    [groupAt, serialAt, end] = [s + 4, s + 7, s + 11];
  } else {
    if (!digitsAt(get, s + 3, 6)) return -1;
    [groupAt, serialAt, end] = [s + 3, s + 5, s + 9];
  }
  if (isWord(get(end))) return -1;
  const num = (from: number, count: number) => Number(text.slice(from, from + count));
  return ssnValid(num(s, 3), num(groupAt, 2), num(serialAt, 4)) ? end : -1;
}

export const SSN: BuiltInDetector = {
  kind: "SSN",
  window: SSN_WINDOW,
  canStart: ssnCanStart,
  matchAt: ssnAt,
  liveness: "[0-9]{3}-?[0-9]{2}-?[0-9]{4}",
};

// ---------------------------------------------------------------------------------------------
// IP: IPv4 as four decimal octets 0–255 (no leading zeros), not part of a longer dotted run
// (1.2.3.4.5 is a version); IPv6 as eight hex groups, or fewer with one "::", optionally ending in
// an IPv4 address (::ffff:192.0.2.1).

const IP_WINDOW = 48;

function ipCanStart(text: string, i: number): boolean {
  const c = at(text, i);
  if (!(isHex(c) || c === COLON)) return false;
  const p = at(text, i - 1);
  return !isWord(p) && p !== DOT && p !== COLON;
}

/** End of the dotted IPv4 address at `i`, or -1 (no lookahead). */
function ipv4At(get: (i: number) => number, i: number): number {
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (get(i) !== DOT) return -1;
      i++;
    }
    let j = i;
    while (isDigit(get(j)) && j - i < 4) j++;
    const len = j - i;
    if (len < 1 || len > 3 || (len > 1 && get(i) === 48)) return -1;
    let value = 0;
    for (let k = i; k < j; k++) value = value * 10 + get(k) - 48;
    if (value > 255) return -1;
    i = j;
  }
  return i;
}

/** Whether an address may end at `e`: not followed by a word character or more dotted digits. */
const ipEnds = (get: (i: number) => number, e: number, v6: boolean) => {
  const c = get(e);
  return !isWord(c) && !(v6 && c === COLON) && !(c === DOT && isDigit(get(e + 1)));
};

function ipv6At(get: (i: number) => number, s: number): number {
  let i = s;
  let groups = 0;
  let compressed = false;
  if (get(i) === COLON) {
    if (get(i + 1) !== COLON) return -1;
    compressed = true;
    i += 2;
  }
  for (;;) {
    let j = i;
    while (isHex(get(j)) && j - i < 5) j++;
    const len = j - i;
    if (len === 0 || len > 4) break;
    if (get(j) === DOT) {
      const v4 = ipv4At(get, i);
      if (v4 < 0 || groups > (compressed ? 5 : 6)) return -1;
      groups += 2;
      i = v4;
      break;
    }
    groups++;
    i = j;
    if (groups >= 8) break;
    if (get(i) === COLON && get(i + 1) === COLON) {
      if (compressed) break;
      compressed = true;
      i += 2;
    } else if (get(i) === COLON && isHex(get(i + 1))) {
      i++;
    } else {
      break;
    }
  }
  if (compressed ? groups < 1 || groups > 7 : groups !== 8) return -1;
  return i;
}

function ipAt(text: string, s: number): number {
  if (!ipCanStart(text, s)) return -1;
  const get = reader(text, Math.min(text.length, s + IP_WINDOW));
  const v4 = ipv4At(get, s);
  const v6 = ipv6At(get, s);
  // An IPv4 address may be followed by ":port"; an IPv6 one by no further colon.
  return Math.max(v4 > s && ipEnds(get, v4, false) ? v4 : -1, v6 > s && ipEnds(get, v6, true) ? v6 : -1);
}

export const IP: BuiltInDetector = {
  kind: "IP",
  window: IP_WINDOW,
  canStart: ipCanStart,
  matchAt: ipAt,
  liveness: "[0-9A-Fa-f:]+(?:[.][0-9]*)*",
};

export const BUILT_IN_DETECTORS: Record<BuiltInPiiKind, BuiltInDetector> = { EMAIL, PHONE, CARD, IBAN, SSN, IP };
