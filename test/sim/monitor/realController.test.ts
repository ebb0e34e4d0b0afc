import { describe, expect, it } from "vitest"
import { defaultReplicaSettings } from "../../../core/replicaSettings.js"
import type { SimulationHandle } from "../../../sim/simulate.js"
import { eventsOfKind, ruleSettings, taintsOf } from "../support.js"
import { MINUTE, runMonitored, SECOND, steadyWorkload } from "./support.js"

const HOUR = 60 * MINUTE

/** The id of the `index`-th instance that exists now, or `undefined`. */
const instanceAt = (handle: SimulationHandle, index: number): string | undefined => [...handle.world.instances.keys()][index]

describe("real controller", () => {
  it("keeps every invariant under a steady workload", () => {
    const { violations, events } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 5, idleTimeout: "10m", policy: "queue-depth-busy" }),
      workload: steadyWorkload(11, 4 * HOUR, MINUTE),
      horizonMs: 4 * HOUR
    })

    expect(violations).toEqual([])
    expect(eventsOfKind(events, "RunCompleted").length).toBeGreaterThan(150)
    expect(taintsOf(events, "idleTimeout").length + taintsOf(events, "scaleDown").length).toBeGreaterThan(0)
  })

  it("keeps every invariant with three replicas and leader faults", () => {
    const lease = defaultReplicaSettings({ count: 3 })
    const leaders: Array<string | undefined> = []
    const { violations, handle } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 5, idleTimeout: "10m", policy: "queue-depth-busy" }),
      workload: steadyWorkload(12, 4 * HOUR, MINUTE),
      horizonMs: 4 * HOUR,
      replicas: lease,
      setup: (simulation) => {
        const { kernel, replicas } = simulation
        const noteLeader = () => leaders.push(replicas.leases.leaderAt(kernel.now))
        kernel.at(30 * MINUTE, () => {
          noteLeader()
          replicas.crash("leader")
        })
        // A pause longer than the lease: the leader wakes up after a follower took over.
        kernel.at(HOUR, () => {
          noteLeader()
          replicas.pause("leader", 3 * lease.leaseTtl)
        })
        kernel.at(90 * MINUTE, () => {
          noteLeader()
          replicas.cutOffControlPlane("leader", 2 * MINUTE)
        })
        kernel.at(2 * HOUR, () => {
          noteLeader()
          replicas.pause("leader", lease.leaseTtl / 2)
        })
      }
    })

    expect(violations).toEqual([])
    // Each fault hit a leader, and leadership moved at least twice.
    expect(leaders.every((leader) => leader !== undefined)).toBe(true)
    expect(new Set(leaders).size).toBeGreaterThanOrEqual(3)
    expect(handle.replicas.leases.epoch).toBeGreaterThanOrEqual(3)
  })

  it("keeps every invariant through heartbeat loss and unhealthy instances", () => {
    const { violations, events } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 4, heartbeatTimeout: "3m", policy: "queue-depth-busy" }),
      workload: steadyWorkload(13, 3 * HOUR, MINUTE),
      horizonMs: 3 * HOUR,
      replicas: defaultReplicaSettings({ count: 2 }),
      setup: (simulation) => {
        const { kernel, world } = simulation
        for (let minute = 20; minute < 150; minute += 20) {
          kernel.at(minute * MINUTE, () => {
            const id = instanceAt(simulation, minute % 3)
            if (id === undefined) return
            if (minute % 40 === 0) world.markUnhealthy(id)
            else world.loseHeartbeat(id)
          })
        }
        // One more of each on a runner known to be Running, so a busy runner is removed for a health failure.
        kernel.at(155 * MINUTE, () => {
          const busy = [...world.registry.values()].filter((agent) => agent.status === "Running")
          if (busy[0] !== undefined) world.loseHeartbeat(busy[0].runnerId)
          if (busy[1] !== undefined) world.markUnhealthy(busy[1].runnerId)
        })
      }
    })

    expect(violations).toEqual([])
    expect(taintsOf(events, "heartbeat").length).toBeGreaterThan(0)
    expect(taintsOf(events, "unhealthy").length).toBeGreaterThan(0)
    // Busy runners were removed, for health failures only.
    const removedBusy = eventsOfKind(events, "RunFailed").filter((failure) => failure.reason === "runnerRemoved")
    expect(removedBusy.length).toBeGreaterThanOrEqual(2)
  })

  it("keeps every invariant when the only replica crashes", () => {
    const { violations, events } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 3, policy: "queue-depth-busy" }),
      workload: steadyWorkload(14, 2 * HOUR, 2 * MINUTE),
      horizonMs: 2 * HOUR,
      setup: ({ kernel, replicas }) => {
        kernel.at(20 * MINUTE, () => replicas.crash(0))
        kernel.at(50 * MINUTE + 5 * SECOND, () => replicas.crash(0))
      }
    })

    expect(violations).toEqual([])
    expect(eventsOfKind(events, "ReplicaStatusChanged").filter((change) => change.reason === "crashed")).toHaveLength(2)
  })
})
