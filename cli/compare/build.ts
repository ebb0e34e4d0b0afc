/** Turns the tune outcomes of `runner-pool compare` into the comparison its reports render. */
import type { PoolSettings } from "../../core/settings.js"
import { buildPolicyRow, referencesOf, type Comparison, type TunedPolicy } from "../../reports/compare/model.js"
import { changedPoolSettings, summariesOf } from "../tune/output.js"
import type { TuneOutcome } from "../tune/run.js"
import { formatSlo, sloFailures, type Slo } from "../tune/slo.js"

/** One policy's tune outcome. */
export interface PolicyOutcome {
  readonly policy: string
  readonly outcome: TuneOutcome
}

/** Facts of the comparison besides the outcomes. */
export interface ComparisonHeader {
  readonly scenario: string
  readonly file: string
  readonly slos: ReadonlyArray<Slo>
  readonly budgetPerPolicy: number
  readonly commandLine: string
}

/**
 * Returns the best configuration's settings that differ from the scenario's
 * pool, as `key=value` without `pool.` and without the policy, with values
 * as a scenario file writes them (`predictive.leadTime=30m`).
 */
const tunedSettingsOf = (pool: PoolSettings, outcome: TuneOutcome): Array<string> => {
  const flatten = (prefix: string, value: unknown): Array<string> =>
    typeof value === "object" && value !== null
      ? Object.entries(value).flatMap(([key, inner]) => flatten(prefix === "" ? key : `${prefix}.${key}`, inner))
      : [`${prefix}=${String(value)}`]
  const { policy: _policy, ...changed } = changedPoolSettings(pool, outcome.search.best.settings)
  return flatten("", changed)
}

const tunedPolicyOf = (pool: PoolSettings, slos: ReadonlyArray<Slo>, { policy, outcome }: PolicyOutcome): TunedPolicy => ({
  policy,
  tunedSettings: tunedSettingsOf(pool, outcome),
  summaries: summariesOf(outcome.bestRuns),
  sloMet: outcome.bestRuns.map((run) => run.kind === "ran" && sloFailures(slos, run.summary).length === 0),
  searchRuns: outcome.search.evaluations.length
})

/**
 * Builds the comparison: one row per policy from its best configuration's
 * runs, and the reference costs from the first policy whose runs finished.
 * Throws a RangeError when no run of any policy's best configuration finished.
 */
export const buildComparison = (header: ComparisonHeader, pool: PoolSettings, outcomes: ReadonlyArray<PolicyOutcome>): Comparison => {
  const tuned = outcomes.map((outcome) => tunedPolicyOf(pool, header.slos, outcome))
  const withRuns = tuned.find((policy) => policy.summaries.length > 0)
  if (withRuns === undefined) throw new RangeError("No run of any policy's best configuration finished, so there is nothing to compare.")
  const references = referencesOf(withRuns.summaries)
  const p95Bound = header.slos.find((slo) => slo.path === "waitSeconds.p95" && (slo.operator === "<=" || slo.operator === "<"))?.value
  return {
    scenario: header.scenario,
    file: header.file,
    seeds: outcomes[0]?.outcome.seeds ?? [],
    slos: header.slos.map(formatSlo),
    p95Bound,
    budgetPerPolicy: header.budgetPerPolicy,
    commandLine: header.commandLine,
    rows: tuned.filter((policy) => policy.summaries.length > 0).map((policy) => buildPolicyRow(policy, references)),
    references
  }
}
