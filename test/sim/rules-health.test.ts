import { describe, expect, it } from "vitest"
import type { PoolEvent } from "../../core/events.js"
import { defaultRunnerModel } from "../../sim/world/models.js"
import type { World } from "../../sim/world/world.js"
import {
  burst,
  cloudWith,
  constant,
  emptyWorkload,
  eventsOfKind,
  maxRotationsInFlight,
  ruleSettings,
  runSimulation,
  taintsOf,
  untaintedRunners,
  workloadOf
} from "./support.js"

const MINUTE = 60_000
const FIRST_RUNNER = "runner-000001"

/** Returns the only RunnerRemoved event of a runner, and fails the test when there is none or more than one. */
const removalOf = (events: ReadonlyArray<PoolEvent>, runnerId: string) => {
  const removals = eventsOfKind(events, "RunnerRemoved").filter((event) => event.runnerId === runnerId)
  expect(removals).toHaveLength(1)
  return removals[0]!
}

describe("heartbeat loss", () => {
  const settings = ruleSettings({ minPoolSize: 1, maxPoolSize: 3 })
  const bound = settings.heartbeatTimeout + settings.taintGracePeriod + settings.reconcileInterval
  const heartbeatInterval = defaultRunnerModel.heartbeatIntervalMs

  // The runner registers at 60 s. The losses fall at, between and just before heartbeats and reconcile passes.
  it.each([60_001, 61_000, 89_999, 95_000, 100_000, 119_999, 600_001])("loss at %i ms removes the Idle runner in time", (lossAt) => {
    const { events, handle } = runSimulation({
      settings,
      workload: emptyWorkload,
      horizonMs: lossAt + bound + 5 * MINUTE,
      setup: ({ kernel, world }) => {
        kernel.at(lossAt, () => world.loseHeartbeat(FIRST_RUNNER))
      }
    })

    const removal = removalOf(events, FIRST_RUNNER)
    expect(removal.reason).toBe("heartbeat")
    expect(removal.at - lossAt).toBeLessThanOrEqual(bound)
    // The last heartbeat before the loss is at most one heartbeat interval old.
    expect(removal.at - lossAt).toBeGreaterThanOrEqual(settings.heartbeatTimeout + settings.taintGracePeriod - heartbeatInterval)
    expect(handle.world.instances.has(FIRST_RUNNER)).toBe(false)
    expect(untaintedRunners(handle)).toHaveLength(1)
  })

  it("removes in time with uneven intervals", () => {
    // Pass, heartbeat and grace intervals that share no common period.
    const uneven = ruleSettings({ minPoolSize: 1, maxPoolSize: 3, reconcileInterval: "7s", heartbeatTimeout: "100s", taintGracePeriod: "13s" })
    const unevenBound = uneven.heartbeatTimeout + uneven.taintGracePeriod + uneven.reconcileInterval
    for (let lossAt = 70_000; lossAt < 130_000; lossAt += 4_321) {
      const { events } = runSimulation({
        settings: uneven,
        workload: emptyWorkload,
        horizonMs: lossAt + unevenBound + MINUTE,
        runners: { pollIntervalMs: 0, heartbeatIntervalMs: 11_000 },
        setup: ({ kernel, world }) => {
          kernel.at(lossAt, () => world.loseHeartbeat(FIRST_RUNNER))
        }
      })

      const removal = removalOf(events, FIRST_RUNNER)
      expect(removal.reason, `loss at ${lossAt} ms`).toBe("heartbeat")
      expect(removal.at - lossAt, `loss at ${lossAt} ms`).toBeLessThanOrEqual(unevenBound)
      expect(removal.at - lossAt, `loss at ${lossAt} ms`).toBeGreaterThanOrEqual(uneven.heartbeatTimeout + uneven.taintGracePeriod - 11_000)
      // The pass after a taint is moved up so the removal comes exactly one grace period later.
      const taint = taintsOf(events, "heartbeat")
      expect(taint, `loss at ${lossAt} ms`).toHaveLength(1)
      expect(removal.at - taint[0]!.at, `loss at ${lossAt} ms`).toBe(uneven.taintGracePeriod)
    }
  })

  it("removes a Running runner and fails its run", () => {
    const lossAt = 2 * MINUTE
    const { events } = runSimulation({
      settings,
      workload: workloadOf(burst(1, 61_000, 60 * MINUTE)),
      horizonMs: 20 * MINUTE,
      setup: ({ kernel, world }) => {
        kernel.at(lossAt, () => world.loseHeartbeat(FIRST_RUNNER))
      }
    })

    const taint = taintsOf(events, "heartbeat")
    expect(taint).toHaveLength(1)
    expect(taint[0]!.from).toBe("Running")
    const removal = removalOf(events, FIRST_RUNNER)
    expect(removal.at - lossAt).toBeLessThanOrEqual(bound)
    const failed = eventsOfKind(events, "RunFailed")
    expect(failed).toEqual([{ kind: "RunFailed", at: removal.at, runId: 0, runnerId: FIRST_RUNNER, reason: "runnerRemoved" }])
    expect(eventsOfKind(events, "RunCompleted")).toHaveLength(0)
  })

  it("stops a run it was executing from completing", () => {
    // The run would end at 3 min, before the heartbeat timeout; a silent agent
    // cannot report that, so the run fails when its runner is removed.
    const lossAt = 2 * MINUTE
    const { events } = runSimulation({
      settings,
      workload: workloadOf(burst(1, 61_000, 2 * MINUTE)),
      horizonMs: 20 * MINUTE,
      setup: ({ kernel, world }) => {
        kernel.at(lossAt, () => world.loseHeartbeat(FIRST_RUNNER))
      }
    })

    expect(eventsOfKind(events, "RunCompleted")).toHaveLength(0)
    expect(taintsOf(events, "heartbeat").map((event) => event.from)).toEqual(["Running"])
    expect(eventsOfKind(events, "RunFailed").map((event) => event.reason)).toEqual(["runnerRemoved"])
  })
})

describe("unhealthy instance", () => {
  const settings = ruleSettings({ minPoolSize: 1, maxPoolSize: 3 })

  it("is removed after the grace period", () => {
    const failAt = 95_000
    const { events, handle } = runSimulation({
      settings,
      workload: emptyWorkload,
      horizonMs: 10 * MINUTE,
      setup: ({ kernel, world }) => {
        kernel.at(failAt, () => world.markUnhealthy(FIRST_RUNNER))
      }
    })

    const taints = taintsOf(events, "unhealthy")
    expect(taints.map((event) => event.runnerId)).toEqual([FIRST_RUNNER])
    expect(taints[0]!.at - failAt).toBeLessThanOrEqual(settings.reconcileInterval)
    const removal = removalOf(events, FIRST_RUNNER)
    expect(removal.reason).toBe("unhealthy")
    expect(removal.at - taints[0]!.at).toBe(settings.taintGracePeriod)
    expect(handle.world.instances.has(FIRST_RUNNER)).toBe(false)
    expect(untaintedRunners(handle)).toHaveLength(1)
  })

  it("is removed while it executes a run", () => {
    const { events } = runSimulation({
      settings,
      workload: workloadOf(burst(1, 61_000, 60 * MINUTE)),
      horizonMs: 10 * MINUTE,
      setup: ({ kernel, world }) => {
        kernel.at(2 * MINUTE, () => world.markUnhealthy(FIRST_RUNNER))
      }
    })

    expect(taintsOf(events, "unhealthy").map((event) => event.from)).toEqual(["Running"])
    expect(removalOf(events, FIRST_RUNNER).reason).toBe("unhealthy")
    expect(eventsOfKind(events, "RunFailed").map((event) => event.reason)).toEqual(["runnerRemoved"])
  })

  it("that failed to boot is removed", () => {
    const { events } = runSimulation({
      settings: ruleSettings({ minPoolSize: 1, maxPoolSize: 1 }),
      workload: emptyWorkload,
      horizonMs: 10 * MINUTE,
      cloud: cloudWith({ bootFailureRate: 1 })
    })

    const removal = removalOf(events, FIRST_RUNNER)
    expect(removal.reason).toBe("unhealthy")
    expect(taintsOf(events, "unhealthy")[0]!.from).toBe("Provisioning")
  })
})

describe("agent rotation", () => {
  it.each([1, 2, 3])("stays within a budget of %i and skips Running runners", (rotationBudget) => {
    const upgradeAt = 200_000
    const longRunEnd = 61_000 + 20 * MINUTE
    const idleAtTaint: Array<boolean> = []
    let world: World | undefined
    const { events, handle } = runSimulation({
      settings: ruleSettings({ minPoolSize: 8, maxPoolSize: 12, rotationBudget, scaleUpCooldownMs: 0 }),
      // Two runs keep two runners Running across the upgrade.
      workload: workloadOf(burst(2, 61_000, 20 * MINUTE)),
      horizonMs: 60 * MINUTE,
      cloud: cloudWith({ deletionDelay: constant(2 * MINUTE) }),
      setup: (simulation) => {
        world = simulation.world
        simulation.kernel.at(upgradeAt, () => {
          simulation.config.settings = { ...simulation.config.settings, agentVersion: "2.0.0" }
        })
      },
      onEvent: (event) => {
        if (event.kind !== "RunnerStatusChanged" || event.reason !== "oldAgent") return
        const agent = world!.registry.get(event.runnerId)
        idleAtTaint.push(agent !== undefined && agent.status === "Idle" && agent.currentRun === undefined)
      }
    })

    const rotations = taintsOf(events, "oldAgent")
    // Runners 1 to 8 boot with agent 1.0.0, and every one of them is rotated.
    expect(rotations.map((event) => event.runnerId).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `runner-00000${i + 1}`)
    )
    expect(rotations.every((event) => event.from === "Idle")).toBe(true)
    expect(idleAtTaint).toHaveLength(8)
    expect(idleAtTaint.every((idle) => idle)).toBe(true)
    expect(maxRotationsInFlight(events)).toBe(rotationBudget)

    // The two Running runners are rotated only after their runs complete.
    const completions = eventsOfKind(events, "RunCompleted")
    expect(completions).toHaveLength(2)
    for (const completion of completions) {
      const rotation = rotations.find((event) => event.runnerId === completion.runnerId)!
      expect(completion.at).toBe(longRunEnd)
      expect(rotation.at).toBeGreaterThanOrEqual(completion.at)
    }

    const versions = [...handle.world.instances.values()].map((instance) => instance.agentVersion)
    expect(new Set(versions)).toEqual(new Set(["2.0.0"]))
    expect(untaintedRunners(handle)).toHaveLength(8)
  })
})

describe("maximum runner age", () => {
  const settings = ruleSettings({ minPoolSize: 1, maxPoolSize: 2, maxRunnerAge: "10m" })

  it("removes an Idle runner at that age", () => {
    const { events, handle } = runSimulation({ settings, workload: emptyWorkload, horizonMs: 15 * MINUTE })

    const taints = taintsOf(events, "age")
    expect(taints.map((event) => [event.runnerId, event.from, event.at])).toEqual([[FIRST_RUNNER, "Idle", 10 * MINUTE]])
    expect(removalOf(events, FIRST_RUNNER).reason).toBe("age")
    expect(handle.world.instances.has(FIRST_RUNNER)).toBe(false)
    expect(untaintedRunners(handle)).toHaveLength(1)
  })

  it("waits for a Running runner's run to complete", () => {
    const runStart = 5 * MINUTE
    const runEnd = runStart + 15 * MINUTE
    const { events } = runSimulation({
      settings,
      workload: workloadOf(burst(1, runStart, runEnd - runStart)),
      horizonMs: 25 * MINUTE
    })

    const completion = eventsOfKind(events, "RunCompleted")
    expect(completion.map((event) => [event.runnerId, event.at])).toEqual([[FIRST_RUNNER, runEnd]])
    const taints = taintsOf(events).filter((event) => event.runnerId === FIRST_RUNNER)
    expect(taints).toHaveLength(1)
    expect(taints[0]!.reason).toBe("age")
    expect(taints[0]!.from).toBe("Idle")
    expect(taints[0]!.at).toBeGreaterThanOrEqual(runEnd)
    expect(taints[0]!.at - runEnd).toBeLessThanOrEqual(settings.reconcileInterval)
    expect(removalOf(events, FIRST_RUNNER).reason).toBe("age")
    expect(eventsOfKind(events, "RunFailed")).toHaveLength(0)
  })
})
