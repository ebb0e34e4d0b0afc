import { mkdir, writeFile } from "node:fs/promises"
import path from "node:path"
import { createCanvas, GlobalFonts } from "@napi-rs/canvas"
import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Title,
  type ChartConfiguration,
  type ChartItem,
  type Plugin
} from "chart.js"
import { chartSpecs } from "./chart-configs.js"
import type { FaultWindow } from "./faults.js"
import type { Metrics } from "./metrics.js"
import type { Summary } from "./summary.js"

export { timeUnitFor } from "./chart-configs.js"
export type { FaultWindow } from "./faults.js"

/** A rendered chart: file stem (`runners`), caption and PNG bytes. */
export interface RenderedChart {
  readonly name: string
  readonly title: string
  readonly png: Buffer
}

/** Size of every chart in pixels. */
export const CHART_WIDTH = 1000
export const CHART_HEIGHT = 400

// Tooltips and interactions are left out: a PNG has no pointer.
Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Filler, Legend, Title)

// chart.js 4 defaults to 'Helvetica Neue', Helvetica, Arial. DejaVu Sans, which Debian
// ships, keeps glyphs the same from machine to machine where it is installed.
const FONT_FAMILY = GlobalFonts.has("DejaVu Sans") ? "'DejaVu Sans', sans-serif" : "sans-serif"
Chart.defaults.font.family = FONT_FAMILY

/** Paints the canvas white first, because a transparent PNG is unreadable on a dark viewer. */
const whiteBackground: Plugin = {
  id: "whiteBackground",
  beforeDraw: (chart) => {
    const { ctx, width, height } = chart
    ctx.save()
    ctx.fillStyle = "#ffffff"
    ctx.fillRect(0, 0, width, height)
    ctx.restore()
  }
}

/** Renders one chart.js configuration to PNG bytes, synchronously and without animation. */
const renderPng = (config: ChartConfiguration): Buffer => {
  const canvas = createCanvas(CHART_WIDTH, CHART_HEIGHT)
  const context = canvas.getContext("2d")
  const options = config.options ?? {}
  const chart = new Chart(context as unknown as ChartItem, {
    ...config,
    options: {
      ...options,
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      events: [],
      plugins: { ...options.plugins, legend: { position: "top", align: "end", ...options.plugins?.legend } }
    },
    plugins: [whiteBackground, ...(config.plugins ?? [])]
  } as ChartConfiguration)
  try {
    // With animation off the constructor has drawn already. Drawing again does not rely on that.
    chart.draw()
    return canvas.encodeSync("png")
  } finally {
    chart.destroy()
  }
}

/**
 * Renders the report charts (runners, queue, waits, scale-events, cost, and
 * replicas when the replicas changed) to PNG buffers of `CHART_WIDTH` x
 * `CHART_HEIGHT` pixels. The timeline charts shade `faults`. The same
 * metrics, summary and faults give the same bytes on the same machine and
 * fonts. Throws a RangeError for an invalid fault window.
 */
export const renderChartPngs = (
  metrics: Metrics,
  summary: Summary,
  faults: ReadonlyArray<FaultWindow> = []
): Array<RenderedChart> => {
  return chartSpecs(metrics, summary, faults).map((spec) => ({
    name: spec.name,
    title: spec.title,
    png: renderPng(spec.config)
  }))
}

/**
 * Renders the charts and writes them to `<outDir>/charts/<name>.png`, creating
 * the folder. Returns the written paths relative to `outDir`, for example
 * `charts/runners.png`. Rejects with the file system error when a write fails.
 */
export const renderCharts = async (
  metrics: Metrics,
  summary: Summary,
  outDir: string,
  faults: ReadonlyArray<FaultWindow> = []
): Promise<Array<string>> => {
  const charts = renderChartPngs(metrics, summary, faults)
  await mkdir(path.join(outDir, "charts"), { recursive: true })
  const files: Array<string> = []
  for (const chart of charts) {
    const file = path.posix.join("charts", `${chart.name}.png`)
    await writeFile(path.join(outDir, file), chart.png)
    files.push(file)
  }
  return files
}
