import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import type { PoolEvent } from "../../core/events.js"
import { CHART_HEIGHT, CHART_WIDTH, renderChartPngs, renderCharts, timeUnitFor } from "../../reports/charts.js"
import { buildSummary } from "../../reports/summary.js"
import { collect, ev, H, tenHourMetrics, tenHourSummary } from "./fixtures.js"
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

  it("switches the time unit to days after 3 days", () => {
    expect(timeUnitFor(72 * H).label).toBe("hours")
    expect(timeUnitFor(72 * H + 1).label).toBe("days")
  })
})
