import { accessSync, closeSync, constants, mkdirSync, openSync, renameSync, unlinkSync, writeFileSync, writeSync } from "node:fs"
import { join } from "node:path"
import type { PoolEvent } from "../core/events.js"
import { renderChartPngs } from "../reports/charts.js"
import { renderReportHtml } from "../reports/html.js"
import { summaryToJson } from "../reports/summary.js"
import { faultWindows } from "../sim/faults/schema.js"
import type { ScenarioRun } from "./runScenario.js"

/**
 * Writes an output file through a temporary file beside it and a rename, so
 * that a failed write (a full disk, a file size limit) leaves the previous
 * file or none, never a truncated one. Throws the Node.js error with `path`
 * set to the output file.
 */
export const writeOutputFile = (path: string, content: string | Uint8Array): void => {
  const partial = `${path}.partial`
  try {
    writeFileSync(partial, content)
    renameSync(partial, path)
  } catch (error) {
    removePartial(partial)
    if (error instanceof Error) (error as NodeJS.ErrnoException).path = path
    throw error
  }
}

/** Removes a temporary file left by a failed write, and leaves anything else at its path, such as a folder. */
const removePartial = (partial: string): void => {
  try {
    unlinkSync(partial)
  } catch {
    // Not there, or not a file: nothing of ours to remove.
  }
}

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
  prepareWritableDir(outDir)
  prepareWritableDir(join(outDir, "charts"))
}

/**
 * Creates `outDir` when missing and checks that it is writable, so that a
 * command fails before its runs rather than after them. Throws the Node.js
 * error (EEXIST, ENOTDIR, EACCES, ...).
 */
export const prepareWritableDir = (outDir: string): void => {
  mkdirSync(outDir, { recursive: true })
  accessSync(outDir, constants.W_OK)
}

/**
 * Writes `summary.json`, `charts/*.png` and `report.html` into `outDir` and
 * returns their paths. The charts and the report show the scenario's faults.
 */
export const writeReport = (run: ScenarioRun, settings: unknown, outDir: string): ReadonlyArray<string> => {
  mkdirSync(join(outDir, "charts"), { recursive: true })
  const summaryPath = join(outDir, "summary.json")
  writeOutputFile(summaryPath, summaryToJson(run.summary))
  const faults = faultWindows(run.scenario.faults)
  const charts = renderChartPngs(run.metrics, run.summary, faults)
  const chartPaths = charts.map((chart) => {
    const path = join(outDir, "charts", `${chart.name}.png`)
    writeOutputFile(path, chart.png)
    return path
  })
  const reportPath = join(outDir, "report.html")
  writeOutputFile(reportPath, renderReportHtml({ summary: run.summary, settings, charts, faults }))
  return [summaryPath, reportPath, ...chartPaths]
}
