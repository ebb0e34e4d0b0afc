import { describe, expect, it } from "vitest"
import { createMetricsCollector, MAX_SCALE_POINTS } from "../../reports/metrics.js"
import { collect, ev, H, tenHourMetrics, tenHourStream } from "./fixtures.js"

describe("metrics collector", () => {
  it("integrates hours per status", () => {
    const { hours } = tenHourMetrics().runners
    // r1: Provisioning 0-1, Running 1-3, Idle 3-7, Running 7-10.
    // r2: Provisioning 0-2, Running 2-4, Tainted 4-6.5. r3: Provisioning 6-9, Tainted 9-10.
    expect(hours.provisioning).toBe(6)
    expect(hours.idle).toBe(4)
    expect(hours.running).toBe(7)
    expect(hours.tainted).toBe(3.5)
    expect(hours.total).toBe(20.5)
  })

  it("computes cost from existence time", () => {
    const metrics = tenHourMetrics()
    expect(metrics.cost.runnerHours).toBe(20.5)
    expect(metrics.cost.amount).toBe(41)
  })

  it("tracks peak and mean runner count", () => {
    const { runners } = tenHourMetrics()
    // Three instances exist from 6 h to 6.5 h.
    expect(runners.peak).toBe(3)
    expect(runners.mean).toBe(2.05)
    expect(runners.existingAtEnd).toBe(2)
  })

  it("counts created and unused removed runners", () => {
    const { runners } = tenHourMetrics()
    // r1, r2 and r3 are created. r2 is removed after a run, and r3 without one.
    expect(runners.created).toBe(3)
    expect(runners.removedUnused).toBe(1)
  })

  it("counts an unused removal once", () => {
    const metrics = collect(
      [
        ev.status(0, "a", undefined, "Provisioning", "provisioned"),
        ev.status(0, "b", undefined, "Provisioning", "provisioned"),
        ev.status(1, "a", "Provisioning", "Idle", "registered"),
        ev.status(2, "a", "Idle", "Tainted", "scaleDown"),
        ev.removed(2, "a", "scaleDown"),
        ev.removed(3, "a", "scaleDown"),
        ev.queued(3, 1),
        ev.status(4, "b", "Provisioning", "Idle", "registered"),
        ev.acquired(4, 1, "b", 1),
        ev.status(4, "b", "Idle", "Running", "acquired"),
        ev.status(5, "b", "Running", "Tainted", "runTimeout"),
        ev.removed(5, "b", "runTimeout")
      ],
      { horizonMs: 10, costPerRunnerHour: 1 }
    )
    expect(metrics.runners.created).toBe(2)
    expect(metrics.runners.removedUnused).toBe(1)
    expect(metrics.removals.scaleDown).toBe(2)
  })

  it("counts runs and their end state", () => {
    const { runs } = tenHourMetrics()
    expect(runs.arrived).toBe(4)
    expect(runs.acquired).toBe(3)
    expect(runs.completed).toBe(1)
    expect(runs.failed).toBe(1)
    expect(runs.failedByReason).toEqual({ runTimeout: 1, runnerRemoved: 0 })
    expect(runs.queuedAtEnd).toBe(1)
    expect(runs.runningAtEnd).toBe(1)
  })

  it("stores sorted waits", () => {
    // Run 4 arrived at 6 h and is still queued at the 10 h horizon: it counts 4 h.
    expect(Array.from(tenHourMetrics().waitsMs)).toEqual([1 * H, 1 * H, 1.5 * H, 4 * H])
  })

  it("integrates queue depth", () => {
    const { queue } = tenHourMetrics()
    expect(queue.peak).toBe(2)
    // 0.5 h at 1, 0.5 h at 2, 1 h at 1, then 1 h at 2 and 3 h at 1.
    expect(queue.mean).toBe(0.75)
  })

  it("counts removals by reason", () => {
    const { removals } = tenHourMetrics()
    expect(removals).toEqual({
      heartbeat: 0,
      unhealthy: 0,
      oldAgent: 0,
      age: 0,
      createTimeout: 1,
      runTimeout: 1,
      idleTimeout: 0,
      scaleDown: 0
    })
  })

  it("counts scale events and keeps points", () => {
    const { scale } = tenHourMetrics()
    expect(scale.up).toBe(2)
    expect(scale.down).toBe(1)
    expect(scale.runnersUp).toBe(3)
    expect(scale.runnersDown).toBe(1)
    expect(scale.pointStride).toBe(1)
    expect(scale.points).toEqual([
      { at: 0, kind: "up", count: 2, desired: 2 },
      { at: 6 * H, kind: "up", count: 1, desired: 2 },
      { at: 9 * H, kind: "down", count: 1, desired: 1 }
    ])
  })

  it("samples series per bucket", () => {
    const { series } = tenHourMetrics()
    expect(series.points).toBe(10)
    expect(series.bucketMs).toBe(H)
    expect(Array.from(series.queueMean)).toEqual([1.5, 1, 0, 0, 0, 0, 2, 1, 1, 1])
    expect(Array.from(series.queueMax)).toEqual([2, 1, 0, 0, 0, 0, 2, 1, 1, 1])
    expect(Array.from(series.running)).toEqual([0, 1, 2, 1, 0, 0, 0, 1, 1, 1])
    expect(Array.from(series.idle)).toEqual([0, 0, 0, 1, 1, 1, 1, 0, 0, 0])
    expect(Array.from(series.provisioning)).toEqual([2, 1, 0, 0, 0, 0, 1, 1, 1, 0])
    expect(Array.from(series.tainted)).toEqual([0, 0, 0, 0, 1, 1, 0.5, 0, 0, 1])
    expect(Array.from(series.costCumulative)).toEqual([4, 8, 12, 16, 20, 24, 29, 33, 37, 41])
  })

  it("reports no inconsistencies on a clean stream", () => {
    expect(tenHourMetrics().inconsistencies).toEqual({ count: 0, first: undefined })
  })

  it("keeps series integrals equal to totals", () => {
    // 7 ms over 3 buckets gives bucket edges that are not integers.
    const metrics = collect(
      [ev.status(0, "a", undefined, "Idle", "registered"), ev.status(2, "a", "Idle", "Running", "acquired")],
      { horizonMs: 7, costPerRunnerHour: 1, seriesPoints: 3 }
    )
    const width = metrics.series.bucketMs
    const idleMs = metrics.series.idle.reduce((sum, value) => sum + value * width, 0)
    const runningMs = metrics.series.running.reduce((sum, value) => sum + value * width, 0)
    expect(idleMs).toBeCloseTo(2, 9)
    expect(runningMs).toBeCloseTo(5, 9)
    expect(metrics.runners.hours.total * H).toBeCloseTo(7, 9)
  })

  it("ignores zero-duration queue spikes in maxima", () => {
    const metrics = collect([ev.queued(5, 1), ev.acquired(5, 1, "a", 0)], {
      horizonMs: 10,
      costPerRunnerHour: 1,
      seriesPoints: 2
    })
    expect(metrics.queue.peak).toBe(0)
    expect(Array.from(metrics.series.queueMax)).toEqual([0, 0])
    expect(metrics.runs.acquired).toBe(1)
  })

  it("handles deletion without taint", () => {
    const metrics = collect([ev.status(0, "a", undefined, "Idle", "registered"), ev.deleted(1 * H, "a")], {
      horizonMs: 2 * H,
      costPerRunnerHour: 1
    })
    expect(metrics.runners.hours.idle).toBe(1)
    expect(metrics.runners.hours.total).toBe(1)
    expect(metrics.runners.existingAtEnd).toBe(0)
    expect(metrics.inconsistencies.count).toBe(1)
    expect(metrics.inconsistencies.first).toContain("runner a is Idle, expected Tainted")
  })

  it("ignores events about a deleted runner", () => {
    // A controller acting on a lagging list can taint and remove a runner whose
    // instance is already gone; that must not bring the runner back.
    const metrics = collect(
      [
        ev.status(0, "a", undefined, "Provisioning", "provisioned"),
        ev.status(0, "a", "Provisioning", "Tainted", "createTimeout"),
        ev.removed(0, "a", "createTimeout"),
        ev.deleted(1 * H, "a"),
        ev.status(2 * H, "a", "Provisioning", "Tainted", "createTimeout"),
        ev.removed(2 * H, "a", "createTimeout")
      ],
      { horizonMs: 4 * H, costPerRunnerHour: 1 }
    )
    expect(metrics.runners.hours.total).toBe(1)
    expect(metrics.runners.existingAtEnd).toBe(0)
    expect(metrics.removals.createTimeout).toBe(1)
    expect(metrics.inconsistencies.count).toBe(2)
    expect(metrics.inconsistencies.first).toContain("runner a was already deleted")
  })

  it("counts an acquire on an empty queue", () => {
    const metrics = collect([ev.acquired(1, 7, "a", 0)], { horizonMs: 10, costPerRunnerHour: 1 })
    expect(metrics.runs.queuedAtEnd).toBe(0)
    expect(metrics.inconsistencies.count).toBe(1)
    expect(metrics.inconsistencies.first).toContain("run 7 acquired while the queue was empty")
  })

  it("clips integrals at the horizon", () => {
    const metrics = collect(
      [ev.status(0, "a", undefined, "Idle", "registered"), ev.queued(3 * H, 1)],
      { horizonMs: 2 * H, costPerRunnerHour: 1 }
    )
    expect(metrics.runners.hours.idle).toBe(2)
    expect(metrics.runs.arrived).toBe(1)
    expect(metrics.queue.mean).toBe(0)
  })

  it("caps stored scale points", () => {
    const events = Array.from({ length: 12_000 }, (_, i) => ev.scaleUp(i, 1, i))
    const metrics = collect(events, { horizonMs: 20_000, costPerRunnerHour: 1 })
    expect(metrics.scale.up).toBe(12_000)
    expect(metrics.scale.runnersUp).toBe(12_000)
    expect(metrics.scale.points.length).toBeLessThanOrEqual(MAX_SCALE_POINTS)
    expect(metrics.scale.pointStride).toBe(4)
    expect(metrics.scale.points.length).toBe(3000)
    // Kept points are every pointStride-th event from the first one.
    expect(metrics.scale.points[0]?.at).toBe(0)
    expect(metrics.scale.points[1]?.at).toBe(4)
    expect(metrics.scale.points.at(-1)?.at).toBe(11_996)
  })

  it("rejects events out of order", () => {
    const collector = createMetricsCollector({ horizonMs: 10, costPerRunnerHour: 1 })
    collector.onEvent(ev.queued(5, 1))
    expect(() => collector.onEvent(ev.queued(4, 2))).toThrow(/at=4 ms.*at least 5 ms/)
    expect(() => collector.onEvent(ev.queued(Number.NaN, 2))).toThrow(RangeError)
  })

  it("rejects invalid options", () => {
    expect(() => createMetricsCollector({ horizonMs: 0, costPerRunnerHour: 1 })).toThrow(/horizonMs 0/)
    expect(() => createMetricsCollector({ horizonMs: 10, costPerRunnerHour: -1 })).toThrow(/costPerRunnerHour -1/)
    expect(() => createMetricsCollector({ horizonMs: 10, costPerRunnerHour: 1, seriesPoints: 1.5 })).toThrow(
      /seriesPoints 1.5/
    )
  })

  it("rejects use after finish", () => {
    const collector = createMetricsCollector({ horizonMs: 10, costPerRunnerHour: 1 })
    collector.finish()
    expect(() => collector.finish()).toThrow(/already called/)
    expect(() => collector.onEvent(ev.queued(1, 1))).toThrow(/already finished/)
  })

  it("defaults to 1500 series points", () => {
    const metrics = collect(tenHourStream(), { horizonMs: 10 * H, costPerRunnerHour: 1 })
    expect(metrics.series.points).toBe(1500)
    expect(metrics.series.running.length).toBe(1500)
    expect(metrics.series.costCumulative[1499]).toBe(20.5)
  })
})
