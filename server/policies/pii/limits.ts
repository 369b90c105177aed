// Limits on organization patterns, in a module of their own so the console can show them without
// bundling the regex engine.

export const MAX_PATTERN_LENGTH = 500;
export const MAX_NAME_LENGTH = 40;
/** Longest text one organization pattern may match (UTF-16 code units). */
export const MAX_CUSTOM_MATCH_LENGTH = 256;
/** Compiled program size above which a pattern is refused as too complex. */
export const MAX_PROGRAM_SIZE = 4000;
