import type { Summary } from "../summary.js"
import { aggregate, type Statistics } from "./aggregate.js"
import { paretoFront } from "./pareto.js"

/** A value that a sweep gives a scenario path: a YAML scalar. */
export type SettingValue = string | number | boolean | null

/** The objectives of the sweep's Pareto front, both minimised: cost on x, queue wait on y. */
export const PARETO_OBJECTIVES = ["cost.runnerHours", "waitSeconds.p95"] as const

/** Decimals that the statistics of `results.json` and `results.csv` are rounded to. */
export const STATISTIC_DECIMALS = 6

/** Outcome of one seed of one configuration. */
export type SeedOutcome =
  | { readonly seed: number; readonly kind: "ran"; readonly summary: Summary }
  | { readonly seed: number; readonly kind: "inputError" | "crashed"; readonly message: string }

/** A seed whose run did not finish: invalid input (such as an unreadable trace) or a crash of the simulation. */
export interface SeedFailure {
  readonly seed: number
  readonly kind: "inputError" | "crashed"
  readonly message: string
}

/** One configuration of a sweep with the statistics of its runs over the seeds. */
export interface ConfigurationResult {
  /** Position in the grid's cartesian product, from 0. */
  readonly index: number
  /** Swept scenario path → value, in `--grid` order. */
  readonly settings: Readonly<Record<string, SettingValue>>
  /** Seeds whose run finished. The statistics are over these seeds only. */
  readonly seedsRun: ReadonlyArray<number>
  readonly failures: ReadonlyArray<SeedFailure>
  /** Summary path → statistics over `seedsRun`, rounded to `STATISTIC_DECIMALS`. Empty when no seed finished. */
  readonly metrics: Readonly<Record<string, Statistics>>
  /** On the Pareto front of `PARETO_OBJECTIVES` means. Always false for a configuration with a failed seed. */
  readonly pareto: boolean
  /** Every seed's summary meets every `--slo`, present only when SLOs were given. */
  readonly meetsSlo?: boolean
}

/** Everything that `results.json` contains. */
export interface SweepResults {
  /** Scenario name. */
  readonly scenario: string
  /** Scenario file as given on the command line. */
  readonly file: string
  /** `--trace` file that replaced every trace source, when given. */
  readonly trace?: string
  readonly seeds: ReadonlyArray<number>
  /** Swept paths and their values in `--grid` order. */
  readonly grid: ReadonlyArray<{ readonly path: string; readonly values: ReadonlyArray<SettingValue> }>
  /** Summary paths aggregated for every configuration, in `summary.json` order. */
  readonly metrics: ReadonlyArray<string>
  readonly paretoObjectives: ReadonlyArray<string>
  /** `--slo` conditions as given, when any. */
  readonly slo?: ReadonlyArray<string>
  readonly configurations: ReadonlyArray<ConfigurationResult>
}

/** Inputs of `buildSweepResults`. */
export interface SweepInput {
  readonly scenario: string
  readonly file: string
  readonly trace?: string | undefined
  readonly seeds: ReadonlyArray<number>
  readonly grid: SweepResults["grid"]
  /** Summary paths to aggregate, such as `waitSeconds.p95`. A list value (`violations`) counts by its length. */
  readonly metrics: ReadonlyArray<string>
  readonly configurations: ReadonlyArray<{
    readonly settings: Readonly<Record<string, SettingValue>>
    /** One outcome per seed, in `seeds` order. */
    readonly outcomes: ReadonlyArray<SeedOutcome>
  }>
  /** SLO conditions and a test of one summary against all of them; omit when no SLO was given. */
  readonly slo?: { readonly conditions: ReadonlyArray<string>; readonly meets: (summary: Summary) => boolean } | undefined
}

/**
 * Aggregates every configuration's summaries over the seeds and marks the
 * Pareto front. Throws a RangeError when `metrics` lacks a Pareto objective,
 * or when a metric path is missing from a summary or is neither a number
 * nor a list.
 */
export const buildSweepResults = (input: SweepInput): SweepResults => {
  for (const objective of PARETO_OBJECTIVES) {
    if (!input.metrics.includes(objective)) throw new RangeError(`Sweep metrics lack ${objective}, which the Pareto front needs.`)
  }
  const aggregated = input.configurations.map((configuration, index) => {
    const summaries = configuration.outcomes.flatMap((outcome) => (outcome.kind === "ran" ? [outcome.summary] : []))
    const failures = configuration.outcomes.flatMap((outcome): Array<SeedFailure> =>
      outcome.kind === "ran" ? [] : [{ seed: outcome.seed, kind: outcome.kind, message: outcome.message }]
    )
    const metrics: Record<string, Statistics> = {}
    if (summaries.length > 0) {
      for (const path of input.metrics) metrics[path] = roundStatistics(aggregate(summaries.map((summary) => summaryMetric(summary, path))))
    }
    const meetsSlo = input.slo === undefined ? undefined : failures.length === 0 && summaries.every(input.slo.meets)
    return {
      index,
      settings: configuration.settings,
      seedsRun: configuration.outcomes.flatMap((outcome) => (outcome.kind === "ran" ? [outcome.seed] : [])),
      failures,
      metrics,
      ...(meetsSlo === undefined ? {} : { meetsSlo })
    }
  })

  // Only configurations whose every seed finished compete, because a mean over fewer seeds is not comparable.
  const complete = aggregated.filter((configuration) => configuration.failures.length === 0)
  const objectives = PARETO_OBJECTIVES.map((path) => (configuration: (typeof aggregated)[number]) => configuration.metrics[path]!.mean)
  const onFront = new Set(paretoFront(complete, objectives).map((position) => complete[position]!.index))

  return {
    scenario: input.scenario,
    file: input.file,
    ...(input.trace === undefined ? {} : { trace: input.trace }),
    seeds: input.seeds,
    grid: input.grid,
    metrics: input.metrics,
    paretoObjectives: PARETO_OBJECTIVES,
    ...(input.slo === undefined ? {} : { slo: input.slo.conditions }),
    configurations: aggregated.map(({ meetsSlo, ...configuration }) => ({
      ...configuration,
      pareto: onFront.has(configuration.index),
      ...(meetsSlo === undefined ? {} : { meetsSlo })
    }))
  }
}

/**
 * Reads the number at a dotted summary path. A list such as `violations`
 * counts by its length. Throws a RangeError when the path is missing or
 * contains something else.
 */
export const summaryMetric = (summary: Summary, path: string): number => {
  let value: unknown = summary
  for (const key of path.split(".")) value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined
  if (typeof value === "number") return value
  if (Array.isArray(value)) return value.length
  throw new RangeError(`Summary path ${path} is ${value === undefined ? "missing" : "not a number or list"}, expected a metric of summary.json.`)
}

/** Returns the configurations on the Pareto front, cheapest first (ascending mean of the first objective). */
export const paretoConfigurations = (results: SweepResults): ReadonlyArray<ConfigurationResult> =>
  results.configurations
    .filter((configuration) => configuration.pareto)
    .sort((a, b) => a.metrics[PARETO_OBJECTIVES[0]]!.mean - b.metrics[PARETO_OBJECTIVES[0]]!.mean || a.index - b.index)

/** Returns the configuration meeting every SLO with the least mean `cost.runnerHours`, or undefined when none does. */
export const cheapestMeetingSlo = (results: SweepResults): ConfigurationResult | undefined => {
  const candidates = results.configurations.filter((configuration) => configuration.meetsSlo === true)
  const cost = (configuration: ConfigurationResult) => configuration.metrics["cost.runnerHours"]!.mean
  return candidates.reduce<ConfigurationResult | undefined>((best, candidate) => (best === undefined || cost(candidate) < cost(best) ? candidate : best), undefined)
}

const SCALE = 10 ** STATISTIC_DECIMALS

const round = (value: number): number => {
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * SCALE)) / SCALE
  return rounded === 0 ? 0 : rounded
}

const roundStatistics = (statistics: Statistics): Statistics => ({
  mean: round(statistics.mean),
  sd: round(statistics.sd),
  min: round(statistics.min),
  max: round(statistics.max)
})
