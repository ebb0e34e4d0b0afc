import { describe, expect, it } from "vitest"
import { MAX_REPLICA_POINTS } from "../../reports/replicas.js"
import { collect, ev, replicaMetrics, replicaStream, S, tenHourMetrics } from "./fixtures.js"

describe("replica metrics", () => {
  it("counts elections, taints and starts", () => {
    const { replicas } = replicaMetrics()
    expect(replicas.events).toBe(12)
    expect(replicas.started).toBe(3)
    // Epochs 1, 2 and 3. replica-0 turning Active again in epoch 1 after its Error is not a change.
    expect(replicas.leaderChanges).toBe(3)
    expect(replicas.tainted).toBe(1)
    expect(replicas.peak).toBe(2)
    expect(replicas.existingAtEnd).toBe(2)
  })

  it("integrates time without leader", () => {
    // 20 s to 25 s (replica-0 in Error) and 40 s to 55 s (crash to the next election).
    // The handover at 90 s happens in one millisecond and adds nothing.
    expect(replicaMetrics().replicas.msWithoutLeader).toBe(20 * S)
  })

  it("samples statuses per bucket", () => {
    const { series } = replicaMetrics().replicas
    expect(Array.from(series.Active)).toEqual([1, 1, 0.5, 1, 0, 0.5, 1, 1, 1, 1])
    expect(Array.from(series.Inactive)).toEqual([1, 1, 1, 1, 1, 0.5, 0, 0.8, 1, 1])
    expect(Array.from(series.Bootup)).toEqual([0, 0, 0, 0, 0, 0, 0, 0.2, 0, 0])
    expect(Array.from(series.Error)).toEqual([0, 0, 0.5, 0, 0, 0, 0, 0, 0, 0])
  })

  it("keeps leader and tainted points", () => {
    const { points, pointStride } = replicaMetrics().replicas
    expect(pointStride).toBe(1)
    expect(points).toEqual([
      { at: 0, kind: "leader", replica: "replica-0", epoch: 1, reason: "leaseAcquired" },
      { at: 40 * S, kind: "tainted", replica: "replica-0", epoch: undefined, reason: "crashed" },
      { at: 55 * S, kind: "leader", replica: "replica-1", epoch: 2, reason: "leaseAcquired" },
      { at: 90 * S, kind: "leader", replica: "replica-0.2", epoch: 3, reason: "leaseAcquired" }
    ])
  })

  it("reports no inconsistencies on a clean stream", () => {
    expect(replicaMetrics().inconsistencies).toEqual({ count: 0, first: undefined })
  })

  it("is all zero without replica events", () => {
    const { replicas } = tenHourMetrics()
    expect(replicas.events).toBe(0)
    expect(replicas.leaderChanges).toBe(0)
    expect(replicas.tainted).toBe(0)
    expect(replicas.msWithoutLeader).toBe(0)
    expect(replicas.peak).toBe(0)
    expect(Array.from(replicas.series.Active)).toEqual(new Array(10).fill(0))
  })

  it("counts time without leader from the first replica event", () => {
    const metrics = collect(
      [ev.replica(10 * S, "replica-0", undefined, "Bootup", "started"), ev.replica(14 * S, "replica-0", "Bootup", "Active", "leaseAcquired", 1)],
      { horizonMs: 60 * S, costPerRunnerHour: 1 }
    )
    expect(metrics.replicas.msWithoutLeader).toBe(4 * S)
  })

  it("counts a status change from the wrong status", () => {
    const metrics = collect(
      [ev.replica(0, "replica-0", undefined, "Inactive", "follower"), ev.replica(5, "replica-0", "Error", "Active", "recovered", 1)],
      { horizonMs: 10, costPerRunnerHour: 1 }
    )
    expect(metrics.inconsistencies.count).toBe(1)
    expect(metrics.inconsistencies.first).toContain("replica replica-0 is Inactive, the event says from Error")
    // The event is still applied.
    expect(metrics.replicas.leaderChanges).toBe(1)
    expect(Array.from(metrics.replicas.series.Active).at(-1)).toBe(1)
  })

  it("counts Active without an epoch", () => {
    const metrics = collect([ev.replica(0, "replica-0", undefined, "Active", "leaseAcquired")], {
      horizonMs: 10,
      costPerRunnerHour: 1
    })
    expect(metrics.inconsistencies.count).toBe(1)
    expect(metrics.inconsistencies.first).toContain("became Active without a lease epoch")
    expect(metrics.replicas.leaderChanges).toBe(0)
    expect(metrics.replicas.msWithoutLeader).toBe(0)
  })

  it("ignores events of a Tainted replica", () => {
    const events = [...replicaStream(), ev.replica(95 * S, "replica-0", "Active", "Inactive", "leaseLost")]
    const metrics = collect(events, { horizonMs: 100 * S, costPerRunnerHour: 1, seriesPoints: 10 })
    expect(metrics.inconsistencies.count).toBe(1)
    expect(metrics.inconsistencies.first).toContain("replica replica-0 is Tainted and was replaced, the event says from Active")
    expect(metrics.replicas.events).toBe(13)
    expect(metrics.replicas.existingAtEnd).toBe(2)
    expect(Array.from(metrics.replicas.series.Inactive).at(-1)).toBe(1)
  })

  it("caps stored replica points", () => {
    const events = Array.from({ length: 12_000 }, (_, i) =>
      ev.replica(i, `replica-${i}`, undefined, "Tainted", "crashed")
    )
    const metrics = collect(events, { horizonMs: 20_000, costPerRunnerHour: 1 })
    expect(metrics.replicas.tainted).toBe(12_000)
    expect(metrics.replicas.points.length).toBeLessThanOrEqual(MAX_REPLICA_POINTS)
    expect(metrics.replicas.pointStride).toBe(4)
    expect(metrics.replicas.points[1]?.at).toBe(4)
  })
})
