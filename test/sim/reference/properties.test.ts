import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { defaultPoolSettings } from "../../../core/settings.js"
import { createMetricsCollector } from "../../../reports/metrics.js"
import type { Distribution } from "../../../sim/distribution.js"
import { clairvoyantSchedule } from "../../../sim/reference/clairvoyant.js"
import { floorRunnerHours } from "../../../sim/reference/floor.js"
import type { CloudModel } from "../../../sim/world/models.js"
import { workloadFromRuns } from "../../../sim/workload/workload.js"
import { eventsOfKind, runSimulation } from "../support.js"

const SECOND = 1_000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

const delay = (max: number): fc.Arbitrary<Distribution> =>
  fc.oneof(
    fc.integer({ min: 0, max }).map((value): Distribution => ({ kind: "constant", value })),
    fc.integer({ min: 1, max }).map((mean): Distribution => ({ kind: "exponential", mean }))
  )

const cloudArbitrary: fc.Arbitrary<CloudModel> = fc.record({
  provisioningDelay: delay(3 * MINUTE),
  startupScriptDuration: delay(MINUTE),
  deletionDelay: delay(2 * MINUTE),
  bootFailureRate: fc.constantFrom(0, 0, 0.1, 0.3),
  costPerRunnerHour: fc.constant(0)
})

/** Up to 15 runs arriving within the first `arrivalSpanMs`, in groups of up to three that arrive together. */
const runsArbitrary = (arrivalSpanMs: number, maxDurationMs: number) =>
  fc
    .array(
      fc.record({
        arrival: fc.integer({ min: 0, max: arrivalSpanMs }),
        duration: fc.integer({ min: SECOND, max: maxDurationMs }),
        copies: fc.integer({ min: 1, max: 3 })
      }),
      { maxLength: 5 }
    )
    .map((groups) => groups.flatMap(({ copies, ...run }) => Array.from({ length: copies }, () => run)))

describe("reference costs", () => {
  it("floor never exceeds clairvoyant", () => {
    fc.assert(
      fc.property(
        runsArbitrary(2 * HOUR, HOUR),
        cloudArbitrary,
        fc.integer({ min: 10 * MINUTE, max: 2 * HOUR }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (runs, cloud, horizonMs, seed) => {
          const workload = workloadFromRuns(runs)
          const floor = floorRunnerHours(workload, horizonMs)
          const clairvoyant = clairvoyantSchedule(workload, cloud, seed, horizonMs)
          expect(floor).toBeLessThanOrEqual(clairvoyant.runnerHours + 1e-12)
          expect(clairvoyant.runnersCreated).toBeGreaterThanOrEqual(clairvoyant.peakRunners)
        }
      ),
      { numRuns: 300 }
    )
  })

  it("simulated pools cost at least the floor", () => {
    // 4 h leave time to finish every run: at most 15 runs of 10 min arrive in the first hour.
    const horizonMs = 4 * HOUR
    let allCompleted = 0
    fc.assert(
      fc.property(
        runsArbitrary(HOUR, 10 * MINUTE),
        cloudArbitrary,
        fc.constantFrom("queue-depth" as const, "queue-depth-busy" as const),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (runs, cloud, policy, maxPoolSize, seed) => {
          const workload = workloadFromRuns(runs)
          const settings = defaultPoolSettings({ policy, maxPoolSize, minPoolSize: 0, runTimeout: "off" })
          const { events } = runSimulation({ settings, workload, horizonMs, seed, cloud })
          // The floor bounds pools that complete every run. A pool that leaves a run queued or fails it may cost less.
          if (eventsOfKind(events, "RunCompleted").length !== runs.length) return
          allCompleted++

          const collector = createMetricsCollector({ horizonMs, costPerRunnerHour: 0 })
          for (const event of events) collector.onEvent(event)
          const cost = collector.finish().cost.runnerHours
          expect(cost).toBeGreaterThanOrEqual(floorRunnerHours(workload, horizonMs) - 1e-9)
        }
      ),
      { numRuns: 60 }
    )
    // Most cases complete every run (all 60 in two runs of this test), so the bound was tested.
    expect(allCompleted).toBeGreaterThan(45)
  })
})
