/** Limits that keep the parser fast and the extension host alive on hostile or huge input. */

/** Longest text accepted, in UTF-16 code units (≈ bytes for the ASCII that number arrays are made of). */
export const MAX_TEXT_LENGTH = 64 * 1024 * 1024;

/** Deepest bracket nesting accepted. The format itself needs at most 6 ([layer][1][head][q][k] inside the top object). */
export const MAX_DEPTH = 64;

/** Problems reported in all; a last line says how many more there were. */
export const MAX_PROBLEMS = 100;

/** "Row does not sum to 1" warnings reported individually; the rest are summarised in one warning. */
export const MAX_ROW_SUM_WARNINGS = 20;

/** An attention row counts as summing to 1 when |sum − 1| ≤ this. */
export const ROW_SUM_TOLERANCE = 1e-3;

/**
 * Largest magnitude accepted for a number. Far below float32's 3.4e38, so that products of
 * such numbers (Q·Kᵀ, residuals, feed-forward layers) stay finite in 32-bit floats.
 */
export const MAX_MAGNITUDE = 1e9;

/** Range of options.scale and options.temperature, for the same reason. */
export const MIN_FACTOR = 1e-6;
export const MAX_FACTOR = 1e6;
