import type { ReplicaStatusChanged } from "../core/events.js"
import type { ReplicaStatus } from "../core/model.js"
import { MeanGrid, StridedSample } from "./series.js"

/**
 * Replica statuses that the time series count. A Tainted replica has stopped
 * and is replaced under a new id, so it is left out of the series and shown
 * as a `tainted` point instead.
 */
export const SERIES_REPLICA_STATUSES = ["Bootup", "Active", "Inactive", "Error"] as const
export type SeriesReplicaStatus = (typeof SERIES_REPLICA_STATUSES)[number]

/** Maximum number of replica points kept for the replicas chart. */
export const MAX_REPLICA_POINTS = 5000

/** A replica event kept for the replicas chart: a new leader or a Tainted replica. */
export interface ReplicaPoint {
  /** Milliseconds since simulation start. */
  readonly at: number
  /** `leader`: a replica became Active in a lease epoch not seen before. `tainted`: a replica became Tainted. */
  readonly kind: "leader" | "tainted"
  readonly replica: string
  /** Lease epoch of a `leader` point, `undefined` for a `tainted` one. */
  readonly epoch: number | undefined
  /** The event's reason, for example `leaseAcquired` or `crashed`. */
  readonly reason: string
}

/**
 * Number of replicas in each status, as the time-weighted mean over each
 * bucket of `Metrics.series` (same `points` and `bucketMs`).
 */
export type ReplicaSeries = Readonly<Record<SeriesReplicaStatus, Float64Array>>

/** Replica counts and series derived from `ReplicaStatusChanged` events. All counts are 0 for a stream without them. */
export interface ReplicaMetrics {
  /** ReplicaStatusChanged events passed to the collector. */
  readonly events: number
  /** Replicas that started: events with no `from` status. */
  readonly started: number
  /**
   * Distinct lease epochs in which some replica became Active. The first
   * election counts as one, and a replica that turns Active again in the
   * same epoch (after an Error, say) does not count.
   */
  readonly leaderChanges: number
  /** Transitions to Tainted: replicas that crashed or hit their error threshold, each replaced later. */
  readonly tainted: number
  /**
   * Milliseconds within `[0, horizonMs]` in which no replica was Active,
   * counted from the first ReplicaStatusChanged event on.
   */
  readonly msWithoutLeader: number
  /** Maximum number of replicas, in any status but Tainted, held for a positive time. */
  readonly peak: number
  /** Replicas not Tainted after the last event. */
  readonly existingAtEnd: number
  /** Every `pointStride`-th new leader or Tainted replica in arrival order, at most `MAX_REPLICA_POINTS`. */
  readonly points: ReadonlyArray<ReplicaPoint>
  /** 1 while `points` contains every such event. It doubles each time the list reaches `MAX_REPLICA_POINTS`. */
  readonly pointStride: number
  readonly series: ReplicaSeries
}

/** Index of the "no replica is Active" indicator in the grid; 0 to 3 are `SERIES_REPLICA_STATUSES`. */
const NO_LEADER_CHANNEL = 4
const ACTIVE_CHANNEL = SERIES_REPLICA_STATUSES.indexOf("Active")

const channelOf = (status: ReplicaStatus): number | undefined => {
  const index = (SERIES_REPLICA_STATUSES as ReadonlyArray<string>).indexOf(status)
  return index < 0 ? undefined : index
}

/**
 * Folds `ReplicaStatusChanged` events, in nondecreasing `at`, into replica
 * counts over time. Memory grows only with live replicas, the ids of Tainted
 * replicas, distinct lease epochs and the capped point list.
 */
export class ReplicaTracker {
  private readonly grid: MeanGrid
  private readonly status = new Map<string, SeriesReplicaStatus>()
  /** Tainted replicas: they have stopped, so a later event of theirs is not applied. */
  private readonly taintedIds = new Set<string>()
  private readonly epochs = new Set<number>()
  private readonly points = new StridedSample<ReplicaPoint>(MAX_REPLICA_POINTS)
  private events = 0
  private started = 0
  private tainted = 0
  private peak = 0
  /** Time in milliseconds up to which the counts are integrated. */
  private integratedUntil = 0

  /**
   * @param inconsistent receives a description of each event that contradicts
   *   the statuses tracked so far. The tracker still applies such an event,
   *   unless it comes from a replica that is already Tainted.
   */
  constructor(
    private readonly horizonMs: number,
    points: number,
    private readonly inconsistent: (event: ReplicaStatusChanged, detail: string) => void
  ) {
    this.grid = new MeanGrid(horizonMs, points, SERIES_REPLICA_STATUSES.length + 1)
  }

  /** Applies one event. The caller checks that `at` does not go back in time. */
  apply(event: ReplicaStatusChanged): void {
    this.advance(event.at)
    this.events += 1
    if (this.taintedIds.has(event.replica)) {
      this.inconsistent(event, `replica ${event.replica} is Tainted and was replaced, the event says from ${event.from ?? "nothing"}`)
      return
    }
    const tracked = this.status.get(event.replica)
    if (tracked !== event.from) {
      this.inconsistent(event, `replica ${event.replica} is ${tracked ?? "unknown"}, the event says from ${event.from ?? "nothing"}`)
    }
    if (event.from === undefined) this.started += 1

    if (tracked !== undefined) this.grid.values[channelOf(tracked)!]! -= 1
    const channel = channelOf(event.to)
    if (channel === undefined) {
      this.status.delete(event.replica)
    } else {
      this.grid.values[channel]! += 1
      this.status.set(event.replica, event.to as SeriesReplicaStatus)
    }

    if (event.to === "Tainted") {
      this.tainted += 1
      this.taintedIds.add(event.replica)
      this.points.offer({ at: event.at, kind: "tainted", replica: event.replica, epoch: undefined, reason: event.reason })
    } else if (event.to === "Active") {
      this.recordActive(event)
    }
    this.grid.values[NO_LEADER_CHANNEL] = this.grid.values[ACTIVE_CHANNEL] === 0 ? 1 : 0
  }

  /** Closes the time integrals at `horizonMs` and returns the replica metrics. */
  finish(): ReplicaMetrics {
    this.advance(this.horizonMs)
    const [bootup, active, inactive, error] = this.grid.means
    return {
      events: this.events,
      started: this.started,
      leaderChanges: this.epochs.size,
      tainted: this.tainted,
      msWithoutLeader: this.grid.totals[NO_LEADER_CHANNEL]!,
      peak: this.peak,
      existingAtEnd: this.status.size,
      points: this.points.items(),
      pointStride: this.points.stride,
      series: { Bootup: bootup!, Active: active!, Inactive: inactive!, Error: error! }
    }
  }

  private recordActive(event: ReplicaStatusChanged): void {
    if (event.epoch === undefined) {
      this.inconsistent(event, `replica ${event.replica} became Active without a lease epoch`)
      return
    }
    if (this.epochs.has(event.epoch)) return
    this.epochs.add(event.epoch)
    this.points.offer({ at: event.at, kind: "leader", replica: event.replica, epoch: event.epoch, reason: event.reason })
  }

  // The peak counts only replica counts held for some time, like the runner
  // peak: a replica started and crashed in the same millisecond does not raise it.
  private advance(atMs: number): void {
    const target = Math.min(atMs, this.horizonMs)
    if (target > this.integratedUntil) {
      this.peak = Math.max(this.peak, this.status.size)
      this.integratedUntil = target
    }
    this.grid.advance(atMs)
  }
}
