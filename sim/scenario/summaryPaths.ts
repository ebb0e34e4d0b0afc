import { REMOVAL_REASONS } from "../../core/model.js"
import { editDistance } from "./inputError.js"

/**
 * Paths of the `summary.json` values that an expectation may test: every
 * number and list of the summary except two kinds. The `engine` block is
 * left out because it describes the simulator's own run, wall-clock time
 * included. The per-source `runs.skippedTraceRows.<source>` counts are
 * accepted by pattern in `isSummaryPath`. `test/sim/scenario/expect.test.ts`
 * checks this list against a summary built by `reports/summary.ts`, which
 * `sim/` may not import.
 */
export const SUMMARY_PATHS: ReadonlyArray<string> = [
  "seed",
  "simulatedSeconds",
  "runs.arrived",
  "runs.completed",
  "runs.failed",
  "runs.timedOut",
  "runs.queuedAtEnd",
  "runs.runningAtEnd",
  "waitSeconds.mean",
  "waitSeconds.p50",
  "waitSeconds.p90",
  "waitSeconds.p95",
  "waitSeconds.p99",
  "waitSeconds.max",
  "runners.peak",
  "runners.mean",
  "runners.created",
  "runners.removedUnused",
  "runners.hours.provisioning",
  "runners.hours.idle",
  "runners.hours.running",
  "runners.hours.tainted",
  "runners.hours.total",
  "cost.runnerHours",
  "cost.amount",
  "reference.floorRunnerHours",
  "reference.clairvoyantRunnerHours",
  "reference.costToFloor",
  "reference.costToClairvoyant",
  "scaleEvents.up",
  "scaleEvents.down",
  "replicas.leaderChanges",
  "replicas.taintedReplicas",
  "replicas.secondsWithoutLeader",
  ...REMOVAL_REASONS.map((reason) => `removals.${reason}`),
  "violations"
]

/** Skipped-row count of one workload source, keyed by the source's name. */
const SKIPPED_TRACE_ROWS = /^runs\.skippedTraceRows\.[A-Za-z0-9_.-]+$/

/** Whether an expectation may test `path`: one of `SUMMARY_PATHS`, or `runs.skippedTraceRows.<source name>`. */
export const isSummaryPath = (path: string): boolean => SUMMARY_PATHS.includes(path) || SKIPPED_TRACE_ROWS.test(path)

/** Returns the group of a dotted path (`waitSeconds` for `waitSeconds.p95`), or `undefined` for a top-level key. */
const groupOf = (path: string): string | undefined => {
  const dot = path.lastIndexOf(".")
  return dot < 0 ? undefined : path.slice(0, dot)
}

/**
 * Returns why `path` cannot be tested, with the nearest valid paths as a
 * suggestion, or `undefined` when it is a valid summary path.
 */
export const describeInvalidPath = (path: string): string | undefined => {
  if (isSummaryPath(path)) return undefined
  if (path === "engine" || path.startsWith("engine.")) {
    return `"${path}" cannot be tested: the engine block describes the simulator's own run (event count and wall-clock time), not the pool`
  }
  if (path === "scenario") return `"scenario" is the scenario's name, expected the path of a number or list in summary.json`

  const members = SUMMARY_PATHS.filter((candidate) => candidate.startsWith(`${path}.`))
  if (members.length > 0 || path === "runs.skippedTraceRows") {
    const list = path === "runs.skippedTraceRows" ? "runs.skippedTraceRows.<workload source name>" : members.join(", ")
    return `"${path}" is a group of metrics, expected the path of one of them: ${list}`
  }

  const suggestions = nearestSummaryPaths(path)
  const hint = suggestions.length === 0 ? "" : ` Did you mean ${suggestions.map((candidate) => `"${candidate}"`).join(" or ")}?`
  const group = groupOf(path)
  const siblings = group === undefined ? [] : SUMMARY_PATHS.filter((candidate) => groupOf(candidate) === group)
  const valid =
    siblings.length > 0
      ? `Valid paths under ${group}: ${siblings.join(", ")}`
      : `Valid paths start with ${[...new Set(SUMMARY_PATHS.map((candidate) => candidate.split(".")[0]!))].join(", ")}`
  return `unknown summary path "${path}".${hint} ${valid}`
}

/**
 * Returns at most two valid paths that `path` was most likely meant to be.
 * For a bare metric name, that is the only path ending in `.<path>` (`p95`
 * gives `waitSeconds.p95`). Otherwise it is the paths at the smallest edit
 * distance, ignoring case, if that distance is at most max(2, a quarter of
 * the path's length). Among equally close paths, those with the same letters
 * come first, so a swap of two characters (`p59` for `p95`) leads the list.
 */
export const nearestSummaryPaths = (path: string): ReadonlyArray<string> => {
  const bySuffix = SUMMARY_PATHS.filter((candidate) => candidate.toLowerCase().endsWith(`.${path.toLowerCase()}`))
  if (!path.includes(".") && bySuffix.length === 1) return bySuffix

  const limit = Math.max(2, Math.floor(path.length / 4))
  const scored = SUMMARY_PATHS.map((candidate) => ({ candidate, distance: swapAwareDistance(path, candidate) }))
  const best = Math.min(...scored.map((entry) => entry.distance))
  if (best > limit) return []
  const letters = sortedLetters(path)
  const closest = scored.filter((entry) => entry.distance === best).map((entry) => entry.candidate)
  const swaps = closest.filter((candidate) => sortedLetters(candidate) === letters)
  return [...swaps, ...closest.filter((candidate) => !swaps.includes(candidate))].slice(0, 2)
}

/** Edit distance, ignoring case, that counts a swap of two neighbouring characters as one edit. */
const swapAwareDistance = (a: string, b: string): number => {
  const distance = editDistance(a, b)
  if (a.length !== b.length || distance !== 2) return distance
  const left = a.toLowerCase()
  const right = b.toLowerCase()
  const differences = [...left].flatMap((char, index) => (char === right[index] ? [] : [index]))
  const [first, second] = differences
  const isSwap =
    differences.length === 2 && second === first! + 1 && left[first!] === right[second] && left[second] === right[first!]
  return isSwap ? 1 : distance
}

const sortedLetters = (text: string): string => [...text.toLowerCase()].sort().join("")
