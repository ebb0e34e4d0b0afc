import { describe, expect, it } from "vitest"
import type { PoolEvent } from "../../../core/events.js"
import type { Fault } from "../../../sim/faults/schema.js"
import { eventsOfKind, poissonWorkload, ruleSettings, type RecordOptions } from "../support.js"
import { faultsOf, runWithFaults } from "./support.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** A pool whose cloud draws matter: random boot and deletion times and boot failures. */
const options = (seed: number): RecordOptions => ({
  settings: ruleSettings({ minPoolSize: 1, maxPoolSize: 8, scaleUpCooldownMs: 0, scaleDownCooldownMs: 60_000, idleTimeout: "10m", runTimeout: "40m" }),
  workload: poissonWorkload(42, 150, 40_000, { kind: "lognormal", median: 3 * MINUTE, p95: 15 * MINUTE }),
  horizonMs: 3 * HOUR,
  seed,
  cloud: {
    provisioningDelay: { kind: "exponential", mean: 90_000 },
    startupScriptDuration: { kind: "uniform", min: 5_000, max: 20_000 },
    deletionDelay: { kind: "exponential", mean: 30_000 },
    bootFailureRate: 0.1,
    costPerRunnerHour: 0
  },
  runners: { pollIntervalMs: 10_000, heartbeatIntervalMs: 30_000 }
})

/** One fault of every kind the world injects. */
const everyKind: ReadonlyArray<Fault> = faultsOf(
  { kind: "cloudErrors", at: "20m", for: "10m", rate: 0.3, error: "server" },
  { kind: "slowProvisioning", at: "30m", for: "10m", delay: { kind: "exponential", mean: "5m" } },
  { kind: "bootFailures", at: "40m", for: "10m", rate: 0.5 },
  { kind: "listLag", at: "50m", for: "20m", lag: "1m" },
  { kind: "heartbeatLoss", at: "60m", runners: 2, state: "Running" },
  { kind: "instanceUnhealthy", at: "70m", runners: 1 },
  { kind: "agentVersionBump", at: "80m", version: "2.0.0" },
  { kind: "hangingRuns", at: "90m", for: "30m", rate: 0.5 }
)

const arrivals = (events: ReadonlyArray<PoolEvent>) => eventsOfKind(events, "RunQueued").map((event) => [event.runId, event.at])

describe("fault determinism", () => {
  it("same seed gives identical events", () => {
    const first = runWithFaults(options(7), everyKind)
    const second = runWithFaults(options(7), everyKind)

    expect(first.events.length).toBeGreaterThan(500)
    expect(JSON.stringify(second.events)).toBe(JSON.stringify(first.events))
    expect(second.faults.injections).toEqual(first.faults.injections)
  })

  it("faults change the run", () => {
    // Seed 10 is one where the version bump finds an Idle runner to rotate before the horizon.
    const without = runWithFaults(options(10), [])
    const withFaults = runWithFaults(options(10), everyKind)

    const reasons = (events: ReadonlyArray<PoolEvent>) => new Set(eventsOfKind(events, "RunnerRemoved").map((event) => event.reason))
    expect(reasons(without.events)).not.toContain("oldAgent")
    expect(reasons(without.events)).not.toContain("runTimeout")
    expect(reasons(withFaults.events)).toContain("oldAgent")
    expect(reasons(withFaults.events)).toContain("runTimeout")
    expect(withFaults.faults.injections.map((injection) => [injection.fault.kind, injection.runnerIds.length])).toEqual([
      ["heartbeatLoss", 2],
      ["instanceUnhealthy", 1],
      ["agentVersionBump", 0]
    ])
  })

  it("faults leave arrivals unchanged", () => {
    const without = runWithFaults(options(7), [])
    const withFaults = runWithFaults(options(7), everyKind)

    expect(arrivals(without.events)).toHaveLength(150)
    expect(arrivals(withFaults.events)).toEqual(arrivals(without.events))
  })

  it("events before the first fault are unchanged", () => {
    const start = 20 * MINUTE
    const without = runWithFaults(options(7), [])
    const withFaults = runWithFaults(options(7), everyKind)

    const before = (events: ReadonlyArray<PoolEvent>) => events.filter((event) => event.at < start)
    expect(before(without.events).length).toBeGreaterThan(50)
    expect(JSON.stringify(before(withFaults.events))).toBe(JSON.stringify(before(without.events)))
    expect(JSON.stringify(withFaults.events)).not.toBe(JSON.stringify(without.events))
  })

  it("faults after the horizon change nothing", () => {
    const late = faultsOf(
      { kind: "cloudErrors", at: "4h", for: "1h", rate: 1, error: "throttled" },
      { kind: "listLag", at: "3h30m", for: "1h", lag: "10m" },
      { kind: "heartbeatLoss", at: "5h", runners: 3 }
    )
    const without = runWithFaults(options(3), [])
    const withLate = runWithFaults(options(3), late)

    expect(JSON.stringify(withLate.events)).toBe(JSON.stringify(without.events))
  })
})
