import type { Plugin } from "chart.js"
import { axis, bucketEnds, COLORS, midpoints, stackedAreas, timeAxis, timeUnitFor, titleOptions, type ChartSpec, type Point, type TimeUnit } from "./chart-common.js"
import { faultWindowsPlugin } from "./chart-faults.js"
import { replicasChart, showsReplicaChart } from "./chart-replicas.js"
import { validateFaultWindows, type FaultWindow } from "./faults.js"
import type { Metrics } from "./metrics.js"
import type { Summary } from "./summary.js"

export { timeUnitFor, type ChartSpec, type TimeUnit } from "./chart-common.js"

/** Maximum number of points drawn for the wait-time CDF. */
const CDF_POINTS = 1000

/** Stacked areas of the mean number of runners per status. */
const runnersChart = (metrics: Metrics, unit: TimeUnit): ChartSpec => {
  const area = stackedAreas(metrics, unit)
  const s = metrics.series
  const title = "Runners by status (mean per interval, stacked)"
  return {
    name: "runners",
    title,
    config: {
      type: "line",
      data: {
        datasets: [
          area("Running", s.running, COLORS.running, "origin"),
          area("Idle", s.idle, COLORS.idle, "-1"),
          area("Provisioning", s.provisioning, COLORS.provisioning, "-1"),
          area("Tainted (deleting)", s.tainted, COLORS.tainted, "-1")
        ]
      },
      options: {
        plugins: { title: titleOptions(title) },
        scales: { x: timeAxis(metrics, unit), y: axis("Runners", { stacked: true, beginAtZero: true }) }
      }
    }
  }
}

const queueChart = (metrics: Metrics, unit: TimeUnit): ChartSpec => {
  const title = "Queue depth (runs waiting for a runner)"
  return {
    name: "queue",
    title,
    config: {
      type: "line",
      data: {
        datasets: [
          {
            label: "Maximum per interval",
            data: midpoints(metrics, unit, metrics.series.queueMax),
            borderColor: COLORS.queueMax,
            backgroundColor: COLORS.queueMax,
            borderWidth: 1,
            pointRadius: 0,
            stepped: "middle"
          },
          {
            label: "Mean per interval",
            data: midpoints(metrics, unit, metrics.series.queueMean),
            borderColor: COLORS.queueMean,
            backgroundColor: `${COLORS.queueMean}40`,
            borderWidth: 1.5,
            pointRadius: 0,
            stepped: "middle",
            fill: "origin"
          }
        ]
      },
      options: {
        plugins: { title: titleOptions(title) },
        scales: { x: timeAxis(metrics, unit), y: axis("Runs waiting", { beginAtZero: true }) }
      }
    }
  }
}

/** Empirical CDF of the waits, at most `CDF_POINTS` points taken at evenly spaced ranks. */
const cdfPoints = (waitsMs: Float64Array): Array<Point> => {
  const n = waitsMs.length
  if (n === 0) return []
  const count = Math.min(n, CDF_POINTS)
  const points: Array<Point> = [{ x: waitsMs[0]! / 1000, y: 0 }]
  for (let k = 1; k <= count; k++) {
    const index = Math.ceil((k * n) / count) - 1
    points.push({ x: waitsMs[index]! / 1000, y: (index + 1) / n })
  }
  return points
}

/** Draws dashed vertical lines with labels at the wait percentiles, or a note when no run was acquired. */
const percentileMarkers = (summary: Summary, acquired: number): Plugin => ({
  id: "percentileMarkers",
  afterDatasetsDraw: (chart) => {
    const { ctx, chartArea, scales } = chart
    ctx.save()
    ctx.font = "13px 'DejaVu Sans', sans-serif"
    if (acquired === 0) {
      ctx.fillStyle = "#555555"
      ctx.textAlign = "center"
      ctx.fillText("No run was acquired", (chartArea.left + chartArea.right) / 2, (chartArea.top + chartArea.bottom) / 2)
      ctx.restore()
      return
    }
    const marks: Array<[string, number, string]> = [
      ["p50", summary.waitSeconds.p50, "#1b7837"],
      ["p95", summary.waitSeconds.p95, "#d95f02"],
      ["p99", summary.waitSeconds.p99, "#b2182b"]
    ]
    marks.forEach(([label, seconds, color], row) => {
      const x = scales.x!.getPixelForValue(seconds)
      ctx.strokeStyle = color
      ctx.fillStyle = color
      ctx.lineWidth = 1.5
      ctx.setLineDash([6, 4])
      ctx.beginPath()
      ctx.moveTo(x, chartArea.top)
      ctx.lineTo(x, chartArea.bottom)
      ctx.stroke()
      // One row per label, so close percentiles stay readable. A label sits left
      // of its line unless it would leave the plot there.
      const text = `${label} ${seconds.toFixed(1)} s`
      const fitsLeft = x - 4 - ctx.measureText(text).width >= chartArea.left
      ctx.textAlign = fitsLeft ? "right" : "left"
      ctx.fillText(text, fitsLeft ? x - 4 : x + 4, chartArea.bottom - 12 - row * 18)
    })
    ctx.restore()
  }
})

const waitsChart = (metrics: Metrics, summary: Summary): ChartSpec => {
  const title = `Wait time CDF (${metrics.runs.acquired} acquired runs)`
  return {
    name: "waits",
    title,
    config: {
      type: "line",
      data: {
        datasets: [
          {
            label: "Fraction of runs that waited at most x",
            data: cdfPoints(metrics.waitsMs),
            borderColor: COLORS.idle,
            backgroundColor: COLORS.idle,
            borderWidth: 2,
            pointRadius: 0,
            // The empirical CDF keeps its value until the next sampled wait, then jumps.
            stepped: "before"
          }
        ]
      },
      options: {
        plugins: { title: titleOptions(title) },
        scales: {
          x: axis("Wait in queue (seconds)", { min: 0 }),
          y: axis("Fraction of acquired runs", { min: 0, max: 1 })
        }
      },
      plugins: [percentileMarkers(summary, metrics.runs.acquired)]
    }
  }
}

const scaleEventsChart = (metrics: Metrics, unit: TimeUnit): ChartSpec => {
  const { points, pointStride, up, down } = metrics.scale
  const sampled = pointStride > 1 ? `, every ${pointStride}th decision shown` : ""
  const title = `Scale decisions (${up} up, ${down} down${sampled})`
  const scatter = (kind: "up" | "down", label: string, color: string) => ({
    label,
    data: points
      .filter((point) => point.kind === kind)
      .map((point) => ({ x: point.at / unit.ms, y: kind === "up" ? point.count : -point.count })),
    borderColor: color,
    backgroundColor: `${color}90`,
    pointRadius: 3
  })
  return {
    name: "scale-events",
    title,
    config: {
      type: "scatter",
      data: {
        datasets: [
          scatter("up", "Scale up (runners provisioned)", COLORS.running),
          scatter("down", "Scale down (runners tainted)", COLORS.tainted)
        ]
      },
      options: {
        plugins: { title: titleOptions(title) },
        scales: { x: timeAxis(metrics, unit), y: axis("Runners per decision (up +, down −)") }
      }
    }
  }
}

const costChart = (metrics: Metrics, unit: TimeUnit): ChartSpec => {
  const title = `Cumulative cost (${metrics.costPerRunnerHour} per runner-hour)`
  return {
    name: "cost",
    title,
    config: {
      type: "line",
      data: {
        datasets: [
          {
            label: "Cost of all instances so far",
            data: bucketEnds(metrics, unit, metrics.series.costCumulative),
            borderColor: COLORS.cost,
            backgroundColor: COLORS.cost,
            borderWidth: 2,
            pointRadius: 0
          }
        ]
      },
      options: {
        plugins: { title: titleOptions(title) },
        scales: { x: timeAxis(metrics, unit), y: axis("Cost (currency of the scenario)", { beginAtZero: true }) }
      }
    }
  }
}

/** Adds the fault-window plugin to a timeline chart, after any plugin it has. */
const withFaultWindows = (spec: ChartSpec, faults: ReadonlyArray<FaultWindow>, unit: TimeUnit): ChartSpec => {
  if (faults.length === 0) return spec
  const plugins = [...(spec.config.plugins ?? []), faultWindowsPlugin(faults, unit)]
  return { ...spec, config: { ...spec.config, plugins } }
}

/**
 * Builds the report charts in report order: runners, queue, waits, scale
 * events, cost, then replicas unless `showsReplicaChart` finds it would be
 * flat. Every chart but the wait CDF has simulated time on its x axis and
 * shades `faults` there. Throws a RangeError for an invalid fault window.
 */
export const chartSpecs = (
  metrics: Metrics,
  summary: Summary,
  faults: ReadonlyArray<FaultWindow> = []
): ReadonlyArray<ChartSpec> => {
  validateFaultWindows(faults)
  const unit = timeUnitFor(metrics.horizonMs)
  const timeline = (spec: ChartSpec) => withFaultWindows(spec, faults, unit)
  return [
    timeline(runnersChart(metrics, unit)),
    timeline(queueChart(metrics, unit)),
    waitsChart(metrics, summary),
    timeline(scaleEventsChart(metrics, unit)),
    timeline(costChart(metrics, unit)),
    ...(showsReplicaChart(metrics) ? [timeline(replicasChart(metrics, unit))] : [])
  ]
}
