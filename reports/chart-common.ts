/** Shared pieces of the report charts: time unit, colours, axes, point helpers and stacked areas. */
import type { ChartConfiguration, PointStyle, ScaleOptions } from "chart.js"
import type { Metrics } from "./metrics.js"

/** One chart of the report: file stem, caption and chart.js configuration. */
export interface ChartSpec {
  /** File name without extension, for example `runners`. */
  readonly name: string
  readonly title: string
  readonly config: ChartConfiguration
}

/** Unit of the time axis: hours, or days when the horizon is longer than 3 days. */
export interface TimeUnit {
  readonly label: "hours" | "days"
  readonly ms: number
}

const MS_PER_HOUR = 3_600_000
const MS_PER_DAY = 24 * MS_PER_HOUR

/** Picks days for horizons longer than 3 days, hours otherwise. */
export const timeUnitFor = (horizonMs: number): TimeUnit =>
  horizonMs > 3 * MS_PER_DAY ? { label: "days", ms: MS_PER_DAY } : { label: "hours", ms: MS_PER_HOUR }


/** Colours of the chart series, shared so a status has one colour in every chart. */
export const COLORS = {
  provisioning: "#f2a93b",
  idle: "#4c8bd6",
  running: "#3aa655",
  tainted: "#c94a4a",
  queueMean: "#6a51a3",
  queueMax: "#b9a8d9",
  cost: "#2f6f8f",
  replicaBootup: "#f2a93b",
  replicaActive: "#3aa655",
  replicaInactive: "#9aa5b1",
  replicaError: "#c94a4a",
  leader: "#1b5e20",
  grid: "#e4e4e4"
} as const

/** One point of a line or scatter dataset, in axis units. */
export interface Point {
  readonly x: number
  readonly y: number
}

/** Options of a linear chart.js axis. */
export type LinearScale = ScaleOptions<"linear">

/** A linear axis with a title and light grid lines; `extra` overrides any option. */
export const axis = (title: string, extra: LinearScale = {}): LinearScale => ({
  type: "linear",
  title: { display: true, text: title },
  grid: { color: COLORS.grid },
  ...extra
})

/** The x axis of every timeline chart: simulated time from 0 to the horizon, in `unit`. */
export const timeAxis = (metrics: Metrics, unit: TimeUnit): LinearScale =>
  axis(`Simulated time (${unit.label})`, { min: 0, max: metrics.horizonMs / unit.ms })

/** Options of a chart title showing `text`. */
export const titleOptions = (text: string) => ({ display: true, text, font: { size: 16 } })

/**
 * Points at bucket midpoints, for time-weighted means, plus the first and last
 * value at 0 and the horizon. Drawn with `stepped: "middle"`, each mean covers
 * exactly its bucket.
 */
export const midpoints = (metrics: Metrics, unit: TimeUnit, values: Float64Array): Array<Point> => {
  const { bucketMs } = metrics.series
  const points = Array.from(values, (y, i) => ({ x: ((i + 0.5) * bucketMs) / unit.ms, y }))
  return [{ x: 0, y: values[0] ?? 0 }, ...points, { x: metrics.horizonMs / unit.ms, y: values.at(-1) ?? 0 }]
}

/** Points at bucket ends, for cumulative values, starting at (0, 0). */
export const bucketEnds = (metrics: Metrics, unit: TimeUnit, values: Float64Array): Array<Point> => {
  const { bucketMs } = metrics.series
  return [{ x: 0, y: 0 }, ...Array.from(values, (y, i) => ({ x: ((i + 1) * bucketMs) / unit.ms, y }))]
}

/** Options that `stackedAreas` adds to every dataset it builds. */
export interface StackedAreaOptions {
  /** Shape of the legend marker when the legend uses point styles. */
  readonly pointStyle?: PointStyle
}

/**
 * Returns a builder of stacked-area line datasets of time-weighted bucket
 * means, drawn as steps at the `midpoints` of `metrics`. The builder takes
 * the label, the means, a `#rrggbb` colour, whose fill is drawn at alpha
 * 0xb0, and the chart.js `fill` target: `"origin"` for the bottom band and
 * `"-1"` for a band stacked on the dataset before it.
 */
export const stackedAreas =
  (metrics: Metrics, unit: TimeUnit, options: StackedAreaOptions = {}) =>
  (label: string, values: Float64Array, color: string, fill: string) => ({
    label,
    data: midpoints(metrics, unit, values),
    borderColor: color,
    backgroundColor: `${color}b0`,
    borderWidth: 1,
    pointRadius: 0,
    ...options,
    stepped: "middle" as const,
    fill
  })
