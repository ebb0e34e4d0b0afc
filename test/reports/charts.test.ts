import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import type { PoolEvent } from "../../core/events.js"
import { CHART_HEIGHT, CHART_WIDTH, renderChartPngs, renderCharts, timeUnitFor } from "../../reports/charts.js"
import { buildSummary } from "../../reports/summary.js"
import {
  collect,
  ev,
  H,
  replicaFaults,
  replicaMetrics,
  replicaSummary,
  S,
  tenHourMetrics,
  tenHourSummary
} from "./fixtures.js"
import { PNG_SIGNATURE, pngSize } from "./png.js"

const CHART_NAMES = ["runners", "queue", "waits", "scale-events", "cost"]

/** A 3-day stream with a run every 2 minutes, so each of the 1500 buckets (172.8 s) contains changes. */
const busyStream = (): Array<PoolEvent> => {
  const events: Array<PoolEvent> = [ev.status(0, "r0", undefined, "Idle", "registered")]
  for (let run = 0; run < 2160; run++) {
    const at = run * 120_000
    events.push(ev.queued(at, run))
    events.push(ev.acquired(at + 30_000, run, "r0", 30_000 + (run % 50) * 1000))
    events.push(ev.status(at + 30_000, "r0", "Idle", "Running", "acquired"))
    if (run % 3 === 0) events.push(ev.scaleUp(at + 30_000, 1 + (run % 5), 2))
    events.push(ev.completed(at + 90_000, run, "r0"))
    events.push(ev.status(at + 90_000, "r0", "Running", "Idle", "runFinished"))
  }
  return events
}

const tempDirs: Array<string> = []
afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true })
})

describe("charts", () => {
  it("renders five PNGs of the fixed size", () => {
    const charts = renderChartPngs(tenHourMetrics(), tenHourSummary())
    expect(charts.map((chart) => chart.name)).toEqual(CHART_NAMES)
    for (const chart of charts) {
      expect(chart.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true)
      expect(pngSize(chart.png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT })
      expect(chart.title.length).toBeGreaterThan(0)
    }
  })

  it("renders the same bytes twice", () => {
    const first = renderChartPngs(tenHourMetrics(), tenHourSummary())
    const second = renderChartPngs(tenHourMetrics(), tenHourSummary())
    for (let i = 0; i < first.length; i++) expect(first[i]!.png.equals(second[i]!.png)).toBe(true)
  })

  it("renders an empty run", () => {
    const metrics = collect([], { horizonMs: H, costPerRunnerHour: 1 })
    const summary = buildSummary(metrics, {
      scenario: "empty",
      seed: 1,
      simulatedSeconds: 3600,
      reference: { floorRunnerHours: 0, clairvoyantRunnerHours: 0 },
      skippedTraceRows: {},
      violations: [],
      engine: { events: 0, wallSeconds: 0 }
    })
    for (const chart of renderChartPngs(metrics, summary)) {
      expect(pngSize(chart.png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT })
    }
  })

  it("writes chart files", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "runner-pool-charts-"))
    tempDirs.push(dir)
    const files = await renderCharts(tenHourMetrics(), tenHourSummary(), dir)
    expect(files).toEqual(CHART_NAMES.map((name) => `charts/${name}.png`))
    for (const file of files) {
      const png = await readFile(path.join(dir, file))
      expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT })
    }
  })

  it("renders 1500-point series quickly", () => {
    const metrics = collect(busyStream(), { horizonMs: 72 * H, costPerRunnerHour: 1 })
    const summary = buildSummary(metrics, {
      scenario: "busy",
      seed: 1,
      simulatedSeconds: 72 * 3600,
      reference: { floorRunnerHours: 0, clairvoyantRunnerHours: 0 },
      skippedTraceRows: {},
      violations: [],
      engine: { events: 0, wallSeconds: 0 }
    })
    expect(metrics.series.points).toBe(1500)
    renderChartPngs(metrics, summary) // warm-up: font loading and JIT
    const start = performance.now()
    const charts = renderChartPngs(metrics, summary)
    const elapsedMs = performance.now() - start
    expect(charts).toHaveLength(5)
    // Measured about 0.3 s for all five charts on a 2-core machine. The bound leaves room for a slower CI.
    expect(elapsedMs).toBeLessThan(2000)
  })

  it("adds the replicas chart when replicas changed", () => {
    const charts = renderChartPngs(replicaMetrics(), replicaSummary())
    expect(charts.map((chart) => chart.name)).toEqual([...CHART_NAMES, "replicas"])
    const replicas = charts.at(-1)!
    expect(pngSize(replicas.png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT })
    expect(replicas.title).toBe("Replicas by status (3 leader changes, 1 tainted, 20.0 s without leader)")
  })

  it("leaves out the replicas chart of one steady leader", () => {
    const metrics = collect(
      [
        ev.replica(0, "replica-0", undefined, "Bootup", "started"),
        ev.replica(0, "replica-0", "Bootup", "Active", "leaseAcquired", 1)
      ],
      { horizonMs: 100 * S, costPerRunnerHour: 1 }
    )
    const summary = buildSummary(metrics, {
      scenario: "sole",
      seed: 1,
      simulatedSeconds: 100,
      reference: { floorRunnerHours: 0, clairvoyantRunnerHours: 0 },
      skippedTraceRows: {},
      violations: [],
      engine: { events: 2, wallSeconds: 0 }
    })
    expect(renderChartPngs(metrics, summary).map((chart) => chart.name)).toEqual(CHART_NAMES)
  })

  it("shades faults on timeline charts only", () => {
    const plain = renderChartPngs(replicaMetrics(), replicaSummary())
    const shaded = renderChartPngs(replicaMetrics(), replicaSummary(), replicaFaults())
    expect(shaded.map((chart) => chart.name)).toEqual(plain.map((chart) => chart.name))
    for (let i = 0; i < plain.length; i++) {
      const { name } = plain[i]!
      expect(pngSize(shaded[i]!.png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT })
      // The wait CDF has no time axis, so it stays the same; every other chart changes.
      expect({ name, changed: !shaded[i]!.png.equals(plain[i]!.png) }).toEqual({ name, changed: name !== "waits" })
    }
  })

  it("renders the same bytes twice with faults", () => {
    const first = renderChartPngs(replicaMetrics(), replicaSummary(), replicaFaults())
    const second = renderChartPngs(replicaMetrics(), replicaSummary(), replicaFaults())
    for (let i = 0; i < first.length; i++) expect(first[i]!.png.equals(second[i]!.png)).toBe(true)
  })

  it("accepts faults that end past the horizon", () => {
    const faults = [{ kind: "listLag", at: 90 * S, until: 500 * S }]
    const charts = renderChartPngs(replicaMetrics(), replicaSummary(), faults)
    expect(charts).toHaveLength(6)
  })

  it("draws nothing for faults past the horizon", () => {
    const plain = renderChartPngs(replicaMetrics(), replicaSummary())
    const late = renderChartPngs(replicaMetrics(), replicaSummary(), [{ kind: "listLag", at: 200 * S, until: 300 * S }])
    for (let i = 0; i < plain.length; i++) expect(late[i]!.png.equals(plain[i]!.png)).toBe(true)
  })

  it("rejects an invalid fault window", () => {
    const backwards = [{ kind: "cloudErrors", at: 20 * S, until: 10 * S }]
    expect(() => renderChartPngs(replicaMetrics(), replicaSummary(), backwards)).toThrow(
      /fault window #0 \("cloudErrors"\): until=10000 ms/
    )
    const negative = [{ kind: "listLag", at: -1, until: 0 }]
    expect(() => renderChartPngs(replicaMetrics(), replicaSummary(), negative)).toThrow(RangeError)
  })

  it("writes the replicas chart file", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "runner-pool-charts-"))
    tempDirs.push(dir)
    const files = await renderCharts(replicaMetrics(), replicaSummary(), dir, replicaFaults())
    expect(files.at(-1)).toBe("charts/replicas.png")
    expect(pngSize(await readFile(path.join(dir, "charts/replicas.png")))).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT })
  })

  it("switches the time unit to days after 3 days", () => {
    expect(timeUnitFor(72 * H).label).toBe("hours")
    expect(timeUnitFor(72 * H + 1).label).toBe("days")
  })
})
