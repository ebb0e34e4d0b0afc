import { ParseResult, Schema } from "effect"
import { nearestKey } from "./inputError.js"
import { describeInvalidPath } from "./summaryPaths.js"
import { formatValue } from "../../core/formatValue.js"

/** Comparison operators of a `"<op> <number>"` condition. */
export const COMPARISON_OPERATORS = ["<", "<=", ">", ">=", "==", "!="] as const

/** One of `COMPARISON_OPERATORS`. */
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number]

/** A decoded condition: `"<= 180"` becomes a comparison, `{ min, max }` an inclusive range. */
export type Condition =
  | { readonly kind: "compare"; readonly operator: ComparisonOperator; readonly value: number }
  | { readonly kind: "range"; readonly min?: number; readonly max?: number }

/** One decoded entry of an `expect` block: a summary path and the condition its value must meet. */
export interface Expectation {
  readonly path: string
  readonly condition: Condition
}

const ConditionType = Schema.Union(
  Schema.Struct({ kind: Schema.Literal("compare"), operator: Schema.Literal(...COMPARISON_OPERATORS), value: Schema.Number }),
  Schema.Struct({
    kind: Schema.Literal("range"),
    min: Schema.optionalWith(Schema.Number, { exact: true }),
    max: Schema.optionalWith(Schema.Number, { exact: true })
  })
)

const ExpectationType = Schema.Struct({ path: Schema.String, condition: ConditionType })

const CONDITION_SHAPE =
  'a condition "<op> <number>" with op <, <=, >, >=, == or != (such as "<= 180"), or a mapping { min, max } with either bound optional'

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/
const COMPARISON = /^\s*(<=|>=|==|!=|<|>)\s*(\S+)\s*$/

/**
 * The `expect` block of a scenario: a mapping from a `summary.json` path to a
 * condition, decoded to a list of expectations in file order. A condition is
 * `"<op> <number>"` or `{ min, max }` (inclusive, either may be omitted), and
 * a list value such as `violations` compares by its length. Decoding fails
 * on a path that is not in the summary, with the nearest valid paths as a
 * suggestion, and on a malformed condition. Encoding gives the file form back.
 */
export const ExpectSection = Schema.transformOrFail(Schema.Unknown, Schema.Array(ExpectationType), {
  strict: true,
  decode: (input, _options, ast) => {
    if (!isMapping(input)) {
      const example = '{ waitSeconds.p95: "<= 180", violations: "== 0" }'
      return ParseResult.fail(
        new ParseResult.Type(ast, input, `expected a mapping from summary.json path to condition, such as ${example}, got ${show(input)}`)
      )
    }
    const expectations: Array<Expectation> = []
    for (const [path, raw] of Object.entries(input)) {
      const pathProblem = describeInvalidPath(path)
      if (pathProblem !== undefined) {
        return ParseResult.fail(new ParseResult.Pointer(path, input, new ParseResult.Type(ast, path, pathProblem)))
      }
      const condition = decodeCondition(raw, ast)
      if (condition instanceof ParseResult.Type || condition instanceof ParseResult.Pointer) {
        return ParseResult.fail(new ParseResult.Pointer(path, input, condition))
      }
      expectations.push({ path, condition })
    }
    return ParseResult.succeed(expectations)
  },
  encode: (expectations) => {
    const encoded: Record<string, unknown> = {}
    for (const { path, condition } of expectations) {
      if (condition.kind === "compare") {
        encoded[path] = formatCondition(condition)
      } else {
        const { kind: _kind, ...bounds } = condition
        encoded[path] = bounds
      }
    }
    return ParseResult.succeed(encoded)
  }
})

/** Decoded expectations, as `ExpectSection` returns them. */
export type Expectations = typeof ExpectSection.Type

const decodeCondition = (raw: unknown, ast: Schema.Schema.Any["ast"]): Condition | ParseResult.Type | ParseResult.Pointer => {
  if (typeof raw === "string") {
    const match = COMPARISON.exec(raw)
    if (match === null || !NUMBER.test(match[2]!) || !Number.isFinite(Number(match[2]))) {
      return new ParseResult.Type(ast, raw, `expected ${CONDITION_SHAPE}, got ${show(raw)}`)
    }
    return { kind: "compare", operator: match[1] as ComparisonOperator, value: Number(match[2]) }
  }
  if (!isMapping(raw)) return new ParseResult.Type(ast, raw, `expected ${CONDITION_SHAPE}, got ${show(raw)}`)

  const range: { min?: number; max?: number } = {}
  for (const [key, bound] of Object.entries(raw)) {
    if (key !== "min" && key !== "max") {
      const suggestion = nearestKey(key, ["min", "max"])
      const hint = suggestion === undefined ? "" : ` Did you mean "${suggestion}"?`
      return new ParseResult.Pointer(key, raw, new ParseResult.Type(ast, bound, `unknown key "${key}" in a condition.${hint} Valid keys: min, max`))
    }
    if (typeof bound !== "number" || !Number.isFinite(bound)) {
      return new ParseResult.Pointer(key, raw, new ParseResult.Type(ast, bound, `expected a finite number, got ${show(bound)}`))
    }
    range[key] = bound
  }
  if (range.min === undefined && range.max === undefined) {
    return new ParseResult.Type(ast, raw, `expected ${CONDITION_SHAPE}, got {} (a range needs min, max or both)`)
  }
  if (range.min !== undefined && range.max !== undefined && range.min > range.max) {
    return new ParseResult.Type(ast, raw, `expected min at most max, got min ${range.min} and max ${range.max}`)
  }
  return { kind: "range", ...range }
}

/** Formats a condition as written in a scenario: `<= 180`, `>= 2`, `from 10 to 50`. */
export const formatCondition = (condition: Condition): string => {
  if (condition.kind === "compare") return `${condition.operator} ${condition.value}`
  if (condition.min !== undefined && condition.max !== undefined) return `from ${condition.min} to ${condition.max}`
  return condition.min !== undefined ? `>= ${condition.min}` : `<= ${condition.max}`
}

const isMapping = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const show = (value: unknown): string => {
  if (value === undefined) return "nothing"
  const text = formatValue(value)
  return text.length <= 80 ? text : `${text.slice(0, 80)}...`
}

/** An expectation that a summary does not meet. */
export interface ExpectationFailure {
  readonly path: string
  /** The condition as written, such as `<= 180` or `from 10 to 50`. */
  readonly condition: string
  /** The value tested (a list's length), or `undefined` when the summary has no number or list at `path`. */
  readonly actual: number | undefined
  /** One line naming the path, the condition and the actual value, such as `waitSeconds.p95: expected <= 180, got 190.2`. */
  readonly message: string
}

/**
 * Tests every expectation against a summary (the object written to
 * `summary.json`) and returns those that fail, in the order given. A list
 * value is tested by its length. A path that the summary lacks, such as the
 * skipped-row count of a source that does not exist, fails.
 */
export const evaluateExpectations = (summary: object, expectations: Expectations): ReadonlyArray<ExpectationFailure> => {
  const failures: Array<ExpectationFailure> = []
  for (const { path, condition } of expectations) {
    const conditionText = formatCondition(condition)
    const value = valueAtPath(summary, path)
    const actual = typeof value === "number" ? value : Array.isArray(value) ? value.length : undefined
    if (actual === undefined) {
      failures.push({ path, condition: conditionText, actual, message: `${path}: expected ${conditionText}, but the summary has ${describeMissing(summary, path, value)}` })
    } else if (!meets(actual, condition)) {
      const got = Array.isArray(value) ? `${actual} item${actual === 1 ? "" : "s"} (a list compares by its length)` : String(actual)
      failures.push({ path, condition: conditionText, actual, message: `${path}: expected ${conditionText}, got ${got}` })
    }
  }
  return failures
}

const meets = (actual: number, condition: Condition): boolean => {
  if (condition.kind === "range") {
    return (condition.min === undefined || actual >= condition.min) && (condition.max === undefined || actual <= condition.max)
  }
  const { operator, value } = condition
  switch (operator) {
    case "<":
      return actual < value
    case "<=":
      return actual <= value
    case ">":
      return actual > value
    case ">=":
      return actual >= value
    case "==":
      return actual === value
    case "!=":
      return actual !== value
  }
}

/** Returns the value at a dotted path of `summary`, or `undefined` when a key on the way is missing. */
const valueAtPath = (summary: object, path: string): unknown => {
  const skipped = /^runs\.skippedTraceRows\.(.+)$/.exec(path)
  const keys = skipped === null ? path.split(".") : ["runs", "skippedTraceRows", skipped[1]!]
  let value: unknown = summary
  for (const key of keys) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return undefined
    value = (value as Readonly<Record<string, unknown>>)[key]
  }
  return value
}

const describeMissing = (summary: object, path: string, value: unknown): string => {
  if (value !== undefined) return `${show(value)} there, not a number or list`
  if (!path.startsWith("runs.skippedTraceRows.")) return "no such value"
  const sources = Object.keys((valueAtPath(summary, "runs.skippedTraceRows") as object | undefined) ?? {})
  const known = sources.length === 0 ? "none, because the scenario has no trace source" : sources.join(", ")
  return `no trace source of that name (trace sources: ${known})`
}
