import { REMOVAL_REASONS } from "../core/model.js"
import type { Summary } from "./summary.js"

/** Formats a number with exactly `digits` decimals. */
const fixed = (value: number, digits = 3): string => value.toFixed(digits)

/**
 * Formats the key numbers of a summary as a plain-text table for the terminal:
 * one labelled row each for runs, waits, runners, cost, reference costs,
 * scale events, replicas, removals and violations. Lines end with `\n` and contain no colours or escape codes.
 */
export const summaryTable = (summary: Summary): string => {
  const { runs, waitSeconds: waits, runners, cost, reference, scaleEvents, replicas, removals } = summary
  const removalText = REMOVAL_REASONS.filter((reason) => removals[reason] > 0)
    .map((reason) => `${reason} ${removals[reason]}`)
    .join(", ")
  const skipped = Object.values(runs.skippedTraceRows).reduce((total, count) => total + count, 0)

  const rows: Array<[string, string]> = [
    ["Scenario", `${summary.scenario} (seed ${summary.seed}, ${fixed(summary.simulatedSeconds / 3600)} h simulated)`],
    [
      "Runs",
      `arrived ${runs.arrived}, completed ${runs.completed}, failed ${runs.failed} (timed out ${runs.timedOut}), ` +
        `queued at end ${runs.queuedAtEnd}, running at end ${runs.runningAtEnd}` +
        (skipped > 0 ? `, trace rows skipped ${skipped}` : "")
    ],
    [
      "Wait (s)",
      `p50 ${fixed(waits.p50)}, p95 ${fixed(waits.p95)}, p99 ${fixed(waits.p99)}, ` +
        `mean ${fixed(waits.mean)}, max ${fixed(waits.max)}`
    ],
    [
      "Runners",
      `peak ${runners.peak}, mean ${fixed(runners.mean)}, created ${runners.created}, removed unused ${runners.removedUnused}`
    ],
    [
      "Runner-hours",
      `${fixed(cost.runnerHours)} (provisioning ${fixed(runners.hours.provisioning)}, idle ${fixed(runners.hours.idle)}, ` +
        `running ${fixed(runners.hours.running)}, tainted ${fixed(runners.hours.tainted)})`
    ],
    ["Cost", fixed(cost.amount)],
    [
      "Reference",
      `floor ${fixed(reference.floorRunnerHours)} h (cost ${fixed(reference.costToFloor)}x), ` +
        `clairvoyant ${fixed(reference.clairvoyantRunnerHours)} h (cost ${fixed(reference.costToClairvoyant)}x)`
    ],
    ["Scale events", `up ${scaleEvents.up}, down ${scaleEvents.down}`],
    [
      "Replicas",
      `leader changes ${replicas.leaderChanges}, tainted ${replicas.taintedReplicas}, ` +
        `without leader ${fixed(replicas.secondsWithoutLeader)} s`
    ],
    ["Removals", removalText === "" ? "none" : removalText],
    ["Violations", summary.violations.length === 0 ? "none" : String(summary.violations.length)]
  ]

  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join("")
}
