/**
 * Fits the CI workload of scenarios/ci-default.yaml to the Mozilla Buildbot
 * CI job trace of 2013 and writes that scenario.
 *
 *   npx tsx scripts/fit-ci-trace.ts [path/to/jobs.csv]
 *
 * The trace path defaults to the shared trace folder beside the repository.
 * The output is the same bytes on every run for the same trace.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { Either } from "effect"
import { parse as parseYaml } from "yaml"
import { readCsv } from "../sim/workload/csv.js"
import { decodeWorkloadSection } from "../sim/workload/issues.js"

const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const DEFAULT_TRACE = "../shared/traces/ci-mozilla-buildbot-2013/jobs.csv"
const OUTPUT = "scenarios/ci-default.yaml"

/** Percentiles written as the `pNN` keys of the empirical distributions. */
export const PERCENTILES = [0, 5, 10, 25, 50, 75, 90, 95, 99, 100] as const

/**
 * Pushes per hour at a profile factor of 1. The trace cannot give it: its
 * rows are the jobs that finished in three windows of 25 to 40 minutes, so
 * their submit times are not a complete arrival process.
 */
export const ASSUMED_PUSHES_PER_HOUR = 12

/** Assumed office-hours shape, hours 0 to 23 of simulation time. */
export const ASSUMED_HOUR_OF_DAY = [
  0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1, 1, 1, 0.7, 1, 1, 1, 1, 0.8, 0.5, 0.3, 0.2, 0.2, 0.1, 0.1
] as const

/** Assumed weekly shape, Monday first: a quieter Friday and weekends at a fifth of a weekday. */
export const ASSUMED_DAY_OF_WEEK = [1, 1, 1, 1, 0.9, 0.2, 0.15] as const

/** Result of fitting a trace. Quantiles are `[percentile, value]` pairs in PERCENTILES order. */
export interface CiTraceFit {
  readonly jobs: number
  readonly pushes: number
  /** Run durations in whole seconds. */
  readonly durationQuantiles: ReadonlyArray<readonly [number, number]>
  /** Jobs per push, in whole jobs. */
  readonly fanOutQuantiles: ReadonlyArray<readonly [number, number]>
}

/**
 * Returns the `p` quantile (0 to 1) of sorted values, interpolating linearly
 * between the order statistics around position `(n - 1) * p`.
 */
export const quantile = (sorted: ReadonlyArray<number>, p: number): number => {
  const position = (sorted.length - 1) * p
  const lower = Math.floor(position)
  const upper = Math.min(lower + 1, sorted.length - 1)
  return sorted[lower]! + (position - lower) * (sorted[upper]! - sorted[lower]!)
}

const quantilesOf = (values: ReadonlyArray<number>): ReadonlyArray<readonly [number, number]> => {
  const sorted = [...values].sort((a, b) => a - b)
  return PERCENTILES.map((percentile) => [percentile, Math.round(quantile(sorted, percentile / 100))] as const)
}

/**
 * Fits run durations (`duration_s`) and jobs per push (rows grouped by
 * `push_ts` and `revision`) from the text of the trace's jobs.csv. Throws
 * WorkloadError when a column is missing, and Error when a duration is not
 * a number or fewer than two jobs have one.
 */
export const fitCiTrace = (csvText: string, file: string): CiTraceFit => {
  const durations: number[] = []
  const jobsPerPush = new Map<string, number>()
  readCsv(csvText, { source: "ci-trace", file }, ["duration_s", "push_ts", "revision"], ([duration, pushTs, revision], line) => {
    const seconds = Number(duration)
    if (duration!.trim() === "" || !Number.isFinite(seconds)) {
      throw new Error(`${file} line ${line}: invalid duration_s "${duration}", expected a number of seconds`)
    }
    if (seconds >= 0) durations.push(seconds)
    const push = `${pushTs} ${revision}`
    jobsPerPush.set(push, (jobsPerPush.get(push) ?? 0) + 1)
  })
  if (durations.length < 2) throw new Error(`${file}: found ${durations.length} jobs with a duration, expected at least 2`)
  return {
    jobs: durations.length,
    pushes: jobsPerPush.size,
    durationQuantiles: quantilesOf(durations),
    fanOutQuantiles: quantilesOf([...jobsPerPush.values()])
  }
}

/** Formats whole seconds as a compound duration such as `1h2m3s`. */
export const formatSeconds = (seconds: number): string => {
  if (seconds === 0) return "0s"
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const rest = seconds % 60
  return `${hours > 0 ? `${hours}h` : ""}${minutes > 0 ? `${minutes}m` : ""}${rest > 0 ? `${rest}s` : ""}`
}

const mean = (values: ReadonlyArray<number>): number => values.reduce((sum, x) => sum + x, 0) / values.length

const quantileLines = (quantiles: CiTraceFit["durationQuantiles"], format: (value: number) => string): string =>
  quantiles.map(([percentile, value]) => `        p${percentile}: ${format(value)}`).join("\n")

/** Renders scenarios/ci-default.yaml from a fit. */
export const renderCiScenario = (fit: CiTraceFit): string => {
  const averageRate = ASSUMED_PUSHES_PER_HOUR * mean(ASSUMED_HOUR_OF_DAY) * mean(ASSUMED_DAY_OF_WEEK)
  return `# Generated by scripts/fit-ci-trace.ts; rerun it instead of editing this file.
#
# Fitted from the Mozilla Buildbot CI job trace of 2013 (jobs.csv, ${fit.jobs} jobs
# of ${fit.pushes} pushes, taken from the test fixtures of Mozilla's Treeherder):
#   - run durations: empirical quantiles of duration_s, rounded to whole seconds;
#   - fan-out: jobs per push (rows grouped by push_ts and revision), rounded to
#     whole jobs. The trace lists only jobs that finished inside three windows
#     of 25 to 40 minutes, so pushes are cut short and fan-out is an underestimate.
# Assumed, because the trace has no complete arrival process:
#   - ${ASSUMED_PUSHES_PER_HOUR} pushes per hour at profile factor 1, shaped by office hours
#     (simulation time 0 is Monday 00:00) and a quiet weekend, about
#     ${averageRate.toFixed(1)} pushes per hour averaged over a week;
#   - the pool, cloud and runner settings below.
name: ci-default
seed: 1
horizon: 1d
pool:
  minPoolSize: 2
  maxPoolSize: 300
  queueDepthThreshold: 5
  scaleUpCooldownMs: 30000
  scaleDownCooldownMs: 300000
  idleTimeout: 15m
  policy: queue-depth-busy
cloud:
  provisioningDelay: { kind: lognormal, median: 60s, p95: 150s }
  deletionDelay: { kind: constant, value: 30s }
  bootFailureRate: 0.01
  startupScriptDuration: { kind: constant, value: 20s }
  costPerRunnerHour: 0.10
runners:
  pollInterval: 5s
  heartbeatInterval: 30s
workload:
  - kind: poisson
    name: pushes
    ratePerHour: ${ASSUMED_PUSHES_PER_HOUR}
    profile:
      hourOfDay: [${ASSUMED_HOUR_OF_DAY.join(", ")}]
      dayOfWeek: [${ASSUMED_DAY_OF_WEEK.join(", ")}]
    fanOut:
      kind: empirical
      quantiles:
${quantileLines(fit.fanOutQuantiles, String)}
    duration:
      kind: empirical
      quantiles:
${quantileLines(fit.durationQuantiles, formatSeconds)}
`
}

/** Checks that the rendered workload decodes, so the script never writes a scenario the loader rejects. */
const checkWorkload = (yaml: string): void => {
  const document = parseYaml(yaml) as { workload?: unknown }
  const decoded = decodeWorkloadSection(document.workload)
  if (Either.isLeft(decoded)) throw new Error(`rendered scenario is invalid:\n${decoded.left.join("\n")}`)
}

const main = (): void => {
  const trace = process.argv[2] === undefined ? resolve(REPOSITORY_ROOT, DEFAULT_TRACE) : resolve(process.argv[2])
  const fit = fitCiTrace(readFileSync(trace, "utf8"), trace)
  const yaml = renderCiScenario(fit)
  checkWorkload(yaml)
  const output = resolve(REPOSITORY_ROOT, OUTPUT)
  writeFileSync(output, yaml)
  console.log(`wrote ${output}: ${fit.jobs} jobs, ${fit.pushes} pushes`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main()
