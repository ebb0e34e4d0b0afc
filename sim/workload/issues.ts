import { Either, ParseResult, Schema } from "effect"
import { DISTRIBUTION_KEYS } from "./distributionSchema.js"
import { RATE_PROFILE_KEYS, TRACE_COLUMN_KEYS, WORKLOAD_SOURCE_KEYS, WorkloadSection, type WorkloadSource } from "./schema.js"

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const keysOfKind = (table: Readonly<Record<string, ReadonlyArray<string>>>, kind: unknown) =>
  typeof kind === "string" && Object.hasOwn(table, kind) ? table[kind] : undefined

/**
 * Returns the valid keys of the object at `path` inside a workload section
 * (`[0]` is the first source, `[0, "duration"]` its duration distribution),
 * or `undefined` where any key is allowed (`filter`, `quantiles`) or the
 * path leads nowhere known. Source and distribution keys depend on the
 * object's own `kind`.
 */
export const workloadKeysAt = (section: unknown, path: ReadonlyArray<PropertyKey>): ReadonlyArray<string> | undefined => {
  let node: unknown = section
  for (const key of path) {
    if (typeof key === "symbol" || !(isRecord(node) || Array.isArray(node))) return undefined
    node = (node as Record<string, unknown>)[String(key)]
  }
  if (!isRecord(node)) return undefined

  const last = path[path.length - 1]
  if (path.length === 1) return keysOfKind(WORKLOAD_SOURCE_KEYS, node["kind"])
  if (path.length === 2 && last === "profile") return RATE_PROFILE_KEYS
  if (path.length === 2 && last === "columns") return TRACE_COLUMN_KEYS
  if (path.length === 2 && (last === "duration" || last === "fanOut")) return keysOfKind(DISTRIBUTION_KEYS, node["kind"])
  return undefined
}

/**
 * Returns the valid key that `key` was most likely meant to be: the only
 * candidate that starts with it (`rate` for `ratePerHour`), or else the
 * closest by edit distance, ignoring case. Returns `undefined` when no
 * candidate is within a third of the key's length (at least 2 edits).
 */
export const nearestKey = (key: string, candidates: ReadonlyArray<string>): string | undefined => {
  const lower = key.toLowerCase()
  const extensions = candidates.filter((candidate) => candidate.toLowerCase().startsWith(lower))
  if (lower.length >= 3 && extensions.length === 1) return extensions[0]

  const limit = Math.max(2, Math.floor(key.length / 3))
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return bestDistance <= limit ? best : undefined
}

const editDistance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

const formatPath = (prefix: string, path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : `${text}.${String(key)}`),
    prefix
  )

/**
 * Turns a decoding failure of a workload section into one line per issue,
 * each naming the key path (`workload[0].ratePerHour`) and the message,
 * which contains the rejected value. An unknown key gets the nearest valid
 * key as a suggestion and the list of valid keys.
 */
export const formatWorkloadIssues = (
  error: ParseResult.ParseError,
  section: unknown,
  prefix = "workload"
): ReadonlyArray<string> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
    const where = formatPath(prefix, issue.path)
    const key = String(issue.path[issue.path.length - 1])
    if (issue._tag === "Missing") return `${where}: missing required key "${key}"`
    if (issue._tag !== "Unexpected") return `${where}: ${issue.message}`

    if (issue.path[issue.path.length - 2] === "quantiles") {
      return `${where}: invalid quantile key "${key}", expected p0 to p100 such as p50`
    }
    const valid = workloadKeysAt(section, issue.path.slice(0, -1))
    if (valid === undefined) return `${where}: unknown key "${key}"`
    const suggestion = nearestKey(key, valid)
    const hint = suggestion === undefined ? "" : ` Did you mean "${suggestion}"?`
    return `${where}: unknown key "${key}".${hint} Valid keys: ${valid.join(", ")}`
  })

/**
 * Decodes a workload section, returning the sources or the issue lines of
 * formatWorkloadIssues.
 */
export const decodeWorkloadSection = (
  section: unknown,
  prefix = "workload"
): Either.Either<ReadonlyArray<WorkloadSource>, ReadonlyArray<string>> =>
  Schema.decodeUnknownEither(WorkloadSection, { errors: "all" })(section).pipe(
    Either.mapLeft((error) => formatWorkloadIssues(error, section, prefix))
  )
