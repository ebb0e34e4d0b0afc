import type { Comparison, PolicyRow } from "../../../reports/compare/model.js"

const statistics = (mean: number, sd = 0) => ({ mean, sd, min: mean - sd, max: mean + sd })

/** A policy row with round numbers; `overrides` replaces fields. */
export const policyRow = (overrides: Partial<PolicyRow> = {}): PolicyRow => ({
  policy: "queue-depth",
  tunedSettings: ["maxPoolSize=45", "scaleDownCooldownMs=60000"],
  runnerHours: statistics(120, 4),
  ratioToClairvoyant: 1.2,
  ratioToFloor: 1.5,
  waitSeconds: { p50: 10, p95: 100.5, max: 300 },
  scaleEventsPerHour: 2.5,
  runnersCreated: 40,
  removedUnused: 3,
  sloMetSeeds: 3,
  seeds: 3,
  violations: 0,
  searchRuns: 60,
  perSeed: [
    { seed: 1, runnerHours: 116, p95: 98 },
    { seed: 2, runnerHours: 120, p95: 100 },
    { seed: 3, runnerHours: 124, p95: 103.5 }
  ],
  ...overrides
})

/** A comparison of two policies with floor 80 and clairvoyant 100 runner-hours. */
export const comparison = (overrides: Partial<Comparison> = {}): Comparison => ({
  scenario: "steady",
  file: "scenarios/steady.yaml",
  seeds: [1, 2, 3],
  slos: ["waitSeconds.p95 <= 120"],
  p95Bound: 120,
  budgetPerPolicy: 60,
  commandLine: "runner-pool compare scenarios/steady.yaml --policies queue-depth,buildkite",
  rows: [
    policyRow(),
    policyRow({ policy: "buildkite", tunedSettings: [], runnerHours: statistics(150, 2), sloMetSeeds: 2, violations: 1, ratioToClairvoyant: 1.5, ratioToFloor: 1.875 })
  ],
  references: { floor: statistics(80, 1), clairvoyant: statistics(100, 2) },
  ...overrides
})
