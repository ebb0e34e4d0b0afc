import type { PoolEvent } from "../../core/events.js"
import type { PoolSettings } from "../../core/settings.js"
import type { CloudCallRecord } from "../providers/cloud.js"
import { checkOrphans, defaultSettleMs, type MonitoredInstance } from "./orphans.js"
import { PoolSizeCheck } from "./poolSize.js"
import { RunnerChecks, type RegisteredRunner } from "./runners.js"
import { RunChecks } from "./runs.js"
import { TwoActorsCheck } from "./twoActors.js"
import { compareViolations, type Violation } from "./violation.js"

/** The parts of the simulated world the monitor reads; `World` has them. */
export interface MonitoredWorld {
  /** Instances by id in creation order, until their deletion completes. */
  readonly instances: ReadonlyMap<string, MonitoredInstance>
  /** The control plane's registry by runner id. */
  readonly registry: ReadonlyMap<string, RegisteredRunner>
  /** The run table: each run's state (`RunState`), indexed by run id. */
  readonly runs: { readonly states: ArrayLike<number> }
}

export interface InvariantMonitorOptions {
  /** The pool settings in force, or a function that returns them when a check needs them (settings can change while the pool runs). */
  readonly settings: PoolSettings | (() => PoolSettings)
  /**
   * The live world, read while the simulation runs: for the instance count
   * of `maxPoolSize` and the registry status of scale-down taints. Without
   * it the monitor relies on the events alone, and then misses instances
   * created without an event.
   */
  readonly world?: (() => MonitoredWorld | undefined) | undefined
  /** Time after the create timeout before an unregistered instance is an orphan, in milliseconds; `defaultSettleMs` unless given. */
  readonly settleMs?: number | undefined
}

/** Checks the pool's invariants over one simulation. */
export interface InvariantMonitor {
  /** Feeds one event; call it for every event, in the order the simulation emits them. */
  readonly onEvent: (event: PoolEvent) => void
  /** Feeds one provision or terminate call, in the order the cloud receives them. */
  readonly onCloudCall: (call: CloudCallRecord) => void
  /**
   * Inspects the final state at the horizon (virtual milliseconds) and
   * returns every violation, ordered by `compareViolations`. Call it once,
   * after the last event; it throws when called again.
   */
  readonly finish: (final: MonitoredWorld | { readonly world: MonitoredWorld }, horizonMs: number) => ReadonlyArray<Violation>
}

/**
 * Creates a monitor for one simulation. It checks, as the events and cloud
 * calls arrive: `maxPoolSize`, `busyRunnerRemoved`,
 * `provisioningRemovedByScaleDown`, `taintedAcquired` and `twoActors`; and
 * at the horizon: `orphanInstance` and `runLost`. Each file of this folder
 * documents one check. `monitored` wires a monitor into `simulate`'s
 * options.
 */
export const createInvariantMonitor = (options: InvariantMonitorOptions): InvariantMonitor => {
  const { settings } = options
  const settingsNow = typeof settings === "function" ? settings : () => settings
  const worldNow = options.world ?? (() => undefined)
  const violations: Array<Violation> = []
  const record = (violation: Violation) => {
    violations.push(violation)
  }

  const instancesNow = options.world === undefined ? undefined : () => worldNow()?.instances ?? new Map<string, unknown>()
  const registryNow = options.world === undefined ? undefined : () => worldNow()?.registry ?? new Map<string, RegisteredRunner>()
  const poolSize = new PoolSizeCheck(() => settingsNow().maxPoolSize, record, instancesNow)
  const runners = new RunnerChecks(record, registryNow)
  const twoActors = new TwoActorsCheck(record)
  const runs = new RunChecks(record)
  let finished = false

  return {
    onEvent: (event) => {
      poolSize.onEvent(event)
      runners.onEvent(event)
      twoActors.onEvent(event)
      runs.onEvent(event)
    },
    onCloudCall: (call) => twoActors.onCloudCall(call),
    finish: (final, horizonMs) => {
      if (finished) throw new Error("InvariantMonitor.finish was called twice; create a new monitor for each simulation")
      finished = true
      const world = "world" in final ? final.world : final
      const current = settingsNow()
      poolSize.finish(horizonMs, world.instances)
      checkOrphans(world.instances, world.registry, current, options.settleMs ?? defaultSettleMs(current), horizonMs, record)
      runs.finish(world.runs.states, horizonMs)
      return [...violations].sort(compareViolations)
    }
  }
}
