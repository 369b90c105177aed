// Character tests on UTF-16 code units. Every built-in kind is ASCII, so code units are enough;
// -1 stands for "no character" (before the start or past the end of the text).

export const NONE = -1;

export const at = (text: string, i: number): number => (i >= 0 && i < text.length ? text.charCodeAt(i) : NONE);

export const isDigit = (c: number) => c >= 48 && c <= 57;
export const isUpper = (c: number) => c >= 65 && c <= 90;
export const isLower = (c: number) => c >= 97 && c <= 122;
export const isAlpha = (c: number) => isUpper(c) || isLower(c);
export const isAlnum = (c: number) => isDigit(c) || isAlpha(c);
/** RE2's `\w` (ASCII letters, digits, underscore): what `\b` looks at. */
export const isWord = (c: number) => isAlnum(c) || c === 95;
export const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

export const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
export const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

export const SPACE = 32;
export const DASH = 45;
export const DOT = 46;
export const PLUS = 43;
export const COLON = 58;
export const AT = 64;
export const OPEN = 40;
export const CLOSE = 41;
export const SLASH = 47;
