import { Cause, Effect, Exit, Option } from "effect"
import type { Summary } from "../../reports/summary.js"
import { evaluateExpectations, type ExpectationFailure } from "../../sim/scenario/expect.js"
import { loadScenario } from "../../sim/scenario/load.js"
import { asInputError } from "../inputErrors.js"
import { runScenario } from "../runScenario.js"

/**
 * One simulation that `check`, `sweep`, `tune` or `compare` runs: a scenario
 * file with one seed and optional `--set` overrides. Jobs cross to worker
 * threads by structured clone, so they hold plain data only.
 */
export interface SimulationJob {
  /** Number of the job, unique in its batch, such as its position in the full list of a command's runs. */
  readonly index: number
  /** Scenario file as found, relative to the working directory unless given as an absolute path. */
  readonly file: string
  readonly seed: number
  /** `path=value` assignments applied to the scenario before it runs, as `simulate --set` takes them. */
  readonly sets?: ReadonlyArray<string> | undefined
  /** Replaces the path of every trace source, as `simulate --trace` does. */
  readonly traceOverride?: string | undefined
}

/**
 * Outcome of a job. `ran`: the simulation finished, with the expectations
 * it failed (empty when all hold). `inputError`: the scenario or one of its
 * trace files is invalid. `crashed`: the simulation threw, which is a defect
 * of the simulator or of the scenario's settings that the schema let through.
 */
export type JobOutcome =
  | {
      readonly kind: "ran"
      readonly summary: Summary
      /** Expectations of the scenario's `expect` block that the summary does not meet. */
      readonly expectationFailures: ReadonlyArray<ExpectationFailure>
      readonly wallSeconds: number
    }
  | { readonly kind: "inputError"; readonly message: string; readonly wallSeconds: number }
  | { readonly kind: "crashed"; readonly message: string; readonly wallSeconds: number }

/**
 * Loads the job's scenario with the job's seed and overrides, simulates it and tests its
 * `expect` block. Never throws: errors become `inputError` or `crashed`
 * outcomes. `onProgress` receives the share of the horizon simulated, 0 to 1.
 */
export const runSimulationJob = (job: SimulationJob, onProgress?: (share: number) => void): JobOutcome => {
  const started = performance.now()
  const elapsed = () => (performance.now() - started) / 1000
  const exit = Effect.runSyncExit(
    asInputError(() => {
      const scenario = loadScenario(job.file, { seed: job.seed, sets: job.sets })
      const run = runScenario(scenario, { scenarioFile: job.file, traceOverride: job.traceOverride, onProgress })
      return { run, failures: evaluateExpectations(run.summary, scenario.expect ?? []) }
    })
  )
  if (Exit.isSuccess(exit)) {
    const { run, failures } = exit.value
    return { kind: "ran", summary: run.summary, expectationFailures: failures, wallSeconds: elapsed() }
  }
  const inputError = Cause.failureOption(exit.cause)
  if (Option.isSome(inputError)) return { kind: "inputError", message: inputError.value.message, wallSeconds: elapsed() }
  const defect = Cause.squash(exit.cause)
  const detail = defect instanceof Error ? (defect.stack ?? `${defect.name}: ${defect.message}`) : String(defect)
  return { kind: "crashed", message: `the simulation failed unexpectedly: ${detail}`, wallSeconds: elapsed() }
}
