import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Image } from "@napi-rs/canvas"
import { describe, expect, it } from "vitest"
import { pngSize } from "../reports/png.js"
import { expectInputError, REPOSITORY_ROOT, runCli, withoutProgress, type CliResult } from "./support.js"

/** Runs `runner-pool sweep ARGS` in `cwd`; each run takes seconds on a busy machine. */
const runSweep = (args: ReadonlyArray<string>, cwd: string) => runCli(["sweep", ...args], cwd, 90_000)

const MULTI_RUN_TIMEOUT = 150_000

const workFolder = (): string => mkdtempSync(join(tmpdir(), "cli-sweep-"))

/** A two-hour scenario that simulates in well under a second. */
const TINY = [
  "name: tiny",
  "seed: 3",
  "horizon: 2h",
  "pool:",
  "  maxPoolSize: 5",
  "  queueDepthThreshold: 1",
  "workload:",
  "  - kind: poisson",
  "    ratePerHour: 30",
  "    duration: { kind: constant, value: 5m }"
]

const writeScenario = (folder: string, file = "tiny.yaml", lines: ReadonlyArray<string> = TINY): string => {
  writeFileSync(join(folder, file), lines.map((line) => `${line}\n`).join(""))
  return file
}

/** Checks the contract of invalid input, and that nothing went to stdout. */
const expectSweepInputError = (result: CliResult): string => {
  const line = expectInputError(result)
  expect(result.stdout).toBe("")
  return line
}

/** Decodes a PNG file fully and returns its size. */
const decodedSize = (path: string) => {
  const image = new Image()
  image.src = readFileSync(path)
  return { width: image.width, height: image.height }
}

const GRID = ["--grid", "pool.queueDepthThreshold=1,3", "--grid", "pool.maxPoolSize=2..6/2", "--seeds", "2"]

describe.concurrent("sweep command", () => {
  it("2x2 sweep matches across --jobs", async () => {
    const folder = workFolder()
    writeScenario(folder)
    const [parallel, serial] = await Promise.all([
      runSweep(["tiny.yaml", ...GRID, "--jobs", "2", "--out", "parallel"], folder),
      runSweep(["tiny.yaml", ...GRID, "--jobs", "1", "--out", "serial"], folder)
    ])
    expect(withoutProgress(parallel.stderr)).toBe("")
    expect(parallel.code).toBe(0)
    expect(serial.code).toBe(0)

    const csv = readFileSync(join(folder, "parallel/results.csv"), "utf8")
    const rows = csv.trimEnd().split("\r\n")
    expect(rows).toHaveLength(5)
    expect(rows[0]!.startsWith("pool.queueDepthThreshold,pool.maxPoolSize,simulatedSeconds.mean,simulatedSeconds.sd,")).toBe(true)
    expect(rows.slice(1).map((row) => row.split(",").slice(0, 2).join(","))).toEqual(["1,2", "1,6", "3,2", "3,6"])

    const json = JSON.parse(readFileSync(join(folder, "parallel/results.json"), "utf8"))
    expect(json.scenario).toBe("tiny")
    expect(json.seeds).toEqual([3, 4])
    expect(json.grid).toEqual([
      { path: "pool.queueDepthThreshold", values: [1, 3] },
      { path: "pool.maxPoolSize", values: [2, 6] }
    ])
    expect(json.configurations).toHaveLength(4)
    expect(json.configurations[1].settings).toEqual({ "pool.queueDepthThreshold": 1, "pool.maxPoolSize": 6 })
    expect(json.configurations[1].metrics["waitSeconds.p95"]).toEqual(expect.objectContaining({ mean: expect.any(Number), sd: expect.any(Number) }))
    expect(json.configurations[0].metrics["seed"]).toBeUndefined()
    expect(json.configurations.some((configuration: { pareto: boolean }) => configuration.pareto)).toBe(true)

    expect(readFileSync(join(folder, "serial/results.json"), "utf8")).toBe(readFileSync(join(folder, "parallel/results.json"), "utf8"))
    expect(readFileSync(join(folder, "serial/results.csv"), "utf8")).toBe(csv)
    const table = (result: CliResult) => result.stdout.split("\n\n")[0]
    expect(table(serial)).toBe(table(parallel))
    expect(parallel.stdout).toMatch(/^Pareto front of tiny \(minimising cost\.runnerHours and waitSeconds\.p95, mean ± sd over 2 seeds\):$/m)
    expect(parallel.stdout).toMatch(/^8 runs of 4 configurations in [\d.]+ s; wrote /m)
    expect(readFileSync(join(folder, "parallel/pareto.txt"), "utf8")).toBe(`${table(parallel)}\n`)

    for (const name of ["pareto.png", "heatmap-waitSeconds.p95.png", "heatmap-cost.runnerHours.png"]) {
      const path = join(folder, "parallel", name)
      expect(pngSize(readFileSync(path))).toEqual({ width: 1000, height: 600 })
      expect(decodedSize(path)).toEqual({ width: 1000, height: 600 })
    }
  }, MULTI_RUN_TIMEOUT)

  it("one swept path draws no heatmap", async () => {
    const folder = workFolder()
    writeScenario(folder)
    // Left by an earlier sweep of two paths into the same folder.
    mkdirSync(join(folder, "out/sweep-tiny"), { recursive: true })
    writeFileSync(join(folder, "out/sweep-tiny/heatmap-waitSeconds.p95.png"), "old")
    writeFileSync(join(folder, "out/sweep-tiny/heatmap-cost.runnerHours.png"), "old")
    const result = await runSweep(["tiny.yaml", "--grid", "pool.idleTimeout=1m,10m", "--seeds", "1"], folder)
    expect(result.code).toBe(0)
    expect(existsSync(join(folder, "out/sweep-tiny/pareto.png"))).toBe(true)
    expect(existsSync(join(folder, "out/sweep-tiny/heatmap-waitSeconds.p95.png"))).toBe(false)
    expect(existsSync(join(folder, "out/sweep-tiny/heatmap-cost.runnerHours.png"))).toBe(false)
    const json = JSON.parse(readFileSync(join(folder, "out/sweep-tiny/results.json"), "utf8"))
    expect(json.configurations.map((configuration: { settings: unknown }) => configuration.settings)).toEqual([
      { "pool.idleTimeout": "1m" },
      { "pool.idleTimeout": "10m" }
    ])
  })

  it("--slo marks configurations meeting it", async () => {
    const folder = workFolder()
    writeScenario(folder)
    const result = await runSweep(["tiny.yaml", "--grid", "pool.maxPoolSize=2,6", "--seeds", "1", "--slo", "waitSeconds.p95<=1000", "--slo", "violations==0"], folder)
    expect(result.code).toBe(0)
    const json = JSON.parse(readFileSync(join(folder, "out/sweep-tiny/results.json"), "utf8"))
    expect(json.slo).toEqual(["waitSeconds.p95 <= 1000", "violations == 0"])
    expect(json.configurations.map((configuration: { meetsSlo: boolean }) => configuration.meetsSlo)).toEqual([false, true])
    const csv = readFileSync(join(folder, "out/sweep-tiny/results.csv"), "utf8").trimEnd().split("\r\n")
    expect(csv[0]!.endsWith(",meetsSlo")).toBe(true)
    expect(csv.slice(1).map((row) => row.split(",").at(-1))).toEqual(["false", "true"])
    expect(result.stdout).toMatch(
      /^Cheapest configuration meeting waitSeconds\.p95 <= 1000, violations == 0 on every seed: #1 \(pool\.maxPoolSize=6\), [\d.]+ ± 0 runner-hours\.$/m
    )
  })

  it("bad --slo exits 2", async () => {
    const folder = workFolder()
    writeScenario(folder)
    const line = expectSweepInputError(await runSweep(["tiny.yaml", "--grid", "pool.maxPoolSize=2", "--slo", "waitSeconds.p59<=10"], folder))
    expect(line).toMatch(/^error: --slo 'waitSeconds\.p59<=10': .*Did you mean "waitSeconds\.p95"/)
  })

  it("--slo on an unknown trace source exits 2", async () => {
    const folder = workFolder()
    writeScenario(folder)
    const line = expectSweepInputError(await runSweep(["tiny.yaml", "--grid", "pool.maxPoolSize=2", "--slo", "runs.skippedTraceRows.ci<=0"], folder))
    expect(line).toBe(`error: --slo 'runs.skippedTraceRows.ci <= 0': scenario tiny.yaml has no trace source named "ci"; it has no trace source`)
  })

  it("bad grid exits 2", async () => {
    const folder = workFolder()
    writeScenario(folder)
    const line = expectSweepInputError(await runSweep(["tiny.yaml", "--grid", "pool.maxPoolSize=1..5/0"], folder))
    expect(line).toBe(
      'error: --grid pool.maxPoolSize=1..5/0: range COUNT "0" is not an integer of 1 or more, expected START..END/COUNT, such as 60000..600000/4 (4 evenly spaced values, both ends included)'
    )
  })

  it("invalid configuration fails before running", async () => {
    const folder = workFolder()
    writeScenario(folder)
    const line = expectSweepInputError(await runSweep(["tiny.yaml", "--grid", "pool.maxPoolSize=4,8", "--grid", "pool.minPoolSize=0,6"], folder))
    expect(line).toMatch(/^error: configuration #1 of 4 \(--set pool\.maxPoolSize=4 --set pool\.minPoolSize=6\) is invalid: tiny\.yaml/)
    expect(line).toContain("minPoolSize (6) must not exceed maxPoolSize (4)")
    expect(existsSync(join(folder, "out"))).toBe(false)
  })

  it("unknown path names the nearest key", async () => {
    const folder = workFolder()
    writeScenario(folder)
    const line = expectSweepInputError(await runSweep(["tiny.yaml", "--grid", "pool.queueDepthThresold=1,2"], folder))
    expect(line).toContain("configuration #0 of 2 (--set pool.queueDepthThresold=1) is invalid")
    expect(line).toContain('Did you mean "queueDepthThreshold"?')
  })

  it("duplicate PATH exits 2", async () => {
    const folder = workFolder()
    writeScenario(folder)
    const line = expectSweepInputError(await runSweep(["tiny.yaml", "--grid", "pool.maxPoolSize=2", "--grid", "pool.maxPoolSize=3"], folder))
    expect(line).toContain("PATH pool.maxPoolSize is already swept by --grid pool.maxPoolSize=2")
  })

  it("bad --heatmap exits 2", async () => {
    const folder = workFolder()
    writeScenario(folder)
    const line = expectSweepInputError(await runSweep(["tiny.yaml", ...GRID, "--heatmap", "pool.maxPoolSize,pool.idleTimeout"], folder))
    expect(line).toBe(
      "error: --heatmap pool.maxPoolSize,pool.idleTimeout: pool.idleTimeout is not swept, expected one of the --grid paths: pool.queueDepthThreshold, pool.maxPoolSize"
    )
  })

  it("--seeds 0 exits 2", async () => {
    const line = expectSweepInputError(await runSweep(["tiny.yaml", "--grid", "pool.maxPoolSize=2", "--seeds", "0"], workFolder()))
    expect(line).toBe("error: --seeds 0: expected an integer of 1 or more")
  })

  it("failed runs are recorded and exit 2", async () => {
    const folder = workFolder()
    const good = join(REPOSITORY_ROOT, "test/fixtures/traces/jobs.csv")
    writeScenario(folder, "replay.yaml", ["name: replay", "horizon: 2h", "workload:", "  - kind: trace", "    name: jobs", `    path: ${good}`])
    const result = await runSweep(["replay.yaml", "--grid", `workload.0.path=${good},gone.csv`, "--seeds", "1"], folder)
    expect(result.code).toBe(2)
    const errors = withoutProgress(result.stderr).split("\n").filter((line) => line !== "")
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^error: configuration #1 \(workload\.0\.path=gone\.csv\) seed 1: invalid input: .*gone\.csv: trace file not found/)
    const json = JSON.parse(readFileSync(join(folder, "out/sweep-replay/results.json"), "utf8"))
    expect(json.configurations[0].failures).toEqual([])
    expect(json.configurations[1].failures).toEqual([{ seed: 1, kind: "inputError", message: expect.stringContaining("gone.csv: trace file not found") }])
    expect(json.configurations[1].metrics).toEqual({})
  })

  it("skipped trace rows are aggregated", async () => {
    const folder = workFolder()
    const trace = join(REPOSITORY_ROOT, "test/fixtures/traces/jobs.csv")
    writeScenario(folder, "replay.yaml", ["name: replay", "horizon: 2h", "workload:", "  - kind: trace", "    name: jobs", `    path: ${trace}`])
    const result = await runSweep(["replay.yaml", "--grid", "pool.maxPoolSize=2,4", "--seeds", "1"], folder)
    expect(result.code).toBe(0)
    const json = JSON.parse(readFileSync(join(folder, "out/sweep-replay/results.json"), "utf8"))
    const position = json.metrics.indexOf("runs.skippedTraceRows.jobs")
    expect(position).toBe(json.metrics.indexOf("runs.runningAtEnd") + 1)
    const skipped = json.configurations.map((configuration: { metrics: Record<string, { mean: number }> }) => configuration.metrics["runs.skippedTraceRows.jobs"])
    expect(skipped).toEqual([expect.objectContaining({ mean: 2, sd: 0 }), expect.objectContaining({ mean: 2, sd: 0 })])
    const header = readFileSync(join(folder, "out/sweep-replay/results.csv"), "utf8").split("\r\n")[0]!
    expect(header).toContain(",runs.runningAtEnd.sd,runs.skippedTraceRows.jobs.mean,runs.skippedTraceRows.jobs.sd,")
  })

  it("bad trace fails before any run", async () => {
    const folder = workFolder()
    writeScenario(folder, "replay.yaml", ["name: replay", "horizon: 2h", "workload:", "  - kind: trace", "    name: jobs", "    path: gone.csv"])
    const line = expectSweepInputError(await runSweep(["replay.yaml", "--grid", "pool.maxPoolSize=2,4", "--seeds", "1"], folder))
    expect(line).toMatch(/gone\.csv: trace file not found/)
    expect(existsSync(join(folder, "out"))).toBe(false)
  })

  it("--help lists every option", async () => {
    const result = await runSweep(["--help"], workFolder())
    expect(result.code).toBe(0)
    for (const option of ["SCENARIO", "--grid PATH=VALUES", "--seeds N", "--jobs N", "--out DIR", "--trace FILE", "--heatmap PATH_X,PATH_Y", "--slo EXPR", "--resume"]) {
      expect(result.stdout).toContain(option)
    }
  })
})
