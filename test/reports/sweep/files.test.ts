import { describe, expect, it } from "vitest"
import { csvField, paretoTable, resultsToCsv, resultsToJson } from "../../../reports/sweep/files.js"
import { buildSweepResults, type SweepResults } from "../../../reports/sweep/results.js"
import { ranOutcomes } from "./support.js"

const METRICS = ["runs.arrived", "cost.runnerHours", "waitSeconds.p95"]

/** Three configurations of two swept paths; the second has a failed seed, the third a value that needs CSV quoting. */
const sampleResults = (slo = false): SweepResults =>
  buildSweepResults({
    scenario: "sample",
    file: "sample.yaml",
    seeds: [1, 2],
    grid: [
      { path: "pool.policy", values: ["queue-depth", 'odd "name", quoted'] },
      { path: "pool.maxPoolSize", values: [4, 8] }
    ],
    metrics: METRICS,
    configurations: [
      { settings: { "pool.policy": "queue-depth", "pool.maxPoolSize": 4 }, outcomes: ranOutcomes([10, 200], [12, 220]) },
      {
        settings: { "pool.policy": "queue-depth", "pool.maxPoolSize": 8 },
        outcomes: [ranOutcomes([1, 1])[0]!, { seed: 2, kind: "inputError", message: "trace file not found" }]
      },
      { settings: { "pool.policy": 'odd "name", quoted', "pool.maxPoolSize": 4 }, outcomes: ranOutcomes([20, 100], [22, 100]) }
    ],
    ...(slo ? { slo: { conditions: ["waitSeconds.p95<=150"], meets: (summary) => summary.waitSeconds.p95 <= 150 } } : {})
  })

describe("resultsToCsv", () => {
  const csv = resultsToCsv(sampleResults())
  const lines = csv.split("\r\n")

  it("uses CRLF and ends with one", () => {
    expect(csv.endsWith("\r\n")).toBe(true)
    expect(lines).toHaveLength(5)
    expect(lines.at(-1)).toBe("")
    expect(csv.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/)
  })

  it("header lists paths then metric columns", () => {
    expect(lines[0]).toBe(
      "pool.policy,pool.maxPoolSize,runs.arrived.mean,runs.arrived.sd,cost.runnerHours.mean,cost.runnerHours.sd,waitSeconds.p95.mean,waitSeconds.p95.sd,pareto,failedSeeds"
    )
  })

  it("rows hold means and sample sd", () => {
    const arrived = sampleResults().configurations[0]!.metrics["runs.arrived"]!.mean
    expect(lines[1]).toBe(`queue-depth,4,${arrived},0,11,1.414214,210,14.142136,true,0`)
  })

  it("quotes fields with commas and quotes", () => {
    expect(lines[3]!.startsWith('"odd ""name"", quoted",4,')).toBe(true)
  })

  it("failed seed counts and stats use the rest", () => {
    expect(lines[2]!.split(",").slice(-2)).toEqual(["false", "1"])
    expect(lines[2]).toContain(",1,0,1,0,false,1")
  })

  it("SLO adds a meetsSlo column", () => {
    const withSlo = resultsToCsv(sampleResults(true)).split("\r\n")
    expect(withSlo[0]!.endsWith(",pareto,failedSeeds,meetsSlo")).toBe(true)
    expect(withSlo.slice(1, 4).map((line) => line.split(",").at(-1))).toEqual(["false", "false", "true"])
  })
})

describe("csvField", () => {
  it("quotes only when needed", () => {
    expect(csvField("plain")).toBe("plain")
    expect(csvField("a,b")).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField("two\nlines")).toBe('"two\nlines"')
    expect(csvField("cr\r")).toBe('"cr\r"')
    expect(csvField("")).toBe("")
  })
})

describe("resultsToJson", () => {
  it("round-trips the results", () => {
    const results = sampleResults()
    const json = resultsToJson(results)
    expect(json.endsWith("}\n")).toBe(true)
    expect(JSON.parse(json)).toEqual(results)
  })

  it("records failures per seed", () => {
    const parsed = JSON.parse(resultsToJson(sampleResults()))
    expect(parsed.configurations[1].failures).toEqual([{ seed: 2, kind: "inputError", message: "trace file not found" }])
    expect(parsed.configurations[1].seedsRun).toEqual([1])
  })
})

describe("paretoTable", () => {
  it("lists the front cheapest first", () => {
    const table = paretoTable(sampleResults())
    const lines = table.trimEnd().split("\n")
    expect(lines[0]).toBe("Pareto front of sample (minimising cost.runnerHours and waitSeconds.p95, mean ± sd over 2 seeds):")
    expect(lines[1]).toMatch(/^ {2}# +pool\.policy +pool\.maxPoolSize +cost\.runnerHours +waitSeconds\.p95$/)
    expect(lines[2]).toMatch(/^ {2}0 +queue-depth +4 +11 ± 1\.414 +210 ± 14\.142$/)
    expect(lines[3]).toMatch(/^ {2}2 +odd "name", quoted +4 +21 ± 1\.414 +100 ± 0$/)
    expect(lines).toHaveLength(4)
  })

  it("one seed reads singular", () => {
    const results = buildSweepResults({
      scenario: "single",
      file: "single.yaml",
      seeds: [1],
      grid: [{ path: "pool.maxPoolSize", values: [4] }],
      metrics: METRICS,
      configurations: [{ settings: { "pool.maxPoolSize": 4 }, outcomes: ranOutcomes([10, 200]) }]
    })
    expect(paretoTable(results)).toContain("mean ± sd over 1 seed):")
  })

  it("names the cheapest SLO configuration", () => {
    const table = paretoTable(sampleResults(true))
    expect(table).toContain("meets SLO")
    expect(table).toContain(
      'Cheapest configuration meeting waitSeconds.p95<=150 on every seed: #2 (pool.policy=odd "name", quoted pool.maxPoolSize=4), 21 ± 1.414 runner-hours.'
    )
  })
})
