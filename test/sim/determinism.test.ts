import { describe, expect, it } from "vitest"
import { eventsOfKind, poissonWorkload, ruleSettings, runSimulation, type RecordOptions } from "./support.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** A pool whose cloud draws matter: random boot times, boot failures and deletion times, and faults. */
const options = (seed: number, overrides: Partial<RecordOptions> = {}) => ({
  settings: ruleSettings({ minPoolSize: 1, maxPoolSize: 8, scaleUpCooldownMs: 0, scaleDownCooldownMs: 60_000, idleTimeout: "10m" }),
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
  runners: { pollIntervalMs: 10_000, heartbeatIntervalMs: 30_000 },
  setup: ({ kernel, world }: Parameters<NonNullable<RecordOptions["setup"]>>[0]) => {
    kernel.at(40 * MINUTE, () => {
      const first = world.registry.keys().next()
      if (first.done !== true) world.loseHeartbeat(first.value)
    })
  },
  ...overrides
}) satisfies RecordOptions

describe("simulation determinism", () => {
  it("same seed gives identical events", () => {
    const first = runSimulation(options(7))
    const second = runSimulation(options(7))

    expect(first.events.length).toBeGreaterThan(500)
    expect(JSON.stringify(second.events)).toBe(JSON.stringify(first.events))
    expect(second.result.steps).toBe(first.result.steps)
    expect(second.result.queuedAtEnd).toBe(first.result.queuedAtEnd)
    expect(second.result.runningAtEnd).toBe(first.result.runningAtEnd)
  })

  it("different seed changes cloud draws", () => {
    const first = runSimulation(options(7))
    const second = runSimulation(options(8))

    expect(JSON.stringify(second.events)).not.toBe(JSON.stringify(first.events))
    const bootTimes = (events: typeof first.events) =>
      eventsOfKind(events, "RunnerStatusChanged").filter((event) => event.reason === "registered").map((event) => event.at)
    expect(bootTimes(second.events)).not.toEqual(bootTimes(first.events))
  })

  it("pool settings leave the workload unchanged", () => {
    const small = runSimulation(options(7))
    const large = runSimulation(
      options(7, {
        settings: ruleSettings({ minPoolSize: 3, maxPoolSize: 20, queueDepthThreshold: 2, reconcileInterval: "3s", policy: "queue-depth-busy" })
      })
    )

    const arrivals = (events: typeof small.events) => eventsOfKind(events, "RunQueued").map((event) => [event.runId, event.at])
    expect(JSON.stringify(large.events)).not.toBe(JSON.stringify(small.events))
    expect(arrivals(small.events)).toHaveLength(150)
    expect(arrivals(large.events)).toEqual(arrivals(small.events))
    expect(arrivals(small.events).map(([, at]) => at)).toEqual(Array.from(small.handle.world.runs.workload.arrivals))
  })
})
