import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { formatSlo, parseSlo, parseSlos, requireSloSources, sloExcess, sloFailures } from "../../cli/tune/slo.js"
import { InputError } from "../../sim/scenario/inputError.js"
import { loadScenario } from "../../sim/scenario/load.js"
import { REPOSITORY_ROOT } from "./support.js"

/** Parses an SLO that must be rejected and returns the InputError message. */
const rejection = (text: string): string => {
  try {
    parseSlo(text)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error(`expected --slo '${text}' to be rejected`)
}

const EXPECTED_FORM = "Expected PATH OP NUMBER, such as waitSeconds.p95<=120"

const summary = { waitSeconds: { p95: 180, max: 300 }, cost: { runnerHours: 50 }, runs: { completed: 90 }, violations: [{ invariant: "x" }] }

describe("parseSlo", () => {
  it("accepts every operator", () => {
    expect(parseSlo("waitSeconds.p95<=120")).toEqual({ path: "waitSeconds.p95", operator: "<=", value: 120 })
    expect(parseSlo("waitSeconds.max<600")).toEqual({ path: "waitSeconds.max", operator: "<", value: 600 })
    expect(parseSlo("runs.completed>=5500")).toEqual({ path: "runs.completed", operator: ">=", value: 5500 })
    expect(parseSlo("runs.completed>10")).toEqual({ path: "runs.completed", operator: ">", value: 10 })
    expect(parseSlo("violations==0")).toEqual({ path: "violations", operator: "==", value: 0 })
    expect(parseSlo("runs.failed!=3")).toEqual({ path: "runs.failed", operator: "!=", value: 3 })
  })

  it("accepts spaces and number forms", () => {
    expect(parseSlo("  waitSeconds.p95 <= 120  ")).toEqual({ path: "waitSeconds.p95", operator: "<=", value: 120 })
    expect(parseSlo("cost.runnerHours<1e3")).toEqual({ path: "cost.runnerHours", operator: "<", value: 1000 })
    expect(parseSlo("waitSeconds.mean<=.5")).toEqual({ path: "waitSeconds.mean", operator: "<=", value: 0.5 })
    expect(parseSlo("reference.costToClairvoyant<=-1.5")).toEqual({ path: "reference.costToClairvoyant", operator: "<=", value: -1.5 })
  })

  it("formats back", () => {
    expect(formatSlo(parseSlo("waitSeconds.p95<=120"))).toBe("waitSeconds.p95 <= 120")
    expect(parseSlos(["violations==0", "runners.peak<=10"]).map(formatSlo)).toEqual(["violations == 0", "runners.peak <= 10"])
  })

  it("rejects an empty SLO", () => {
    const message = rejection("  ")
    expect(message).toContain("the SLO is empty")
    expect(message).toContain(EXPECTED_FORM)
  })

  it("rejects a missing operator", () => {
    const message = rejection("waitSeconds.p95 120")
    expect(message).toBe(`--slo 'waitSeconds.p95 120': no comparison operator found. ${EXPECTED_FORM}, where PATH is a summary.json path and OP is one of <, <=, >, >=, == or !=.`)
  })

  it("rejects an unknown operator", () => {
    expect(rejection("waitSeconds.p95=<120")).toContain('unknown operator "=<"')
    expect(rejection("waitSeconds.p95=120")).toContain('unknown operator "=" (use == for equality)')
    expect(rejection("waitSeconds.p95<<120")).toContain('unknown operator "<<"')
  })

  it("rejects a missing path", () => {
    const message = rejection("<=120")
    expect(message).toContain("the summary path before the operator is missing")
    expect(message).toContain(EXPECTED_FORM)
  })

  it("rejects an unknown path with suggestion", () => {
    const message = rejection("waitSeconds.p59<=120")
    expect(message).toContain('unknown summary path "waitSeconds.p59"')
    expect(message).toContain('Did you mean "waitSeconds.p95"')
    expect(message).toContain(EXPECTED_FORM)
    expect(rejection("p95<=120")).toContain('Did you mean "waitSeconds.p95"')
  })

  it("rejects group and engine paths", () => {
    expect(rejection("waitSeconds<=120")).toContain('"waitSeconds" is a group of metrics')
    expect(rejection("engine.wallSeconds<=1")).toContain("cannot be tested")
  })

  it("rejects a missing or bad number", () => {
    expect(rejection("waitSeconds.p95<=")).toContain("the number after <= is missing")
    expect(rejection("waitSeconds.p95<=fast")).toContain('"fast" is not a finite number')
    expect(rejection("waitSeconds.p95<=2m")).toContain('"2m" is not a finite number')
    expect(rejection("waitSeconds.p95<=1e999")).toContain('"1e999" is not a finite number')
  })

  it("parseSlos stops at the first invalid", () => {
    expect(() => parseSlos(["violations==0", "bogus<1", "also bad"])).toThrow('unknown summary path "bogus"')
  })
})

describe("sloExcess", () => {
  it("met SLOs give zero", () => {
    expect(sloExcess(parseSlos(["waitSeconds.p95<=180", "cost.runnerHours<51"]), summary)).toBe(0)
    expect(sloFailures(parseSlos(["waitSeconds.p95<=180"]), summary)).toEqual([])
  })

  it("misses are normalised by the bound", () => {
    expect(sloExcess([parseSlo("waitSeconds.p95<=120")], summary)).toBeCloseTo(0.5, 12)
    expect(sloExcess([parseSlo("runs.completed>=100")], summary)).toBeCloseTo(0.1, 12)
    // A bound of 0 divides by 1: 1 violation over 0 gives 1.
    expect(sloExcess([parseSlo("violations==0")], summary)).toBe(1)
  })

  it("misses add up", () => {
    const excess = sloExcess(parseSlos(["waitSeconds.p95<=120", "waitSeconds.max<=200"]), summary)
    expect(excess).toBeCloseTo(0.5 + 0.5, 12)
  })

  it("a strict bound met with equality misses", () => {
    const excess = sloExcess([parseSlo("waitSeconds.p95<180")], summary)
    expect(excess).toBeGreaterThan(0)
    expect(excess).toBeLessThan(1e-5)
  })

  it("missing summary value misses infinitely", () => {
    expect(sloExcess([parseSlo("runners.created<=10")], summary)).toBe(Infinity)
  })

  it("failures name value and bound", () => {
    const [failure] = sloFailures([parseSlo("waitSeconds.p95<=120")], summary)
    expect(failure!.message).toBe("waitSeconds.p95: expected <= 120, got 180")
    expect(failure!.actual).toBe(180)
  })
})

describe("requireSloSources", () => {
  const folder = mkdtempSync(join(tmpdir(), "slo-sources-"))
  const file = join(folder, "traced.yaml")
  writeFileSync(join(folder, "runs.csv"), "submit,duration\n0,60\n10,60\n")
  writeFileSync(
    file,
    ["name: traced", "horizon: 1h", "workload:", "  - kind: trace", "    name: ci", "    path: runs.csv", "    columns: { submit: submit, duration: duration }", ""].join("\n")
  )
  const scenario = loadScenario(file)

  it("accepts a named trace source", () => {
    expect(() => requireSloSources(parseSlos(["runs.skippedTraceRows.ci<=0", "waitSeconds.p95<=120"]), scenario, file)).not.toThrow()
  })

  it("rejects an unknown trace source", () => {
    expect(() => requireSloSources(parseSlos(["runs.skippedTraceRows.cj<=0"]), scenario, file)).toThrow(
      new InputError({ message: `--slo 'runs.skippedTraceRows.cj <= 0': scenario ${file} has no trace source named "cj"; its trace sources are ci` })
    )
  })

  it("rejects a scenario without trace source", () => {
    const steady = loadScenario(join(REPOSITORY_ROOT, "scenarios/steady.yaml"))
    expect(() => requireSloSources(parseSlos(["runs.skippedTraceRows.ci<=0"]), steady, "steady.yaml")).toThrow(
      new InputError({ message: `--slo 'runs.skippedTraceRows.ci <= 0': scenario steady.yaml has no trace source named "ci"; it has no trace source` })
    )
  })
})
