import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { eventsOfKind } from "../support.js"
import { runScenario, scenarioArbitrary } from "./randomPools.js"

/** Reads a positive whole number from the environment, or returns `fallback` when the variable is unset or empty. */
const positiveIntFromEnv = (name: string, fallback: number): number => {
  const text = process.env[name]
  if (text === undefined || text === "") return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`Invalid ${name}=${JSON.stringify(text)}: expected a whole number of cases, at least 1.`)
  }
  return value
}

/** Random cases per run: `RUNNER_POOL_PROPERTY_RUNS`, or 500, which keeps this file well under a minute. CI should run 1000 or more. */
const RUNS = positiveIntFromEnv("RUNNER_POOL_PROPERTY_RUNS", 500)

/**
 * Time for the cases and the shrinking of a failure, in milliseconds. The
 * search stops there and reports the smallest failing case found so far.
 * Reaching it without a failure fails the test too, because then fewer
 * cases ran than requested. On the 2-core development machine a case took
 * 50 ms at the median and at most about a second, so 300 ms a case leaves
 * a wide margin.
 */
const TIME_LIMIT_MS = Math.max(60_000, RUNS * 300)

describe("invariant monitor on random pools with faults", () => {
  it(
    "finds no violation by the real controller",
    async () => {
      const coverage = { leaderChanges: 0, crashes: 0, removedWhileBusy: 0, completed: 0 }
      await fc.assert(
        fc.asyncProperty(scenarioArbitrary, async (scenario) => {
          // Yields to the event loop between cases: a thousand cases run for over a
          // minute on a loaded machine, and Vitest's worker calls time out after 60 s
          // when the loop stays blocked that long.
          await new Promise<void>((resolve) => setImmediate(resolve))
          const { violations, events, handle } = runScenario(scenario)
          expect(violations).toEqual([])

          if (handle.replicas.leases.epoch >= 2) coverage.leaderChanges++
          coverage.crashes += eventsOfKind(events, "ReplicaStatusChanged").filter((change) => change.reason === "crashed").length
          coverage.removedWhileBusy += eventsOfKind(events, "RunFailed").filter((failure) => failure.reason === "runnerRemoved").length
          coverage.completed += eventsOfKind(events, "RunCompleted").length
        }),
        { numRuns: RUNS, plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS, { failOnInterrupt: true })] }
      )

      // The random cases reach the situations the invariants are about.
      expect(coverage.leaderChanges).toBeGreaterThan(RUNS / 10)
      expect(coverage.crashes).toBeGreaterThan(RUNS / 10)
      expect(coverage.removedWhileBusy).toBeGreaterThan(RUNS / 20)
      expect(coverage.completed).toBeGreaterThan(RUNS)
    },
    TIME_LIMIT_MS + 30_000
  )
})
