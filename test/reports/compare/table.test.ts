import { describe, expect, it } from "vitest"
import { buildPolicyRow, referencesOf, type ComparedSummary } from "../../../reports/compare/model.js"
import { COMPARE_COLUMNS, compareMarkdown, compareRows } from "../../../reports/compare/table.js"
import { comparison } from "./support.js"

/** A summary with the fields a comparison reads; the rest is left out. */
const summary = (seed: number, runnerHours: number, p95: number): ComparedSummary =>
  ({
    seed,
    simulatedSeconds: 7200,
    cost: { runnerHours, amount: runnerHours / 10 },
    waitSeconds: { mean: 1, p50: 2, p90: 3, p95, p99: p95 + 1, max: p95 + 10 },
    runners: { peak: 5, mean: 3, created: 10 + seed, removedUnused: seed, hours: { provisioning: 0, idle: 0, running: 0, tainted: 0, total: runnerHours } },
    reference: { floorRunnerHours: 8, clairvoyantRunnerHours: 10, costToFloor: runnerHours / 8, costToClairvoyant: runnerHours / 10 },
    scaleEvents: { up: 3, down: 1 },
    violations: seed === 2 ? [{ invariant: "maxPoolSize", at: 0, ids: [], detail: "" }] : []
  }) as unknown as ComparedSummary

describe("compare table", () => {
  it("has policy then reference rows", () => {
    const rows = compareRows(comparison())
    expect(rows.map((row) => row[0])).toEqual(["queue-depth", "buildkite", "clairvoyant", "floor"])
    for (const row of rows) expect(row).toHaveLength(COMPARE_COLUMNS.length)
  })

  it("policy cells show tuned values", () => {
    const [queueDepth, buildkite] = compareRows(comparison())
    expect(queueDepth).toEqual([
      "queue-depth",
      "maxPoolSize=45, scaleDownCooldownMs=60000",
      "120 ± 4",
      "1.20",
      "1.50",
      "10 / 100.5 / 300",
      "2.50",
      "40",
      "3",
      "3/3",
      "0"
    ])
    expect(buildkite![1]).toBe("(scenario's settings)")
    expect(buildkite![9]).toBe("2/3")
    expect(buildkite![10]).toBe("1")
  })

  it("reference rows show cost and ratios", () => {
    const rows = compareRows(comparison())
    const clairvoyant = rows[2]!
    const floor = rows[3]!
    expect(clairvoyant.slice(0, 6)).toEqual(["clairvoyant", "–", "100 ± 2", "1.00", "1.25", "0 / 0 / 0"])
    expect(floor.slice(0, 6)).toEqual(["floor", "–", "80 ± 1", "0.80", "1.00", "–"])
    expect(floor.slice(6).every((cell) => cell === "–")).toBe(true)
  })

  it("zero references show no ratio", () => {
    const zero = { mean: 0, sd: 0, min: 0, max: 0 }
    const rows = compareRows(comparison({ references: { floor: zero, clairvoyant: zero } }))
    expect(rows[2]![3]).toBe("–")
    expect(rows[3]![4]).toBe("–")
  })

  it("markdown has header and table", () => {
    const markdown = compareMarkdown(comparison())
    const lines = markdown.split("\n")
    expect(lines[0]).toBe("# Policy comparison: steady")
    expect(lines).toContain("- Scenario: steady (scenarios/steady.yaml)")
    expect(lines).toContain("- Seeds: 1, 2, 3")
    expect(lines).toContain("- SLO: waitSeconds.p95 <= 120")
    expect(lines).toContain("- Budget: 60 simulation runs per policy")
    expect(lines).toContain("- Command: `runner-pool compare scenarios/steady.yaml --policies queue-depth,buildkite`")
    const table = lines.filter((line) => line.startsWith("| "))
    expect(table).toHaveLength(2 + 4)
    expect(table[0]).toBe(`| ${COMPARE_COLUMNS.join(" | ")} |`)
    expect(table[4]).toMatch(/^\| clairvoyant \| – \| 100 ± 2 \|/)
    expect(table[5]).toMatch(/^\| floor \| – \| 80 ± 1 \|/)
  })

  it("markdown escapes pipes", () => {
    const markdown = compareMarkdown(comparison({ rows: [{ ...comparison().rows[0]!, tunedSettings: ["strategy=a|b"] }] }))
    expect(markdown).toContain("strategy=a\\|b")
  })
})

describe("policy rows", () => {
  it("aggregate over seeds", () => {
    const summaries = [summary(1, 12, 100), summary(2, 14, 120)]
    const references = referencesOf(summaries)
    const row = buildPolicyRow({ policy: "p", tunedSettings: ["x=1"], summaries, sloMet: [true, false], searchRuns: 9 }, references)
    expect(references.floor.mean).toBe(8)
    expect(references.clairvoyant.mean).toBe(10)
    expect(row.runnerHours.mean).toBe(13)
    expect(row.runnerHours.sd).toBeCloseTo(Math.SQRT2, 12)
    expect(row.ratioToClairvoyant).toBeCloseTo(1.3, 12)
    expect(row.ratioToFloor).toBeCloseTo(13 / 8, 12)
    expect(row.waitSeconds).toEqual({ p50: 2, p95: 110, max: 120 })
    // 4 scale events in 2 simulated hours.
    expect(row.scaleEventsPerHour).toBe(2)
    expect(row.runnersCreated).toBe(11.5)
    expect(row.removedUnused).toBe(1.5)
    expect(row.sloMetSeeds).toBe(1)
    expect(row.seeds).toBe(2)
    expect(row.violations).toBe(1)
    expect(row.perSeed).toEqual([
      { seed: 1, runnerHours: 12, p95: 100 },
      { seed: 2, runnerHours: 14, p95: 120 }
    ])
  })

  it("no summary throws", () => {
    const references = referencesOf([summary(1, 1, 1)])
    expect(() => buildPolicyRow({ policy: "p", tunedSettings: [], summaries: [], sloMet: [], searchRuns: 0 }, references)).toThrow(RangeError)
  })
})
