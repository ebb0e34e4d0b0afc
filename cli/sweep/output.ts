import { rmSync } from "node:fs"
import { join } from "node:path"
import { heatmapChart, HEATMAP_METRICS, paretoChart } from "../../reports/sweep/charts.js"
import { paretoTable, resultsToCsv, resultsToJson } from "../../reports/sweep/files.js"
import { renderSweepPng } from "../../reports/sweep/render.js"
import { buildSweepResults, type SeedOutcome, type SweepInput, type SweepResults } from "../../reports/sweep/results.js"
import { SUMMARY_PATHS } from "../../sim/scenario/summaryPaths.js"
import type { JobOutcome } from "../jobs/job.js"
import type { SweepPlan } from "./plan.js"
import { writeOutputFile } from "../output.js"

/**
 * Summary paths aggregated per configuration: every path an expectation may
 * test, except the seed. `sweepMetrics` adds the per-source skipped-row
 * counts after `runs.runningAtEnd`, where summary.json has them.
 */
const SWEEP_METRICS: ReadonlyArray<string> = SUMMARY_PATHS.filter((path) => path !== "seed")

/**
 * Returns `SWEEP_METRICS` with `runs.skippedTraceRows.<source>` for every
 * source that each finished run reports. A source that some runs lack, as
 * when a grid value renames it, is left out, because its statistics would
 * mix runs with and without it.
 */
const sweepMetrics = (outcomes: ReadonlyArray<JobOutcome>): ReadonlyArray<string> => {
  let sources: Array<string> | undefined
  for (const outcome of outcomes) {
    if (outcome.kind !== "ran") continue
    const reported = Object.keys(outcome.summary.runs.skippedTraceRows)
    sources = sources === undefined ? reported : sources.filter((source) => reported.includes(source))
  }
  const skipped = (sources ?? []).map((source) => `runs.skippedTraceRows.${source}`)
  const after = SWEEP_METRICS.indexOf("runs.runningAtEnd") + 1
  return [...SWEEP_METRICS.slice(0, after), ...skipped, ...SWEEP_METRICS.slice(after)]
}

/**
 * Aggregates the outcomes of a plan's jobs, indexed like `plan.jobs`, into
 * sweep results. With `slo`, it also marks the configurations that meet it on every seed.
 */
export const collectSweepResults = (plan: SweepPlan, outcomes: ReadonlyArray<JobOutcome>, slo?: SweepInput["slo"]): SweepResults =>
  buildSweepResults({
    scenario: plan.scenario.name,
    file: plan.file,
    trace: plan.traceOverride,
    seeds: plan.seeds,
    grid: plan.axes.map((axis) => ({ path: axis.path, values: axis.values.map((value) => value.value) })),
    metrics: sweepMetrics(outcomes),
    configurations: plan.configurations.map((configuration) => ({
      settings: Object.fromEntries(configuration.settings.map(({ path, value }) => [path, value.value])),
      outcomes: plan.seeds.map((seed, offset): SeedOutcome => {
        const outcome = outcomes[configuration.index * plan.seeds.length + offset]!
        return outcome.kind === "ran" ? { seed, kind: "ran", summary: outcome.summary } : { seed, kind: outcome.kind, message: outcome.message }
      })
    })),
    slo
  })

/** Default output folder of a sweep: `out/sweep-<scenario name>`, beside simulate's `out/<scenario name>`. */
export const defaultSweepOutDir = (scenarioName: string): string => join("out", `sweep-${scenarioName}`)

/**
 * Writes results.json, results.csv, pareto.txt (the table printed at the
 * end), pareto.png and, when `heatmapAxes` is given, heatmap-<metric>.png
 * for each of `HEATMAP_METRICS`, which are otherwise deleted. Returns the written paths. Throws the
 * Node.js error when a write fails.
 */
export const writeSweepOutputs = (
  results: SweepResults,
  outDir: string,
  heatmapAxes: readonly [string, string] | undefined
): ReadonlyArray<string> => {
  const files: Array<[string, string | Buffer]> = [
    ["results.json", resultsToJson(results)],
    ["results.csv", resultsToCsv(results)],
    ["pareto.txt", paretoTable(results)],
    ["pareto.png", renderSweepPng(paretoChart(results).config)]
  ]
  if (heatmapAxes !== undefined) {
    for (const metric of HEATMAP_METRICS) {
      const chart = heatmapChart(results, metric, heatmapAxes[0], heatmapAxes[1])
      files.push([`${chart.name}.png`, renderSweepPng(chart.config)])
    }
  } else {
    // Heatmaps of an earlier sweep in the same folder would pass for this sweep's.
    for (const metric of HEATMAP_METRICS) rmSync(join(outDir, `heatmap-${metric}.png`), { force: true })
  }
  return files.map(([name, content]) => {
    const path = join(outDir, name)
    writeOutputFile(path, content)
    return path
  })
}
