import type { PoolSettings } from "../../core/settings.js"
import type { Kernel } from "../kernel/kernel.js"
import type { RandomStream } from "../random.js"
import type { SimAgent } from "../world/agent.js"
import type { World } from "../world/world.js"
import { ActiveFaults } from "./active.js"
import { isReplicaFault, type Fault, type FaultOf, type ReplicaFault } from "./schema.js"

/** The parts of a simulation that faults act on, as a `SimulationHandle` provides them. */
export interface FaultTarget {
  readonly kernel: Kernel
  readonly world: World
  /** The pool settings in force, which `agentVersionBump` replaces with a changed copy. */
  readonly config: { settings: PoolSettings }
}

export interface InstallFaultsOptions {
  /**
   * Injects a replica fault, called at the fault's `at`. Required when the
   * list contains a replica fault, because the world cannot inject one.
   */
  readonly onReplicaFault?: (fault: ReplicaFault) => void
}

/** A fault that happened at one instant, and the runners it hit. */
export interface FaultInjection {
  readonly fault: Fault
  readonly at: number
  /** Runners picked by a heartbeat-loss or unhealthy fault, in pick order. Empty for other kinds. */
  readonly runnerIds: ReadonlyArray<string>
}

/** The faults of a simulation once installed. */
export interface InstalledFaults {
  /** The faults that last. The world consults them, and the simulated cloud should ask `cloudCallFails` about each call. */
  readonly active: ActiveFaults
  /** The instant faults injected so far, in time order. The array grows as the simulation runs. */
  readonly injections: ReadonlyArray<FaultInjection>
}

/**
 * Installs a scenario's faults into a simulation, from its `setup` callback
 * (before the world starts). Faults that last go to the world through
 * `World.useFaults`, and instant faults are scheduled on the kernel at their
 * `at`. Every random choice draws from `random`, which should be the
 * simulation's `faults` stream, so faults leave the workload and the
 * cloud's own draws unchanged.
 *
 * Throws when the list contains a replica fault and `onReplicaFault` is
 * missing.
 */
export const installFaults = (
  target: FaultTarget,
  faults: ReadonlyArray<Fault>,
  random: RandomStream,
  options: InstallFaultsOptions = {}
): InstalledFaults => {
  const { kernel, world, config } = target
  const active = new ActiveFaults(faults, random)
  const injections: Array<FaultInjection> = []
  world.useFaults(active)

  for (const [index, fault] of faults.entries()) {
    if (isReplicaFault(fault)) {
      const onReplicaFault = options.onReplicaFault
      if (onReplicaFault === undefined) {
        throw new Error(`fault ${index} (${fault.kind}) acts on a replica, but no onReplicaFault handler was given to installFaults`)
      }
      kernel.at(fault.at, () => {
        injections.push({ fault, at: kernel.now, runnerIds: [] })
        onReplicaFault(fault)
      })
      continue
    }
    switch (fault.kind) {
      case "heartbeatLoss":
      case "instanceUnhealthy":
        kernel.at(fault.at, () => {
          const runnerIds = pickRunners(world, fault, random)
          for (const runnerId of runnerIds) {
            if (fault.kind === "heartbeatLoss") world.loseHeartbeat(runnerId)
            else world.markUnhealthy(runnerId)
          }
          injections.push({ fault, at: kernel.now, runnerIds })
        })
        break
      case "agentVersionBump":
        kernel.at(fault.at, () => {
          config.settings = { ...config.settings, agentVersion: fault.version }
          injections.push({ fault, at: kernel.now, runnerIds: [] })
        })
        break
      default:
        // Faults that last act through `active`.
        break
    }
  }
  return { active, injections }
}

/**
 * Picks `fault.runners` runners at random, without replacement, among the
 * registered, untainted runners in `fault.state` (any state when absent)
 * that the fault has not hit already. Candidates are taken in registration
 * order, so the same draws pick the same runners. Picks them all when there
 * are fewer.
 */
const pickRunners = (
  world: World,
  fault: FaultOf<"heartbeatLoss" | "instanceUnhealthy">,
  random: RandomStream
): Array<string> => {
  const notHitYet = (agent: SimAgent): boolean =>
    fault.kind === "heartbeatLoss" ? agent.heartbeatLostAt === Infinity : agent.instance.healthy
  const candidates = [...world.registry.values()].filter(
    (agent) => !agent.tainted && (fault.state === undefined || agent.status === fault.state) && notHitYet(agent)
  )
  const count = Math.min(fault.runners, candidates.length)
  const picked: Array<string> = []
  // Partial Fisher-Yates shuffle: one draw per pick.
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random.next() * (candidates.length - i))
    const chosen = candidates[j]!
    candidates[j] = candidates[i]!
    candidates[i] = chosen
    picked.push(chosen.runnerId)
  }
  return picked
}
