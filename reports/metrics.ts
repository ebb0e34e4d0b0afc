import type { PoolEvent, ScaleDown, ScaleUp } from "../core/events.js"
import type { RemovalReason, RunFailureReason, RunnerStatus } from "../core/model.js"
import { REMOVAL_REASONS } from "../core/model.js"
import { ReplicaTracker, type ReplicaMetrics } from "./replicas.js"
import { GrowableFloat64Array, QUEUE_CHANNEL, StridedSample, TimeGrid, type TimeSeries } from "./series.js"

export type { ReplicaMetrics, ReplicaPoint, ReplicaSeries } from "./replicas.js"
export type { TimeSeries } from "./series.js"

/** Options of `createMetricsCollector`. */
export interface MetricsOptions {
  /** Length of the simulation in milliseconds. Time integrals and series stop here. */
  readonly horizonMs: number
  /** Price of one instance for one hour, in any currency unit. Instances cost from creation until `InstanceDeleted`. */
  readonly costPerRunnerHour: number
  /** Number of buckets of the time series (default 1500). */
  readonly seriesPoints?: number
}

/** One scale decision kept for the timeline chart. */
export interface ScalePoint {
  /** Milliseconds since simulation start. */
  readonly at: number
  readonly kind: "up" | "down"
  /** Runners provisioned (up) or marked Tainted (down) by the decision. */
  readonly count: number
  readonly desired: number
}

/** Hours of runner time, per status and in total. The total is the cost basis. */
export interface RunnerHours {
  readonly provisioning: number
  readonly idle: number
  readonly running: number
  readonly tainted: number
  readonly total: number
}

/** Everything the reports need from one event stream, returned by `MetricsCollector.finish`. */
export interface Metrics {
  readonly horizonMs: number
  readonly costPerRunnerHour: number
  /** Events passed to `onEvent`. */
  readonly events: number
  readonly runs: {
    readonly arrived: number
    readonly acquired: number
    readonly completed: number
    readonly failed: number
    readonly failedByReason: Readonly<Record<RunFailureReason, number>>
    /** Runs queued and not acquired after the last event. */
    readonly queuedAtEnd: number
    /** Runs acquired and neither completed nor failed after the last event. */
    readonly runningAtEnd: number
  }
  /**
   * Queue wait in milliseconds, sorted ascending, of every acquired run and of
   * every run still queued at the horizon. A run still queued counts with its
   * wait so far (horizon minus arrival), a lower bound, so a pool that leaves
   * runs waiting cannot show short waits.
   */
  readonly waitsMs: Float64Array
  readonly runners: {
    /** Maximum number of instances that existed at once for a positive time within `[0, horizonMs]`, Tainted ones included. */
    readonly peak: number
    /** Time-weighted mean number of instances over `[0, horizonMs]`. */
    readonly mean: number
    /** Runners created: status changes from no status, at any time. */
    readonly created: number
    /** RunnerRemoved events for runners that never acquired a run, such as a runner that failed to boot or was scaled down unused. */
    readonly removedUnused: number
    readonly hours: RunnerHours
    /** Instances not yet deleted after the last event. */
    readonly existingAtEnd: number
  }
  readonly cost: {
    /** Same as `runners.hours.total`. */
    readonly runnerHours: number
    /** `runnerHours * costPerRunnerHour`. */
    readonly amount: number
  }
  readonly queue: {
    /** Maximum queue depth held for a positive time within `[0, horizonMs]`. */
    readonly peak: number
    /** Time-weighted mean number of waiting runs over `[0, horizonMs]`. */
    readonly mean: number
  }
  readonly scale: {
    /** Number of ScaleUp and ScaleDown events, never capped. */
    readonly up: number
    readonly down: number
    /** Sums of their `count` fields. */
    readonly runnersUp: number
    readonly runnersDown: number
    /** Every `pointStride`-th scale event in arrival order, at most `MAX_SCALE_POINTS`. */
    readonly points: ReadonlyArray<ScalePoint>
    /** 1 while the list contains every event. It doubles each time the list reaches `MAX_SCALE_POINTS`. */
    readonly pointStride: number
  }
  /** RunnerRemoved events by reason. */
  readonly removals: Readonly<Record<RemovalReason, number>>
  readonly reconcileFailures: number
  /** Pool replicas: statuses over time, elections and replacements, from ReplicaStatusChanged events. */
  readonly replicas: ReplicaMetrics
  /**
   * Events that contradict the lifecycle seen so far. Examples are an acquire
   * with an empty queue, a runner or replica status change whose `from`
   * differs from the tracked status, a deletion of an unknown or untainted
   * runner, and a replica that turns Active without a lease epoch. The collector applies them as
   * well as it can and counts them here, so a report still shows the run.
   */
  readonly inconsistencies: { readonly count: number; readonly first: string | undefined }
  readonly series: TimeSeries
}

/**
 * A streaming metrics collector. Its memory grows only with live runners and
 * replicas, acquired runs (8 bytes each), deleted runner ids, lease epochs
 * and capped lists.
 */
export interface MetricsCollector {
  /** Applies one event. Throws a RangeError when `at` is not finite, negative, or before the previous event's. */
  readonly onEvent: (event: PoolEvent) => void
  /** Closes the time integrals at `horizonMs` and returns the metrics. Throws if called twice. */
  readonly finish: () => Metrics
}

/** Maximum number of scale events kept for the timeline chart. */
export const MAX_SCALE_POINTS = 5000

const STATUS_INDEX: Readonly<Record<RunnerStatus, number>> = { Provisioning: 0, Idle: 1, Running: 2, Tainted: 3 }
const MS_PER_HOUR = 3_600_000

const validateOptions = (options: MetricsOptions): number => {
  const { horizonMs, costPerRunnerHour, seriesPoints = 1500 } = options
  if (!Number.isFinite(horizonMs) || horizonMs <= 0) {
    throw new RangeError(`Invalid horizonMs ${horizonMs}: expected a finite number of milliseconds above 0.`)
  }
  if (!Number.isFinite(costPerRunnerHour) || costPerRunnerHour < 0) {
    throw new RangeError(`Invalid costPerRunnerHour ${costPerRunnerHour}: expected a finite number of at least 0.`)
  }
  if (!Number.isInteger(seriesPoints) || seriesPoints < 1) {
    throw new RangeError(`Invalid seriesPoints ${seriesPoints}: expected an integer of at least 1.`)
  }
  return seriesPoints
}

/**
 * Creates a collector that folds a stream of pool events, in nondecreasing
 * `at`, into `Metrics` without storing the events. Output depends only on the
 * events and options. Counters include every event, but time integrals
 * (hours, means, cost, series) cover only `[0, horizonMs]`.
 */
export const createMetricsCollector = (options: MetricsOptions): MetricsCollector => {
  const seriesPoints = validateOptions(options)
  const { horizonMs, costPerRunnerHour } = options
  const grid = new TimeGrid(horizonMs, seriesPoints, costPerRunnerHour)
  const runnerStatus = new Map<string, RunnerStatus>()
  const waits = new GrowableFloat64Array()
  /** Arrival time of every run queued and not yet acquired or failed, by run id. */
  const queuedSince = new Map<number, number>()
  const failedByReason: Record<RunFailureReason, number> = { runTimeout: 0, runnerRemoved: 0 }
  const removals = Object.fromEntries(REMOVAL_REASONS.map((reason) => [reason, 0])) as Record<RemovalReason, number>
  const scalePoints = new StridedSample<ScalePoint>(MAX_SCALE_POINTS)

  let events = 0
  let lastAt = 0
  let finished = false
  let arrived = 0
  let acquired = 0
  let completed = 0
  let failed = 0
  let queueDepth = 0
  let scaleUp = 0
  let scaleDown = 0
  let runnersUp = 0
  let runnersDown = 0
  let reconcileFailures = 0
  let created = 0
  let removedUnused = 0
  let inconsistencyCount = 0
  let firstInconsistency: string | undefined

  const inconsistent = (event: PoolEvent, detail: string): void => {
    inconsistencyCount += 1
    firstInconsistency ??= `${event.kind} at ${event.at} ms: ${detail}`
  }
  const replicas = new ReplicaTracker(horizonMs, seriesPoints, inconsistent)

  const setStatus = (runnerId: string, to: RunnerStatus | undefined): void => {
    const previous = runnerStatus.get(runnerId)
    if (previous !== undefined) grid.values[STATUS_INDEX[previous]]! -= 1
    if (to === undefined) {
      runnerStatus.delete(runnerId)
      return
    }
    grid.values[STATUS_INDEX[to]]! += 1
    runnerStatus.set(runnerId, to)
  }

  const setQueueDepth = (depth: number): void => {
    queueDepth = depth
    grid.values[QUEUE_CHANNEL] = depth
  }

  const recordScale = (event: ScaleUp | ScaleDown, kind: "up" | "down"): void => {
    if (kind === "up") {
      scaleUp += 1
      runnersUp += event.count
    } else {
      scaleDown += 1
      runnersDown += event.count
    }
    scalePoints.offer({ at: event.at, kind, count: event.count, desired: event.desired })
  }

  /**
   * Runners whose instance was deleted. A later event about one of them (a
   * controller acting on a list that lags behind the cloud) is counted as an
   * inconsistency and ignored, so it does not bring back a runner that no
   * longer exists and costs nothing.
   */
  const deletedRunners = new Set<string>()
  /** Runners created that have not acquired a run yet and whose instance still exists. */
  const unusedRunners = new Set<string>()
  const isDeleted = (event: PoolEvent & { readonly runnerId: string }): boolean => {
    if (!deletedRunners.has(event.runnerId)) return false
    inconsistent(event, `runner ${event.runnerId} was already deleted`)
    return true
  }

  const apply = (event: PoolEvent): void => {
    switch (event.kind) {
      case "RunQueued":
        arrived += 1
        queuedSince.set(event.runId, event.at)
        setQueueDepth(queueDepth + 1)
        return
      case "RunAcquired":
        acquired += 1
        unusedRunners.delete(event.runnerId)
        queuedSince.delete(event.runId)
        waits.push(event.waitMs)
        if (queueDepth === 0) inconsistent(event, `run ${event.runId} acquired while the queue was empty`)
        setQueueDepth(Math.max(0, queueDepth - 1))
        return
      case "RunCompleted":
        completed += 1
        return
      case "RunFailed":
        queuedSince.delete(event.runId)
        failed += 1
        failedByReason[event.reason] += 1
        return
      case "RunnerStatusChanged": {
        if (isDeleted(event)) return
        const tracked = runnerStatus.get(event.runnerId)
        if (tracked !== event.from) {
          inconsistent(event, `runner ${event.runnerId} is ${tracked ?? "unknown"}, the event says from ${event.from ?? "nothing"}`)
        }
        if (event.from === undefined) {
          created += 1
          unusedRunners.add(event.runnerId)
        }
        setStatus(event.runnerId, event.to)
        return
      }
      case "RunnerRemoved": {
        if (isDeleted(event)) return
        removals[event.reason] += 1
        if (unusedRunners.delete(event.runnerId)) removedUnused += 1
        const tracked = runnerStatus.get(event.runnerId)
        if (tracked !== "Tainted") {
          inconsistent(event, `runner ${event.runnerId} is ${tracked ?? "unknown"}, expected Tainted`)
          setStatus(event.runnerId, "Tainted")
        }
        return
      }
      case "InstanceDeleted": {
        if (isDeleted(event)) return
        const tracked = runnerStatus.get(event.runnerId)
        if (tracked !== "Tainted") {
          inconsistent(event, `runner ${event.runnerId} is ${tracked ?? "unknown"}, expected Tainted`)
        }
        setStatus(event.runnerId, undefined)
        unusedRunners.delete(event.runnerId)
        deletedRunners.add(event.runnerId)
        return
      }
      case "ScaleUp":
        recordScale(event, "up")
        return
      case "ScaleDown":
        recordScale(event, "down")
        return
      case "ReconcileFailed":
        reconcileFailures += 1
        return
      case "ReplicaStatusChanged":
        replicas.apply(event)
        return
    }
  }

  const onEvent = (event: PoolEvent): void => {
    if (finished) throw new Error(`Metrics collector already finished, but received ${event.kind} at ${event.at} ms.`)
    if (!Number.isFinite(event.at) || event.at < 0 || event.at < lastAt) {
      throw new RangeError(
        `Invalid time on event #${events + 1} (${event.kind}): at=${event.at} ms. ` +
          `Expected a finite number of at least ${lastAt} ms, the time of the previous event.`
      )
    }
    lastAt = event.at
    events += 1
    grid.advance(event.at)
    apply(event)
  }

  const finish = (): Metrics => {
    if (finished) throw new Error("Metrics collector finish() was already called. Create a new collector per run.")
    finished = true
    grid.advance(horizonMs)
    for (const arrivedAt of queuedSince.values()) waits.push(Math.max(0, horizonMs - arrivedAt))

    const hoursOf = (index: number) => grid.totals[index]! / MS_PER_HOUR
    const runnerHours = grid.existenceMs() / MS_PER_HOUR
    return {
      horizonMs,
      costPerRunnerHour,
      events,
      runs: {
        arrived,
        acquired,
        completed,
        failed,
        failedByReason: { ...failedByReason },
        queuedAtEnd: queueDepth,
        runningAtEnd: Math.max(0, acquired - completed - failed)
      },
      waitsMs: waits.sortedCopy(),
      runners: {
        peak: grid.runnerPeak,
        mean: grid.existenceMs() / horizonMs,
        created,
        removedUnused,
        hours: {
          provisioning: hoursOf(0),
          idle: hoursOf(1),
          running: hoursOf(2),
          tainted: hoursOf(3),
          total: runnerHours
        },
        existingAtEnd: runnerStatus.size
      },
      cost: { runnerHours, amount: runnerHours * costPerRunnerHour },
      queue: { peak: grid.queuePeak, mean: grid.totals[QUEUE_CHANNEL]! / horizonMs },
      scale: {
        up: scaleUp,
        down: scaleDown,
        runnersUp,
        runnersDown,
        points: scalePoints.items(),
        pointStride: scalePoints.stride
      },
      removals: { ...removals },
      reconcileFailures,
      replicas: replicas.finish(),
      inconsistencies: { count: inconsistencyCount, first: firstInconsistency },
      series: grid.result()
    }
  }

  return { onEvent, finish }
}
