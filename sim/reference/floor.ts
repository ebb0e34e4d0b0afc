import type { Workload } from "../workload/workload.js"

/** Milliseconds in one hour. */
export const MS_PER_HOUR = 3_600_000

/**
 * Returns the length of `[start, end)` that lies inside `[0, horizonMs)`, in
 * milliseconds: the part of an interval that the metrics collector counts.
 */
export const clippedMs = (start: number, end: number, horizonMs: number): number =>
  Math.max(0, Math.min(end, horizonMs) - Math.max(start, 0))

/**
 * Returns the floor cost of a workload in runner-hours: the total run time
 * inside `[0, horizonMs)`. Each run counts from its arrival for its duration,
 * clipped to the horizon as `reports/metrics.ts` clips runner-hours, so a
 * run arriving at or after the horizon counts 0.
 *
 * The floor is a lower bound on the runner-hours of any pool that starts
 * every run at its arrival or completes it before the horizon: a runner
 * executes one run at a time and costs while it runs. A pool can cost less
 * when runs fail or are still queued or running at the horizon after a
 * wait, because then less run time falls inside the horizon.
 *
 * Throws a RangeError when `horizonMs` is not a finite number above 0.
 */
export const floorRunnerHours = (workload: Workload, horizonMs: number): number => {
  validateHorizon(horizonMs)
  const { arrivals, durations } = workload
  let totalMs = 0
  for (let run = 0; run < arrivals.length; run++) {
    const arrival = arrivals[run]!
    totalMs += clippedMs(arrival, arrival + durations[run]!, horizonMs)
  }
  return totalMs / MS_PER_HOUR
}

/** Throws a RangeError unless `horizonMs` is a finite number of milliseconds above 0. */
export const validateHorizon = (horizonMs: number): void => {
  if (!Number.isFinite(horizonMs) || horizonMs <= 0) {
    throw new RangeError(`Invalid horizonMs ${horizonMs}: expected a finite number of milliseconds above 0.`)
  }
}

/**
 * Returns the workload with every duration capped at `maxDurationMs`: the
 * run time a pool spends on each run when it fails runs at its run timeout.
 * Pass the pool's `runTimeout` (`Infinity` when off) before computing a
 * reference, so the floor and the clairvoyant schedule serve the work the
 * pool serves. Returns the workload itself when no duration exceeds the cap.
 * Throws a RangeError when `maxDurationMs` is not a number above 0.
 */
export const capRunDurations = (workload: Workload, maxDurationMs: number): Workload => {
  if (Number.isNaN(maxDurationMs) || maxDurationMs <= 0) {
    throw new RangeError(`Invalid maxDurationMs ${maxDurationMs}: expected milliseconds above 0, or Infinity for no cap.`)
  }
  if (!workload.durations.some((duration) => duration > maxDurationMs)) return workload
  const durations = workload.durations.map((duration) => Math.min(duration, maxDurationMs))
  return { arrivals: workload.arrivals, durations, skipped: workload.skipped }
}
