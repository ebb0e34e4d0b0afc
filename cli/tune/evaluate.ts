import type { Summary } from "../../reports/summary.js"
import type { RunRequest } from "../../sim/search/halving.js"
import type { Measure } from "../../sim/search/score.js"
import { InputError } from "../../sim/scenario/inputError.js"
import type { SimulationJob } from "../jobs/job.js"
import { runJobs } from "../jobs/pool.js"
import { makeProgressBar } from "../progress.js"
import { sloExcess, type Slo } from "./slo.js"

/** A summary without its `engine` block, whose wall-clock time differs from run to run. */
export type RunSummary = Omit<Summary, "engine">

/** Outcome of one run of a search: its summary, or why the simulation failed. */
export type RunOutcome = { readonly kind: "ran"; readonly summary: RunSummary } | { readonly kind: "failed"; readonly message: string }

/** Options of `makeEvaluator`. */
export interface EvaluatorOptions {
  /** Scenario file every run loads. */
  readonly file: string
  readonly traceOverride?: string | undefined
  /** Simulations run at once, each on a worker thread when above 1. */
  readonly parallel: number
  /** Label of the progress bar, such as `tuning steady`. */
  readonly label: string
  /** Runs the whole search may make, the denominator of the progress bar. */
  readonly budget: number
}

/** An evaluator for `searchConfigurations`, with the progress bar it draws. */
export interface Evaluator {
  readonly evaluate: (batch: ReadonlyArray<RunRequest>) => Promise<ReadonlyArray<RunOutcome>>
  /** Erases the progress bar. */
  readonly done: () => void
}

/**
 * Turns a configuration's settings into `--set` assignments. Strings are
 * quoted, so YAML keeps them strings, and an infinite duration becomes `off`,
 * the form a scenario file writes it in.
 */
export const setsOf = (settings: Readonly<Record<string, number | string>>): Array<string> =>
  Object.entries(settings).map(([path, value]) => `${path}=${formatSetValue(value)}`)

const formatSetValue = (value: number | string): string => {
  if (typeof value === "string") return JSON.stringify(value)
  return value === Infinity ? "off" : String(value)
}

/**
 * Creates an evaluator that runs each batch as simulation jobs of `file`,
 * with the configuration's settings as `--set` assignments, on up to
 * `parallel` worker threads. It draws a progress bar with an ETA on
 * standard error when that is a terminal. A run that crashes becomes a
 * `failed` outcome. A run with invalid input (a missing trace, say) rejects
 * the batch with `InputError`, because the search checks each
 * configuration's pool settings first, so the problem lies in the scenario
 * and every run would fail alike.
 */
export const makeEvaluator = (options: EvaluatorOptions): Evaluator => {
  const bar = makeProgressBar(options.label, process.stderr, { plainLines: true })
  let finishedRuns = 0

  const evaluate = async (batch: ReadonlyArray<RunRequest>): Promise<ReadonlyArray<RunOutcome>> => {
    const jobs = batch.map(
      (request, index): SimulationJob => ({
        index,
        file: options.file,
        seed: request.seed,
        sets: setsOf(request.settings),
        traceOverride: options.traceOverride
      })
    )
    const shares = new Map<number, number>()
    const redraw = () => {
      let running = 0
      for (const share of shares.values()) running += share
      bar.update(Math.min(1, (finishedRuns + running) / options.budget))
    }
    const outcomes = await runJobs(jobs, {
      parallel: options.parallel,
      onProgress: (job, share) => {
        shares.set(job.index, share)
        redraw()
      },
      onDone: (job) => {
        shares.delete(job.index)
        finishedRuns += 1
        redraw()
      }
    })
    return outcomes.map((outcome): RunOutcome => {
      if (outcome.kind === "inputError") throw new InputError({ message: outcome.message })
      if (outcome.kind === "crashed") return { kind: "failed", message: outcome.message }
      const { engine: _engine, ...summary } = outcome.summary
      return { kind: "ran", summary }
    })
  }
  return { evaluate, done: bar.done }
}

/** Reads cost (`cost.runnerHours`) and SLO excess from a run. A failed run costs and misses infinitely. */
export const measureWith =
  (slos: ReadonlyArray<Slo>) =>
  (outcome: RunOutcome): Measure =>
    outcome.kind === "ran"
      ? { cost: outcome.summary.cost.runnerHours, sloExcess: sloExcess(slos, outcome.summary) }
      : { cost: Infinity, sloExcess: Infinity }
