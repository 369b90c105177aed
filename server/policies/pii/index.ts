/**
 * PII detection and masking for REDACT policies: built-in kinds (EMAIL, PHONE, CARD, IBAN, SSN, IP)
 * and organization-defined patterns (RE2), on whole texts and on streams split anywhere.
 *
 *   const detector = createDetector({ kinds: ["EMAIL", "CARD", "EMPLOYEE_ID"], custom: orgPatterns });
 *   maskText(detector, "mail bob@example.com") // → { text: "mail [EMAIL]", counts: { EMAIL: 1 } }
 *   const masker = new StreamMasker(detector); out(masker.push(delta)) …; out(masker.end());
 */
export { BUILT_IN_PII_KINDS, IBAN_LENGTHS, type BuiltInPiiKind } from "./builtins";
export { compileCustomPattern, type CompileResult, type CustomPattern, type CustomPiiMatcher } from "./custom";
export { MAX_CUSTOM_MATCH_LENGTH, MAX_NAME_LENGTH, MAX_PATTERN_LENGTH } from "./limits";
export { createDetector, findPii, maskText, piiKinds, type DetectorOptions, type PiiDetector, type PiiMatch } from "./detector";
export { StreamMasker } from "./stream";
