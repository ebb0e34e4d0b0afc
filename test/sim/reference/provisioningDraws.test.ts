import { describe, expect, it } from "vitest"
import type { PoolEvent } from "../../../core/events.js"
import { sampler } from "../../../sim/distribution.js"
import { makeStream } from "../../../sim/random.js"
import { provisioningSampler } from "../../../sim/world/provisioning.js"
import { burst, cloudWith, eventsOfKind, ruleSettings, runSimulation, workloadOf } from "../support.js"

const SECOND = 1_000
const MINUTE = 60 * SECOND
const HORIZON = 3 * 60 * MINUTE
const SEED = 11

const cloud = cloudWith({
  provisioningDelay: { kind: "uniform", min: 30 * SECOND, max: 90 * SECOND },
  startupScriptDuration: { kind: "exponential", mean: 10 * SECOND },
  deletionDelay: { kind: "exponential", mean: 20 * SECOND },
  bootFailureRate: 0.2
})

/** Bursts of runs that make the pool grow, shrink and grow again, creating and deleting many runners. */
const workload = workloadOf(
  burst(25, 0, 10 * MINUTE),
  burst(25, 40 * MINUTE, 5 * MINUTE),
  burst(25, 90 * MINUTE, 15 * MINUTE)
)

/** Boot outcome of each runner in creation order: its time from provision to Idle in ms, or "failed" when it never registered. */
const bootsInCreationOrder = (events: ReadonlyArray<PoolEvent>): Array<number | "failed"> => {
  const statusChanges = eventsOfKind(events, "RunnerStatusChanged")
  const createdAt = new Map<string, number>()
  const registeredAt = new Map<string, number>()
  for (const event of statusChanges) {
    if (event.from === undefined) createdAt.set(event.runnerId, event.at)
    if (event.reason === "registered") registeredAt.set(event.runnerId, event.at)
  }
  // Runners created in the last 5 minutes may not have booted yet, so their outcome is unknown.
  const decided = [...createdAt].filter(([, at]) => at < HORIZON - 5 * MINUTE)
  return decided.map(([runnerId, at]) => {
    const registered = registeredAt.get(runnerId)
    return registered === undefined ? "failed" : registered - at
  })
}

/**
 * Deletion delay of each terminate call, in call order: from RunnerRemoved to
 * InstanceDeleted. Stops at the first runner still being deleted at the horizon.
 */
const deletionsInCallOrder = (events: ReadonlyArray<PoolEvent>): Array<number> => {
  const removed = eventsOfKind(events, "RunnerRemoved")
  const deletedAt = new Map(eventsOfKind(events, "InstanceDeleted").map((event) => [event.runnerId, event.at]))
  const delays: Array<number> = []
  for (const removal of removed) {
    const deleted = deletedAt.get(removal.runnerId)
    if (deleted === undefined) break
    delays.push(deleted - removal.at)
  }
  return delays
}

const simulateWithMax = (maxPoolSize: number) =>
  runSimulation({
    settings: ruleSettings({ maxPoolSize, minPoolSize: 0, idleTimeout: "5m", queueDepthThreshold: 1 }),
    workload,
    horizonMs: HORIZON,
    seed: SEED,
    cloud
  }).events

describe("provisioning draws", () => {
  const small = simulateWithMax(5)
  const large = simulateWithMax(20)

  it("match by creation order across pool sizes", () => {
    const smallBoots = bootsInCreationOrder(small)
    const largeBoots = bootsInCreationOrder(large)
    const shared = Math.min(smallBoots.length, largeBoots.length)
    expect(shared).toBeGreaterThanOrEqual(10)
    expect(largeBoots.length).not.toBe(smallBoots.length)
    expect(smallBoots.filter((boot) => boot === "failed").length).toBeGreaterThan(0)
    for (let k = 0; k < shared; k++) {
      const smallBoot = smallBoots[k]!
      const largeBoot = largeBoots[k]!
      if (smallBoot === "failed" || largeBoot === "failed") expect(smallBoot).toBe(largeBoot)
      else expect(smallBoot).toBeCloseTo(largeBoot, 6)
    }
  })

  it("replay from the provisioning stream", () => {
    const stream = makeStream(SEED, "provisioning")
    const draw = provisioningSampler(cloud)
    for (const boot of bootsInCreationOrder(large)) {
      const expected = draw(stream)
      if (expected.bootFails) expect(boot).toBe("failed")
      else expect(boot).toBeCloseTo(expected.provisioningDelayMs + expected.startupScriptMs, 6)
    }
  })

  it("take deletion delays in terminate order", () => {
    const stream = makeStream(SEED, "deletion")
    const deletionDelay = sampler(cloud.deletionDelay)
    const delays = deletionsInCallOrder(small)
    expect(delays.length).toBeGreaterThanOrEqual(10)
    for (const delay of delays) expect(delay).toBeCloseTo(deletionDelay(stream), 6)
  })
})
