import type { Chart, ChartConfiguration, Plugin, ScriptableContext } from "chart.js"
import type { MatrixDataPoint } from "chartjs-chart-matrix"
import { axis, titleOptions } from "../chart-common.js"
import { paretoConfigurations, PARETO_OBJECTIVES, type SettingValue, type SweepResults } from "./results.js"

/** One sweep chart: file stem (`pareto`, `heatmap-waitSeconds.p95`), caption and Chart.js configuration. */
export interface SweepChartSpec {
  readonly name: string
  readonly title: string
  readonly config: ChartConfiguration
}

/** Metrics that get a heatmap when two or more paths are swept. */
export const HEATMAP_METRICS = ["waitSeconds.p95", "cost.runnerHours"] as const

const FRONT_COLOR = "#c94a4a"
const DOMINATED_COLOR = "#9aa5b1"
/** Sequential colour scale from low (light yellow) to high (dark blue), ColorBrewer YlGnBu with 8 classes. */
const COLOR_SCALE = ["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"]

/**
 * Scatter of every configuration that ran on all seeds: mean cost.runnerHours
 * (x) against mean waitSeconds.p95 (y). The Pareto front is drawn in red,
 * joined by a line in order of cost and labelled with configuration numbers.
 */
export const paretoChart = (results: SweepResults): SweepChartSpec => {
  const [xMetric, yMetric] = PARETO_OBJECTIVES
  const pointOf = (configuration: SweepResults["configurations"][number]) => ({
    x: configuration.metrics[xMetric]!.mean,
    y: configuration.metrics[yMetric]!.mean,
    index: configuration.index
  })
  const front = paretoConfigurations(results).map(pointOf)
  const dominated = results.configurations.filter((configuration) => configuration.failures.length === 0 && !configuration.pareto).map(pointOf)
  const seeds = results.seeds.length
  const title = `${results.scenario}: cost against queue wait p95 per configuration (mean over ${seeds} seed${seeds === 1 ? "" : "s"})`
  return {
    name: "pareto",
    title,
    config: {
      type: "scatter",
      data: {
        datasets: [
          { label: "Pareto front (labelled #configuration)", data: front, showLine: true, borderColor: FRONT_COLOR, backgroundColor: FRONT_COLOR, pointRadius: 6 },
          { label: "Dominated configurations", data: dominated, borderColor: DOMINATED_COLOR, backgroundColor: DOMINATED_COLOR, pointRadius: 4 }
        ]
      },
      options: {
        plugins: { title: titleOptions(title), legend: { position: "top", align: "end" } },
        scales: { x: axis("cost.runnerHours (runner-hours)", { grace: "5%" }), y: axis("waitSeconds.p95 (seconds)", { beginAtZero: true, grace: "5%" }) }
      },
      plugins: [pointLabels(front.map((point) => `#${point.index}`))]
    }
  }
}

/** Cells of a heatmap: labels of both axes and the mean metric value of each (x, y) pair that has one. */
export interface HeatmapData {
  readonly xLabels: ReadonlyArray<string>
  readonly yLabels: ReadonlyArray<string>
  readonly cells: ReadonlyArray<{ readonly x: string; readonly y: string; readonly v: number }>
  /** Swept paths other than x and y, whose values each cell averages over. */
  readonly averagedOver: ReadonlyArray<string>
}

/**
 * Computes the heatmap cells of `metric` over the swept paths `xPath` and
 * `yPath`. A cell is the mean over seeds, and over every value of the other
 * swept paths when there are more than two, of the configurations with that
 * (x, y) pair. Configurations where no seed finished are left out, and a
 * pair with none left has no cell.
 */
export const heatmapData = (results: SweepResults, metric: string, xPath: string, yPath: string): HeatmapData => {
  const labelsOf = (path: string) => results.grid.find((axis) => axis.path === path)!.values.map(settingText)
  const xLabels = labelsOf(xPath)
  const yLabels = labelsOf(yPath)
  const cells = xLabels.flatMap((x) =>
    yLabels.flatMap((y) => {
      const means = results.configurations
        .filter((configuration) => settingText(configuration.settings[xPath] ?? null) === x && settingText(configuration.settings[yPath] ?? null) === y)
        .flatMap((configuration) => {
          const statistics = configuration.metrics[metric]
          return statistics === undefined ? [] : [statistics.mean]
        })
      return means.length === 0 ? [] : [{ x, y, v: means.reduce((sum, mean) => sum + mean, 0) / means.length }]
    })
  )
  const averagedOver = results.grid.map((axis) => axis.path).filter((path) => path !== xPath && path !== yPath)
  return { xLabels, yLabels, cells, averagedOver }
}

/** Builds a matrix chart of `heatmapData`, with each value written in its cell and a colour scale bar at the right. */
export const heatmapChart = (results: SweepResults, metric: string, xPath: string, yPath: string): SweepChartSpec => {
  const data = heatmapData(results, metric, xPath, yPath)

  const values = data.cells.map((cell) => cell.v)
  const low = values.length === 0 ? 0 : Math.min(...values)
  const high = values.length === 0 ? 0 : Math.max(...values)
  const colorOf = (value: number) => interpolateColor(high === low ? 0 : (value - low) / (high - low))

  const seeds = results.seeds.length
  const averaged = data.averagedOver.length === 0 ? "" : `, averaged over ${data.averagedOver.join(", ")}`
  const title = `${results.scenario}: ${metric}, mean over ${seeds} seed${seeds === 1 ? "" : "s"}${averaged}`
  const columns = data.xLabels.length
  const rows = data.yLabels.length

  const config: ChartConfiguration<"matrix", Array<MatrixDataPoint>> = {
    type: "matrix",
    data: {
      datasets: [
        {
          label: metric,
          data: data.cells.map((cell) => ({ ...cell })),
          backgroundColor: (context: ScriptableContext<"matrix">) => colorOf((context.raw as MatrixDataPoint | undefined)?.v ?? low),
          borderColor: "#ffffff",
          borderWidth: 1,
          width: ({ chart }) => (chart.chartArea?.width ?? 0) / columns,
          height: ({ chart }) => (chart.chartArea?.height ?? 0) / rows
        }
      ]
    },
    options: {
      layout: { padding: { right: 110 } },
      plugins: { title: titleOptions(title), legend: { display: false } },
      scales: {
        x: { type: "category", labels: [...data.xLabels], offset: true, title: { display: true, text: xPath }, grid: { display: false } },
        // A vertical category axis puts its first label at the top, and reverse puts the first value at the bottom.
        y: { type: "category", labels: [...data.yLabels], offset: true, reverse: true, title: { display: true, text: yPath }, grid: { display: false } }
      }
    },
    plugins: [cellValues, colorScaleBar(low, high)]
  }
  return { name: `heatmap-${metric}`, title, config: config as unknown as ChartConfiguration }
}

/** Formats a setting value as its axis label or CSV field: `null` for null, otherwise the value as text. */
const settingText = (value: SettingValue): string => (value === null ? "null" : String(value))

/** Maps a share from 0 to 1 onto `COLOR_SCALE`, interpolating in RGB between neighbouring colours. */
export const interpolateColor = (share: number): string => {
  const position = Math.min(1, Math.max(0, share)) * (COLOR_SCALE.length - 1)
  const lower = Math.floor(position)
  const upper = Math.min(COLOR_SCALE.length - 1, lower + 1)
  const [from, to] = [rgbOf(COLOR_SCALE[lower]!), rgbOf(COLOR_SCALE[upper]!)]
  const fraction = position - lower
  const channels = from.map((channel, index) => Math.round(channel + (to[index]! - channel) * fraction))
  return `#${channels.map((channel) => channel.toString(16).padStart(2, "0")).join("")}`
}

const rgbOf = (hex: string): Array<number> => [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16))

/** Relative luminance from 0 (black) to 1 (white), to pick a readable text colour on a cell. */
const luminanceOf = (hex: string): number => {
  const [red, green, blue] = rgbOf(hex)
  return (0.2126 * red! + 0.7152 * green! + 0.0722 * blue!) / 255
}

/** Formats a cell value short enough for a small cell: no decimals from 100, one from 10, two below. */
const formatCellValue = (value: number): string => {
  const magnitude = Math.abs(value)
  if (magnitude >= 100) return value.toFixed(0)
  if (magnitude >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

/** Writes each matrix cell's value at its centre, in black or white by the cell's brightness. */
const cellValues: Plugin<"matrix"> = {
  id: "cellValues",
  afterDatasetsDraw: (chart) => {
    const { ctx } = chart
    const meta = chart.getDatasetMeta(0)
    const dataset = chart.data.datasets[0]!
    ctx.save()
    ctx.textAlign = "center"
    ctx.textBaseline = "middle"
    for (const [index, element] of meta.data.entries()) {
      const cell = dataset.data[index] as { v: number }
      const { width, height } = element.getProps(["width", "height"]) as { width: number; height: number }
      const text = formatCellValue(cell.v)
      const size = Math.max(8, Math.min(16, height / 2.5, width / (text.length * 0.65)))
      const center = element.tooltipPosition(false)
      const background = (element.options as { backgroundColor?: unknown }).backgroundColor
      ctx.fillStyle = typeof background === "string" && luminanceOf(background) < 0.5 ? "#ffffff" : "#000000"
      ctx.font = `${Math.floor(size)}px ${chart.options.font?.family ?? "sans-serif"}`
      ctx.fillText(text, center.x, center.y)
    }
    ctx.restore()
  }
}

/** Draws a vertical colour bar right of the chart area, from `low` at the bottom to `high` at the top, with both labelled. */
const colorScaleBar = (low: number, high: number): Plugin<"matrix"> => ({
  id: "colorScaleBar",
  afterDraw: (chart: Chart) => {
    const { ctx, chartArea } = chart
    const left = chartArea.right + 30
    const barWidth = 20
    const gradient = ctx.createLinearGradient(0, chartArea.bottom, 0, chartArea.top)
    for (const [index, color] of COLOR_SCALE.entries()) gradient.addColorStop(index / (COLOR_SCALE.length - 1), color)
    ctx.save()
    ctx.fillStyle = gradient
    ctx.fillRect(left, chartArea.top, barWidth, chartArea.bottom - chartArea.top)
    ctx.strokeStyle = "#666666"
    ctx.strokeRect(left, chartArea.top, barWidth, chartArea.bottom - chartArea.top)
    ctx.fillStyle = "#000000"
    ctx.font = `12px ${chart.options.font?.family ?? "sans-serif"}`
    ctx.textAlign = "left"
    ctx.textBaseline = "middle"
    ctx.fillText(formatCellValue(high), left + barWidth + 6, chartArea.top)
    ctx.fillText(formatCellValue(low), left + barWidth + 6, chartArea.bottom)
    ctx.restore()
  }
})

/** Line height of a point label in pixels. */
const LABEL_HEIGHT = 13

/**
 * Writes `labels[i]` above and right of point i of the first dataset. A
 * label that would overlap one already written moves to the line above it,
 * so points close together keep readable labels.
 */
const pointLabels = (labels: ReadonlyArray<string>): Plugin<"scatter"> => ({
  id: "pointLabels",
  afterDatasetsDraw: (chart) => {
    const { ctx } = chart
    ctx.save()
    ctx.fillStyle = FRONT_COLOR
    ctx.font = `12px ${chart.options.font?.family ?? "sans-serif"}`
    ctx.textAlign = "left"
    ctx.textBaseline = "bottom"
    const written: Array<{ left: number; right: number; bottom: number }> = []
    for (const [index, element] of chart.getDatasetMeta(0).data.entries()) {
      const label = labels[index]
      if (label === undefined) continue
      const left = element.x + 6
      const right = left + ctx.measureText(label).width
      let bottom = element.y - 4
      const overlapping = () => written.find((box) => box.left < right && left < box.right && Math.abs(box.bottom - bottom) < LABEL_HEIGHT)
      for (let box = overlapping(); box !== undefined; box = overlapping()) bottom = box.bottom - LABEL_HEIGHT
      ctx.fillText(label, left, bottom)
      written.push({ left, right, bottom })
    }
    ctx.restore()
  }
})
