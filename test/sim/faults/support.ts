import { Schema } from "effect"
import type { Instance } from "../../../core/model.js"
import { installFaults, type InstalledFaults } from "../../../sim/faults/inject.js"
import { Faults, type Fault } from "../../../sim/faults/schema.js"
import { makeStream } from "../../../sim/random.js"
import { runSimulation, type RecordOptions, type SimulationRecord } from "../support.js"

/** Decodes a `faults` list as a scenario file writes it (`"5m"`, `"Idle"`), and throws on invalid input. */
export const faultsOf = (...faults: ReadonlyArray<Record<string, unknown>>): ReadonlyArray<Fault> =>
  Schema.decodeUnknownSync(Faults)(faults)

/** A simulation record with the faults as installed. */
export interface FaultRecord extends SimulationRecord {
  readonly faults: InstalledFaults
}

/**
 * Runs `runSimulation` with the faults installed from `setup`, drawing from
 * the `faults` stream of the seed, and passes the simulated cloud's calls to
 * `cloudCallFails`. `options.setup`, if any, runs after the faults are installed.
 */
export const runWithFaults = (options: RecordOptions, faults: ReadonlyArray<Fault>): FaultRecord => {
  const seed = options.seed ?? 1
  let installed: InstalledFaults | undefined
  const record = runSimulation({
    ...options,
    seed,
    cloudCalls: {
      ...options.cloudCalls,
      failure: (operation, now) => installed?.active.cloudCallFails(operation, now)
    },
    setup: (handle) => {
      installed = installFaults(handle, faults, makeStream(seed, "faults"))
      options.setup?.(handle)
    }
  })
  return { ...record, faults: installed! }
}

/** A plain copy of an instance as listed, for comparing lists taken at different times. */
export const copyInstance = (instance: Instance): Instance => ({
  id: instance.id,
  clientToken: instance.clientToken,
  createdAt: instance.createdAt,
  state: instance.state,
  healthy: instance.healthy
})
