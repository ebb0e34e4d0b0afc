/**
 * Service level objectives of `runner-pool tune`, `compare` and `sweep`:
 * `--slo 'waitSeconds.p95<=120'`, a summary path, a comparison operator and
 * a number.
 */
import { COMPARISON_OPERATORS, evaluateExpectations, type ComparisonOperator, type ExpectationFailure } from "../../sim/scenario/expect.js"
import { InputError } from "../../sim/scenario/inputError.js"
import type { Scenario } from "../../sim/scenario/schema.js"
import { describeInvalidPath } from "../../sim/scenario/summaryPaths.js"

/** One decoded SLO: the value at `path` of every run's summary must compare to `value` with `operator`. */
export interface Slo {
  readonly path: string
  readonly operator: ComparisonOperator
  readonly value: number
}

/** The form of an SLO, for error messages and help text. */
export const SLO_FORM =
  "PATH OP NUMBER, such as waitSeconds.p95<=120, where PATH is a summary.json path and OP is one of <, <=, >, >=, == or !="

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/
const PARTS = /^\s*(.*?)\s*([<>=!]+)\s*(.*?)\s*$/

const invalid = (text: string, problem: string): InputError =>
  new InputError({ message: `--slo '${text}': ${problem}. Expected ${SLO_FORM}.` })

/**
 * Parses one `--slo` value. Throws `InputError` naming the text, what is
 * wrong (no operator, an unknown operator, a missing or unknown summary
 * path with the nearest valid paths, a value that is not a finite number)
 * and the expected form.
 */
export const parseSlo = (text: string): Slo => {
  const parts = PARTS.exec(text)
  if (text.trim() === "") throw invalid(text, "the SLO is empty")
  if (parts === null) throw invalid(text, "no comparison operator found")
  const [, path, operator, value] = parts as unknown as [string, string, string, string]

  if (!(COMPARISON_OPERATORS as ReadonlyArray<string>).includes(operator)) {
    const hint = operator === "=" ? " (use == for equality)" : ""
    throw invalid(text, `unknown operator "${operator}"${hint}`)
  }
  if (path === "") throw invalid(text, "the summary path before the operator is missing")
  const pathProblem = describeInvalidPath(path)
  if (pathProblem !== undefined) throw invalid(text, pathProblem.replace(/\.$/, ""))
  if (value === "") throw invalid(text, `the number after ${operator} is missing`)
  if (!NUMBER.test(value) || !Number.isFinite(Number(value))) throw invalid(text, `"${value}" is not a finite number`)

  return { path, operator: operator as ComparisonOperator, value: Number(value) }
}

/** Parses every `--slo` value, in order. Throws `InputError` for the first invalid one (see `parseSlo`). */
export const parseSlos = (texts: ReadonlyArray<string>): Array<Slo> => texts.map(parseSlo)

const SKIPPED_TRACE_ROWS_PREFIX = "runs.skippedTraceRows."

/**
 * Throws `InputError` for an SLO on `runs.skippedTraceRows.<source>` when
 * the scenario has no trace source of that name, since no run's summary
 * would have the value and so no configuration could meet the SLO.
 */
export const requireSloSources = (slos: ReadonlyArray<Slo>, scenario: Scenario, file: string): void => {
  const traceSources = scenario.workload.flatMap((source) => (source.kind === "trace" ? [source.name] : []))
  for (const slo of slos) {
    if (!slo.path.startsWith(SKIPPED_TRACE_ROWS_PREFIX)) continue
    const source = slo.path.slice(SKIPPED_TRACE_ROWS_PREFIX.length)
    if (traceSources.includes(source)) continue
    const known = traceSources.length === 0 ? "it has no trace source" : `its trace sources are ${traceSources.join(", ")}`
    throw new InputError({ message: `--slo '${formatSlo(slo)}': scenario ${file} has no trace source named "${source}"; ${known}` })
  }
}

/** Formats an SLO as `waitSeconds.p95 <= 120`. */
export const formatSlo = (slo: Slo): string => `${slo.path} ${slo.operator} ${slo.value}`

/** Returns the SLOs a summary misses, with the actual values, in the order given. */
export const sloFailures = (slos: ReadonlyArray<Slo>, summary: object): ReadonlyArray<ExpectationFailure> =>
  evaluateExpectations(
    summary,
    slos.map((slo) => ({ path: slo.path, condition: { kind: "compare" as const, operator: slo.operator, value: slo.value } }))
  )

/** Smallest excess of a missed SLO, so that a miss by a hair (`<` met with equality) still counts. */
const MIN_EXCESS = 1e-6

/**
 * Returns how far a summary misses its SLOs: the sum over missed SLOs of
 * |actual - bound| / max(|bound|, 1), at least 1e-6 each, and 0 when every
 * SLO holds. A path that the summary lacks counts as an infinite miss. So
 * `waitSeconds.p95<=120` missed with 180 gives 0.5.
 */
export const sloExcess = (slos: ReadonlyArray<Slo>, summary: object): number => {
  let excess = 0
  for (const slo of slos) {
    const failure = sloFailures([slo], summary)[0]
    if (failure === undefined) continue
    if (failure.actual === undefined) return Infinity
    const miss = Math.abs(failure.actual - slo.value) / Math.max(Math.abs(slo.value), 1)
    excess += Math.max(miss, MIN_EXCESS)
  }
  return excess
}
