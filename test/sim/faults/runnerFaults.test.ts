import { describe, expect, it } from "vitest"
import type { PoolEvent } from "../../../core/events.js"
import type { RemovalReason } from "../../../core/model.js"
import { installFaults } from "../../../sim/faults/inject.js"
import { makeStream } from "../../../sim/random.js"
import {
  burst,
  emptyWorkload,
  eventsOfKind,
  maxRotationsInFlight,
  ruleSettings,
  runSimulation,
  taintsOf,
  untaintedRunners,
  workloadOf
} from "../support.js"
import { faultsOf, runWithFaults } from "./support.js"

const MINUTE = 60_000

/** Removals by reason, counted. */
const removalsByReason = (events: ReadonlyArray<PoolEvent>): Partial<Record<RemovalReason, number>> => {
  const counts: Partial<Record<RemovalReason, number>> = {}
  for (const event of eventsOfKind(events, "RunnerRemoved")) counts[event.reason] = (counts[event.reason] ?? 0) + 1
  return counts
}

/** Six runners from 60 s; three execute hour-long runs from 61 s, three stay Idle. */
const sixRunners = {
  settings: ruleSettings({ minPoolSize: 6, maxPoolSize: 8 }),
  workload: workloadOf(burst(3, 61_000, 60 * MINUTE)),
  horizonMs: 20 * MINUTE
}

describe.each([
  ["heartbeatLoss", "heartbeat"],
  ["instanceUnhealthy", "unhealthy"]
] as const)("%s fault", (kind, reason) => {
  it.each(["Idle", "Running"] as const)("removes exactly N %s runners", (state) => {
    const { events, faults, handle } = runWithFaults(sixRunners, faultsOf({ kind, at: "2m", runners: 2, state }))

    expect(faults.injections).toHaveLength(1)
    const hit = faults.injections[0]!.runnerIds
    expect(hit).toHaveLength(2)
    expect(new Set(hit).size).toBe(2)
    expect(removalsByReason(events)).toEqual({ [reason]: 2 })
    const removals = eventsOfKind(events, "RunnerRemoved")
    expect(removals.map((event) => event.runnerId).sort()).toEqual([...hit].sort())
    expect(taintsOf(events, reason).map((event) => event.from)).toEqual([state, state])
    // A Running runner's run fails when the runner is removed.
    expect(eventsOfKind(events, "RunFailed")).toHaveLength(state === "Running" ? 2 : 0)
    // The pool replaces both runners.
    expect(untaintedRunners(handle)).toHaveLength(6)
  })

  it("takes any state without state", () => {
    const { events, faults } = runWithFaults(sixRunners, faultsOf({ kind, at: "2m", runners: 5 }))

    expect(faults.injections[0]!.runnerIds).toHaveLength(5)
    expect(removalsByReason(events)).toEqual({ [reason]: 5 })
  })

  it("hits all when fewer runners qualify", () => {
    const { events, faults } = runWithFaults(sixRunners, faultsOf({ kind, at: "2m", runners: 5, state: "Running" }))

    expect(faults.injections[0]!.runnerIds).toHaveLength(3)
    expect(removalsByReason(events)).toEqual({ [reason]: 3 })
    expect(eventsOfKind(events, "RunFailed").map((event) => event.reason)).toEqual(["runnerRemoved", "runnerRemoved", "runnerRemoved"])
  })

  it("skips tainted runners", () => {
    const tainted = "runner-000001"
    const { faults } = runWithFaults(
      {
        ...sixRunners,
        workload: emptyWorkload,
        setup: ({ kernel, world }) => {
          kernel.at(2 * MINUTE - 1, () => world.taint(tainted))
        }
      },
      faultsOf({ kind, at: "2m", runners: 10 })
    )

    const hit = faults.injections[0]!.runnerIds
    expect(hit).toHaveLength(5)
    expect(hit).not.toContain(tainted)
  })

  it("skips runners already hit", () => {
    // The controller's next pass, at 2m10s, comes after both faults.
    const { faults } = runWithFaults(
      { ...sixRunners, workload: emptyWorkload },
      faultsOf({ kind, at: "2m", runners: 2 }, { kind, at: "2m5s", runners: 10 })
    )

    const [first, second] = faults.injections
    expect(first!.runnerIds).toHaveLength(2)
    expect(second!.runnerIds).toHaveLength(4)
    expect(second!.runnerIds.filter((id) => first!.runnerIds.includes(id))).toEqual([])
  })

  it("picks depend on the seed only", () => {
    const picks = (seed: number) =>
      runWithFaults({ ...sixRunners, seed }, faultsOf({ kind, at: "2m", runners: 3 })).faults.injections[0]!.runnerIds

    expect(picks(3)).toEqual(picks(3))
    const bySeed = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => picks(seed).join(",")))
    expect(bySeed.size).toBeGreaterThan(1)
  })
})

describe("agentVersionBump fault", () => {
  const settings = ruleSettings({ minPoolSize: 4, maxPoolSize: 6, rotationBudget: 2 })

  it("rotates every runner within the budget", () => {
    const { events, handle } = runWithFaults(
      { settings, workload: emptyWorkload, horizonMs: 30 * MINUTE },
      faultsOf({ kind: "agentVersionBump", at: "5m", version: "2.0.0" })
    )

    expect(handle.config.settings.agentVersion).toBe("2.0.0")
    expect(settings.agentVersion).toBe("1.0.0")
    const rotations = taintsOf(events, "oldAgent")
    expect(rotations).toHaveLength(4)
    expect(rotations.every((event) => event.at >= 5 * MINUTE)).toBe(true)
    expect(removalsByReason(events)).toEqual({ oldAgent: 4 })
    expect(maxRotationsInFlight(events)).toBe(2)
    const versions = untaintedRunners(handle).map((id) => handle.world.registry.get(id)!.agentVersion)
    expect(versions).toEqual(["2.0.0", "2.0.0", "2.0.0", "2.0.0"])
  })

  it("leaves other settings unchanged", () => {
    const { handle } = runWithFaults(
      { settings, workload: emptyWorkload, horizonMs: 10 * MINUTE },
      faultsOf({ kind: "agentVersionBump", at: "1m", version: "1.5.0" })
    )

    expect(handle.config.settings).toEqual({ ...settings, agentVersion: "1.5.0" })
  })
})

describe("installFaults", () => {
  it("rejects replica faults without handler", () => {
    const faults = faultsOf({ kind: "heartbeatLoss", at: "1m", runners: 1 }, { kind: "replicaCrash", at: "2m", replica: "leader" })

    expect(() =>
      runSimulation({
        settings: ruleSettings(),
        workload: emptyWorkload,
        horizonMs: MINUTE,
        setup: (handle) => {
          installFaults(handle, faults, makeStream(1, "faults"))
        }
      })
    ).toThrow("fault 1 (replicaCrash) acts on a replica, but no onReplicaFault handler was given to installFaults")
  })

  it("hands replica faults to the handler at their time", () => {
    const faults = faultsOf(
      { kind: "replicaPause", at: "3m", for: "1m", replica: 0 },
      { kind: "replicaCrash", at: "2m", replica: "leader" }
    )
    const calls: Array<{ at: number; kind: string }> = []

    runSimulation({
      settings: ruleSettings(),
      workload: emptyWorkload,
      horizonMs: 5 * MINUTE,
      setup: (handle) => {
        installFaults(handle, faults, makeStream(1, "faults"), {
          onReplicaFault: (fault) => calls.push({ at: handle.kernel.now, kind: fault.kind })
        })
      }
    })

    expect(calls).toEqual([
      { at: 2 * MINUTE, kind: "replicaCrash" },
      { at: 3 * MINUTE, kind: "replicaPause" }
    ])
  })
})
