import { describe, expect, it } from "vitest"
import { runScenario } from "../../../cli/runScenario.js"
import { roundForSummary } from "../../../reports/summary.js"
import { parseScenario } from "../../../sim/scenario/load.js"

/** Runs of 5 minutes that the pool fails at its 3-minute run timeout. */
const scenarioText = (bootFailureRate: number) =>
  [
    "name: capped",
    "horizon: 2h",
    "pool:",
    "  runTimeout: 3m",
    "cloud:",
    `  bootFailureRate: ${bootFailureRate}`,
    "workload:",
    "  - kind: poisson",
    "    ratePerHour: 30",
    "    duration: { kind: constant, value: 5m }"
  ].join("\n")

const summaryOf = (bootFailureRate: number) =>
  runScenario(parseScenario(scenarioText(bootFailureRate), "capped.yaml"), { scenarioFile: "capped.yaml" })

describe("summary reference block", () => {
  it("caps runs at the run timeout", () => {
    const { workload, summary } = summaryOf(0)
    const arrivals = Array.from(workload.arrivals)
    expect(arrivals.length).toBeGreaterThan(20)
    // Each run counts 3 minutes, or less when it arrives in the last 3 minutes before the horizon.
    const floorMs = arrivals.reduce((total, arrival) => total + Math.min(3 * 60_000, 2 * 3_600_000 - arrival), 0)
    expect(summary.reference.floorRunnerHours).toBe(roundForSummary(floorMs / 3_600_000, "floor"))
    expect(summary.reference.clairvoyantRunnerHours).toBeGreaterThan(summary.reference.floorRunnerHours)
    expect(summary.reference.costToFloor).toBe(roundForSummary(summary.cost.runnerHours / summary.reference.floorRunnerHours, "ratio"))
  })

  it("gives zero clairvoyant cost when nothing boots", () => {
    const { summary } = summaryOf(1)
    expect(summary.runs.completed).toBe(0)
    expect(summary.reference.clairvoyantRunnerHours).toBe(0)
    expect(summary.reference.costToClairvoyant).toBe(0)
    expect(summary.reference.floorRunnerHours).toBeGreaterThan(0)
  })
})
