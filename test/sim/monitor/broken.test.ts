import { describe, expect, it } from "vitest"
import { defaultReplicaSettings } from "../../../core/replicaSettings.js"
import type { SimulationHandle } from "../../../sim/simulate.js"
import { RunState } from "../../../sim/world/runs.js"
import { burst, ruleSettings, workloadOf } from "../support.js"
import {
  ignoreCreateTimeout,
  leaseIgnoringReplicas,
  noAction,
  provisionPastMaximum,
  scaleDownBusyRunner,
  scaleDownProvisioningRunner,
  sharedEpochReplicas,
  taintOnlyInEvents
} from "./brokenPrograms.js"
import { bootingAfter, MINUTE, runMonitored, SECOND, steadyWorkload, violationsOf } from "./support.js"

const HOUR = 60 * MINUTE

/** The first runner that the world's registry records as Running, with its run. */
const firstRunning = (handle: SimulationHandle) => {
  const agent = [...handle.world.registry.values()].find((candidate) => candidate.status === "Running")
  return agent === undefined ? undefined : { runnerId: agent.runnerId, runId: agent.currentRun!.runId }
}

describe("busyRunnerRemoved", () => {
  it("fires when scale-down removes a Running runner", () => {
    const done = noAction()
    const { violations } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 3 }),
      workload: workloadOf(burst(3, 0, 20 * MINUTE)),
      horizonMs: HOUR,
      replicaProgram: scaleDownBusyRunner(5 * MINUTE, done)
    })

    expect(done.runnerIds).toHaveLength(1)
    expect(violationsOf(violations, "busyRunnerRemoved")).toEqual([
      {
        invariant: "busyRunnerRemoved",
        at: 5 * MINUTE,
        ids: [done.runnerIds[0], String(done.runIds[0])],
        detail: `runner ${done.runnerIds[0]} was removed while Tainted for scaleDown, which is not a health failure, failing its run ${done.runIds[0]}`
      }
    ])
  })

  it("fires when a provider terminates a Running runner untainted", () => {
    const removed: Array<{ runnerId: string; runId: number }> = []
    const { violations } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 2 }),
      workload: workloadOf(burst(2, 0, 20 * MINUTE)),
      horizonMs: HOUR,
      setup: (handle) =>
        handle.kernel.at(4 * MINUTE, () => {
          const busy = firstRunning(handle)!
          removed.push(busy)
          handle.world.terminate(busy.runnerId)
        })
    })

    const found = violationsOf(violations, "busyRunnerRemoved")
    expect(found).toHaveLength(1)
    expect(found[0]!.at).toBe(4 * MINUTE)
    expect(found[0]!.ids).toEqual([removed[0]!.runnerId, String(removed[0]!.runId)])
    expect(found[0]!.detail).toContain("without any taint")
  })
})

describe("provisioningRemovedByScaleDown", () => {
  it("fires on a scale-down taint of a Provisioning runner", () => {
    const done = noAction()
    const { violations } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 2 }),
      workload: workloadOf(burst(2, 0, 5 * MINUTE)),
      horizonMs: HOUR,
      replicaProgram: scaleDownProvisioningRunner(30 * SECOND, done)
    })

    expect(done.runnerIds).toHaveLength(1)
    expect(violationsOf(violations, "provisioningRemovedByScaleDown")).toEqual([
      {
        invariant: "provisioningRemovedByScaleDown",
        at: 30 * SECOND,
        ids: [done.runnerIds[0]],
        detail: `scale-down marked runner ${done.runnerIds[0]} Tainted from Provisioning`
      }
    ])
  })

  it("fires on a scale-down taint of a Running runner", () => {
    const done = noAction()
    const { violations } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 3 }),
      workload: workloadOf(burst(3, 0, 20 * MINUTE)),
      horizonMs: HOUR,
      replicaProgram: scaleDownBusyRunner(5 * MINUTE, done)
    })

    const found = violationsOf(violations, "provisioningRemovedByScaleDown")
    expect(found.map((violation) => [violation.at, violation.ids])).toEqual([[5 * MINUTE, done.runnerIds]])
    expect(found[0]!.detail).toContain("Tainted from Running")
  })
})

describe("taintedAcquired", () => {
  it("fires when a runner Tainted only in the events acquires a run", () => {
    const done = noAction()
    const { violations } = runMonitored({
      settings: ruleSettings({ minPoolSize: 1, maxPoolSize: 1 }),
      workload: workloadOf(burst(1, 5 * MINUTE, MINUTE)),
      horizonMs: HOUR,
      replicaProgram: taintOnlyInEvents(2 * MINUTE, done)
    })

    expect(done.runnerIds).toHaveLength(1)
    expect(violationsOf(violations, "taintedAcquired")).toEqual([
      {
        invariant: "taintedAcquired",
        at: 5 * MINUTE,
        ids: [done.runnerIds[0], "0"],
        detail: `runner ${done.runnerIds[0]}, Tainted for idleTimeout, acquired run 0`
      }
    ])
  })
})

describe("twoActors", () => {
  it("fires when replicas share one never-expiring lease", () => {
    const { violations } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 4, policy: "queue-depth-busy" }),
      workload: workloadOf(burst(2, 0, 10 * MINUTE), burst(2, 62 * SECOND, 10 * MINUTE)),
      horizonMs: HOUR,
      replicas: defaultReplicaSettings({ count: 2 }),
      replicaProgram: sharedEpochReplicas(5 * SECOND)
    })

    const found = violationsOf(violations, "twoActors")
    expect(found).toHaveLength(1)
    expect(found[0]!.ids).toEqual(["replica-1", "replica-0"])
    // replica-0 (passes at 0, 10, 20 s...) provisions for the first runs; replica-1 (passes at 5, 15, 25 s...) for those at 62 s.
    expect(found[0]!.at).toBe(65 * SECOND)
    expect(found[0]!.detail).toBe("replica-1 called provision under epoch 1, which replica-0 still acts under")
  })

  it("fires when a leader keeps acting after its lease expired", () => {
    let handle: SimulationHandle | undefined
    const { violations } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 6, scaleUpCooldownMs: 0 }),
      workload: steadyWorkload(3, 2 * HOUR, 30 * SECOND),
      horizonMs: 2 * HOUR,
      replicas: defaultReplicaSettings({ count: 2 }),
      replicaProgram: leaseIgnoringReplicas(
        () => handle!.replicas.leases,
        () => handle!.kernel.now
      ),
      setup: (simulation) => {
        handle = simulation
      }
    })

    const found = violationsOf(violations, "twoActors")
    expect(found.length).toBeGreaterThan(0)
    // replica-0 leads in epoch 1 and never renews; replica-1 takes epoch 2 once the 15 s lease expired.
    expect(found[0]!.ids).toEqual(["replica-0", "replica-1"])
    expect(found[0]!.at).toBeGreaterThanOrEqual(15 * SECOND)
    expect(found[0]!.detail).toMatch(/^replica-0 called (provision|terminate) under epoch 1, older than epoch 2 of replica-1, and the cloud rejected it$/)
  })
})

describe("maxPoolSize", () => {
  it("fires once when a program provisions past the maximum", () => {
    const done = noAction()
    const { violations } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 3 }),
      workload: workloadOf(burst(3, 0, 30 * MINUTE)),
      horizonMs: HOUR,
      replicaProgram: provisionPastMaximum(5 * MINUTE, 2, done)
    })

    expect(violationsOf(violations, "maxPoolSize")).toEqual([
      {
        invariant: "maxPoolSize",
        at: 5 * MINUTE,
        ids: [done.runnerIds[0]],
        detail: `4 instances exist, more than the maximum pool size of 3; instances past the maximum: ${done.runnerIds[0]}`
      }
    ])
  })

  it("fires when a cloud outside the controller creates instances", () => {
    const { violations } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 2 }),
      workload: workloadOf(burst(2, 0, 30 * MINUTE)),
      horizonMs: HOUR,
      setup: (handle) =>
        handle.kernel.at(5 * MINUTE, () => {
          handle.world.provision({ clientToken: "outside-1", agentVersion: "1.0.0", epoch: 1 })
        })
    })

    const found = violationsOf(violations, "maxPoolSize")
    expect(found).toHaveLength(1)
    expect(found[0]!.ids).toEqual(["runner-000003"])
    // No event reports the creation, so the monitor counts it at the next event: the instance registering 60 s later.
    expect(found[0]!.at).toBe(6 * MINUTE)
  })
})

describe("orphanInstance", () => {
  it("fires when the controller ignores the create timeout", () => {
    const { violations, handle } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 2, createTimeout: "15m" }),
      workload: workloadOf(burst(2, 0, MINUTE)),
      horizonMs: HOUR,
      cloud: bootingAfter(10 * HOUR),
      replicaProgram: ignoreCreateTimeout
    })

    const ids = [...handle.world.instances.keys()]
    expect(ids).toEqual(["runner-000001", "runner-000002"])
    expect(violationsOf(violations, "orphanInstance")).toEqual(
      ids.map((id) => ({
        invariant: "orphanInstance",
        at: HOUR,
        ids: [id],
        detail: `instance ${id} (pending, created at ${10 * SECOND} ms) has no registry entry past the create timeout of ${15 * MINUTE} ms plus 80000 ms to settle`
      }))
    )
  })

  it("fires on a deregistered runner whose instance stays", () => {
    const { violations } = runMonitored({
      settings: ruleSettings({ minPoolSize: 1, maxPoolSize: 1, createTimeout: "off" }),
      workload: workloadOf(),
      horizonMs: HOUR,
      setup: (handle) => handle.kernel.at(5 * MINUTE, () => handle.world.deregister("runner-000001"))
    })

    const found = violationsOf(violations, "orphanInstance")
    expect(found.map((violation) => [violation.at, violation.ids])).toEqual([[HOUR, ["runner-000001"]]])
    expect(found[0]!.detail).toContain("booted but has no registry entry, with the create timeout off")
  })

  it("fires on a registry entry without an instance", () => {
    const { violations } = runMonitored({
      settings: ruleSettings({ minPoolSize: 1, maxPoolSize: 1 }),
      workload: workloadOf(),
      horizonMs: HOUR,
      setup: (handle) => handle.kernel.at(5 * MINUTE, () => handle.world.instances.delete("runner-000001"))
    })

    expect(violationsOf(violations, "orphanInstance")).toEqual([
      {
        invariant: "orphanInstance",
        at: HOUR,
        ids: ["runner-000001"],
        detail: "runner runner-000001 is in the registry, but its instance does not exist"
      }
    ])
  })
})

describe("runLost", () => {
  it("fires on a queued run marked failed without an event", () => {
    const { violations } = runMonitored({
      settings: ruleSettings({ maxPoolSize: 1 }),
      workload: workloadOf(burst(3, 0, 20 * MINUTE)),
      horizonMs: HOUR,
      // Run 0 runs on the only runner; runs 1 and 2 wait, and the control plane drops run 2.
      setup: (handle) => handle.kernel.at(2 * MINUTE, () => handle.world.runs.finish(2, RunState.Failed))
    })

    expect(violationsOf(violations, "runLost")).toEqual([
      {
        invariant: "runLost",
        at: HOUR,
        ids: ["2"],
        detail: "run 2, queued at 0 ms, has no end event and is Failed in the run table"
      }
    ])
  })
})
