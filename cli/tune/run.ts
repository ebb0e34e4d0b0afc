import type { PolicyName } from "../../core/policies/names.js"
import { searchConfigurations, type SearchResult } from "../../sim/search/halving.js"
import { buildSearchSpace, type KnobOverride } from "../../sim/search/knobs.js"
import { candidateKey, countGrid, type SearchSpace } from "../../sim/search/space.js"
import { InputError } from "../../sim/scenario/inputError.js"
import type { Scenario } from "../../sim/scenario/schema.js"
import { makeEvaluator, measureWith, type RunOutcome } from "./evaluate.js"
import type { Slo } from "./slo.js"

/** Input of `tuneScenario`: a loaded scenario, its SLOs and the search's limits. */
export interface TuneRequest {
  /** Scenario file, as every run loads it. */
  readonly file: string
  readonly scenario: Scenario
  readonly slos: ReadonlyArray<Slo>
  /** Maximum number of simulation runs. */
  readonly budget: number
  /** Number of seeds, from the scenario's own seed up. */
  readonly seedCount: number
  /** Simulations run at once. */
  readonly parallel: number
  /** Policies whose configurations the search may pick, each with its own knobs. */
  readonly policies: ReadonlyArray<PolicyName>
  /** Knobs to search instead of the defaults, or empty for the defaults. */
  readonly knobs: ReadonlyArray<KnobOverride>
  readonly traceOverride?: string | undefined
  /** Label of the progress bar. */
  readonly label: string
}

/** Outcome of `tuneScenario`. */
export interface TuneOutcome {
  readonly space: SearchSpace
  /** Seeds every finalist ran on, in order. */
  readonly seeds: ReadonlyArray<number>
  readonly search: SearchResult<RunOutcome>
  /** The best configuration's run outcome on each seed, in seed order. */
  readonly bestRuns: ReadonlyArray<RunOutcome>
}

/**
 * Searches the scenario's configurations for the cheapest one that meets
 * every SLO on every seed, running simulations on worker threads. Fails
 * with `InputError` when no configuration of the search space is valid or
 * when a run has invalid input (see `makeEvaluator`).
 */
export const tuneScenario = async (request: TuneRequest): Promise<TuneOutcome> => {
  const { scenario } = request
  const space = buildSearchSpace(scenario.pool, request.policies, request.knobs)
  if (countGrid(space).valid === 0) {
    throw new InputError({
      message: `every configuration of the search space is invalid (each sets pool.minPoolSize above pool.maxPoolSize, or another pool setting out of range). Widen the --knob values.`
    })
  }
  const seeds = Array.from({ length: request.seedCount }, (_, offset) => scenario.seed + offset)
  const evaluator = makeEvaluator({
    file: request.file,
    traceOverride: request.traceOverride,
    parallel: request.parallel,
    label: request.label,
    budget: request.budget
  })
  try {
    const search = await searchConfigurations({
      space,
      seeds,
      budget: request.budget,
      samplingSeed: scenario.seed,
      evaluate: evaluator.evaluate,
      measure: measureWith(request.slos)
    })
    const bestKey = candidateKey(search.best.candidate)
    const bestRuns = seeds.map(
      (seed) => search.evaluations.find((evaluation) => evaluation.seed === seed && candidateKey(evaluation.candidate) === bestKey)!.result
    )
    return { space, seeds, search, bestRuns }
  } finally {
    evaluator.done()
  }
}
