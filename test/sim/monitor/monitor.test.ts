import { describe, expect, it } from "vitest"
import type { PoolEvent } from "../../../core/events.js"
import { defaultPoolSettings } from "../../../core/settings.js"
import { createInvariantMonitor, type MonitoredWorld } from "../../../sim/monitor/monitor.js"
import { compareViolations, type Violation } from "../../../sim/monitor/violation.js"
import type { CloudCallRecord } from "../../../sim/providers/cloud.js"
import { RunState } from "../../../sim/world/runs.js"
import type { Violation as SummaryViolation } from "../../../reports/summary.js"

const settings = defaultPoolSettings({ maxPoolSize: 2 })

/** A final world with no instance, no runner and the given run states. */
const finalWorld = (states: ReadonlyArray<RunState> = []): MonitoredWorld => ({
  instances: new Map(),
  registry: new Map(),
  runs: { states: Uint8Array.from(states) }
})

const created = (at: number, runnerId: string): PoolEvent => ({ kind: "RunnerStatusChanged", at, runnerId, from: undefined, to: "Provisioning", reason: "provisioned" })
const deleted = (at: number, runnerId: string): PoolEvent => ({ kind: "InstanceDeleted", at, runnerId })
const call = (at: number, replica: string, epoch: number, rejected = false): CloudCallRecord => ({ at, replica, epoch, operation: "provision", rejected })
const replicaStatus = (at: number, replica: string, to: "Active" | "Tainted", epoch?: number): PoolEvent => ({
  kind: "ReplicaStatusChanged",
  at,
  replica,
  from: undefined,
  to,
  reason: to === "Tainted" ? "crashed" : "leaseAcquired",
  epoch
})

/** Feeds events and cloud calls to a fresh monitor and finishes it on `world`. */
const check = (inputs: ReadonlyArray<PoolEvent | CloudCallRecord>, world = finalWorld(), horizonMs = 100_000) => {
  const monitor = createInvariantMonitor({ settings })
  for (const input of inputs) {
    if ("kind" in input) monitor.onEvent(input)
    else monitor.onCloudCall(input)
  }
  return monitor.finish(world, horizonMs)
}

describe("maxPoolSize from events", () => {
  it("records one violation per excursion", () => {
    const violations = check([
      created(1, "a"),
      created(2, "b"),
      created(3, "c"),
      created(4, "d"),
      deleted(5, "d"),
      deleted(6, "c"),
      created(7, "e")
    ])

    expect(violations.map((violation) => [violation.at, violation.ids])).toEqual([
      [3, ["c"]],
      [7, ["e"]]
    ])
  })

  it("ignores a count above a lowered maximum", () => {
    let current = defaultPoolSettings({ maxPoolSize: 3 })
    const monitor = createInvariantMonitor({ settings: () => current })
    for (const id of ["a", "b", "c"]) monitor.onEvent(created(1, id))
    current = defaultPoolSettings({ maxPoolSize: 1 })
    monitor.onEvent(deleted(2, "a"))
    monitor.onEvent(created(3, "d"))

    expect(monitor.finish(finalWorld(), 10).map((violation) => [violation.at, violation.ids])).toEqual([[3, ["c", "d"]]])
  })
})

describe("twoActors from calls", () => {
  it("accepts successive terms of distinct replicas", () => {
    const violations = check([
      replicaStatus(0, "r0", "Active", 1),
      call(1, "r0", 1),
      replicaStatus(20, "r1", "Active", 2),
      call(21, "r1", 2),
      call(30, "r1", 2)
    ])

    expect(violations).toEqual([])
  })

  it("accepts a replacement in the crashed replica's epoch", () => {
    const violations = check([call(1, "r0", 1), replicaStatus(2, "r0", "Tainted"), call(3, "r0.2", 1), replicaStatus(4, "r0.2", "Tainted"), call(5, "r0.3", 1)])

    expect(violations).toEqual([])
  })

  it("flags a call under an older epoch once", () => {
    const violations = check([call(1, "r0", 1), replicaStatus(2, "r1", "Active", 2), call(3, "r0", 1), call(4, "r0", 1)])

    expect(violations).toEqual([
      { invariant: "twoActors", at: 3, ids: ["r0", "r1"], detail: "r0 called provision under epoch 1, older than epoch 2 of r1" }
    ])
  })

  it("flags a call the cloud rejected", () => {
    const violations = check([call(1, "r0", 3, true)])

    expect(violations).toEqual([
      { invariant: "twoActors", at: 1, ids: ["r0"], detail: "r0 called provision under stale epoch 3, and the cloud rejected it" }
    ])
  })

  it("flags a shared epoch of two running replicas", () => {
    const violations = check([call(1, "r0", 1), call(2, "r1", 1)])

    expect(violations.map((violation) => [violation.at, violation.ids])).toEqual([[2, ["r1", "r0"]]])
  })
})

describe("runLost from events", () => {
  it("accepts ended, queued and running runs", () => {
    const events: Array<PoolEvent> = [
      { kind: "RunQueued", at: 0, runId: 0 },
      { kind: "RunQueued", at: 0, runId: 1 },
      { kind: "RunQueued", at: 0, runId: 2 },
      { kind: "RunQueued", at: 0, runId: 3 },
      { kind: "RunCompleted", at: 5, runId: 0, runnerId: "a" },
      { kind: "RunFailed", at: 6, runId: 1, runnerId: "a", reason: "runTimeout" }
    ]

    expect(check(events, finalWorld([RunState.Completed, RunState.Failed, RunState.Queued, RunState.Running, RunState.Pending]))).toEqual([])
  })

  it("flags runs that vanished or were never announced", () => {
    const events: Array<PoolEvent> = [
      { kind: "RunQueued", at: 0, runId: 0 },
      { kind: "RunQueued", at: 7, runId: 1 },
      { kind: "RunFailed", at: 9, runId: 0, runnerId: "a", reason: "lost" as never }
    ]
    const world = finalWorld([RunState.Failed, RunState.Completed, RunState.Running])

    expect(check(events, world, 50)).toEqual([
      { invariant: "runLost", at: 9, ids: ["0"], detail: "run 0 failed on runner a without a known reason (lost)" },
      { invariant: "runLost", at: 50, ids: ["1"], detail: "run 1, queued at 7 ms, has no end event and is Completed in the run table" },
      { invariant: "runLost", at: 50, ids: ["2"], detail: "run 2 is Running in the run table, but no RunQueued event announced it" }
    ])
  })
})

describe("orphanInstance on a final world", () => {
  const world = (createTimeout: number): MonitoredWorld => ({
    instances: new Map([
      ["old-pending", { state: "pending", createdAt: 0 }],
      ["old-running", { state: "running", createdAt: 0 }],
      ["old-failed", { state: "failed", createdAt: 0 }],
      ["old-terminating", { state: "terminating", createdAt: 0 }],
      ["registered", { state: "running", createdAt: 0 }],
      ["young", { state: "pending", createdAt: createTimeout + 5_000 }]
    ]),
    registry: new Map([["registered", { status: "Idle" as const }]]),
    runs: { states: new Uint8Array(0) }
  })

  it("flags unregistered instances past the create timeout", () => {
    const monitor = createInvariantMonitor({ settings: defaultPoolSettings({ createTimeout: 60_000 }), settleMs: 10_000 })
    const violations = monitor.finish(world(60_000), 70_000)

    expect(violations.map((violation) => violation.ids[0])).toEqual(["old-failed", "old-pending", "old-running"])
    expect(violations.every((violation) => violation.at === 70_000)).toBe(true)
  })

  it("flags only booted instances with the timeout off", () => {
    const monitor = createInvariantMonitor({ settings: defaultPoolSettings({ createTimeout: "off" }), settleMs: 10_000 })
    const violations = monitor.finish(world(60_000), 70_000)

    expect(violations.map((violation) => violation.ids[0])).toEqual(["old-running"])
  })
})

describe("invariant monitor", () => {
  it("throws when finished twice", () => {
    const monitor = createInvariantMonitor({ settings })
    monitor.finish(finalWorld(), 1)

    expect(() => monitor.finish(finalWorld(), 1)).toThrow("finish was called twice")
  })

  it("orders violations by time, invariant and ids", () => {
    const at = (time: number, invariant: Violation["invariant"], id: string): Violation => ({ invariant, at: time, ids: [id], detail: "" })
    const sorted = [at(2, "runLost", "a"), at(1, "runLost", "b"), at(1, "maxPoolSize", "c"), at(1, "runLost", "a")].sort(compareViolations)

    expect(sorted.map((violation) => `${violation.at} ${violation.invariant} ${violation.ids[0]}`)).toEqual([
      "1 maxPoolSize c",
      "1 runLost a",
      "1 runLost b",
      "2 runLost a"
    ])
  })

  it("returns violations a summary accepts", () => {
    const violations: ReadonlyArray<SummaryViolation> = check([created(1, "a"), created(2, "b"), created(3, "c")])

    expect(violations).toHaveLength(1)
  })
})
