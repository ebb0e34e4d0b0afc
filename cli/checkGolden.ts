import { readFileSync, writeFileSync } from "node:fs"
import type { Summary } from "../reports/summary.js"

/** A summary as a golden file stores it: everything but `engine`, which holds wall-clock time. */
export type GoldenSummary = Omit<Summary, "engine">

/** The result of comparing a run with its golden file, or of rewriting the file with `--update-golden`. */
export type GoldenOutcome =
  | { readonly kind: "match"; readonly path: string }
  | { readonly kind: "missing"; readonly path: string }
  | { readonly kind: "invalid"; readonly path: string; readonly reason: string }
  | { readonly kind: "differs"; readonly path: string; readonly changes: ReadonlyArray<string> }
  | { readonly kind: "written"; readonly path: string; readonly created: boolean; readonly changes: ReadonlyArray<string> }
  /** The file could not be read or written; `reason` names the operation and the Node.js error code. */
  | { readonly kind: "unavailable"; readonly path: string; readonly reason: string }

/** Maximum number of changed values listed for one golden file; the rest are counted. */
const MAX_LISTED_CHANGES = 100

/** Drops `engine` from a summary. */
export const goldenSummaryOf = (summary: Summary): GoldenSummary => {
  const { engine: _engine, ...golden } = summary
  return golden
}

/** Serializes a golden summary as `summary.json` is written: JSON indented by 2 spaces, with a trailing newline. */
export const goldenToJson = (golden: GoldenSummary): string => `${JSON.stringify(golden, null, 2)}\n`

/**
 * Compares a run's summary with the golden file at `path`, value by value and
 * exactly, because runs are deterministic. With `update`, writes the file
 * when it is missing, invalid or different, and reports what changed.
 * Throws the Node.js error when the file cannot be read (other than missing)
 * or written.
 */
export const compareWithGolden = (summary: Summary, path: string, update: boolean): GoldenOutcome => {
  const golden = goldenSummaryOf(summary)
  const stored = readGolden(path)
  const changes = stored.kind === "read" ? describeChanges(stored.value, JSON.parse(goldenToJson(golden))) : []

  if (update) {
    const unchanged = stored.kind === "read" && changes.length === 0
    if (!unchanged) writeFileSync(path, goldenToJson(golden))
    return unchanged ? { kind: "match", path } : { kind: "written", path, created: stored.kind === "missing", changes }
  }
  if (stored.kind === "missing") return { kind: "missing", path }
  if (stored.kind === "invalid") return { kind: "invalid", path, reason: stored.reason }
  return changes.length === 0 ? { kind: "match", path } : { kind: "differs", path, changes }
}

type StoredGolden =
  | { readonly kind: "read"; readonly value: unknown }
  | { readonly kind: "missing" }
  | { readonly kind: "invalid"; readonly reason: string }

const readGolden = (path: string): StoredGolden => {
  let text: string
  try {
    text = readFileSync(path, "utf8")
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" }
    throw error
  }
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { kind: "invalid", reason: "expected a JSON object, the summary of one run" }
    }
    return { kind: "read", value }
  } catch (error) {
    return { kind: "invalid", reason: `not valid JSON (${(error as Error).message})` }
  }
}

/**
 * Lists the values that differ between two JSON values, one line per leaf,
 * `PATH: OLD -> NEW`, such as `waitSeconds.p95: 142.694 -> 150.2 (+5.3%)`.
 * Lists show their length change and then their items as `violations[0].at`.
 * A value present on one side only shows `(none)` on the other. Lines keep
 * the new summary's key order, with removed keys last, and stop after
 * MAX_LISTED_CHANGES with a count of the rest.
 */
export const describeChanges = (before: unknown, after: unknown): ReadonlyArray<string> => {
  const lines: Array<string> = []
  collectChanges(before, after, "", lines)
  if (lines.length <= MAX_LISTED_CHANGES) return lines
  return [...lines.slice(0, MAX_LISTED_CHANGES), `... and ${lines.length - MAX_LISTED_CHANGES} more changed values`]
}

const collectChanges = (before: unknown, after: unknown, path: string, lines: Array<string>): void => {
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) lines.push(`${path}: ${items(before.length)} -> ${items(after.length)}`)
    for (let index = 0; index < Math.max(before.length, after.length); index++) {
      collectChanges(before[index], after[index], `${path}[${index}]`, lines)
    }
    return
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...Object.keys(after), ...Object.keys(before).filter((key) => !Object.hasOwn(after, key))]
    for (const key of keys) collectChanges(before[key], after[key], path === "" ? key : `${path}.${key}`, lines)
    return
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return
  lines.push(`${path}: ${showValue(before)} -> ${showValue(after)}${relativeChange(before, after)}`)
}

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const items = (count: number): string => `${count} item${count === 1 ? "" : "s"}`

const showValue = (value: unknown): string => {
  if (value === undefined) return "(none)"
  const text = JSON.stringify(value)
  return text.length <= 80 ? text : `${text.slice(0, 80)}...`
}

/** Formats the change from `before` to `after` as a signed percentage, such as ` (+5.3%)`, when both are numbers and `before` is not 0. */
const relativeChange = (before: unknown, after: unknown): string => {
  if (typeof before !== "number" || typeof after !== "number" || before === 0) return ""
  const percent = ((after - before) / Math.abs(before)) * 100
  const text = Math.abs(percent) >= 0.1 ? percent.toFixed(1) : percent.toPrecision(1)
  return ` (${percent > 0 ? "+" : ""}${text}%)`
}
