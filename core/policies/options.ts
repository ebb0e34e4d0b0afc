import { Schema } from "effect"
import { DurationMs } from "../duration.js"

/**
 * Per-policy options of the pool settings, one optional mapping per policy
 * under `pool`. Every key has a default, so a pool that selects a policy
 * without its mapping gets the defaults. docs/policies.md explains each key.
 */

const DAY_MS = 86_400_000

/** A number checked by `accept`, whose failure reads `expected <what>, got <value>`. */
const numberWhere = (accept: (x: number) => boolean, what: string) =>
  Schema.Number.pipe(Schema.filter((x) => (Number.isFinite(x) && accept(x)) || `expected ${what}, got ${x}`))

const Count = Schema.Int.pipe(Schema.greaterThanOrEqualTo(0))
const PositiveCount = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))
const NonNegative = numberWhere((x) => x >= 0, "a number greater than or equal to 0")
const Positive = numberWhere((x) => x > 0, "a number greater than 0")

const positiveDuration = DurationMs.pipe(Schema.filter((ms) => ms > 0 || "expected a duration greater than zero"))

/** Options of `target-utilization`, the Kubernetes HPA formula. */
export const TargetUtilizationOptions = Schema.Struct({
  /** Utilisation (runs that want a runner per healthy runner) the policy aims at. */
  target: Schema.optionalWith(
    numberWhere((x) => x > 0 && x <= 1, "a utilization greater than 0 and at most 1"),
    { default: () => 0.7 }
  ),
  /** Relative deviation from the target within which the runner count is left as it is. */
  tolerance: Schema.optionalWith(NonNegative, { default: () => 0.1 }),
  /** Scale-down uses the highest raw recommendation of this window, in milliseconds. */
  stabilizationWindow: Schema.optionalWith(DurationMs, { default: () => 5 * 60_000 })
})

/** Options of `keda-scaledjob`, KEDA's ScaledJob scaling strategies. */
export const KedaScaledJobOptions = Schema.Struct({
  /** Queued runs that one new runner is for (KEDA's target average value of the queue-length metric). */
  targetQueueLength: Schema.optionalWith(Positive, { default: () => 1 }),
  /** KEDA scaling strategy: `default` subtracts unfinished runners, `accurate` subtracts pending ones. */
  strategy: Schema.optionalWith(Schema.Literal("default", "accurate"), { default: () => "default" as const })
})

/** Options of `gitlab-idle`, a GitLab Runner `[[runners.autoscaler.policy]]` section. */
export const GitlabIdleOptions = Schema.Struct({
  /** Idle runners to keep ready for runs (`idle_count`). */
  idleCount: Schema.optionalWith(Count, { default: () => 1 }),
  /** Extra idle runners per busy runner (`scale_factor`). */
  scaleFactor: Schema.optionalWith(NonNegative, { default: () => 0 }),
  /** Maximum idle runners that `scaleFactor` yields (`scale_factor_limit`). */
  scaleFactorLimit: Schema.optionalWith(Count, { default: () => 0 })
})

/** Options of `buildkite`, the buildkite-agent-scaler calculation. */
export const BuildkiteOptions = Schema.Struct({
  /** Agents that one instance runs (`AgentsPerInstance`). */
  agentsPerInstance: Schema.optionalWith(PositiveCount, { default: () => 1 }),
  /** Fraction of the missing instances added in one scale-out, rounded up (`ScaleOutParams.Factor`). */
  scaleOutFactor: Schema.optionalWith(Positive, { default: () => 1 }),
  /** Fraction of the surplus instances removed in one scale-in, rounded away from zero (`ScaleInParams.Factor`). */
  scaleInFactor: Schema.optionalWith(Positive, { default: () => 1 }),
  /** Spare instances added while any run is queued or running, at most one per needed instance (`InstanceBuffer`). */
  instanceBuffer: Schema.optionalWith(Count, { default: () => 0 })
})

const PredictiveFields = Schema.Struct({
  /** Length of the window ahead whose arrival rate the forecast covers, in milliseconds. */
  leadTime: Schema.optionalWith(positiveDuration, { default: () => 10 * 60_000 }),
  /** Spare capacity on top of the forecast busy runners, as a fraction. */
  headroom: Schema.optionalWith(NonNegative, { default: () => 0.2 }),
  /** Arrival history kept for the seasonal forecast, in milliseconds. Each whole day in it is one sample. */
  history: Schema.optionalWith(positiveDuration, { default: () => 7 * DAY_MS }),
  /** Window of the recent arrival rate, in milliseconds. */
  recentWindow: Schema.optionalWith(positiveDuration, { default: () => 15 * 60_000 }),
  /** Window over which the mean run time is estimated, in milliseconds. */
  runTimeWindow: Schema.optionalWith(positiveDuration, { default: () => 60 * 60_000 }),
  /** Width of one history bucket, in milliseconds. */
  bucket: Schema.optionalWith(positiveDuration, { default: () => 5 * 60_000 })
})

/**
 * Options of `predictive`. The bucket must be at least a minute and divide a
 * day, so that a window shifted by whole days covers whole buckets. The
 * history must cover the recent and run-time windows.
 */
export const PredictiveOptions = PredictiveFields.pipe(
  Schema.filter((options) => {
    if (options.bucket < 60_000 || DAY_MS % options.bucket !== 0) {
      return { path: ["bucket"], message: "expected a bucket of at least 1m that divides 1d evenly, such as 1m, 5m, 10m or 1h" }
    }
    const longest = Math.max(options.recentWindow, options.runTimeWindow)
    if (options.history < longest) {
      return { path: ["history"], message: `expected a history at least as long as recentWindow and runTimeWindow (${longest / 60_000}m)` }
    }
    return true
  })
)

export type TargetUtilizationOptions = typeof TargetUtilizationOptions.Type
export type KedaScaledJobOptions = typeof KedaScaledJobOptions.Type
export type GitlabIdleOptions = typeof GitlabIdleOptions.Type
export type BuildkiteOptions = typeof BuildkiteOptions.Type
export type PredictiveOptions = typeof PredictiveOptions.Type

/** Keys of each options mapping, by its key under `pool`, such as `predictive: ["leadTime", ...]`. */
export const POLICY_OPTION_KEYS: Readonly<Record<string, ReadonlyArray<string>>> = {
  targetUtilization: Object.keys(TargetUtilizationOptions.fields),
  kedaScaledJob: Object.keys(KedaScaledJobOptions.fields),
  gitlabIdle: Object.keys(GitlabIdleOptions.fields),
  buildkite: Object.keys(BuildkiteOptions.fields),
  predictive: Object.keys(PredictiveFields.fields)
}

/** Makes an options mapping optional under `pool`, defaulting to its decoded defaults. */
const withDefaults = <A, I>(schema: Schema.Schema<A, I>) =>
  Schema.optionalWith(schema, { default: () => Schema.decodeSync(schema)({} as I) })

/** The per-policy option fields that `PoolSettings` includes, keyed as in `pool`. */
export const POLICY_OPTION_FIELDS = {
  targetUtilization: withDefaults(TargetUtilizationOptions),
  kedaScaledJob: withDefaults(KedaScaledJobOptions),
  gitlabIdle: withDefaults(GitlabIdleOptions),
  buildkite: withDefaults(BuildkiteOptions),
  predictive: withDefaults(PredictiveOptions)
}
