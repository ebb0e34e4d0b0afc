import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { ReplicaStatusChanged } from "../../core/events.js"
import { CloudProvider } from "../../core/ports.js"
import { defaultReplicaSettings } from "../../core/replicaSettings.js"
import type { CloudCallRecord } from "../../sim/providers/cloud.js"
import { simCloudProviderLayer } from "../../sim/providers/cloud.js"
import { LeaseStore } from "../../sim/replicas/leaseStore.js"
import { replacementDelay } from "../../sim/replicas/supervisor.js"
import { burst, eventsOfKind, ruleSettings, runSimulation, workloadOf } from "./support.js"

const MINUTE = 60_000

/** Runs arriving every 30 s for an hour, each two minutes long. */
const steadyRuns = workloadOf(Array.from({ length: 120 }, (_, i) => ({ arrival: i * 30_000, duration: 2 * MINUTE })))

const replicaEvents = (events: ReadonlyArray<{ kind: string }>) =>
  events.filter((event): event is ReplicaStatusChanged => event.kind === "ReplicaStatusChanged")

/** Runs three replicas, records every cloud call, and applies `faults` through the supervisor. */
const runReplicas = (faults: (handle: Parameters<NonNullable<Parameters<typeof runSimulation>[0]["setup"]>>[0]) => void, overrides = {}) => {
  const calls: Array<CloudCallRecord> = []
  const record = runSimulation({
    settings: ruleSettings({ minPoolSize: 2, maxPoolSize: 20 }),
    workload: steadyRuns,
    horizonMs: 60 * MINUTE,
    replicas: defaultReplicaSettings({ count: 3, ...overrides }),
    cloudCalls: { onCall: (call) => calls.push(call) },
    setup: faults
  })
  return { ...record, calls, replicaChanges: replicaEvents(record.events) }
}

describe("replicas", () => {
  it("elect one leader and two followers", () => {
    const { replicaChanges } = runReplicas(() => {})

    const settled = replicaChanges.filter((event) => event.from === "Bootup").map((event) => [event.replica, event.to])
    expect(settled).toEqual([
      ["replica-0", "Active"],
      ["replica-1", "Inactive"],
      ["replica-2", "Inactive"]
    ])
  })

  it("fail over when the leader crashes", () => {
    const crashAt = 10 * MINUTE
    const { replicaChanges, calls } = runReplicas(({ kernel, replicas }) => kernel.at(crashAt, () => replicas.crash("leader")))

    const crash = replicaChanges.find((event) => event.reason === "crashed")!
    expect([crash.replica, crash.at]).toEqual(["replica-0", crashAt])
    const takeover = replicaChanges.find((event) => event.at > crashAt && event.to === "Active")!
    expect(takeover.epoch).toBe(2)
    // The lease (15 s) must expire first; a follower notices at its next renewal (every 5 s).
    expect(takeover.at - crashAt).toBeGreaterThan(0)
    expect(takeover.at - crashAt).toBeLessThanOrEqual(15_000 + 5_000)
    const replacement = replicaChanges.find((event) => event.replica === "replica-0.2")!
    expect([replacement.to, replacement.at]).toEqual(["Bootup", crashAt + 30_000])
    expect(calls.filter((call) => call.rejected)).toEqual([])
  })

  it("stop a paused leader before it acts with a stale epoch", () => {
    const pauseAt = 10 * MINUTE
    const { replicaChanges, calls } = runReplicas(({ kernel, replicas }) => kernel.at(pauseAt, () => replicas.pause("leader", MINUTE)))

    const newLeader = replicaChanges.find((event) => event.at > pauseAt && event.to === "Active")!
    expect(newLeader.replica).not.toBe("replica-0")
    const resumed = replicaChanges.find((event) => event.replica === "replica-0" && event.at >= pauseAt + MINUTE)!
    expect(resumed.to).toBe("Inactive")
    const lateCalls = calls.filter((call) => call.replica === "replica-0" && call.at >= pauseAt)
    expect(lateCalls).toEqual([])
  })

  it("stop acting without the control plane and get replaced", () => {
    const outageAt = 10 * MINUTE
    const { replicaChanges, calls } = runReplicas(({ kernel, replicas }) =>
      kernel.at(outageAt, () => replicas.cutOffControlPlane("leader", 2 * MINUTE))
    )

    // The lease was last renewed at most 5 s before the outage and lasts 15 s.
    const cutOffCalls = calls.filter((call) => call.replica === "replica-0" && call.at >= outageAt + 15_000)
    expect(cutOffCalls).toEqual([])
    const tainted = replicaChanges.find((event) => event.replica === "replica-0" && event.to === "Tainted")!
    expect(tainted.reason).toBe("errorThreshold")
    expect(replicaChanges.some((event) => event.at > outageAt && event.replica !== "replica-0" && event.to === "Active")).toBe(true)
    expect(calls.filter((call) => call.rejected)).toEqual([])
  })

  it("back off a replica that keeps failing in Bootup", () => {
    // With a zero replace delay and one error enough to taint it, a replica cut
    // off from the control plane used to be replaced at the same instant forever.
    const { replicaChanges } = runReplicas(
      ({ kernel, replicas }) => kernel.at(MINUTE, () => replicas.cutOffControlPlane(0, 10 * MINUTE)),
      { errorThreshold: 1, replaceDelay: "0s" }
    )

    const starts = replicaChanges.filter((event) => event.to === "Bootup" && event.replica.startsWith("replica-0.")).map((event) => event.at)
    expect(starts.length).toBeGreaterThan(3)
    expect(starts.length).toBeLessThan(20)
    const gaps = starts.slice(1).map((at, i) => at - starts[i]!)
    expect(gaps.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 8_000])
  })

  it("issue new client tokens after a replacement", () => {
    // A single replica with a lease that never expires works in epoch 1 for
    // good; its replacement must not reuse the tokens of the one it replaces.
    const record = runSimulation({
      settings: ruleSettings({ minPoolSize: 3, maxPoolSize: 6, idleTimeout: "off" }),
      workload: workloadOf(burst(1, 0, MINUTE)),
      horizonMs: 20 * MINUTE,
      setup: ({ kernel, world, replicas }) =>
        kernel.at(5 * MINUTE, () => {
          for (const id of [...world.instances.keys()]) world.terminate(id)
          replicas.crash(0)
        })
    })

    const provisioned = eventsOfKind(record.events, "RunnerStatusChanged").filter((event) => event.reason === "provisioned")
    const ids = provisioned.map((event) => event.runnerId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toHaveLength(6)
    expect(record.handle.world.instances.size).toBe(3)
  })
})

describe("fenced cloud", () => {
  it("rejects a call with a stale epoch", () => {
    const leases = new LeaseStore()
    leases.acquireOrRenew("a", 0, 15_000)
    leases.acquireOrRenew("b", 20_000, 15_000)
    const calls: Array<CloudCallRecord> = []
    const provision = Effect.flatMap(CloudProvider, (cloud) => cloud.terminate("runner-000001", 1))
    const layer = simCloudProviderLayer({ terminate: () => {} } as never, { replica: "a", now: () => 21_000, leases, onCall: (call) => calls.push(call) })
    const exit = Effect.runSyncExit(Effect.provide(provision, layer))

    expect(exit._tag).toBe("Failure")
    expect(JSON.stringify(exit)).toContain("staleEpoch")
    expect(calls).toEqual([{ at: 21_000, replica: "a", epoch: 1, operation: "terminate", rejected: true }])
  })
})

describe("replacementDelay", () => {
  it("doubles for failed boots up to five minutes", () => {
    expect(replacementDelay(30_000, 0)).toBe(30_000)
    expect(replacementDelay(0, 0)).toBe(1)
    expect([1, 2, 3, 10, 20].map((failed) => replacementDelay(0, failed))).toEqual([1_000, 2_000, 4_000, 300_000, 300_000])
    expect(replacementDelay(30_000, 2)).toBe(30_000)
  })
})
