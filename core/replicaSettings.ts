import { Schema } from "effect"
import { DurationMs } from "./duration.js"

const positiveDuration = DurationMs.pipe(Schema.filter((ms) => ms > 0 || "expected a duration greater than zero"))
const PositiveCount = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))

/**
 * Settings of a pool that runs as several replicas, one of which leads. Durations
 * decode to milliseconds.
 */
export const ReplicaSettings = Schema.Struct({
  /** Replicas running at once. */
  count: Schema.optionalWith(PositiveCount, { default: () => 1 }),
  /** Time to live of the leader's lease; a follower takes over only after it expires. */
  leaseTtl: Schema.optionalWith(positiveDuration, { default: () => 15_000 }),
  /** Time between two attempts to renew (leader) or acquire (follower) the lease. */
  renewInterval: Schema.optionalWith(positiveDuration, { default: () => 5_000 }),
  /** Consecutive errors after which a replica is Tainted and replaced. */
  errorThreshold: Schema.optionalWith(PositiveCount, { default: () => 5 }),
  /** Time from a replica's Tainted status or crash until its replacement starts. */
  replaceDelay: Schema.optionalWith(DurationMs, { default: () => 30_000 })
}).pipe(
  Schema.filter((settings) =>
    settings.renewInterval < settings.leaseTtl || {
      path: ["renewInterval"],
      message: `expected a renew interval shorter than leaseTtl (${settings.leaseTtl} ms), or the leader loses its lease between renewals`
    }
  )
)

export type ReplicaSettings = typeof ReplicaSettings.Type

export const defaultReplicaSettings = (overrides: Partial<typeof ReplicaSettings.Encoded> = {}): ReplicaSettings =>
  Schema.decodeUnknownSync(ReplicaSettings)(overrides)

/**
 * Time before its lease expires at which a leader stops acting, in
 * milliseconds: a tenth of the lease, at most one second. It absorbs clock
 * drift between the leader and the lease store.
 */
export const leaseSafetyMarginMs = (leaseTtl: number): number => Math.min(1_000, leaseTtl / 10)
