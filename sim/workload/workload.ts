/**
 * The runs a simulation replays: arrival times and run durations in
 * milliseconds since the start of the simulation, sorted by arrival. Run `i`
 * arrives at `arrivals[i]` and executes for `durations[i]` once a runner
 * acquires it.
 */
export interface Workload {
  readonly arrivals: Float64Array
  readonly durations: Float64Array
  /**
   * Trace rows skipped because they record no duration (empty or negative) or
   * no arrival, by source name. Every trace source has an entry, possibly 0.
   */
  readonly skipped: Readonly<Record<string, number>>
}

/** Builds a workload from unsorted runs, sorting them by arrival (stable for equal times). */
export const workloadFromRuns = (
  runs: ReadonlyArray<{ readonly arrival: number; readonly duration: number }>,
  skipped: Readonly<Record<string, number>> = {}
): Workload => {
  const order = runs.map((_, index) => index).sort((a, b) => runs[a]!.arrival - runs[b]!.arrival || a - b)
  const arrivals = new Float64Array(runs.length)
  const durations = new Float64Array(runs.length)
  order.forEach((runIndex, position) => {
    arrivals[position] = runs[runIndex]!.arrival
    durations[position] = runs[runIndex]!.duration
  })
  return { arrivals, durations, skipped }
}
