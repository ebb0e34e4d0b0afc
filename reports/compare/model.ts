/** The data of a policy comparison (`runner-pool compare`), as compare.json stores it and the reports render it. */
import { aggregate, type Statistics } from "../sweep/aggregate.js"
import type { Summary } from "../summary.js"

/** A summary without its `engine` block. */
export type ComparedSummary = Omit<Summary, "engine">

/** One policy, tuned for the SLOs, with its best configuration's metrics over the seeds. */
export interface PolicyRow {
  readonly policy: string
  /** Settings that differ from the scenario's pool, as `key=value` (`maxPoolSize=45`), or empty when none does. */
  readonly tunedSettings: ReadonlyArray<string>
  /** `cost.runnerHours` over the seeds. */
  readonly runnerHours: Statistics
  /** Mean runner-hours over mean clairvoyant runner-hours, or 0 when the clairvoyant cost is 0. */
  readonly ratioToClairvoyant: number
  /** Mean runner-hours over mean floor runner-hours, or 0 when the floor is 0. */
  readonly ratioToFloor: number
  /** Means over the seeds of `waitSeconds.p50`, `p95` and `max`. */
  readonly waitSeconds: { readonly p50: number; readonly p95: number; readonly max: number }
  /** Scale-up and scale-down events per simulated hour, mean over the seeds. */
  readonly scaleEventsPerHour: number
  /** Means over the seeds of `runners.created` and `runners.removedUnused`. */
  readonly runnersCreated: number
  readonly removedUnused: number
  /** Seeds on which every SLO held. */
  readonly sloMetSeeds: number
  readonly seeds: number
  /** Invariant violations summed over the seeds. */
  readonly violations: number
  /** Simulation runs the policy's search spent. */
  readonly searchRuns: number
  /** Per seed, in seed order: runner-hours and `waitSeconds.p95`, for the scatter chart. */
  readonly perSeed: ReadonlyArray<{ readonly seed: number; readonly runnerHours: number; readonly p95: number }>
}

/** Reference costs of the workload over the seeds, in runner-hours. */
export interface References {
  /** Total run time inside the horizon: no pool that serves every run costs less. */
  readonly floor: Statistics
  /** Cost of the clairvoyant zero-wait schedule. */
  readonly clairvoyant: Statistics
}

/** A finished comparison. */
export interface Comparison {
  readonly scenario: string
  readonly file: string
  readonly seeds: ReadonlyArray<number>
  /** SLOs as written, such as `waitSeconds.p95 <= 120`. */
  readonly slos: ReadonlyArray<string>
  /** A bound on `waitSeconds.p95` among the SLOs, drawn on the scatter chart, or absent when there is none. */
  readonly p95Bound?: number | undefined
  /** Maximum simulation runs of each policy's search. */
  readonly budgetPerPolicy: number
  readonly commandLine: string
  readonly rows: ReadonlyArray<PolicyRow>
  readonly references: References
}

/** Input of `buildPolicyRow`: one tuned policy and its best configuration's runs. */
export interface TunedPolicy {
  readonly policy: string
  readonly tunedSettings: ReadonlyArray<string>
  /** The best configuration's summaries, one per seed, in seed order. */
  readonly summaries: ReadonlyArray<ComparedSummary>
  /** Per seed, whether every SLO held. */
  readonly sloMet: ReadonlyArray<boolean>
  readonly searchRuns: number
}

const meanOf = (summaries: ReadonlyArray<ComparedSummary>, read: (summary: ComparedSummary) => number): number =>
  aggregate(summaries.map(read)).mean

const ratio = (value: number, reference: number): number => (reference === 0 ? 0 : value / reference)

/** Builds a policy's row from its best configuration's summaries. Throws a RangeError when there is no summary. */
export const buildPolicyRow = (tuned: TunedPolicy, references: References): PolicyRow => {
  const { summaries } = tuned
  if (summaries.length === 0) throw new RangeError(`Policy ${tuned.policy} has no finished run to compare: expected one summary per seed.`)
  const runnerHours = aggregate(summaries.map((summary) => summary.cost.runnerHours))
  return {
    policy: tuned.policy,
    tunedSettings: tuned.tunedSettings,
    runnerHours,
    ratioToClairvoyant: ratio(runnerHours.mean, references.clairvoyant.mean),
    ratioToFloor: ratio(runnerHours.mean, references.floor.mean),
    waitSeconds: {
      p50: meanOf(summaries, (summary) => summary.waitSeconds.p50),
      p95: meanOf(summaries, (summary) => summary.waitSeconds.p95),
      max: meanOf(summaries, (summary) => summary.waitSeconds.max)
    },
    scaleEventsPerHour: meanOf(summaries, (summary) => ratio(summary.scaleEvents.up + summary.scaleEvents.down, summary.simulatedSeconds / 3600)),
    runnersCreated: meanOf(summaries, (summary) => summary.runners.created),
    removedUnused: meanOf(summaries, (summary) => summary.runners.removedUnused),
    sloMetSeeds: tuned.sloMet.filter(Boolean).length,
    seeds: summaries.length,
    violations: summaries.reduce((total, summary) => total + summary.violations.length, 0),
    searchRuns: tuned.searchRuns,
    perSeed: summaries.map((summary) => ({ seed: summary.seed, runnerHours: summary.cost.runnerHours, p95: summary.waitSeconds.p95 }))
  }
}

/**
 * Reads the reference costs from one configuration's summaries, one per seed.
 * They depend on the workload, the cloud and the seed, not on the scaling
 * settings, so every policy's runs on a seed give the same values.
 */
export const referencesOf = (summaries: ReadonlyArray<ComparedSummary>): References => ({
  floor: aggregate(summaries.map((summary) => summary.reference.floorRunnerHours)),
  clairvoyant: aggregate(summaries.map((summary) => summary.reference.clairvoyantRunnerHours))
})
