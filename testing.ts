/**
 * Test helpers of runner-pool, imported as `runner-pool/testing`: run a
 * scenario file from a unit test and assert conditions on its summary, with
 * the same conditions as a scenario's `expect` block.
 *
 * ```ts
 * import { expectSummary, runScenarioFile } from "runner-pool/testing"
 *
 * it("keeps waits short", () => {
 *   const summary = runScenarioFile("scenarios/ci-default.yaml", { set: ["pool.maxPoolSize=100"] })
 *   expectSummary(summary, { "waitSeconds.p95": "<= 600", violations: "== 0" })
 * })
 * ```
 */
import { Either, ParseResult, Schema } from "effect"
import { runScenario } from "./cli/runScenario.js"
import type { Summary } from "./reports/summary.js"
import { evaluateExpectations, ExpectSection, type ExpectationFailure } from "./sim/scenario/expect.js"
import { InputError } from "./sim/scenario/inputError.js"
import { loadScenario } from "./sim/scenario/load.js"

export type { Summary } from "./reports/summary.js"
export type { ExpectationFailure } from "./sim/scenario/expect.js"
export { InputError } from "./sim/scenario/inputError.js"

/** Changes to a scenario file for one run, as `runner-pool simulate` takes them. */
export interface RunScenarioFileOptions {
  /** Replaces the scenario's `seed`. */
  readonly seed?: number | undefined
  /** `PATH=VALUE` assignments such as `pool.maxPoolSize=50`, applied in order, as `--set` does. */
  readonly set?: ReadonlyArray<string> | undefined
}

/**
 * Loads a scenario file, simulates it and returns its summary, the object
 * that `summary.json` holds. The call blocks until the simulation ends.
 * Relative trace paths resolve
 * against the scenario file's folder. Throws `InputError` when the file, an
 * override or a trace is invalid. The same file, seed and overrides give the
 * same summary, apart from `engine.wallSeconds`.
 */
export const runScenarioFile = (path: string, options: RunScenarioFileOptions = {}): Summary => {
  const scenario = loadScenario(path, { seed: options.seed, sets: options.set })
  return runScenario(scenario, { scenarioFile: path }).summary
}

/**
 * Conditions on a summary, written as in a scenario's `expect` block: a
 * `summary.json` path mapped to `"<op> <number>"` (op `<`, `<=`, `>`, `>=`,
 * `==` or `!=`) or to an inclusive `{ min, max }` range. A list, such as
 * `violations`, compares by its length.
 */
export type ExpectationsInput = Readonly<Record<string, string | { readonly min?: number; readonly max?: number }>>

/** Thrown by `expectSummary` when the summary fails conditions. The message lists every failed condition, one per line. */
export class ExpectationError extends Error {
  override readonly name = "ExpectationError"

  constructor(readonly failures: ReadonlyArray<ExpectationFailure>) {
    const count = `${failures.length} condition${failures.length === 1 ? "" : "s"}`
    super(`summary failed ${count}:\n${failures.map((failure) => `  ${failure.message}`).join("\n")}`)
  }
}

/**
 * Tests a summary against conditions and returns the failed ones, in the
 * order given, without throwing for them. Throws `InputError` when a
 * condition is malformed or names a path that the summary does not have,
 * with the nearest valid path as a suggestion.
 */
export const evaluateSummary = (summary: Summary, expectations: ExpectationsInput): ReadonlyArray<ExpectationFailure> => {
  const decoded = Schema.decodeUnknownEither(ExpectSection)(expectations)
  if (Either.isLeft(decoded)) {
    const issue = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0]!
    const where = issue.path.length === 0 ? "expectations" : issue.path.map(String).join(".")
    throw new InputError({ message: `invalid expectations: ${where}: ${issue.message}` })
  }
  return evaluateExpectations(summary, decoded.right)
}

/**
 * Asserts that a summary meets every condition. Throws `ExpectationError`
 * listing every failed condition with its actual value, and `InputError`
 * for a malformed condition or an unknown path, as `evaluateSummary` does.
 */
export const expectSummary = (summary: Summary, expectations: ExpectationsInput): void => {
  const failures = evaluateSummary(summary, expectations)
  if (failures.length > 0) throw new ExpectationError(failures)
}
