import { describe, expect, it } from "vitest"
import {
  burst,
  emptyWorkload,
  eventsOfKind,
  poissonWorkload,
  ruleSettings,
  taintsOf,
  untaintedRunners,
  workloadOf
} from "../support.js"
import { faultsOf, runWithFaults } from "./support.js"

const MINUTE = 60_000

/** Times at which runners registered, in order. */
const registrations = (events: Parameters<typeof eventsOfKind>[0]) =>
  eventsOfKind(events, "RunnerStatusChanged").filter((event) => event.reason === "registered")

describe("hangingRuns fault", () => {
  const settings = ruleSettings({ minPoolSize: 2, maxPoolSize: 4, runTimeout: "30m" })

  it("hanging runs end by run timeout", () => {
    const { events } = runWithFaults(
      {
        settings,
        // Two runs acquired in the window, one after it.
        workload: workloadOf(burst(2, 61_000, 5 * MINUTE), burst(1, 20 * MINUTE, 5 * MINUTE)),
        horizonMs: 50 * MINUTE
      },
      faultsOf({ kind: "hangingRuns", at: 0, for: "10m", rate: 1 })
    )

    const failed = eventsOfKind(events, "RunFailed")
    expect(failed.map((event) => [event.runId, event.reason])).toEqual([
      [0, "runTimeout"],
      [1, "runTimeout"]
    ])
    const acquired = new Map(eventsOfKind(events, "RunAcquired").map((event) => [event.runId, event.at]))
    for (const event of failed) {
      const heldFor = event.at - acquired.get(event.runId)!
      expect(heldFor, `run ${event.runId}`).toBeGreaterThanOrEqual(settings.runTimeout)
      expect(heldFor, `run ${event.runId}`).toBeLessThanOrEqual(settings.runTimeout + settings.reconcileInterval)
    }
    expect(eventsOfKind(events, "RunCompleted").map((event) => event.runId)).toEqual([2])
    expect(eventsOfKind(events, "RunnerRemoved").map((event) => event.reason)).toEqual(["runTimeout", "runTimeout"])
  })

  it("hangs a share of runs", () => {
    const { events } = runWithFaults(
      {
        settings: ruleSettings({ minPoolSize: 4, maxPoolSize: 20, runTimeout: "1h" }),
        workload: poissonWorkload(5, 200, 30_000, { kind: "constant", value: 2 * MINUTE }),
        horizonMs: 4 * 60 * MINUTE
      },
      faultsOf({ kind: "hangingRuns", at: 0, for: "2h", rate: 0.3 })
    )

    const timedOut = eventsOfKind(events, "RunFailed").filter((event) => event.reason === "runTimeout")
    const completed = eventsOfKind(events, "RunCompleted")
    expect(timedOut.length + completed.length).toBe(200)
    // 200 draws at 0.3: the 99.9% binomial interval is about 60 ± 21.
    expect(timedOut.length).toBeGreaterThan(39)
    expect(timedOut.length).toBeLessThan(81)
    expect(taintsOf(events, "runTimeout")).toHaveLength(timedOut.length)
  })
})

describe("slowProvisioning fault", () => {
  const settings = ruleSettings({ minPoolSize: 2, maxPoolSize: 2, createTimeout: "15m" })

  it("lengthens boot in the window", () => {
    const { events } = runWithFaults(
      { settings, workload: emptyWorkload, horizonMs: 20 * MINUTE },
      faultsOf({ kind: "slowProvisioning", at: 0, for: "5m", delay: { kind: "constant", value: "10m" } })
    )

    expect(registrations(events).map((event) => event.at)).toEqual([10 * MINUTE, 10 * MINUTE])
    expect(eventsOfKind(events, "RunnerRemoved")).toEqual([])
  })

  it("past create timeout removes runners", () => {
    const { events, handle } = runWithFaults(
      { settings, workload: emptyWorkload, horizonMs: 30 * MINUTE },
      faultsOf({ kind: "slowProvisioning", at: 0, for: "5m", delay: { kind: "constant", value: "20m" } })
    )

    const removals = eventsOfKind(events, "RunnerRemoved")
    expect(removals.map((event) => [event.runnerId, event.reason])).toEqual([
      ["runner-000001", "createTimeout"],
      ["runner-000002", "createTimeout"]
    ])
    expect(taintsOf(events, "createTimeout").every((event) => event.at >= settings.createTimeout)).toBe(true)
    // The replacements, created after the window, boot in the cloud's 60 s.
    const registered = registrations(events)
    expect(registered.map((event) => event.runnerId)).toEqual(["runner-000003", "runner-000004"])
    const created = new Map(
      eventsOfKind(events, "RunnerStatusChanged")
        .filter((event) => event.reason === "provisioned")
        .map((event) => [event.runnerId, event.at])
    )
    for (const event of registered) expect(event.at - created.get(event.runnerId)!).toBe(MINUTE)
    expect(untaintedRunners(handle)).toEqual(["runner-000003", "runner-000004"])
  })
})

describe("bootFailures fault", () => {
  it("failed boots are removed unhealthy", () => {
    const { events, handle } = runWithFaults(
      { settings: ruleSettings({ minPoolSize: 2, maxPoolSize: 2 }), workload: emptyWorkload, horizonMs: 10 * MINUTE },
      faultsOf({ kind: "bootFailures", at: 0, for: "1m", rate: 1 })
    )

    const removals = eventsOfKind(events, "RunnerRemoved")
    expect(removals.map((event) => [event.runnerId, event.reason])).toEqual([
      ["runner-000001", "unhealthy"],
      ["runner-000002", "unhealthy"]
    ])
    expect(registrations(events).map((event) => event.runnerId)).toEqual(["runner-000003", "runner-000004"])
    expect(untaintedRunners(handle)).toEqual(["runner-000003", "runner-000004"])
  })
})

describe("cloudErrors fault", () => {
  it("failing provisions delay the pool", () => {
    const { events } = runWithFaults(
      { settings: ruleSettings({ minPoolSize: 2, maxPoolSize: 2 }), workload: emptyWorkload, horizonMs: 10 * MINUTE },
      faultsOf({ kind: "cloudErrors", at: 0, for: "3m", rate: 1, error: "throttled", operations: ["provision"] })
    )

    // Each pass in the window decides to scale up, and its provision calls fail: the
    // passes are recorded as failed and no scale-up happens until the window ends.
    const failedPasses = eventsOfKind(events, "ReconcileFailed").filter((event) => event.at < 3 * MINUTE)
    expect(failedPasses.length).toBeGreaterThan(1)
    expect(failedPasses.every((event) => event.error.includes("provision throttled"))).toBe(true)
    expect(eventsOfKind(events, "ScaleUp").map((event) => [event.at >= 3 * MINUTE, event.count])).toEqual([[true, 2]])
    const provisioned = eventsOfKind(events, "RunnerStatusChanged").filter((event) => event.reason === "provisioned")
    expect(provisioned).toHaveLength(2)
    expect(provisioned.every((event) => event.at >= 3 * MINUTE)).toBe(true)
  })

  it("zero rate changes nothing", () => {
    const options = {
      settings: ruleSettings({ minPoolSize: 2, maxPoolSize: 6 }),
      workload: poissonWorkload(3, 40, 20_000, { kind: "constant", value: 3 * MINUTE }),
      horizonMs: 30 * MINUTE
    }
    const without = runWithFaults(options, [])
    const withZero = runWithFaults(options, faultsOf({ kind: "cloudErrors", at: 0, for: "30m", rate: 0, error: "server" }))

    expect(JSON.stringify(withZero.events)).toBe(JSON.stringify(without.events))
  })
})
