import { describe, expect, it } from "vitest"
import { buildSweepResults, cheapestMeetingSlo, paretoConfigurations, summaryMetric, type SweepInput } from "../../../reports/sweep/results.js"
import { ranOutcomes, summaryWith } from "./support.js"

const METRICS = ["cost.runnerHours", "waitSeconds.p95", "violations"]

const input = (configurations: SweepInput["configurations"], extra: Partial<SweepInput> = {}): SweepInput => ({
  scenario: "sweep",
  file: "sweep.yaml",
  seeds: [1, 2, 3],
  grid: [{ path: "pool.maxPoolSize", values: configurations.map((configuration) => configuration.settings["pool.maxPoolSize"]!) }],
  metrics: METRICS,
  configurations,
  ...extra
})

const configuration = (maxPoolSize: number, outcomes: SweepInput["configurations"][number]["outcomes"]) => ({
  settings: { "pool.maxPoolSize": maxPoolSize },
  outcomes
})

describe("buildSweepResults", () => {
  it("aggregates each metric over seeds", () => {
    const results = buildSweepResults(input([configuration(5, ranOutcomes([10, 100], [12, 130], [14, 160]))]))
    const [only] = results.configurations
    expect(only!.metrics["cost.runnerHours"]).toEqual({ mean: 12, sd: 2, min: 10, max: 14 })
    expect(only!.metrics["waitSeconds.p95"]).toEqual({ mean: 130, sd: 30, min: 100, max: 160 })
    expect(only!.seedsRun).toEqual([1, 2, 3])
    expect(only!.settings).toEqual({ "pool.maxPoolSize": 5 })
  })

  it("counts violations by length", () => {
    const outcomes = [1, 2, 3].map((seed) => ({ seed, kind: "ran" as const, summary: summaryWith(seed, 1, 1, seed - 1) }))
    const results = buildSweepResults(input([configuration(5, outcomes)]))
    expect(results.configurations[0]!.metrics["violations"]).toEqual({ mean: 1, sd: 1, min: 0, max: 2 })
  })

  it("rounds statistics to 6 decimals", () => {
    const results = buildSweepResults(input([configuration(5, ranOutcomes([1, 1], [1, 1], [2, 1]))]))
    expect(results.configurations[0]!.metrics["cost.runnerHours"]!.mean).toBe(1.333333)
    expect(results.configurations[0]!.metrics["cost.runnerHours"]!.sd).toBe(0.57735)
  })

  it("marks the Pareto front", () => {
    const results = buildSweepResults(
      input([
        configuration(2, ranOutcomes([10, 300], [10, 300], [10, 300])),
        configuration(4, ranOutcomes([20, 100], [20, 100], [20, 100])),
        configuration(6, ranOutcomes([25, 100], [25, 100], [25, 100])),
        configuration(8, ranOutcomes([30, 50], [30, 50], [30, 50]))
      ])
    )
    expect(results.configurations.map((result) => result.pareto)).toEqual([true, true, false, true])
    expect(paretoConfigurations(results).map((result) => result.index)).toEqual([0, 1, 3])
  })

  it("records failed seeds and keeps them off the front", () => {
    const [first, , third] = ranOutcomes([1, 1], [1, 1], [1, 1])
    const failed = configuration(2, [first!, { seed: 2, kind: "crashed", message: "boom" }, third!])
    const complete = configuration(4, ranOutcomes([50, 500], [50, 500], [50, 500]))
    const results = buildSweepResults(input([failed, complete]))
    const [partial, full] = results.configurations
    expect(partial!.failures).toEqual([{ seed: 2, kind: "crashed", message: "boom" }])
    expect(partial!.seedsRun).toEqual([1, 3])
    expect(partial!.metrics["cost.runnerHours"]).toEqual({ mean: 1, sd: 0, min: 1, max: 1 })
    expect(partial!.pareto).toBe(false)
    expect(full!.pareto).toBe(true)
  })

  it("all seeds failed leaves metrics empty", () => {
    const outcomes = [1, 2, 3].map((seed) => ({ seed, kind: "inputError" as const, message: "trace file not found" }))
    const results = buildSweepResults(input([configuration(2, outcomes)]))
    expect(results.configurations[0]!.metrics).toEqual({})
    expect(results.configurations[0]!.failures).toHaveLength(3)
    expect(results.configurations[0]!.pareto).toBe(false)
  })

  it("SLO marks configurations meeting it on every seed", () => {
    const slo = { conditions: ["waitSeconds.p95<=120"], meets: (summary: { waitSeconds: { p95: number } }) => summary.waitSeconds.p95 <= 120 }
    const results = buildSweepResults(
      input(
        [
          configuration(2, ranOutcomes([10, 100], [10, 130], [10, 100])),
          configuration(4, ranOutcomes([20, 100], [20, 110], [20, 90])),
          configuration(6, ranOutcomes([15, 50], [15, 60], [15, 70]))
        ],
        { slo }
      )
    )
    expect(results.configurations.map((result) => result.meetsSlo)).toEqual([false, true, true])
    expect(results.slo).toEqual(["waitSeconds.p95<=120"])
    expect(cheapestMeetingSlo(results)?.index).toBe(2)
  })

  it("without SLO has no meetsSlo", () => {
    const results = buildSweepResults(input([configuration(5, ranOutcomes([1, 1]))]))
    expect("meetsSlo" in results.configurations[0]!).toBe(false)
    expect("slo" in results).toBe(false)
    expect(cheapestMeetingSlo(results)).toBeUndefined()
  })

  it("metrics without an objective throw", () => {
    expect(() => buildSweepResults(input([], { metrics: ["runs.arrived"] }))).toThrow("Sweep metrics lack cost.runnerHours")
  })
})

describe("summaryMetric", () => {
  const summary = summaryWith(1, 7.5, 42, 2)

  it("reads nested numbers", () => {
    expect(summaryMetric(summary, "cost.runnerHours")).toBe(7.5)
    expect(summaryMetric(summary, "waitSeconds.p95")).toBe(42)
  })

  it("counts a list by length", () => {
    expect(summaryMetric(summary, "violations")).toBe(2)
  })

  it("missing path throws", () => {
    expect(() => summaryMetric(summary, "waitSeconds.p97")).toThrow("Summary path waitSeconds.p97 is missing")
    expect(() => summaryMetric(summary, "cost")).toThrow("Summary path cost is not a number or list")
  })
})
