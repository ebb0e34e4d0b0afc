import type { PoolEvent, PoolEventKind, RunnerStatusChanged } from "../../core/events.js"
import { ROTATIONS, type RemovalReason } from "../../core/model.js"
import { defaultPoolSettings, type PoolSettings } from "../../core/settings.js"
import { sampler, type Distribution } from "../../sim/distribution.js"
import { makeStream } from "../../sim/random.js"
import { simulate, type SimulationHandle, type SimulationOptions, type SimulationResult } from "../../sim/simulate.js"
import { defaultCloudModel, type CloudModel } from "../../sim/world/models.js"
import { workloadFromRuns, type Workload } from "../../sim/workload/workload.js"

/** Encoded pool settings, as `defaultPoolSettings` takes them (`"10m"`, `"off"`, milliseconds). */
export type SettingsInput = Parameters<typeof defaultPoolSettings>[0]

/** A finished simulation with every event and the handle its `setup` received. */
export interface SimulationRecord {
  readonly result: SimulationResult
  readonly events: ReadonlyArray<PoolEvent>
  readonly handle: SimulationHandle
}

/** Options of `runSimulation`: `simulate`'s options with every event collected. */
export type RecordOptions = Omit<SimulationOptions, "collectEvents" | "seed"> & { readonly seed?: number }

/** Runs `simulate` with `collectEvents` on, seed 1 unless given, and keeps the handle for state assertions. */
export const runSimulation = (options: RecordOptions): SimulationRecord => {
  let handle: SimulationHandle | undefined
  const result = simulate({
    seed: 1,
    ...options,
    collectEvents: true,
    setup: (simulation) => {
      handle = simulation
      options.setup?.(simulation)
    }
  })
  return { result, events: result.events, handle: handle! }
}

/** Pool settings for rule tests: the defaults, with idle timeout and maximum age off unless overridden. */
export const ruleSettings = (overrides: SettingsInput = {}): PoolSettings =>
  defaultPoolSettings({ idleTimeout: "off", maxRunnerAge: "off", ...overrides })

/** The default cloud model with the given fields replaced. Durations are in milliseconds. */
export const cloudWith = (overrides: Partial<CloudModel>): CloudModel => ({ ...defaultCloudModel, ...overrides })

/** A constant distribution of `value` milliseconds. */
export const constant = (value: number) => ({ kind: "constant", value }) as const

/** `count` runs of `duration` ms, all arriving at `arrival` ms. */
export const burst = (count: number, arrival: number, duration: number): Array<{ arrival: number; duration: number }> =>
  Array.from({ length: count }, () => ({ arrival, duration }))

/** A workload of the given runs, or of none. */
export const workloadOf = (...groups: ReadonlyArray<ReadonlyArray<{ arrival: number; duration: number }>>): Workload =>
  workloadFromRuns(groups.flat())

export const emptyWorkload: Workload = workloadFromRuns([])

/**
 * `count` runs arriving as a Poisson process with mean gap `meanGapMs`, each
 * with a duration drawn from `duration`. Draws come from the `workload`
 * stream of `seed`, independent of the simulation's own streams.
 */
export const poissonWorkload = (seed: number, count: number, meanGapMs: number, duration: Distribution): Workload => {
  const stream = makeStream(seed, "workload")
  const gap = sampler({ kind: "exponential", mean: meanGapMs })
  const length = sampler(duration)
  const runs: Array<{ arrival: number; duration: number }> = []
  let arrival = 0
  for (let i = 0; i < count; i++) {
    arrival += gap(stream)
    runs.push({ arrival, duration: length(stream) })
  }
  return workloadFromRuns(runs)
}

/** The events of one kind, typed. */
export const eventsOfKind = <K extends PoolEventKind>(events: ReadonlyArray<PoolEvent>, kind: K) =>
  events.filter((event): event is Extract<PoolEvent, { kind: K }> => event.kind === kind)

/** Status changes that mark a runner Tainted, optionally only those for one reason. */
export const taintsOf = (events: ReadonlyArray<PoolEvent>, reason?: RemovalReason): Array<RunnerStatusChanged> =>
  eventsOfKind(events, "RunnerStatusChanged").filter(
    (event) => event.to === "Tainted" && (reason === undefined || event.reason === reason)
  )

/**
 * Replays the instance count from the events: +1 when a runner is created
 * (a status change from `undefined`), -1 when its instance is deleted.
 * Returns the count after every event.
 */
export const instanceCountTrace = (events: ReadonlyArray<PoolEvent>): Array<{ at: number; count: number }> => {
  const trace: Array<{ at: number; count: number }> = []
  let count = 0
  for (const event of events) {
    if (event.kind === "RunnerStatusChanged" && event.from === undefined) count++
    else if (event.kind === "InstanceDeleted") count--
    else continue
    trace.push({ at: event.at, count })
  }
  return trace
}

/** The largest value of `instanceCountTrace`, 0 for no events. */
export const maxInstanceCount = (events: ReadonlyArray<PoolEvent>): number =>
  instanceCountTrace(events).reduce((max, point) => Math.max(max, point.count), 0)

/** Runners that acquired a run after they were marked Tainted, with the run. */
export const acquiredAfterTaint = (events: ReadonlyArray<PoolEvent>): Array<{ runnerId: string; runId: number }> => {
  const tainted = new Set<string>()
  const violations: Array<{ runnerId: string; runId: number }> = []
  for (const event of events) {
    if (event.kind === "RunnerStatusChanged" && event.to === "Tainted") tainted.add(event.runnerId)
    if (event.kind === "RunAcquired" && tainted.has(event.runnerId)) {
      violations.push({ runnerId: event.runnerId, runId: event.runId })
    }
  }
  return violations
}

/**
 * Replays the rotations in flight and returns their maximum: a runner counts
 * from its taint for an old agent or age until its instance is deleted, or
 * until a health failure taints it again for another reason.
 */
export const maxRotationsInFlight = (events: ReadonlyArray<PoolEvent>): number => {
  const inFlight = new Set<string>()
  let max = 0
  for (const event of events) {
    if (event.kind === "RunnerStatusChanged" && event.to === "Tainted") {
      if (ROTATIONS.has(event.reason as RemovalReason)) inFlight.add(event.runnerId)
      else inFlight.delete(event.runnerId)
    }
    if (event.kind === "InstanceDeleted") inFlight.delete(event.runnerId)
    max = Math.max(max, inFlight.size)
  }
  return max
}

/** Ids of the registered runners that are not Tainted, at the end of a simulation. */
export const untaintedRunners = (handle: SimulationHandle): Array<string> =>
  [...handle.world.registry.values()].filter((agent) => !agent.tainted).map((agent) => agent.runnerId)
