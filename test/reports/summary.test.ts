import { describe, expect, it } from "vitest"
import { buildSummary, nearestRank, roundForSummary, summaryTable, summaryToJson } from "../../reports/summary.js"
import { collect, ev, replicaSummary, tenHourMetrics, tenHourSummary } from "./fixtures.js"

const emptyMeta = {
  scenario: "empty",
  seed: 0,
  simulatedSeconds: 10,
  reference: { floorRunnerHours: 0, clairvoyantRunnerHours: 0 },
  skippedTraceRows: {},
  violations: [],
  engine: { events: 0, wallSeconds: 0 }
}

describe("buildSummary", () => {
  it("orders top-level keys", () => {
    expect(Object.keys(tenHourSummary())).toEqual([
      "scenario",
      "seed",
      "simulatedSeconds",
      "runs",
      "waitSeconds",
      "runners",
      "cost",
      "reference",
      "scaleEvents",
      "replicas",
      "removals",
      "violations",
      "engine"
    ])
  })

  it("orders nested keys", () => {
    const summary = tenHourSummary("s", [{ detail: "d", ids: ["r1"], at: 5, invariant: "x" }])
    expect(Object.keys(summary.runs)).toEqual([
      "arrived",
      "completed",
      "failed",
      "timedOut",
      "queuedAtEnd",
      "runningAtEnd",
      "skippedTraceRows"
    ])
    expect(Object.keys(summary.waitSeconds)).toEqual(["mean", "p50", "p90", "p95", "p99", "max"])
    expect(Object.keys(summary.runners)).toEqual(["peak", "mean", "created", "removedUnused", "hours"])
    expect(Object.keys(summary.runners.hours)).toEqual(["provisioning", "idle", "running", "tainted", "total"])
    expect(Object.keys(summary.cost)).toEqual(["runnerHours", "amount"])
    expect(Object.keys(summary.reference)).toEqual(["floorRunnerHours", "clairvoyantRunnerHours", "costToFloor", "costToClairvoyant"])
    expect(Object.keys(summary.scaleEvents)).toEqual(["up", "down"])
    expect(Object.keys(summary.replicas)).toEqual(["leaderChanges", "taintedReplicas", "secondsWithoutLeader"])
    expect(Object.keys(summary.removals)).toEqual([
      "heartbeat",
      "unhealthy",
      "oldAgent",
      "age",
      "createTimeout",
      "runTimeout",
      "idleTimeout",
      "scaleDown"
    ])
    expect(Object.keys(summary.violations[0]!)).toEqual(["invariant", "at", "ids", "detail"])
    expect(Object.keys(summary.engine)).toEqual(["events", "wallSeconds"])
  })

  it("sorts skipped trace row reasons", () => {
    expect(Object.keys(tenHourSummary().runs.skippedTraceRows)).toEqual(["badDuration", "missingStart"])
  })

  it("fills values from metrics", () => {
    const summary = tenHourSummary()
    expect(summary.runs).toMatchObject({ arrived: 4, completed: 1, failed: 1, timedOut: 1, queuedAtEnd: 1, runningAtEnd: 1 })
    // Waits 3600, 3600, 5400 s, and 14400 s for run 4, still queued at the horizon after
    // arriving at 6 h: nearest rank puts p50 on the 2nd value and p90 on the 4th.
    expect(summary.waitSeconds).toEqual({ mean: 6750, p50: 3600, p90: 14400, p95: 14400, p99: 14400, max: 14400 })
    expect(summary.runners).toEqual({
      peak: 3,
      mean: 2.05,
      created: 3,
      removedUnused: 1,
      hours: { provisioning: 6, idle: 4, running: 7, tainted: 3.5, total: 20.5 }
    })
    expect(summary.cost).toEqual({ runnerHours: 20.5, amount: 41 })
    // 20.5 runner-hours against references of 5 and 8.2.
    expect(summary.reference).toEqual({ floorRunnerHours: 5, clairvoyantRunnerHours: 8.2, costToFloor: 4.1, costToClairvoyant: 2.5 })
    expect(summary.scaleEvents).toEqual({ up: 2, down: 1 })
    expect(summary.removals.runTimeout).toBe(1)
    expect(summary.removals.createTimeout).toBe(1)
  })

  it("fills replica values", () => {
    expect(replicaSummary().replicas).toEqual({ leaderChanges: 3, taintedReplicas: 1, secondsWithoutLeader: 20 })
    expect(tenHourSummary().replicas).toEqual({ leaderChanges: 0, taintedReplicas: 0, secondsWithoutLeader: 0 })
  })

  it("rounds to three decimals", () => {
    const summary = tenHourSummary()
    expect(summary.engine.wallSeconds).toBe(0.012)
    expect(roundForSummary(1 / 3, "x")).toBe(0.333)
    expect(roundForSummary(2 / 3, "x")).toBe(0.667)
    expect(roundForSummary(-0.0004, "x")).toBe(0)
    expect(Object.is(roundForSummary(-0.0004, "x"), 0)).toBe(true)
    expect(roundForSummary(-1.2345, "x")).toBe(-1.235)
  })

  it("rejects non-finite numbers with the key", () => {
    expect(() => roundForSummary(Number.NaN, "cost.amount")).toThrow(/cost\.amount: NaN/)
    expect(() => buildSummary(tenHourMetrics(), { ...emptyMeta, simulatedSeconds: Number.POSITIVE_INFINITY })).toThrow(
      /simulatedSeconds/
    )
  })

  it("gives zero ratios for zero references", () => {
    const summary = buildSummary(tenHourMetrics(), emptyMeta)
    expect(summary.cost.runnerHours).toBe(20.5)
    expect(summary.reference).toEqual({ floorRunnerHours: 0, clairvoyantRunnerHours: 0, costToFloor: 0, costToClairvoyant: 0 })
  })

  it("rounds reference values", () => {
    const summary = buildSummary(tenHourMetrics(), { ...emptyMeta, reference: { floorRunnerHours: 6, clairvoyantRunnerHours: 1 / 3 } })
    expect(summary.reference.floorRunnerHours).toBe(6)
    expect(summary.reference.clairvoyantRunnerHours).toBe(0.333)
    // 20.5 / 6 = 3.41666..., 20.5 * 3 = 61.5 exactly.
    expect(summary.reference.costToFloor).toBe(3.417)
    expect(summary.reference.costToClairvoyant).toBe(61.5)
  })

  it("rejects a non-finite reference with its key", () => {
    const meta = { ...emptyMeta, reference: { floorRunnerHours: Number.NaN, clairvoyantRunnerHours: 1 } }
    expect(() => buildSummary(tenHourMetrics(), meta)).toThrow(/reference\.floorRunnerHours/)
  })

  it("counts never-acquired runs up to the horizon", () => {
    const metrics = collect([ev.queued(1, 1)], { horizonMs: 10_000, costPerRunnerHour: 1 })
    const summary = buildSummary(metrics, emptyMeta)
    expect(summary.waitSeconds).toEqual({ mean: 9.999, p50: 9.999, p90: 9.999, p95: 9.999, p99: 9.999, max: 9.999 })
    expect(summary.runs.queuedAtEnd).toBe(1)
  })

  it("gives zero waits without runs", () => {
    const metrics = collect([], { horizonMs: 10_000, costPerRunnerHour: 1 })
    expect(buildSummary(metrics, emptyMeta).waitSeconds).toEqual({ mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 })
  })
})

describe("nearestRank", () => {
  const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1)

  it.each([
    [50, 50],
    [90, 90],
    [95, 95],
    [99, 99],
    [100, 100],
    [0, 1]
  ])("p%d of 1..100 is %d", (percent, expected) => {
    expect(nearestRank(hundred, percent)).toBe(expected)
  })

  it("handles small and empty inputs", () => {
    expect(nearestRank(new Float64Array([7]), 99)).toBe(7)
    expect(nearestRank(new Float64Array([1, 2, 3, 4]), 50)).toBe(2)
    expect(nearestRank(new Float64Array([1, 2, 3, 4]), 51)).toBe(3)
    expect(nearestRank(new Float64Array(0), 50)).toBe(0)
  })
})

describe("summary output", () => {
  it("serializes with two spaces and a newline", () => {
    const json = summaryToJson(tenHourSummary())
    expect(json.endsWith("}\n")).toBe(true)
    expect(json.startsWith('{\n  "scenario": "ten-hour",\n  "seed": 42,\n')).toBe(true)
    expect(JSON.parse(json)).toEqual(tenHourSummary())
  })

  it("serializes byte-stable", () => {
    expect(summaryToJson(tenHourSummary())).toBe(summaryToJson(tenHourSummary()))
  })

  it("formats a terminal table", () => {
    const text = summaryTable(tenHourSummary())
    const lines = text.trimEnd().split("\n")
    expect(lines[0]).toBe("Scenario      ten-hour (seed 42, 10.000 h simulated)")
    expect(text).toContain(
      "Runs          arrived 4, completed 1, failed 1 (timed out 1), queued at end 1, running at end 1, trace rows skipped 3\n"
    )
    expect(text).toContain("Wait (s)      p50 3600.000, p95 14400.000, p99 14400.000, mean 6750.000, max 14400.000\n")
    expect(text).toContain("Runners       peak 3, mean 2.050, created 3, removed unused 1\n")
    expect(text).toContain("Runner-hours  20.500 (provisioning 6.000, idle 4.000, running 7.000, tainted 3.500)\n")
    expect(text).toContain("Cost          41.000\n")
    expect(text).toContain("Reference     floor 5.000 h (cost 4.100x), clairvoyant 8.200 h (cost 2.500x)\n")
    expect(text).toContain("Scale events  up 2, down 1\n")
    expect(text).toContain("Replicas      leader changes 0, tainted 0, without leader 0.000 s\n")
    expect(text).toContain("Removals      createTimeout 1, runTimeout 1\n")
    expect(text).toContain("Violations    none\n")
  })

  it("formats the replica line", () => {
    expect(summaryTable(replicaSummary())).toContain("Replicas      leader changes 3, tainted 1, without leader 20.000 s\n")
  })
})
