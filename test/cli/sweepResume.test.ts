import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { expectInputError, runCli, withoutProgress } from "./support.js"

const runSweep = (args: ReadonlyArray<string>, cwd: string) => runCli(["sweep", ...args], cwd, 90_000)

const MULTI_RUN_TIMEOUT = 150_000

/** A two-hour scenario that simulates in well under a second. */
const TINY = `name: tiny
seed: 3
horizon: 2h
pool:
  maxPoolSize: 5
  queueDepthThreshold: 1
workload:
  - kind: poisson
    ratePerHour: 30
    duration: { kind: constant, value: 5m }
`

/** Creates a temporary folder containing tiny.yaml. */
const scenarioFolder = (): string => {
  const folder = mkdtempSync(join(tmpdir(), "cli-sweep-resume-"))
  writeFileSync(join(folder, "tiny.yaml"), TINY)
  return folder
}

const GRID = ["--grid", "pool.maxPoolSize=2,6", "--out", "out"]

const journalLines = (folder: string): Array<string> => readFileSync(join(folder, "out/runs.jsonl"), "utf8").trimEnd().split("\n")

describe.concurrent("sweep journal and --resume", () => {
  it("journals every run and resumes a cut journal", async () => {
    const folder = scenarioFolder()
    const first = await runSweep(["tiny.yaml", ...GRID, "--seeds", "2"], folder)
    expect(first.code).toBe(0)
    const complete = readFileSync(join(folder, "out/results.json"), "utf8")
    const lines = journalLines(folder)
    expect(lines).toHaveLength(5)
    expect(JSON.parse(lines[0]!)).toEqual({ journal: "runner-pool sweep", version: expect.any(String), fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(lines.slice(1).map((line) => JSON.parse(line)).map(({ sets, seed }) => [sets, seed])).toEqual([
      [["pool.maxPoolSize=2"], 3],
      [["pool.maxPoolSize=2"], 4],
      [["pool.maxPoolSize=6"], 3],
      [["pool.maxPoolSize=6"], 4]
    ])

    // As if the sweep was killed while writing its fourth line.
    writeFileSync(join(folder, "out/runs.jsonl"), `${lines.slice(0, 3).join("\n")}\n${lines[3]!.slice(0, 40)}`)
    const resumed = await runSweep(["tiny.yaml", ...GRID, "--seeds", "2", "--resume"], folder)
    expect(resumed.code).toBe(0)
    expect(withoutProgress(resumed.stderr)).toBe(`resume: 2 of 4 runs reused from ${join("out", "runs.jsonl")}; 1 unreadable line was ignored\n`)
    expect(resumed.stdout).toMatch(/^4 runs of 2 configurations \(2 reused from runs\.jsonl\) in [\d.]+ s; wrote /m)
    expect(readFileSync(join(folder, "out/results.json"), "utf8")).toBe(complete)

    // The records appended after the cut line start on lines of their own.
    const again = await runSweep(["tiny.yaml", ...GRID, "--seeds", "2", "--resume"], folder)
    expect(withoutProgress(again.stderr)).toBe(`resume: 4 of 4 runs reused from ${join("out", "runs.jsonl")}; 1 unreadable line was ignored\n`)
  }, MULTI_RUN_TIMEOUT)

  it("reuses runs after reordered --grid options", async () => {
    const folder = scenarioFolder()
    const grids = [["--grid", "pool.maxPoolSize=2,6"], ["--grid", "pool.idleTimeout=1m,5m"]]
    expect((await runSweep(["tiny.yaml", ...grids[0]!, ...grids[1]!, "--seeds", "1", "--out", "out"], folder)).code).toBe(0)
    const resumed = await runSweep(["tiny.yaml", ...grids[1]!, ...grids[0]!, "--seeds", "1", "--out", "out", "--resume"], folder)
    expect(resumed.code).toBe(0)
    expect(withoutProgress(resumed.stderr)).toBe(`resume: 4 of 4 runs reused from ${join("out", "runs.jsonl")}\n`)
  }, MULTI_RUN_TIMEOUT)

  it("reuses runs of equal YAML values", async () => {
    const folder = scenarioFolder()
    expect((await runSweep(["tiny.yaml", "--grid", "pool.maxPoolSize=2,6", "--seeds", "1", "--out", "out"], folder)).code).toBe(0)
    const resumed = await runSweep(["tiny.yaml", "--grid", "pool.maxPoolSize=2.0,7", "--seeds", "1", "--out", "out", "--resume"], folder)
    expect(resumed.code).toBe(0)
    expect(withoutProgress(resumed.stderr)).toBe(`resume: 1 of 2 runs reused from ${join("out", "runs.jsonl")}\n`)
  }, MULTI_RUN_TIMEOUT)

  it("journal path that is a folder exits 2", async () => {
    const folder = scenarioFolder()
    mkdirSync(join(folder, "out/runs.jsonl"), { recursive: true })
    for (const resume of [[], ["--resume"]]) {
      const line = expectInputError(await runSweep(["tiny.yaml", ...GRID, "--seeds", "1", ...resume], folder))
      expect(line).toBe(`error: ${join("out", "runs.jsonl")} is a folder, but the sweep keeps its journal of runs there; rename it or choose another folder with --out`)
    }
  })

  it.runIf(existsSync("/dev/full"))("full disk under the journal exits 2", async () => {
    const folder = scenarioFolder()
    mkdirSync(join(folder, "out"))
    // Every write to /dev/full fails with ENOSPC, as on a full disk.
    symlinkSync("/dev/full", join(folder, "out/runs.jsonl"))
    const line = expectInputError(await runSweep(["tiny.yaml", ...GRID, "--seeds", "1"], folder))
    expect(line).toBe(`error: cannot write output to ${join("out", "runs.jsonl")}: no space left on the device (ENOSPC). Choose another folder with --out (now out).`)
  })

  it.each(["1", "2"])("scenario edited mid-sweep stops it with %s jobs", async (jobs) => {
    const folder = mkdtempSync(join(tmpdir(), "cli-sweep-edit-"))
    // Three days of runs, so each run takes a good part of a second.
    const scenario = TINY.replace("horizon: 2h", "horizon: 3d").replace("ratePerHour: 30", "ratePerHour: 120")
    writeFileSync(join(folder, "tiny.yaml"), scenario)
    const args = ["tiny.yaml", "--grid", "pool.maxPoolSize=4,6", "--seeds", "4", "--jobs", jobs, "--out", "out"]
    const sweep = runSweep(args, folder)
    const journal = join(folder, "out/runs.jsonl")
    while (!existsSync(journal) || readFileSync(journal, "utf8").split("\n").length < 3) await new Promise((resolve) => setTimeout(resolve, 10))
    writeFileSync(join(folder, "tiny.yaml"), `${scenario}# edited\n`)

    const stopped = await sweep
    const line = expectInputError({ ...stopped, stderr: withoutProgress(stopped.stderr) })
    expect(line).toMatch(/^error: tiny\.yaml or a trace file it reads changed while the sweep ran, so the sweep stopped\. out\/runs\.jsonl keeps the \d+ runs? that ended before the change\./)
    const keptRuns = journalLines(folder).length - 1
    expect(keptRuns).toBeLessThan(8)
    expect(line).toContain(`keeps the ${keptRuns} run`)
    expect(existsSync(join(folder, "out/results.json"))).toBe(false)

    writeFileSync(join(folder, "tiny.yaml"), scenario)
    const resumed = await runSweep([...args, "--resume"], folder)
    expect(resumed.code).toBe(0)
    expect(withoutProgress(resumed.stderr)).toBe(`resume: ${keptRuns} of 8 runs reused from ${join("out", "runs.jsonl")}\n`)
  }, MULTI_RUN_TIMEOUT)

  it("reuses recorded summaries instead of running them again", async () => {
    const folder = scenarioFolder()
    expect((await runSweep(["tiny.yaml", ...GRID, "--seeds", "1"], folder)).code).toBe(0)
    const lines = journalLines(folder)
    const marked = JSON.parse(lines[1]!)
    marked.summary.cost.runnerHours = 12345
    writeFileSync(join(folder, "out/runs.jsonl"), [lines[0], JSON.stringify(marked), lines[2]].join("\n") + "\n")

    // Worker threads run the two new runs, jobs #1 and #3, and their outcomes must land in their places.
    const resumed = await runSweep(["tiny.yaml", ...GRID, "--seeds", "2", "--resume", "--jobs", "2"], folder)
    expect(resumed.code).toBe(0)
    expect(withoutProgress(resumed.stderr)).toBe(`resume: 2 of 4 runs reused from ${join("out", "runs.jsonl")}\n`)
    const fresh = await runSweep(["tiny.yaml", "--grid", "pool.maxPoolSize=2,6", "--seeds", "2", "--out", "fresh"], folder)
    const freshResults = JSON.parse(readFileSync(join(folder, "fresh/results.json"), "utf8"))
    const results = JSON.parse(readFileSync(join(folder, "out/results.json"), "utf8"))
    expect(results.configurations[0].metrics["cost.runnerHours"].max).toBe(12345)
    expect(fresh.code).toBe(0)
    expect(results.configurations[0].metrics["cost.runnerHours"].min).toBe(freshResults.configurations[0].metrics["cost.runnerHours"].min)
    expect(results.configurations[1].metrics).toEqual(freshResults.configurations[1].metrics)
    expect(journalLines(folder)).toHaveLength(5)
  }, MULTI_RUN_TIMEOUT)

  it("reruns a run whose recorded summary is malformed", async () => {
    const folder = scenarioFolder()
    expect((await runSweep(["tiny.yaml", ...GRID, "--seeds", "1"], folder)).code).toBe(0)
    const complete = readFileSync(join(folder, "out/results.json"), "utf8")
    const lines = journalLines(folder)
    const broken = JSON.parse(lines[1]!)
    broken.summary.cost.runnerHours = "12"
    const noSkipped = JSON.parse(lines[2]!)
    delete noSkipped.summary.runs.skippedTraceRows
    writeFileSync(join(folder, "out/runs.jsonl"), [lines[0], JSON.stringify(broken), JSON.stringify(noSkipped)].join("\n") + "\n")

    const resumed = await runSweep(["tiny.yaml", ...GRID, "--seeds", "1", "--resume"], folder)
    expect(resumed.code).toBe(0)
    expect(withoutProgress(resumed.stderr)).toBe(`resume: 0 of 2 runs reused from ${join("out", "runs.jsonl")}; 2 unreadable lines were ignored\n`)
    expect(readFileSync(join(folder, "out/results.json"), "utf8")).toBe(complete)
  }, MULTI_RUN_TIMEOUT)

  it("without --resume starts a new journal", async () => {
    const folder = scenarioFolder()
    expect((await runSweep(["tiny.yaml", ...GRID, "--seeds", "1"], folder)).code).toBe(0)
    expect((await runSweep(["tiny.yaml", "--grid", "pool.maxPoolSize=3", "--seeds", "1", "--out", "out"], folder)).code).toBe(0)
    const lines = journalLines(folder)
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[1]!).sets).toEqual(["pool.maxPoolSize=3"])
  }, MULTI_RUN_TIMEOUT)

  it("--resume without a journal runs everything", async () => {
    for (const journal of [undefined, ""]) {
      const folder = scenarioFolder()
      if (journal !== undefined) {
        mkdirSync(join(folder, "out"))
        writeFileSync(join(folder, "out/runs.jsonl"), journal)
      }
      const result = await runSweep(["tiny.yaml", ...GRID, "--seeds", "1", "--resume"], folder)
      expect(result.code).toBe(0)
      expect(withoutProgress(result.stderr)).toBe(`resume: 0 of 2 runs reused from ${join("out", "runs.jsonl")}\n`)
      expect(journalLines(folder)).toHaveLength(3)
    }
  }, MULTI_RUN_TIMEOUT)

  it("--resume after the scenario changed exits 2", async () => {
    const folder = scenarioFolder()
    expect((await runSweep(["tiny.yaml", ...GRID, "--seeds", "1"], folder)).code).toBe(0)
    const journal = readFileSync(join(folder, "out/runs.jsonl"), "utf8")
    writeFileSync(join(folder, "tiny.yaml"), TINY.replace("ratePerHour: 30", "ratePerHour: 40"))
    const line = expectInputError(await runSweep(["tiny.yaml", ...GRID, "--seeds", "1", "--resume"], folder))
    expect(line).toBe(
      `error: --resume: ${join("out", "runs.jsonl")} was written for another scenario file, trace file or runner-pool version; run the sweep without --resume to start over`
    )
    expect(readFileSync(join(folder, "out/runs.jsonl"), "utf8")).toBe(journal)
  }, MULTI_RUN_TIMEOUT)

  it("--resume on a file that is no journal exits 2", async () => {
    const folder = scenarioFolder()
    mkdirSync(join(folder, "out"))
    writeFileSync(join(folder, "out/runs.jsonl"), "pool.maxPoolSize,cost\n2,10\n")
    const line = expectInputError(await runSweep(["tiny.yaml", ...GRID, "--resume"], folder))
    expect(line).toBe(`error: --resume: ${join("out", "runs.jsonl")} is not a sweep journal; run the sweep without --resume to start over`)
    expect(readFileSync(join(folder, "out/runs.jsonl"), "utf8")).toBe("pool.maxPoolSize,cost\n2,10\n")
  })
})
