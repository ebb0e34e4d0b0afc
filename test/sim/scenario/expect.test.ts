import { Either, ParseResult, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { runScenario } from "../../../cli/runScenario.js"
import { evaluateExpectations, ExpectSection, formatCondition, type Expectations } from "../../../sim/scenario/expect.js"
import { InputError } from "../../../sim/scenario/inputError.js"
import { parseScenario } from "../../../sim/scenario/load.js"
import { describeInvalidPath, nearestSummaryPaths, SUMMARY_PATHS } from "../../../sim/scenario/summaryPaths.js"

const decode = (input: unknown): Expectations => Schema.decodeUnknownSync(ExpectSection)(input)

/** Decodes an `expect` block that must be rejected and returns the first issue as `PATH: MESSAGE`. */
const rejection = (input: unknown): string => {
  const result = Schema.decodeUnknownEither(ExpectSection)(input)
  if (Either.isRight(result)) throw new Error(`expected ${JSON.stringify(input)} to be rejected`)
  const issue = ParseResult.ArrayFormatter.formatErrorSync(result.left)[0]!
  return `${issue.path.join(".")}: ${issue.message}`
}

const SCENARIO = [
  "name: tiny",
  "horizon: 2h",
  "workload:",
  "  - kind: poisson",
  "    ratePerHour: 30",
  "    duration: { kind: constant, value: 5m }"
]

/** Loads the tiny scenario with `lines` appended and returns the InputError message. */
const scenarioRejection = (lines: ReadonlyArray<string>): string => {
  try {
    parseScenario([...SCENARIO, ...lines].join("\n"), "tiny.yaml")
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error("expected the scenario to be rejected")
}

/** Dotted paths of every number and list in a value, as an `expect` block names them. */
const leafPaths = (value: unknown, prefix = ""): ReadonlyArray<string> => {
  if (typeof value === "number" || Array.isArray(value)) return [prefix]
  if (typeof value !== "object" || value === null) return []
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix === "" ? key : `${prefix}.${key}`))
}

describe("summary paths", () => {
  it("match the leaves of a real summary", () => {
    const scenario = parseScenario(SCENARIO.join("\n"), "tiny.yaml")
    const { summary } = runScenario(scenario, { scenarioFile: "tiny.yaml" })
    const leaves = leafPaths(summary).filter((path) => !path.startsWith("engine."))
    expect([...leaves].sort()).toEqual([...SUMMARY_PATHS].sort())
  })

  it("swapped digits suggest the swap first", () => {
    expect(nearestSummaryPaths("waitSeconds.p59")).toEqual(["waitSeconds.p95", "waitSeconds.p50"])
  })

  it("bare metric name suggests its group", () => {
    expect(nearestSummaryPaths("peak")).toEqual(["runners.peak"])
    expect(nearestSummaryPaths("amount")).toEqual(["cost.amount"])
  })

  it("unrelated name suggests nothing", () => {
    expect(nearestSummaryPaths("throughput.total")).toEqual([])
  })

  it("skipped trace rows take any source name", () => {
    expect(describeInvalidPath("runs.skippedTraceRows.borg")).toBeUndefined()
    expect(describeInvalidPath("runs.skippedTraceRows.my-source_2.csv")).toBeUndefined()
  })
})

describe("expect block decoding", () => {
  it("decodes both condition forms in file order", () => {
    const decoded = decode({ "waitSeconds.p95": "<= 180", violations: "==0", "runners.peak": { min: 2, max: 50 }, "cost.amount": { max: 1e3 } })
    expect(decoded).toEqual([
      { path: "waitSeconds.p95", condition: { kind: "compare", operator: "<=", value: 180 } },
      { path: "violations", condition: { kind: "compare", operator: "==", value: 0 } },
      { path: "runners.peak", condition: { kind: "range", min: 2, max: 50 } },
      { path: "cost.amount", condition: { kind: "range", max: 1000 } }
    ])
  })

  it("accepts every operator and number form", () => {
    for (const operator of ["<", "<=", ">", ">=", "==", "!="]) {
      expect(decode({ "runs.failed": `${operator} -1.5e2` })[0]!.condition).toEqual({ kind: "compare", operator, value: -150 })
    }
  })

  it("encodes back to the file form", () => {
    const input = { "waitSeconds.p95": "<= 180", "runners.peak": { min: 2 } }
    expect(Schema.encodeSync(ExpectSection)(decode(input))).toEqual(input)
  })

  it("rejects a misspelt path with a suggestion", () => {
    expect(rejection({ "waitSeconds.p59": "<= 180" })).toBe(
      'waitSeconds.p59: unknown summary path "waitSeconds.p59". Did you mean "waitSeconds.p95" or "waitSeconds.p50"? ' +
        "Valid paths under waitSeconds: waitSeconds.mean, waitSeconds.p50, waitSeconds.p90, waitSeconds.p95, waitSeconds.p99, waitSeconds.max"
    )
  })

  it("rejects a group of metrics", () => {
    expect(rejection({ "cost": "< 5" })).toBe('cost: "cost" is a group of metrics, expected the path of one of them: cost.runnerHours, cost.amount')
  })

  it("rejects engine paths", () => {
    expect(rejection({ "engine.wallSeconds": "< 5" })).toMatch(/^engine\.wallSeconds: "engine\.wallSeconds" cannot be tested: .*wall-clock/)
    expect(rejection({ "engine.events": "< 5" })).toMatch(/cannot be tested/)
  })

  it("rejects malformed comparisons", () => {
    for (const condition of ["=< 180", "<= ", "<= abc", "180", "<= 1 2", "<= Infinity", ">= 0x10"]) {
      expect(rejection({ "runners.peak": condition }), condition).toBe(
        `runners.peak: expected a condition "<op> <number>" with op <, <=, >, >=, == or != (such as "<= 180"), ` +
          `or a mapping { min, max } with either bound optional, got ${JSON.stringify(condition)}`
      )
    }
  })

  it("rejects a bare number", () => {
    expect(rejection({ "runners.peak": 50 })).toMatch(/^runners\.peak: expected a condition .*, got 50$/)
  })

  it("rejects bad ranges", () => {
    expect(rejection({ "runners.peak": { mx: 5 } })).toBe('runners.peak.mx: unknown key "mx" in a condition. Did you mean "max"? Valid keys: min, max')
    expect(rejection({ "runners.peak": { max: "5" } })).toBe('runners.peak.max: expected a finite number, got "5"')
    expect(rejection({ "runners.peak": { min: 6, max: 5 } })).toBe("runners.peak: expected min at most max, got min 6 and max 5")
    expect(rejection({ "runners.peak": {} })).toMatch(/^runners\.peak: expected a condition .*\(a range needs min, max or both\)$/)
  })

  it("rejects a list or null block", () => {
    expect(rejection(["violations"])).toMatch(/^: expected a mapping from summary\.json path to condition, .*got \["violations"\]$/)
    expect(rejection(null)).toMatch(/got null$/)
  })
})

describe("expect block in a scenario file", () => {
  it("error names file, line and key path", () => {
    const message = scenarioRejection(["expect:", '  violations: "== 0"', '  waitSeconds.p59: "<= 180"'])
    expect(message).toMatch(/^tiny\.yaml:9: expect\.waitSeconds\.p59: unknown summary path "waitSeconds\.p59"\. Did you mean "waitSeconds\.p95"/)
  })

  it("range key error points at its line", () => {
    const message = scenarioRejection(["expect:", "  runners.peak:", "    min: 1", "    mx: 5"])
    expect(message).toBe('tiny.yaml:10: expect.runners.peak.mx: unknown key "mx" in a condition. Did you mean "max"? Valid keys: min, max')
  })

  it("condition error shows the value", () => {
    expect(scenarioRejection(["expect:", "  runners.peak: big"])).toMatch(/^tiny\.yaml:8: expect\.runners\.peak: expected a condition .*, got "big"$/)
  })

  it("scenario without expect decodes", () => {
    expect(parseScenario(SCENARIO.join("\n"), "tiny.yaml").expect).toBeUndefined()
  })
})

const SUMMARY = {
  waitSeconds: { p95: 150.2 },
  runners: { peak: 12 },
  runs: { skippedTraceRows: { borg: 3 } },
  violations: [{ invariant: "x" }, { invariant: "y" }]
}

/** Evaluates one condition against SUMMARY and returns the failure messages. */
const failures = (expectations: Record<string, unknown>): ReadonlyArray<string> =>
  evaluateExpectations(SUMMARY, decode(expectations)).map((failure) => failure.message)

describe("expectation evaluation", () => {
  it("each operator compares", () => {
    const cases: ReadonlyArray<[string, boolean]> = [
      ["< 150.2", false],
      ["< 151", true],
      ["<= 150.2", true],
      ["> 150.2", false],
      [">= 150.2", true],
      ["== 150.2", true],
      ["== 150", false],
      ["!= 150.2", false],
      ["!= 150", true]
    ]
    for (const [condition, holds] of cases) {
      expect(failures({ "waitSeconds.p95": condition }).length === 0, condition).toBe(holds)
    }
  })

  it("range bounds are inclusive", () => {
    expect(failures({ "runners.peak": { min: 12, max: 12 } })).toEqual([])
    expect(failures({ "runners.peak": { min: 13 } })).toEqual(["runners.peak: expected >= 13, got 12"])
    expect(failures({ "runners.peak": { max: 11 } })).toEqual(["runners.peak: expected <= 11, got 12"])
    expect(failures({ "runners.peak": { min: 1, max: 11 } })).toEqual(["runners.peak: expected from 1 to 11, got 12"])
  })

  it("list compares by its length", () => {
    expect(failures({ violations: "== 2" })).toEqual([])
    expect(failures({ violations: "== 0" })).toEqual(["violations: expected == 0, got 2 items (a list compares by its length)"])
  })

  it("lists every failure in order", () => {
    expect(failures({ "runners.peak": "< 5", "waitSeconds.p95": "<= 180", violations: "== 0" })).toEqual([
      "runners.peak: expected < 5, got 12",
      "violations: expected == 0, got 2 items (a list compares by its length)"
    ])
  })

  it("unknown trace source fails with the known ones", () => {
    expect(failures({ "runs.skippedTraceRows.borg": "== 3" })).toEqual([])
    expect(failures({ "runs.skippedTraceRows.nasa": "== 0" })).toEqual([
      "runs.skippedTraceRows.nasa: expected == 0, but the summary has no trace source of that name (trace sources: borg)"
    ])
  })

  it("failure carries path, condition and value", () => {
    const [failure] = evaluateExpectations(SUMMARY, decode({ "runners.peak": { max: 10 } }))
    expect(failure).toEqual({ path: "runners.peak", condition: "<= 10", actual: 12, message: "runners.peak: expected <= 10, got 12" })
  })

  it("formats conditions", () => {
    expect(formatCondition({ kind: "compare", operator: "!=", value: 3 })).toBe("!= 3")
    expect(formatCondition({ kind: "range", min: 1, max: 2 })).toBe("from 1 to 2")
  })
})
