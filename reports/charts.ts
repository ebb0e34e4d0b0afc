import { mkdir, writeFile } from "node:fs/promises"
import path from "node:path"
import { chartSpecs } from "./chart-configs.js"
import type { FaultWindow } from "./faults.js"
import type { Metrics } from "./metrics.js"
import { renderPng } from "./png.js"
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
    png: renderPng(spec.config, { width: CHART_WIDTH, height: CHART_HEIGHT })
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
