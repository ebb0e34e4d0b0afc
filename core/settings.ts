import { Schema } from "effect"
import { DurationMs, OptionalLimitMs } from "./duration.js"
import { POLICY_NAMES } from "./policies/names.js"
import { POLICY_OPTION_FIELDS } from "./policies/options.js"

const Count = Schema.Int.pipe(Schema.greaterThanOrEqualTo(0))
const PositiveCount = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))
const Millis = Schema.Number.pipe(Schema.finite(), Schema.greaterThanOrEqualTo(0))

const positive = <A extends number, I, R>(schema: Schema.Schema<A, I, R>) =>
  schema.pipe(Schema.filter((ms) => ms > 0 || "expected a duration greater than zero"))

/**
 * Fields of the pool settings. Durations decode to milliseconds; timeouts and
 * ages that can be switched off decode `off` to `Infinity`.
 */
const PoolSettingsFields = {
  /** Runners always kept, whatever the queue. */
  minPoolSize: Schema.optionalWith(Count, { default: () => 0 }),
  /** Instances never exceeded, counting Provisioning and Tainted runners that still exist. */
  maxPoolSize: Schema.optionalWith(PositiveCount, { default: () => 10 }),
  /** Runs allowed to wait in the queue per runner before the pool scales up. */
  queueDepthThreshold: Schema.optionalWith(PositiveCount, { default: () => 1 }),
  /** Minimum time between two scale-up events, in milliseconds. */
  scaleUpCooldownMs: Schema.optionalWith(Millis, { default: () => 30_000 }),
  /** Minimum time between two scale-down events, in milliseconds. */
  scaleDownCooldownMs: Schema.optionalWith(Millis, { default: () => 300_000 }),
  /** A runner still Provisioning after this time is removed. */
  createTimeout: Schema.optionalWith(positive(OptionalLimitMs), { default: () => 15 * 60_000 }),
  /** A run longer than this is failed and its runner removed. */
  runTimeout: Schema.optionalWith(positive(OptionalLimitMs), { default: () => 6 * 3_600_000 }),
  /** A runner Idle longer than this is removed, unless the pool would fall below its minimum. */
  idleTimeout: Schema.optionalWith(positive(OptionalLimitMs), { default: () => 30 * 60_000 }),
  /** A runner silent for this long is removed. */
  heartbeatTimeout: Schema.optionalWith(positive(OptionalLimitMs), { default: () => 5 * 60_000 }),
  /** A runner older than this is rotated once it is Idle. */
  maxRunnerAge: Schema.optionalWith(positive(OptionalLimitMs), { default: () => 48 * 3_600_000 }),
  /** Time between marking a runner Tainted and removing it. */
  taintGracePeriod: Schema.optionalWith(DurationMs, { default: () => 30_000 }),
  /** Runner agent version the pool provisions; runners with an older one are rotated. */
  agentVersion: Schema.optionalWith(Schema.NonEmptyTrimmedString, { default: () => "1.0.0" }),
  /** Time between two reconcile passes of the controller. */
  reconcileInterval: Schema.optionalWith(positive(DurationMs), { default: () => 10_000 }),
  /** Old-agent and age rotations that may be in flight at once. */
  rotationBudget: Schema.optionalWith(PositiveCount, { default: () => 2 }),
  /** Name of the scaling policy. */
  policy: Schema.optionalWith(Schema.Literal(...POLICY_NAMES), { default: () => "queue-depth" as const }),
  /** Options of each policy, used only while that policy is selected. */
  ...POLICY_OPTION_FIELDS
}

/**
 * The settings of one runner pool. Decoding fills in defaults and checks that
 * the minimum pool size does not exceed the maximum.
 */
export const PoolSettings = Schema.Struct(PoolSettingsFields).pipe(
  Schema.filter((settings) =>
    settings.minPoolSize <= settings.maxPoolSize || {
      path: ["minPoolSize"],
      message: `minPoolSize (${settings.minPoolSize}) must not exceed maxPoolSize (${settings.maxPoolSize})`
    }
  )
)

export type PoolSettings = typeof PoolSettings.Type

/** Names of the pool settings, for error messages that suggest a valid key. */
export const POOL_SETTING_KEYS: ReadonlyArray<string> = Object.keys(PoolSettingsFields)

/** The settings with every default, as a pool that is configured with nothing gets them. */
export const defaultPoolSettings = (overrides: Partial<typeof PoolSettings.Encoded> = {}): PoolSettings =>
  Schema.decodeUnknownSync(PoolSettings)(overrides)
