/**
 * Returns a value as messages and keys show it: JSON, except for numbers,
 * which `String` writes, because JSON writes Infinity, -Infinity and NaN all
 * as null.
 */
export const formatValue = (value: unknown): string => (typeof value === "number" ? String(value) : (JSON.stringify(value) ?? String(value)))
