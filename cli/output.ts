import { accessSync, closeSync, constants, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs"
import { join } from "node:path"
import type { PoolEvent } from "../core/events.js"
import { renderChartPngs } from "../reports/charts.js"
import { renderReportHtml } from "../reports/html.js"
import { summaryToJson } from "../reports/summary.js"
import { faultWindows } from "../sim/faults/schema.js"
import type { ScenarioRun } from "./runScenario.js"

/**
 * Streams events to a JSON Lines file, one event per line, buffered so a run
 * of millions of events does not make millions of system calls.
 */
export class EventLogWriter {
  private readonly fd: number
  private buffer: Array<string> = []
  private bufferedChars = 0

  constructor(readonly path: string) {
    this.fd = openSync(path, "w")
  }

  readonly write = (event: PoolEvent): void => {
    const line = JSON.stringify(event)
    this.buffer.push(line)
    this.bufferedChars += line.length + 1
    if (this.bufferedChars > 1 << 20) this.flush()
  }

  close(): void {
    this.flush()
    closeSync(this.fd)
  }

  private flush(): void {
    if (this.buffer.length === 0) return
    writeSync(this.fd, this.buffer.join("\n") + "\n")
    this.buffer = []
    this.bufferedChars = 0
  }
}

/**
 * Creates `outDir` and `outDir/charts` when missing and checks that both are
 * writable, so that a bad output path fails before a long simulation rather
 * than after it. Throws the Node.js error (EEXIST, ENOTDIR, EACCES, ...).
 */
export const prepareOutputDir = (outDir: string): void => {
  const chartsDir = join(outDir, "charts")
  mkdirSync(chartsDir, { recursive: true })
  accessSync(outDir, constants.W_OK)
  accessSync(chartsDir, constants.W_OK)
}

/**
 * Writes `summary.json`, `charts/*.png` and `report.html` into `outDir` and
 * returns their paths. The charts and the report show the scenario's faults.
 */
export const writeReport = (run: ScenarioRun, settings: unknown, outDir: string): ReadonlyArray<string> => {
  mkdirSync(join(outDir, "charts"), { recursive: true })
  const summaryPath = join(outDir, "summary.json")
  writeFileSync(summaryPath, summaryToJson(run.summary))
  const faults = faultWindows(run.scenario.faults)
  const charts = renderChartPngs(run.metrics, run.summary, faults)
  const chartPaths = charts.map((chart) => {
    const path = join(outDir, "charts", `${chart.name}.png`)
    writeFileSync(path, chart.png)
    return path
  })
  const reportPath = join(outDir, "report.html")
  writeFileSync(reportPath, renderReportHtml({ summary: run.summary, settings, charts, faults }))
  return [summaryPath, reportPath, ...chartPaths]
}
