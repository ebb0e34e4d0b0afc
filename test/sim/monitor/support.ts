import type { PoolEvent } from "../../../core/events.js"
import type { Violation } from "../../../sim/monitor/violation.js"
import { monitored } from "../../../sim/monitor/monitored.js"
import { simulate, type SimulationHandle, type SimulationOptions } from "../../../sim/simulate.js"
import type { Workload } from "../../../sim/workload/workload.js"
import { constant, poissonWorkload } from "../support.js"

export const SECOND = 1_000
export const MINUTE = 60 * SECOND

/** A finished monitored simulation: its violations, its events and the handle its `setup` received. */
export interface MonitoredRun {
  readonly violations: ReadonlyArray<Violation>
  readonly handle: SimulationHandle
  readonly events: ReadonlyArray<PoolEvent>
}

/** Runs `simulate` with an invariant monitor and every event collected, seed 1 unless given. */
export const runMonitored = (options: Omit<SimulationOptions, "seed" | "collectEvents"> & { readonly seed?: number }): MonitoredRun => {
  const run = monitored({ seed: 1, ...options, collectEvents: true })
  const result = simulate(run.options)
  return { violations: run.violations(), handle: run.handle(), events: result.events }
}

/** The violations of one invariant. */
export const violationsOf = (violations: ReadonlyArray<Violation>, invariant: Violation["invariant"]) =>
  violations.filter((violation) => violation.invariant === invariant)

/** Runs of 1 to 10 minutes arriving about every `meanGapMs` until `untilMs`, enough to keep a small pool busy. */
export const steadyWorkload = (seed: number, untilMs: number, meanGapMs = 2 * MINUTE): Workload =>
  poissonWorkload(seed, Math.ceil(untilMs / meanGapMs), meanGapMs, { kind: "uniform", min: MINUTE, max: 10 * MINUTE })

/** A cloud whose instances boot after `ms` and are deleted after 30 s. */
export const bootingAfter = (ms: number) => ({
  provisioningDelay: constant(ms),
  startupScriptDuration: constant(0),
  deletionDelay: constant(30 * SECOND),
  bootFailureRate: 0,
  costPerRunnerHour: 0
})
