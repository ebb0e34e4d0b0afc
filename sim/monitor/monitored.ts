import type { SimulationHandle, SimulationOptions } from "../simulate.js"
import { createInvariantMonitor, type InvariantMonitor } from "./monitor.js"
import type { Violation } from "./violation.js"

/** Simulation options with an invariant monitor wired in, and the monitor's result. */
export interface MonitoredSimulation {
  /** The given options, with `onEvent`, `cloudCalls.onCall` and `setup` also feeding the monitor. */
  readonly options: SimulationOptions
  readonly monitor: InvariantMonitor
  /**
   * The violations of the run, ordered by `compareViolations`. Call it after
   * `simulate(options)` returned; it throws before. Later calls return the
   * same list.
   */
  readonly violations: () => ReadonlyArray<Violation>
  /** Returns the handle the simulation's `setup` received; throws before `simulate(options)` ran. */
  readonly handle: () => SimulationHandle
}

/**
 * Wires an invariant monitor into `simulate`'s options: the monitor reads
 * the settings in force and the live world through the simulation handle,
 * and receives every event and cloud call after the caller's own
 * callbacks. `settleMs` overrides `defaultSettleMs` for `orphanInstance`.
 *
 * ```ts
 * const run = monitored({ settings, workload, horizonMs, seed })
 * simulate(run.options)
 * expect(run.violations()).toEqual([])
 * ```
 */
export const monitored = (options: SimulationOptions, monitorOptions: { readonly settleMs?: number } = {}): MonitoredSimulation => {
  let handle: SimulationHandle | undefined
  let result: ReadonlyArray<Violation> | undefined
  const monitor = createInvariantMonitor({
    settings: () => handle?.config.settings ?? options.settings,
    world: () => handle?.world,
    settleMs: monitorOptions.settleMs
  })

  const wired: SimulationOptions = {
    ...options,
    onEvent: (event) => {
      options.onEvent?.(event)
      monitor.onEvent(event)
    },
    cloudCalls: {
      ...options.cloudCalls,
      onCall: (call) => {
        options.cloudCalls?.onCall?.(call)
        monitor.onCloudCall(call)
      }
    },
    setup: (simulation) => {
      handle = simulation
      options.setup?.(simulation)
    }
  }

  return {
    options: wired,
    monitor,
    violations: () => {
      if (result !== undefined) return result
      if (handle === undefined) throw new Error("monitored(...).violations() was called before simulate(options) ran")
      result = monitor.finish(handle, options.horizonMs)
      return result
    },
    handle: () => {
      if (handle === undefined) throw new Error("monitored(...).handle() was called before simulate(options) ran")
      return handle
    }
  }
}
