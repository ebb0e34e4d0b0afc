import type { Summary } from "../../../reports/summary.js"
import type { SeedOutcome } from "../../../reports/sweep/results.js"
import { tenHourSummary } from "../fixtures.js"

const base = tenHourSummary("sweep")

/** A real summary with cost.runnerHours and waitSeconds.p95 replaced. */
export const summaryWith = (seed: number, runnerHours: number, p95: number, violations = 0): Summary => ({
  ...base,
  seed,
  cost: { ...base.cost, runnerHours },
  waitSeconds: { ...base.waitSeconds, p95 },
  violations: Array.from({ length: violations }, (_, index) => ({ invariant: "maxPoolSize", at: index, ids: [], detail: "test" }))
})

/** Outcomes of seeds 1, 2, ... that all ran, with the given (runner-hours, p95) pairs. */
export const ranOutcomes = (...pairs: ReadonlyArray<readonly [number, number]>): Array<SeedOutcome> =>
  pairs.map(([runnerHours, p95], index) => ({ seed: index + 1, kind: "ran", summary: summaryWith(index + 1, runnerHours, p95) }))
