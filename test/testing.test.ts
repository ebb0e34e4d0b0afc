import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
// A team imports these from "runner-pool/testing"; inside this repository the source path is used.
import { evaluateSummary, ExpectationError, expectSummary, InputError, runScenarioFile } from "../testing.js"

const CI_DEFAULT = resolve(import.meta.dirname, "../scenarios/ci-default.yaml")

describe("runner-pool/testing", () => {
  it("ci-default keeps waits and cost bounded", () => {
    const summary = runScenarioFile(CI_DEFAULT)
    expectSummary(summary, {
      "runs.failed": "== 0",
      "waitSeconds.p95": "<= 900",
      "runners.peak": { max: 300 },
      "cost.runnerHours": { min: 100, max: 1000 },
      violations: "== 0"
    })
  })

  it("smaller pool makes waits longer", () => {
    const base = runScenarioFile(CI_DEFAULT)
    const capped = runScenarioFile(CI_DEFAULT, { set: ["pool.maxPoolSize=10"] })
    expectSummary(capped, { "runners.peak": "<= 10", "waitSeconds.p95": `> ${base.waitSeconds.p95}` })
  })

  it("same seed gives the same summary", () => {
    const { engine: _first, ...first } = runScenarioFile(CI_DEFAULT, { seed: 7 })
    const { engine: _second, ...second } = runScenarioFile(CI_DEFAULT, { seed: 7 })
    expect(first.seed).toBe(7)
    expect(JSON.stringify(second)).toBe(JSON.stringify(first))
  })

  it("failure lists every failed condition", () => {
    const summary = runScenarioFile(CI_DEFAULT)
    const attempt = () => expectSummary(summary, { "runners.peak": "< 1", "runs.failed": "== 0", violations: "!= 0" })
    expect(attempt).toThrow(ExpectationError)
    expect(attempt).toThrow(
      `summary failed 2 conditions:\n  runners.peak: expected < 1, got ${summary.runners.peak}\n` +
        "  violations: expected != 0, got 0 items (a list compares by its length)"
    )
  })

  it("evaluateSummary returns failures", () => {
    const summary = runScenarioFile(CI_DEFAULT)
    const failures = evaluateSummary(summary, { "runners.peak": { min: summary.runners.peak + 1 } })
    expect(failures).toHaveLength(1)
    expect(failures[0]!.actual).toBe(summary.runners.peak)
  })

  it("unknown path is an input error", () => {
    const summary = runScenarioFile(CI_DEFAULT)
    const attempt = () => expectSummary(summary, { "waitSeconds.p59": "<= 180" })
    expect(attempt).toThrow(InputError)
    expect(attempt).toThrow(/^invalid expectations: waitSeconds\.p59: unknown summary path "waitSeconds\.p59"\. Did you mean "waitSeconds\.p95"/)
  })

  it("bad scenario file is an input error", () => {
    expect(() => runScenarioFile(resolve(import.meta.dirname, "no-such.yaml"))).toThrow(/no-such\.yaml: not found/)
    expect(() => runScenarioFile(CI_DEFAULT, { set: ["pool.maxPoolSize=0"] })).toThrow(InputError)
  })
})
