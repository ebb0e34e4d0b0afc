/** Text that `runner-pool tune` prints: the pool block, the metrics over seeds and the search's cost. */
import { stringify as stringifyYaml } from "yaml"
import { Schema } from "effect"
import { PoolSettings } from "../../core/settings.js"
import { formatNumber } from "../../reports/compare/table.js"
import { aggregate } from "../../reports/sweep/aggregate.js"
import type { SearchResult } from "../../sim/search/halving.js"
import { applyKnobValues, poolValueAt } from "../../sim/search/knobs.js"
import type { Settings } from "../../sim/search/space.js"
import type { RunOutcome, RunSummary } from "./evaluate.js"
import { sloFailures, type Slo } from "./slo.js"

/**
 * Returns the settings that differ from the scenario's pool, as pool keys,
 * with `policy` always kept. A changed policy option (`targetUtilization.target`)
 * brings its whole mapping (`targetUtilization`), so that pasting the block
 * over the scenario's pool keeps the options the search did not touch.
 * Values are written as in a scenario file: durations as `1m`, not
 * milliseconds. Throws a RangeError when the settings are invalid for the
 * pool, which a search never returns.
 */
export const changedPoolSettings = (pool: PoolSettings, settings: Settings): Record<string, unknown> => {
  const applied = applyKnobValues(pool, settings)
  if ("problem" in applied) throw new RangeError(`Invalid tuned settings ${JSON.stringify(settings)}: ${applied.problem}`)
  const encoded = Schema.encodeSync(PoolSettings)(applied.pool) as Record<string, unknown>
  const changed: Record<string, unknown> = {}
  for (const path of Object.keys(settings)) {
    if (path !== "pool.policy" && poolValueAt(pool, path) === poolValueAt(applied.pool, path)) continue
    // The first key below `pool`: `maxPoolSize`, or the `targetUtilization` mapping of an option.
    const key = path.split(".")[1]!
    changed[key] = encoded[key]
  }
  return changed
}

/** Returns a YAML `pool:` block of the settings that differ from the scenario's pool, plus `policy`, ready to paste. */
export const poolBlock = (pool: PoolSettings, settings: Settings): string => stringifyYaml({ pool: changedPoolSettings(pool, settings) })


/** Metrics shown for a configuration, with how to read each from a summary. */
export const SPREAD_METRICS: ReadonlyArray<readonly [string, (summary: RunSummary) => number]> = [
  ["cost.runnerHours", (summary) => summary.cost.runnerHours],
  ["waitSeconds.p95", (summary) => summary.waitSeconds.p95],
  ["waitSeconds.p99", (summary) => summary.waitSeconds.p99],
  ["waitSeconds.max", (summary) => summary.waitSeconds.max],
  ["runners.peak", (summary) => summary.runners.peak],
  ["scaleEvents.up", (summary) => summary.scaleEvents.up],
  ["scaleEvents.down", (summary) => summary.scaleEvents.down]
]

/** Returns the summaries of the runs that finished. */
export const summariesOf = (runs: ReadonlyArray<RunOutcome>): Array<RunSummary> =>
  runs.flatMap((run) => (run.kind === "ran" ? [run.summary] : []))

/** Returns a table of `SPREAD_METRICS` over the runs: mean ± sample standard deviation, and min..max. */
export const spreadTable = (runs: ReadonlyArray<RunOutcome>): string => {
  const summaries = summariesOf(runs)
  if (summaries.length === 0) return "No run of this configuration finished, so it has no metrics."
  const rows = SPREAD_METRICS.map(([name, read]) => {
    const statistics = aggregate(summaries.map(read))
    return [name, `${formatNumber(statistics.mean)} ± ${formatNumber(statistics.sd)}`, `${formatNumber(statistics.min)}..${formatNumber(statistics.max)}`]
  })
  const table = [[`metric (${summaries.length} seed${summaries.length === 1 ? "" : "s"})`, "mean ± sd", "min..max"], ...rows]
  const widths = [0, 1, 2].map((column) => Math.max(...table.map((row) => row[column]!.length)))
  return table.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()).join("\n")
}

const count = (value: number, noun: string): string => `${value.toLocaleString("en-US")} ${noun}${value === 1 ? "" : "s"}`

const onSeeds = (seeds: number, seedCount: number): string => {
  if (seeds < seedCount) return `on ${count(seeds, "seed")}`
  if (seedCount === 1) return "on the seed"
  return seedCount === 2 ? "on both seeds" : `on all ${seedCount} seeds`
}

/** Returns sentences on what the search spent: its runs per round and phase, against the budget and the full grid. */
export const searchSpending = (search: SearchResult<RunOutcome>, seedCount: number, budget: number): string => {
  const rounds = search.rounds.map((round, index) => {
    const rungs = round.rungs.map((rung) => `${count(rung.candidates, "configuration")} ${onSeeds(rung.seeds, seedCount)}`).join(", then ")
    const { screened, promoted } = round.refinement
    const refinement =
      screened === 0
        ? ""
        : seedCount === 1
          ? `, and the refinement ran ${count(screened, "neighbour")}`
          : `, and the refinement ran ${count(screened, "neighbour")} ${onSeeds(1, seedCount)} and ${promoted} of them ${onSeeds(seedCount, seedCount)}`
    const label = search.rounds.length === 1 ? "It ran" : `Round ${index + 1} ran`
    return `${label} ${rungs}${refinement}.`
  })
  const { combinations, valid } = search.grid
  // Too many combinations to check each for validity: the grid is given as an upper bound.
  const configurations = valid === undefined ? `up to ${count(combinations, "configuration")}` : count(valid, "valid configuration")
  const gridRuns = (valid ?? combinations) * seedCount
  const upTo = valid === undefined ? "up to " : ""
  return [
    `The search ran ${count(search.evaluations.length, "simulation")} of its budget of ${budget}.`,
    ...rounds,
    `A full grid search would run ${configurations} × ${count(seedCount, "seed")} = ${upTo}${count(gridRuns, "simulation")}.`
  ].join(" ")
}

/** Returns one line per seed on which a run misses an SLO: the seed and each missed SLO with its actual value. */
export const sloMisses = (slos: ReadonlyArray<Slo>, seeds: ReadonlyArray<number>, runs: ReadonlyArray<RunOutcome>): Array<string> =>
  runs.flatMap((run, index) => {
    const seed = seeds[index]!
    if (run.kind === "failed") return [`seed ${seed}: the simulation failed: ${run.message.split("\n")[0]}`]
    const failures = sloFailures(slos, run.summary)
    return failures.length === 0 ? [] : [`seed ${seed}: ${failures.map((failure) => failure.message).join("; ")}`]
  })
