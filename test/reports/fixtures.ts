import type { PoolEvent, StatusChangeReason } from "../../core/events.js"
import type { RemovalReason, ReplicaStatus, RunnerStatus } from "../../core/model.js"
import { createMetricsCollector, type Metrics } from "../../reports/metrics.js"
import type { FaultWindow } from "../../reports/faults.js"
import { buildSummary, type Summary, type Violation } from "../../reports/summary.js"

/** One hour in milliseconds. */
export const H = 3_600_000

const scaleInputs = { policy: "test", queueDepth: 0, healthy: 0, running: 0, instances: 0 }

/** Small constructors for hand-built event streams. */
export const ev = {
  queued: (at: number, runId: number): PoolEvent => ({ kind: "RunQueued", at, runId }),
  acquired: (at: number, runId: number, runnerId: string, waitMs: number): PoolEvent => ({
    kind: "RunAcquired",
    at,
    runId,
    runnerId,
    waitMs
  }),
  completed: (at: number, runId: number, runnerId: string): PoolEvent => ({ kind: "RunCompleted", at, runId, runnerId }),
  failed: (at: number, runId: number, runnerId: string, reason: "runTimeout" | "runnerRemoved"): PoolEvent => ({
    kind: "RunFailed",
    at,
    runId,
    runnerId,
    reason
  }),
  status: (
    at: number,
    runnerId: string,
    from: RunnerStatus | undefined,
    to: RunnerStatus,
    reason: StatusChangeReason
  ): PoolEvent => ({ kind: "RunnerStatusChanged", at, runnerId, from, to, reason }),
  removed: (at: number, runnerId: string, reason: RemovalReason): PoolEvent => ({
    kind: "RunnerRemoved",
    at,
    runnerId,
    from: "Tainted",
    reason
  }),
  deleted: (at: number, runnerId: string): PoolEvent => ({ kind: "InstanceDeleted", at, runnerId }),
  scaleUp: (at: number, count: number, desired: number): PoolEvent => ({
    kind: "ScaleUp",
    at,
    count,
    ...scaleInputs,
    desired
  }),
  scaleDown: (at: number, count: number, desired: number): PoolEvent => ({
    kind: "ScaleDown",
    at,
    count,
    ...scaleInputs,
    desired
  }),
  replica: (
    at: number,
    replica: string,
    from: ReplicaStatus | undefined,
    to: ReplicaStatus,
    reason: string,
    epoch?: number
  ): PoolEvent => ({ kind: "ReplicaStatusChanged", at, replica, from, to, reason, epoch })
}

/** One second in milliseconds. */
export const S = 1000

/**
 * Two replicas over 100 s; the metrics tests list the expected numbers.
 * replica-0 leads in epoch 1, is in Error from 20 s to 25 s, recovers in the
 * same epoch and crashes at 40 s. replica-1 leads in epoch 2 from 55 s. The
 * replacement replica-0.2 boots at 70 s and takes over in epoch 3 at 90 s,
 * in the same millisecond in which replica-1 loses the lease.
 */
export const replicaStream = (): Array<PoolEvent> => [
  ev.replica(0, "replica-0", undefined, "Bootup", "started"),
  ev.replica(0, "replica-0", "Bootup", "Active", "leaseAcquired", 1),
  ev.replica(0, "replica-1", undefined, "Bootup", "started"),
  ev.replica(0, "replica-1", "Bootup", "Inactive", "follower"),
  ev.replica(20 * S, "replica-0", "Active", "Error", "leaseRenewFailed"),
  ev.replica(25 * S, "replica-0", "Error", "Active", "recovered", 1),
  ev.replica(40 * S, "replica-0", "Active", "Tainted", "crashed"),
  ev.replica(55 * S, "replica-1", "Inactive", "Active", "leaseAcquired", 2),
  ev.replica(70 * S, "replica-0.2", undefined, "Bootup", "started"),
  ev.replica(72 * S, "replica-0.2", "Bootup", "Inactive", "follower"),
  ev.replica(90 * S, "replica-1", "Active", "Inactive", "leaseLost"),
  ev.replica(90 * S, "replica-0.2", "Inactive", "Active", "leaseAcquired", 3)
]

/** Metrics of `replicaStream` with 10-second buckets. */
export const replicaMetrics = (): Metrics => collect(replicaStream(), { horizonMs: 100 * S, costPerRunnerHour: 1, seriesPoints: 10 })

/** Summary of `replicaMetrics`, with the given violations. */
export const replicaSummary = (violations: ReadonlyArray<Violation> = []): Summary =>
  buildSummary(replicaMetrics(), {
    scenario: "replicas",
    seed: 7,
    simulatedSeconds: 100,
    reference: { floorRunnerHours: 0, clairvoyantRunnerHours: 0 },
    skippedTraceRows: {},
    violations,
    engine: { events: 12, wallSeconds: 0 }
  })

/** Fault windows over `replicaStream`: two lasting faults that overlap, and an instant crash at 40 s. */
export const replicaFaults = (): Array<FaultWindow> => [
  { kind: "controlPlaneOutage", at: 15 * S, until: 30 * S },
  { kind: "cloudErrors", at: 20 * S, until: 60 * S },
  { kind: "replicaCrash", at: 40 * S, until: 40 * S }
]

/**
 * A 10-hour run with three runners and four runs. The metrics tests list the
 * expected numbers. r1 works two runs, r2 times out on run 2 and is deleted at
 * 6.5 h, r3 fails to register and is still being deleted at the horizon. Run 3
 * is running and run 4 queued at the end.
 */
export const tenHourStream = (): Array<PoolEvent> => [
  ev.scaleUp(0, 2, 2),
  ev.status(0, "r1", undefined, "Provisioning", "provisioned"),
  ev.status(0, "r2", undefined, "Provisioning", "provisioned"),
  ev.queued(0, 1),
  ev.queued(0.5 * H, 2),
  ev.status(1 * H, "r1", "Provisioning", "Idle", "registered"),
  ev.acquired(1 * H, 1, "r1", 1 * H),
  ev.status(1 * H, "r1", "Idle", "Running", "acquired"),
  ev.status(2 * H, "r2", "Provisioning", "Idle", "registered"),
  ev.acquired(2 * H, 2, "r2", 1.5 * H),
  ev.status(2 * H, "r2", "Idle", "Running", "acquired"),
  ev.completed(3 * H, 1, "r1"),
  ev.status(3 * H, "r1", "Running", "Idle", "runFinished"),
  ev.failed(4 * H, 2, "r2", "runTimeout"),
  ev.status(4 * H, "r2", "Running", "Tainted", "runTimeout"),
  ev.removed(4 * H, "r2", "runTimeout"),
  ev.scaleUp(6 * H, 1, 2),
  ev.status(6 * H, "r3", undefined, "Provisioning", "provisioned"),
  ev.queued(6 * H, 3),
  ev.queued(6 * H, 4),
  ev.deleted(6.5 * H, "r2"),
  ev.acquired(7 * H, 3, "r1", 1 * H),
  ev.status(7 * H, "r1", "Idle", "Running", "acquired"),
  ev.scaleDown(9 * H, 1, 1),
  ev.status(9 * H, "r3", "Provisioning", "Tainted", "createTimeout"),
  ev.removed(9 * H, "r3", "createTimeout")
]

/** Feeds events to a fresh collector and returns its metrics. */
export const collect = (
  events: ReadonlyArray<PoolEvent>,
  options: { horizonMs: number; costPerRunnerHour: number; seriesPoints?: number }
): Metrics => {
  const collector = createMetricsCollector(options)
  for (const event of events) collector.onEvent(event)
  return collector.finish()
}

/** Metrics of `tenHourStream` with 1-hour buckets and a price of 2 per runner-hour. */
export const tenHourMetrics = (): Metrics =>
  collect(tenHourStream(), { horizonMs: 10 * H, costPerRunnerHour: 2, seriesPoints: 10 })

/** Summary of `tenHourMetrics` with the given scenario name and violations. */
export const tenHourSummary = (scenario = "ten-hour", violations: ReadonlyArray<Violation> = []): Summary =>
  buildSummary(tenHourMetrics(), {
    scenario,
    seed: 42,
    simulatedSeconds: 36_000,
    reference: { floorRunnerHours: 5, clairvoyantRunnerHours: 8.2 },
    skippedTraceRows: { missingStart: 2, badDuration: 1 },
    violations,
    engine: { events: 26, wallSeconds: 0.0123456 }
  })
