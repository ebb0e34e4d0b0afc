/** The tune.json file of `runner-pool tune --out DIR`, and the line on the scenario's own settings. */
import type { PoolSettings } from "../../core/settings.js"
import type { Evaluation } from "../../sim/search/halving.js"
import type { CandidateScore } from "../../sim/search/score.js"
import { encodeKnobValue, encodeSettings } from "../../sim/search/knobs.js"
import { candidateKey, currentCandidate, type SearchSpace } from "../../sim/search/space.js"
import type { RunOutcome } from "./evaluate.js"
import { formatNumber } from "../../reports/compare/table.js"
import { changedPoolSettings } from "./output.js"
import { formatSlo, type Slo } from "./slo.js"
import type { TuneOutcome } from "./run.js"

/** Facts of a tune run that tune.json records besides the search. */
export interface TuneReportHeader {
  readonly scenario: string
  readonly file: string
  readonly slos: ReadonlyArray<Slo>
  readonly budget: number
  readonly commandLine: string
}

const scoreJson = (pool: PoolSettings, score: CandidateScore) => ({
  policy: score.settings["pool.policy"],
  settings: encodeSettings(score.settings),
  pool: changedPoolSettings(pool, score.settings),
  meetsSlo: score.meetsSlo,
  seedsMeetingSlo: score.seedsMeetingSlo,
  seedsRun: score.seedsRun,
  meanRunnerHours: score.meanCost,
  meanSloExcess: score.meanExcess
})

const evaluationJson = (evaluation: Evaluation<RunOutcome>) => ({
  phase: evaluation.phase,
  settings: encodeSettings(evaluation.settings),
  seed: evaluation.seed,
  runnerHours: evaluation.measure.cost,
  sloExcess: evaluation.measure.sloExcess,
  ...(evaluation.result.kind === "ran" ? { summary: evaluation.result.summary } : { failed: evaluation.result.message })
})

/**
 * Builds the content of tune.json: the header, the search space, the best
 * configuration, every configuration that ran on all seeds (best first) and
 * every evaluation in run order with its summary (without the engine
 * block). Settings are written as in a scenario file, `off` for no limit.
 * A failed run has `failed` instead of `summary`, and its infinite cost and
 * excess serialize as null.
 */
export const tuneReport = (header: TuneReportHeader, pool: PoolSettings, outcome: TuneOutcome) => {
  const { search, space, seeds } = outcome
  return {
    scenario: header.scenario,
    file: header.file,
    commandLine: header.commandLine,
    slos: header.slos.map(formatSlo),
    seeds,
    budget: header.budget,
    runs: search.evaluations.length,
    rounds: search.rounds,
    grid: search.grid,
    space: space.subspaces.map((subspace) => ({
      policy: subspace.name,
      knobs: subspace.knobs.map((knob) => ({
        path: knob.path,
        values: knob.values.map(encodeKnobValue),
        current: encodeKnobValue(knob.values[knob.current]!)
      }))
    })),
    best: scoreJson(pool, search.best),
    ranking: search.ranking.map((score) => scoreJson(pool, score)),
    evaluations: search.evaluations.map(evaluationJson)
  }
}

/**
 * Returns a sentence on how the scenario's own settings did in the search,
 * or `undefined` when the scenario's policy was not searched.
 */
export const currentSettingsLine = (space: SearchSpace, outcome: TuneOutcome, policy: string): string | undefined => {
  const subspace = space.subspaces.findIndex((candidate) => candidate.name === policy)
  if (subspace < 0) return undefined
  const key = candidateKey(currentCandidate(space, subspace))
  if (candidateKey(outcome.search.best.candidate) === key) return "The scenario's own settings are the best configuration found."
  const measures = outcome.search.evaluations.filter((evaluation) => candidateKey(evaluation.candidate) === key).map((evaluation) => evaluation.measure)
  if (measures.length === 0) return undefined
  const met = measures.filter((measure) => measure.sloExcess === 0).length
  const mean = measures.reduce((sum, measure) => sum + measure.cost, 0) / measures.length
  const seeds = `${measures.length} seed${measures.length === 1 ? "" : "s"}`
  const dropped = measures.length < outcome.seeds.length ? ", before the search dropped them" : ""
  return `The scenario's own settings: ${formatNumber(mean)} runner-hours (mean over ${seeds}), SLO met on ${met} of ${measures.length}${dropped}.`
}
