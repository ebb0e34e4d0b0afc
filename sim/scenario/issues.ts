import { ParseResult } from "effect"
import { isMap, isScalar, isSeq, type Document, type LineCounter } from "yaml"
import { nearestKey } from "./inputError.js"
import { formatValue } from "../../core/formatValue.js"

/** The parsed scenario document and the command-line values applied to it, for locating a decoding issue. */
export interface IssueSource {
  /** Scenario file name as the user gave it. */
  readonly file: string
  readonly document: Document
  readonly lineCounter: LineCounter
  /** The document as plain data, after the command-line values were applied. */
  readonly data: unknown
  /** Dotted key paths set on the command line, each with the option that set it (`--set pool.maxPoolSize=0`, `--seed 7`). */
  readonly assigned: ReadonlyMap<string, string>
}

const MAX_VALUE_LENGTH = 80

/**
 * Describes the problem of a failed scenario decoding in one line,
 * `LOCATION: KEY.PATH: PROBLEM, got VALUE`. LOCATION is `file:line` of the
 * offending key, or `file (--set ...)` when a command-line option set it.
 * An unknown key gets the nearest valid key as a suggestion and the list of
 * valid keys. Decoding stops at the first problem, so the message describes
 * one. When Effect reports that problem once per alternative of a union,
 * the alternatives are merged into one expectation.
 */
export const describeScenarioIssue = (error: ParseResult.ParseError, source: IssueSource): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues.find((issue) => !isUndefinedAlternative(issue)) ?? issues[0]!
  const path = first.path
  const subject = path.length === 0 ? "scenario" : path.map(String).join(".")
  const where = locate(source, path, first._tag === "Unexpected")

  if (first._tag === "Unexpected") return `${where}: ${subject}: ${describeUnknownKey(first)}`
  if (first._tag === "Missing") return `${where}: ${subject}: missing required key "${String(path[path.length - 1])}"`

  const alternatives = issues.filter((issue) => samePath(issue.path, path) && !isUndefinedAlternative(issue))
  const problem = mergeAlternatives(alternatives.length > 0 ? alternatives : [first])
  return `${where}: ${subject}: ${appendValue(problem, valueAt(source.data, path))}`
}

/**
 * Describes the first problem of a failed decoding in one line,
 * `KEY.PATH: PROBLEM`, for values that do not come from a file, such as
 * pool settings that a search builds. `prefix` starts the key path.
 */
export const describeFirstIssue = (error: ParseResult.ParseError, prefix: string): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues.find((issue) => !isUndefinedAlternative(issue)) ?? issues[0]!
  const subject = [prefix, ...first.path.map(String)].filter((key) => key !== "").join(".")
  return `${subject}: ${first.message}`
}

/** Appends `, got VALUE` to an expectation that does not show the rejected value yet. */
const appendValue = (problem: string, value: unknown): string => {
  if (value === undefined || !problem.startsWith("expected") || /\bgot\b/.test(problem)) return problem
  const valueText = showValue(value)
  if (problem.includes(typeof value === "string" ? value : valueText)) return problem
  return `${problem}, got ${valueText}`
}

/** An issue of the `undefined` alternative of an optional key, such as `Expected undefined, actual 0`, which adds nothing. */
const isUndefinedAlternative = (issue: ParseResult.ArrayFormatterIssue): boolean =>
  issue._tag === "Type" && issue.message.startsWith("Expected undefined,")

const samePath = (a: ReadonlyArray<PropertyKey>, b: ReadonlyArray<PropertyKey>): boolean =>
  a.length === b.length && a.every((key, index) => key === b[index])

const describeUnknownKey = (issue: ParseResult.ArrayFormatterIssue): string => {
  const key = String(issue.path[issue.path.length - 1])
  if (issue.path[issue.path.length - 2] === "quantiles") {
    return `invalid quantile key "${key}", expected p0 to p100 such as p50`
  }
  // Effect 3.22 words the issue as `is unexpected, expected: "kind" | "name" | ...`.
  const valid = [...issue.message.matchAll(/"([^"]+)"/g)].map((match) => match[1]!)
  if (valid.length === 0) return `unknown key "${key}"`
  const suggestion = nearestKey(key, valid)
  const hint = suggestion === undefined ? "" : ` Did you mean "${suggestion}"?`
  return `unknown key "${key}".${hint} Valid keys: ${valid.join(", ")}`
}

const EXPECTED_ACTUAL = /^Expected (.*), actual (.*)$/

/**
 * Rewrites Effect's `Expected number, actual "x"` as `expected a number, got "x"`.
 * Issues of one union, such as `Expected "a", actual "c"` and `Expected "b", actual "c"`,
 * become `expected "a" or "b", got "c"`.
 */
const mergeAlternatives = (issues: ReadonlyArray<ParseResult.ArrayFormatterIssue>): string => {
  const parsed = issues.map((issue) => EXPECTED_ACTUAL.exec(firstLine(issue.message)))
  if (parsed.length > 1 && parsed.every((match) => match !== null)) {
    const expected = [...new Set(parsed.map((match) => describeExpected(match![1]!)))]
    return `expected ${expected.join(" or ")}, got ${parsed[0]![2]}`
  }
  const match = parsed[0]
  if (match != null) return `expected ${describeExpected(match[1]!)}, got ${match[2]}`
  return firstLine(issues[0]!.message).replace(/^Expected /, "expected ")
}

/** Replaces Effect's names of types (`number`, `Struct (Encoded side)`, `ReadonlyArray<...>`) by plain words. */
const describeExpected = (expected: string): string => {
  if (/^(number|string|boolean)$/.test(expected)) return `a ${expected}`
  if (/^(Struct\b|\{)/.test(expected)) return "a mapping"
  if (/^(ReadonlyArray|Array)</.test(expected)) return "a list"
  return expected
}

const firstLine = (text: string): string => text.split("\n")[0]!.trim()

/**
 * Returns `file:line` of the key at `path`, or of its closest parent in the
 * file, or `file (--set ...)` when a command-line option set the value at
 * `path` or, for an unknown key, created it on the way to a deeper path.
 */
const locate = (source: IssueSource, path: ReadonlyArray<PropertyKey>, unknownKey: boolean): string => {
  const dotted = path.map(String).join(".")
  for (const [assignedPath, option] of source.assigned) {
    const inside = dotted === assignedPath || dotted.startsWith(`${assignedPath}.`)
    const created = unknownKey && assignedPath.startsWith(`${dotted}.`)
    if (inside || created) return `${source.file} (${option})`
  }

  let node: unknown = source.document.contents
  let offset = rangeStart(node)
  for (const key of path) {
    let next: unknown
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(key))
      if (pair === undefined) break
      offset = rangeStart(pair.key) ?? offset
      next = pair.value
    } else if (isSeq(node) && typeof key === "number") {
      next = node.items[key]
      if (next === undefined) break
      offset = rangeStart(next) ?? offset
    } else {
      break
    }
    node = next
  }
  return offset === undefined ? source.file : `${source.file}:${source.lineCounter.linePos(offset).line}`
}

const rangeStart = (node: unknown): number | undefined => {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range
  return range?.[0]
}

const valueAt = (data: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let value = data
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

const showValue = (value: unknown): string => {
  const text = formatValue(value)
  return text.length <= MAX_VALUE_LENGTH ? text : `${text.slice(0, MAX_VALUE_LENGTH)}...`
}
