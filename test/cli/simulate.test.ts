import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { expectInputError, REPOSITORY_ROOT, runCli } from "./support.js"

const FIXTURES = join(REPOSITORY_ROOT, "test/fixtures/traces")

const workFolder = (): string => mkdtempSync(join(tmpdir(), "cli-simulate-"))

const TINY = [
  "name: tiny",
  "seed: 3",
  "horizon: 2h",
  "pool:",
  "  maxPoolSize: 5",
  "workload:",
  "  - kind: poisson",
  "    ratePerHour: 30",
  "    duration: { kind: constant, value: 5m }"
]

/** Writes a scenario file into `folder` and returns its path. */
const writeScenario = (folder: string, lines: ReadonlyArray<string>, name = "scenario.yaml"): string => {
  const file = join(folder, name)
  writeFileSync(file, lines.map((line) => `${line}\n`).join(""))
  return file
}

/** A scenario with one trace source at `path`, relative to the scenario's folder. */
const traceScenario = (path: string): ReadonlyArray<string> => [
  "name: replay",
  "horizon: 2h",
  "workload:",
  "  - kind: trace",
  "    name: jobs",
  `    path: ${path}`
]

/** summary.json with its `engine` object, which holds wall-clock time, cut out. */
const summaryWithoutEngine = (outDir: string): string => {
  const text = readFileSync(join(outDir, "summary.json"), "utf8")
  expect(text).toMatch(/"engine": \{[^}]*\}/)
  return text.replace(/"engine": \{[^}]*\}/, '"engine": {}')
}

const readSummary = (outDir: string) => JSON.parse(readFileSync(join(outDir, "summary.json"), "utf8"))

describe.concurrent("simulate command", () => {
  it("bad scenario exits 2 with one line", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, [...TINY.slice(0, 4), "  maxPoolSize: 0", ...TINY.slice(5)])
    const result = await runCli(["simulate", file], folder)
    expect(expectInputError(result)).toBe(`error: ${file}:5: pool.maxPoolSize: expected a number greater than or equal to 1, got 0`)
    expect(result.stdout).toBe("")
  })

  it("missing trace names the resolved path", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, traceScenario("traces/missing.csv"))
    const line = expectInputError(await runCli(["simulate", file], folder))
    expect(line).toContain(`error: ${join(folder, "traces/missing.csv")}: trace file not found`)
    expect(line).toContain('workload source "jobs"')
  })

  it("unparseable trace row names the line", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, traceScenario(join(FIXTURES, "bad-time.csv")))
    const line = expectInputError(await runCli(["simulate", file], folder))
    expect(line).toBe(
      `error: ${join(FIXTURES, "bad-time.csv")}:3: column "submit_ts": invalid value "soon", expected a number of seconds (workload source "jobs")`
    )
  })

  it("--trace without a trace source exits 2", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, TINY)
    const line = expectInputError(await runCli(["simulate", file, "--trace", join(FIXTURES, "jobs.csv")], folder))
    expect(line).toBe(
      `error: --trace ${join(FIXTURES, "jobs.csv")}: scenario ${file} has no trace workload source to replay it in; add a source of kind trace`
    )
  })

  it("unknown option exits 2", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, TINY)
    const line = expectInputError(await runCli(["simulate", file, "--bogus"], folder))
    expect(line).toContain("--bogus")
  })

  it("non-integer seed exits 2", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, TINY)
    const line = expectInputError(await runCli(["simulate", "--seed", "1.5", file], folder))
    expect(line).toContain("1.5")
    expect(line).toContain("integer")
  })

  it("out folder that is a file exits 2", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, TINY)
    const blocker = join(folder, "taken")
    writeFileSync(blocker, "keep me\n")
    const line = expectInputError(await runCli(["simulate", file, "--out", blocker, "--events"], folder))
    expect(line).toBe(
      `error: cannot write output to ${blocker}: part of the path is a file, not a folder (EEXIST). ` +
        `Choose another folder with --out (now ${blocker}).`
    )
    expect(readFileSync(blocker, "utf8")).toBe("keep me\n")
  })

  it("valid scenario writes every output", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, TINY)
    const outDir = join(folder, "out")
    const result = await runCli(["simulate", file, "--out", outDir, "--events"], folder)
    expect(result.stderr).toBe("")
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`wrote ${join(outDir, "summary.json")}`)

    const summary = readSummary(outDir)
    expect(summary.scenario).toBe("tiny")
    expect(summary.seed).toBe(3)
    expect(summary.runs.arrived).toBeGreaterThan(0)
    expect(existsSync(join(outDir, "report.html"))).toBe(true)
    expect(readFileSync(join(outDir, "report.html"), "utf8")).toContain("<html")

    const charts = readdirSync(join(outDir, "charts"))
    expect(charts.length).toBeGreaterThan(0)
    for (const chart of charts) {
      expect(chart).toMatch(/\.png$/)
      expect(readFileSync(join(outDir, "charts", chart)).subarray(0, 4).toString("latin1")).toBe("\x89PNG")
    }

    const eventLines = readFileSync(join(outDir, "events.jsonl"), "utf8").split("\n").filter((line) => line !== "")
    const events = eventLines.map((line) => JSON.parse(line) as unknown)
    expect(events).toHaveLength(summary.engine.events)
    expect(events.length).toBeGreaterThan(0)
  })

  it("--help lists every option", async () => {
    const result = await runCli(["simulate", "--help"], workFolder())
    expect(result.code).toBe(0)
    for (const option of ["SCENARIO", "--out DIR", "--seed N", "--set PATH=VALUE", "--trace PATH", "--events"]) {
      expect(result.stdout).toContain(option)
    }
  })

  it("same seed gives identical summaries", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, TINY)
    const [first, second] = await Promise.all([
      runCli(["simulate", file, "--seed", "11", "--out", join(folder, "a")], folder),
      runCli(["simulate", file, "--seed", "11", "--out", join(folder, "b")], folder)
    ])
    expect(first.code).toBe(0)
    expect(second.code).toBe(0)
    expect(readSummary(join(folder, "a")).seed).toBe(11)
    expect(summaryWithoutEngine(join(folder, "b"))).toBe(summaryWithoutEngine(join(folder, "a")))
  })

  it("--trace overrides the trace path", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, traceScenario("not-there.csv"))
    const outDir = join(folder, "out")
    const result = await runCli(["simulate", file, "--trace", join(FIXTURES, "jobs.csv"), "--out", outDir], folder)
    expect(result.stderr).toBe("")
    expect(result.code).toBe(0)
    const summary = readSummary(outDir)
    // jobs.csv has 5 rows: 3 with a duration, one with an empty duration and one with -1.
    expect(summary.runs.arrived).toBe(3)
    expect(summary.runs.skippedTraceRows).toEqual({ jobs: 2 })
  })

  it("--set changes the result", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, TINY)
    const [base, busier] = await Promise.all([
      runCli(["simulate", file, "--out", join(folder, "base")], folder),
      runCli(["simulate", file, "--set", "workload.0.ratePerHour=120", "--out", join(folder, "busier")], folder)
    ])
    expect(base.code).toBe(0)
    expect(busier.code).toBe(0)
    const baseRuns = readSummary(join(folder, "base")).runs.arrived
    const busierRuns = readSummary(join(folder, "busier")).runs.arrived
    expect(busierRuns).toBeGreaterThan(2 * baseRuns)
  })
})
