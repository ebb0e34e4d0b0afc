import type { RemovalReason } from "../core/model.js"
import { REMOVAL_REASONS } from "../core/model.js"
import type { Metrics } from "./metrics.js"

/** A broken invariant found while the simulation ran. */
export interface Violation {
  /** Name of the invariant, for example `maxPoolSize` or `twoActors`. */
  readonly invariant: string
  /** Milliseconds since simulation start. */
  readonly at: number
  /** Runner ids and run ids involved, as strings. */
  readonly ids: ReadonlyArray<string>
  readonly detail: string
}

/**
 * The result of one simulation, as written to `summary.json`. Keys keep this
 * order and numbers are rounded to `SUMMARY_DECIMALS` decimals, so that the
 * same run always serializes to the same bytes (except `engine.wallSeconds`).
 */
export interface Summary {
  readonly scenario: string
  readonly seed: number
  readonly simulatedSeconds: number
  readonly runs: {
    readonly arrived: number
    readonly completed: number
    readonly failed: number
    /** Failed runs whose reason is `runTimeout`, also counted in `failed`. */
    readonly timedOut: number
    readonly queuedAtEnd: number
    readonly runningAtEnd: number
    /** Trace rows the workload loader skipped, by reason, keys sorted. */
    readonly skippedTraceRows: Readonly<Record<string, number>>
  }
  /**
   * Queue wait in seconds of acquired runs and of runs still queued at the
   * horizon, which count with their wait so far. All 0 when no run arrived.
   * Percentiles are nearest-rank.
   */
  readonly waitSeconds: {
    readonly mean: number
    readonly p50: number
    readonly p90: number
    readonly p95: number
    readonly p99: number
    readonly max: number
  }
  readonly runners: {
    /** Maximum number of instances that existed at once. */
    readonly peak: number
    /** Time-weighted mean number of instances. */
    readonly mean: number
    /** Instances created over the whole run. */
    readonly created: number
    /** Runners removed without ever acquiring a run: churn that bought no work. */
    readonly removedUnused: number
    readonly hours: {
      readonly provisioning: number
      readonly idle: number
      readonly running: number
      readonly tainted: number
      readonly total: number
    }
  }
  readonly cost: { readonly runnerHours: number; readonly amount: number }
  /** The run's cost compared with two reference costs of the same workload. */
  readonly reference: SummaryReference
  /** Number of scale decisions, not of runners. */
  readonly scaleEvents: { readonly up: number; readonly down: number }
  /** Pool replicas, all 0 for a run without ReplicaStatusChanged events. Keys keep this order. */
  readonly replicas: {
    /** Distinct lease epochs in which a replica became Active. The first election counts as one. */
    readonly leaderChanges: number
    /** Replicas that became Tainted (crashed or reached their error threshold); each is replaced under a new id. */
    readonly taintedReplicas: number
    /** Simulated seconds in which no replica was Active, from the first replica event to the horizon. */
    readonly secondsWithoutLeader: number
  }
  /** Runners removed, by the reason they were tainted for, in `REMOVAL_REASONS` order. */
  readonly removals: Readonly<Record<RemovalReason, number>>
  readonly violations: ReadonlyArray<Violation>
  readonly engine: { readonly events: number; readonly wallSeconds: number }
}

/**
 * Reference costs of a workload in runner-hours, and the run's cost as a
 * ratio to each. A ratio is 0 when its reference is 0.
 */
export interface SummaryReference {
  /** Total run time inside the horizon. A pool that completes every run cannot cost less. */
  readonly floorRunnerHours: number
  /** Cost of the clairvoyant zero-wait schedule, an upper bound on the best zero-wait cost. */
  readonly clairvoyantRunnerHours: number
  /** `cost.runnerHours / floorRunnerHours`. */
  readonly costToFloor: number
  /** `cost.runnerHours / clairvoyantRunnerHours`. */
  readonly costToClairvoyant: number
}

/** Run facts that `buildSummary` takes besides the metrics. */
export interface SummaryMeta {
  readonly scenario: string
  readonly seed: number
  readonly simulatedSeconds: number
  /** Reference costs of the workload in runner-hours, from `sim/reference`. */
  readonly reference: { readonly floorRunnerHours: number; readonly clairvoyantRunnerHours: number }
  readonly skippedTraceRows: Readonly<Record<string, number>>
  readonly violations: ReadonlyArray<Violation>
  readonly engine: { readonly events: number; readonly wallSeconds: number }
}

/** Number of decimals every number of a summary is rounded to. */
export const SUMMARY_DECIMALS = 3

const SCALE = 10 ** SUMMARY_DECIMALS

/** Rounds to `SUMMARY_DECIMALS` decimals, half away from zero, and turns -0 into 0. Throws on NaN or infinity. */
export const roundForSummary = (value: number, path: string): number => {
  if (!Number.isFinite(value)) throw new RangeError(`Invalid summary value at ${path}: ${value}, expected a finite number.`)
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * SCALE)) / SCALE
  return rounded === 0 ? 0 : rounded
}

/**
 * Returns the nearest-rank percentile of values sorted ascending: the smallest
 * value such that at least `percent`% of the values are less or equal, i.e.
 * `sorted[ceil(percent / 100 * n) - 1]`. Returns 0 for an empty array.
 */
export const nearestRank = (sorted: Float64Array, percent: number): number => {
  const n = sorted.length
  if (n === 0) return 0
  // percent * n is exact for integer percents, so the division below rounds at most once.
  const rank = Math.min(n, Math.max(1, Math.ceil((percent * n) / 100)))
  return sorted[rank - 1]!
}

/** Returns `value / reference`, or 0 when the reference is 0. */
const ratio = (value: number, reference: number): number => (reference === 0 ? 0 : value / reference)

const referenceSummary = (runnerHours: number, reference: SummaryMeta["reference"]): SummaryReference => {
  const { floorRunnerHours, clairvoyantRunnerHours } = reference
  return {
    floorRunnerHours: roundForSummary(floorRunnerHours, "reference.floorRunnerHours"),
    clairvoyantRunnerHours: roundForSummary(clairvoyantRunnerHours, "reference.clairvoyantRunnerHours"),
    costToFloor: roundForSummary(ratio(runnerHours, floorRunnerHours), "reference.costToFloor"),
    costToClairvoyant: roundForSummary(ratio(runnerHours, clairvoyantRunnerHours), "reference.costToClairvoyant")
  }
}

const waitSummary = (waitsMs: Float64Array): Summary["waitSeconds"] => {
  let sum = 0
  for (const wait of waitsMs) sum += wait
  const seconds = (ms: number, path: string) => roundForSummary(ms / 1000, `waitSeconds.${path}`)
  return {
    mean: waitsMs.length === 0 ? 0 : seconds(sum / waitsMs.length, "mean"),
    p50: seconds(nearestRank(waitsMs, 50), "p50"),
    p90: seconds(nearestRank(waitsMs, 90), "p90"),
    p95: seconds(nearestRank(waitsMs, 95), "p95"),
    p99: seconds(nearestRank(waitsMs, 99), "p99"),
    max: seconds(waitsMs.length === 0 ? 0 : waitsMs[waitsMs.length - 1]!, "max")
  }
}

/** Builds the summary of one simulation. Throws a RangeError naming the key when a number is NaN or infinite. */
export const buildSummary = (metrics: Metrics, meta: SummaryMeta): Summary => {
  const round = roundForSummary
  const hours = metrics.runners.hours
  const skippedTraceRows: Record<string, number> = {}
  for (const key of Object.keys(meta.skippedTraceRows).sort()) {
    skippedTraceRows[key] = round(meta.skippedTraceRows[key]!, `runs.skippedTraceRows.${key}`)
  }
  const removals = {} as Record<RemovalReason, number>
  for (const reason of REMOVAL_REASONS) removals[reason] = metrics.removals[reason]

  return {
    scenario: meta.scenario,
    seed: meta.seed,
    simulatedSeconds: round(meta.simulatedSeconds, "simulatedSeconds"),
    runs: {
      arrived: metrics.runs.arrived,
      completed: metrics.runs.completed,
      failed: metrics.runs.failed,
      timedOut: metrics.runs.failedByReason.runTimeout,
      queuedAtEnd: metrics.runs.queuedAtEnd,
      runningAtEnd: metrics.runs.runningAtEnd,
      skippedTraceRows
    },
    waitSeconds: waitSummary(metrics.waitsMs),
    runners: {
      peak: metrics.runners.peak,
      mean: round(metrics.runners.mean, "runners.mean"),
      created: metrics.runners.created,
      removedUnused: metrics.runners.removedUnused,
      hours: {
        provisioning: round(hours.provisioning, "runners.hours.provisioning"),
        idle: round(hours.idle, "runners.hours.idle"),
        running: round(hours.running, "runners.hours.running"),
        tainted: round(hours.tainted, "runners.hours.tainted"),
        total: round(hours.total, "runners.hours.total")
      }
    },
    cost: {
      runnerHours: round(metrics.cost.runnerHours, "cost.runnerHours"),
      amount: round(metrics.cost.amount, "cost.amount")
    },
    reference: referenceSummary(metrics.cost.runnerHours, meta.reference),
    scaleEvents: { up: metrics.scale.up, down: metrics.scale.down },
    replicas: {
      leaderChanges: metrics.replicas.leaderChanges,
      taintedReplicas: metrics.replicas.tainted,
      secondsWithoutLeader: round(metrics.replicas.msWithoutLeader / 1000, "replicas.secondsWithoutLeader")
    },
    removals,
    violations: meta.violations.map((violation, index) => ({
      invariant: violation.invariant,
      at: round(violation.at, `violations[${index}].at`),
      ids: [...violation.ids],
      detail: violation.detail
    })),
    engine: {
      events: meta.engine.events,
      wallSeconds: round(meta.engine.wallSeconds, "engine.wallSeconds")
    }
  }
}

/** Serializes a summary as JSON indented by 2 spaces, with a trailing newline. */
export const summaryToJson = (summary: Summary): string => `${JSON.stringify(summary, null, 2)}\n`

export { summaryTable } from "./table.js"
