import { statSync } from "node:fs"
import { dirname } from "node:path"
import { makeStream } from "../../sim/random.js"
import { InputError } from "../../sim/scenario/inputError.js"
import { loadScenario } from "../../sim/scenario/load.js"
import type { Scenario } from "../../sim/scenario/schema.js"
import { WorkloadError } from "../../sim/workload/errors.js"
import { generateWorkload } from "../../sim/workload/generate.js"
import type { SimulationJob } from "../jobs/job.js"
import { describeConfiguration, gridConfigurations, parseGrid, type Configuration, type GridAxis } from "./grid.js"

/** The work of a sweep: the scenario, its grid, the configurations and one job per configuration and seed. */
export interface SweepPlan {
  /** The scenario as its file gives it, without grid values. Its name and seed name the sweep. */
  readonly scenario: Scenario
  readonly file: string
  readonly axes: ReadonlyArray<GridAxis>
  readonly configurations: ReadonlyArray<Configuration>
  /** Seeds S to S+N-1, with S the scenario's seed. Every configuration runs each of them. */
  readonly seeds: ReadonlyArray<number>
  /** Job `c * seeds.length + s` runs configuration c with seed `seeds[s]`. */
  readonly jobs: ReadonlyArray<SimulationJob>
  readonly traceOverride?: string | undefined
}

/** Inputs of `planSweep`, as the command line gives them. */
export interface SweepRequest {
  readonly file: string
  /** `--grid PATH=VALUES` arguments in order. */
  readonly grid: ReadonlyArray<string>
  readonly seedCount: number
  readonly traceOverride?: string | undefined
}

/**
 * Parses the grid and loads the scenario once per configuration, so that a
 * value the scenario rejects fails before any simulation runs. Throws
 * `InputError` for an invalid grid or a scenario that does not load. It also
 * throws for the first configuration that does not load, naming its `--set`
 * assignments, for a `--trace` file that is missing or meets a scenario
 * without a trace source, and for a trace that cannot be read or parsed.
 */
export const planSweep = (request: SweepRequest): SweepPlan => {
  const axes = parseGrid(request.grid)
  const scenario = loadScenario(request.file)
  const configurations = gridConfigurations(axes)
  for (const configuration of configurations) {
    try {
      loadScenario(request.file, { sets: configuration.sets })
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      const position = `configuration #${configuration.index} of ${configurations.length} (${describeConfiguration(configuration)})`
      throw new InputError({ message: `${position} is invalid: ${error.message}` })
    }
  }
  if (request.traceOverride !== undefined) checkTraceOverride(request.traceOverride, request.file, scenario)
  if (scenario.workload.some((source) => source.kind === "trace")) checkTraces(scenario, request)

  const seeds = Array.from({ length: request.seedCount }, (_, offset) => scenario.seed + offset)
  const jobs = configurations.flatMap((configuration) =>
    seeds.map(
      (seed, offset): SimulationJob => ({
        index: configuration.index * seeds.length + offset,
        file: request.file,
        seed,
        sets: configuration.sets,
        traceOverride: request.traceOverride
      })
    )
  )
  return { scenario, file: request.file, axes, configurations, seeds, jobs, traceOverride: request.traceOverride }
}

/**
 * Checks up front what every job would otherwise fail on: a scenario
 * without a trace source, or a trace file that does not exist.
 */
const checkTraceOverride = (trace: string, file: string, scenario: Scenario): void => {
  if (!scenario.workload.some((source) => source.kind === "trace")) {
    throw new InputError({ message: `--trace ${trace}: scenario ${file} has no trace workload source to replay it in; add a source of kind trace` })
  }
  const stat = statSync(trace, { throwIfNoEntry: false })
  if (stat === undefined) throw new InputError({ message: `--trace ${trace}: trace file not found` })
  if (stat.isDirectory()) throw new InputError({ message: `--trace ${trace}: is a folder, expected a trace file (CSV or SWF, gzip allowed)` })
}

/**
 * Reads the scenario's traces once, as every job would, so that a trace
 * that cannot be read or parsed fails before any simulation runs. It takes
 * a fraction of a second even for the Borg week's 151,539 runs.
 */
const checkTraces = (scenario: Scenario, request: SweepRequest): void => {
  try {
    generateWorkload(scenario.workload, {
      horizonMs: scenario.horizon,
      random: makeStream(scenario.seed, "workload"),
      baseDir: dirname(request.file),
      ...(request.traceOverride === undefined ? {} : { traceOverride: request.traceOverride })
    })
  } catch (error) {
    if (error instanceof WorkloadError) throw new InputError({ message: error.message })
    throw error
  }
}

/**
 * Parses `--heatmap PATH_X,PATH_Y` against the swept paths. Throws
 * `InputError` unless both are swept and differ.
 */
export const parseHeatmapAxes = (text: string, axes: ReadonlyArray<GridAxis>): readonly [string, string] => {
  const parts = text.split(",").map((part) => part.trim())
  const swept = axes.map((axis) => axis.path)
  const fail = (problem: string): never => {
    throw new InputError({ message: `--heatmap ${text}: ${problem}` })
  }
  if (swept.length < 2) fail(`a heatmap needs two swept paths, but only ${swept.join("")} is swept; add another --grid`)
  if (parts.length !== 2 || parts.some((part) => part === "")) fail(`expected PATH_X,PATH_Y, two swept paths such as ${swept[0]},${swept[1]}`)
  for (const part of parts) {
    if (!swept.includes(part)) fail(`${part} is not swept, expected one of the --grid paths: ${swept.join(", ")}`)
  }
  if (parts[0] === parts[1]) fail("PATH_X and PATH_Y are the same, expected two different swept paths")
  return [parts[0]!, parts[1]!]
}
