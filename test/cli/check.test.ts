import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runCli, type CliResult } from "./support.js"
import { makeCheckProgress } from "../../cli/checkProgress.js"
import { parseXml } from "../reports/xml.js"

/** Runs `runner-pool check ARGS` in `cwd`; each run takes seconds on a busy machine. */
const runCheck = (args: ReadonlyArray<string>, cwd: string) => runCli(["check", ...args], cwd, 55_000)

// Tests that run the CLI several times in a row get this timeout.
const MULTI_RUN_TIMEOUT = 150_000

const workFolder = (): string => mkdtempSync(join(tmpdir(), "cli-check-"))

/** A two-hour scenario that simulates in well under a second. */
const tinyScenario = (name: string, extra: ReadonlyArray<string> = [], threshold = 1): ReadonlyArray<string> => [
  `name: ${name}`,
  "seed: 3",
  "horizon: 2h",
  "pool:",
  "  maxPoolSize: 5",
  `  queueDepthThreshold: ${threshold}`,
  "workload:",
  "  - kind: poisson",
  "    ratePerHour: 30",
  "    duration: { kind: constant, value: 5m }",
  ...extra
]

/** Writes a scenario file and returns its path. */
const writeScenario = (folder: string, file: string, lines: ReadonlyArray<string>): string => {
  const path = join(folder, file)
  writeFileSync(path, lines.map((line) => `${line}\n`).join(""))
  return path
}

/** Checks the contract of invalid input: exit code 2, `error: ` lines on stderr, no stack trace. */
const expectInputErrors = (result: CliResult, count = 1): ReadonlyArray<string> => {
  expect(result.code).toBe(2)
  expect(result.stderr).not.toMatch(/^ {4}at /m)
  const lines = result.stderr.split("\n").filter((line) => line.trim() !== "")
  expect(lines).toHaveLength(count)
  for (const line of lines) expect(line).toMatch(/^error: /)
  return lines
}

/** Returns the table rows of a check's output, with the wall-clock time column blanked. */
const tableOf = (stdout: string): ReadonlyArray<string> => {
  const lines = stdout.split("\n")
  const end = lines.indexOf("")
  return lines.slice(0, end).map((line) => line.replace(/\b\d+\.\d\d s\b/, "T"))
}

describe.concurrent("check command", () => {
  it("violated expectation fails with JUnit failure", async () => {
    const folder = workFolder()
    writeScenario(folder, "slow.yaml", tinyScenario("slow", ["expect:", '  runners.peak: "< 2"', '  violations: "== 0"']))
    const update = await runCheck(["--update-golden", "slow.yaml"], folder)
    expect(update.code).toBe(1)
    expect(existsSync(join(folder, "slow.golden.json"))).toBe(true)
    const result = await runCheck(["slow.yaml", "--junit", "reports/check.xml"], folder)
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^slow\.yaml +3 +FAIL .*expect failed: runners\.peak$/m)
    expect(result.stdout).toMatch(/^ {2}expect runners\.peak: expected < 2, got \d+$/m)

    const suite = parseXml(readFileSync(join(folder, "reports/check.xml"), "utf8"))
    expect(suite.name).toBe("testsuite")
    expect(suite.attributes["tests"]).toBe("1")
    expect(suite.attributes["failures"]).toBe("1")
    const [testCase] = suite.children
    expect(testCase!.attributes["name"]).toBe("slow (seed 3)")
    expect(testCase!.attributes["classname"]).toBe("slow.yaml")
    const failure = testCase!.children.find((child) => child.name === "failure")
    expect(failure?.attributes["message"]).toMatch(/^expect runners\.peak: expected < 2, got \d+$/)
    expect(failure?.text).toContain("expect runners.peak: expected < 2, got")
  }, MULTI_RUN_TIMEOUT)

  it("same scenario gives identical golden bytes", async () => {
    const [first, second] = [workFolder(), workFolder()]
    writeScenario(first, "tiny.yaml", tinyScenario("tiny"))
    writeScenario(second, "tiny.yaml", tinyScenario("tiny"))
    const results = await Promise.all([runCheck(["--update-golden", "tiny.yaml"], first), runCheck(["--update-golden", "tiny.yaml"], second)])
    for (const result of results) expect(result.code).toBe(0)

    const golden = readFileSync(join(first, "tiny.golden.json"), "utf8")
    expect(golden).not.toContain('"engine"')
    expect(JSON.parse(golden).scenario).toBe("tiny")
    expect(readFileSync(join(second, "tiny.golden.json"), "utf8")).toBe(golden)

    const again = await runCheck(["tiny.yaml"], first)
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/^tiny\.yaml +3 +ok /m)
  }, MULTI_RUN_TIMEOUT)

  it("changed policy constant shows a readable diff", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, "policy.yaml", tinyScenario("policy", [], 1))
    expect((await runCheck(["--update-golden", file], folder)).code).toBe(0)
    const before = JSON.parse(readFileSync(join(folder, "policy.golden.json"), "utf8"))

    writeScenario(folder, "policy.yaml", tinyScenario("policy", [], 4))
    const changed = await runCheck([file], folder)
    expect(changed.code).toBe(1)
    expect(changed.stdout).toContain(`golden file ${join(folder, "policy.golden.json")} differs in`)
    expect(changed.stdout).toContain("--update-golden")
    const escapedP95 = String(before.waitSeconds.p95).replace(".", "\\.")
    expect(changed.stdout).toMatch(new RegExp(`^ {4}waitSeconds\\.p95: ${escapedP95} -> [\\d.]+ \\([+-][\\d.]+%\\)$`, "m"))
    expect(changed.stdout).toMatch(/^ {4}scaleEvents\.up: \d+ -> \d+/m)

    expect((await runCheck(["--update-golden", file], folder)).code).toBe(0)
    const fixed = await runCheck([file], folder)
    expect(fixed.code).toBe(0)
    expect(fixed.stdout).toContain("1 run in")
  }, MULTI_RUN_TIMEOUT)

  it("missing golden file says how to create it", async () => {
    const folder = workFolder()
    writeScenario(folder, "new.yaml", tinyScenario("new"))
    const result = await runCheck(["new.yaml"], folder)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("golden file new.golden.json not found. Create it by running check with --update-golden.")
    expect(existsSync(join(folder, "new.golden.json"))).toBe(false)
  })

  it("--seeds 3 runs three seeds", async () => {
    const folder = workFolder()
    writeScenario(folder, "seeds.yaml", tinyScenario("seeds", ["expect:", '  violations: "== 0"']))
    const result = await runCheck(["--seeds", "3", "--update-golden", "seeds.yaml"], folder)
    expect(result.code).toBe(0)
    const rows = tableOf(result.stdout).slice(1)
    expect(rows.map((row) => row.split(/ +/).slice(0, 3).join(" "))).toEqual(["seeds.yaml 3 ok", "seeds.yaml 4 ok", "seeds.yaml 5 ok"])
    expect(result.stdout).toContain("3 runs in")
    expect(JSON.parse(readFileSync(join(folder, "seeds.golden.json"), "utf8")).seed).toBe(3)
  })

  it("--jobs 2 matches --jobs 1", async () => {
    const folder = workFolder()
    mkdirSync(join(folder, "suite/nested"), { recursive: true })
    writeScenario(folder, "suite/a.yaml", tinyScenario("a"))
    writeScenario(folder, "suite/nested/b.yaml", tinyScenario("b", ["expect:", '  runners.peak: "> 100"']))
    writeScenario(folder, "suite/c.yaml", tinyScenario("c", [], 2))
    expect((await runCheck(["--update-golden", "suite"], folder)).code).toBe(1)

    const [serial, parallel] = await Promise.all([runCheck(["suite", "--seeds", "2"], folder), runCheck(["suite", "--seeds", "2", "--jobs", "2"], folder)])
    expect(serial.code).toBe(1)
    expect(parallel.code).toBe(serial.code)
    expect(tableOf(parallel.stdout)).toEqual(tableOf(serial.stdout))
    expect(tableOf(serial.stdout).slice(1).map((row) => row.split(/ +/).slice(0, 3).join(" "))).toEqual([
      "suite/a.yaml 3 ok",
      "suite/a.yaml 4 ok",
      "suite/c.yaml 3 ok",
      "suite/c.yaml 4 ok",
      "suite/nested/b.yaml 3 FAIL",
      "suite/nested/b.yaml 4 FAIL"
    ])
  }, MULTI_RUN_TIMEOUT)

  it("bad expectation exits 2", async () => {
    const folder = workFolder()
    writeScenario(folder, "typo.yaml", tinyScenario("typo", ["expect:", '  waitSeconds.p59: "<= 180"']))
    const [line] = expectInputErrors(await runCheck(["typo.yaml"], folder))
    expect(line).toMatch(/^error: typo\.yaml:12: expect\.waitSeconds\.p59: unknown summary path "waitSeconds\.p59"\. Did you mean "waitSeconds\.p95"/)
  })

  it("every invalid scenario gets a line", async () => {
    const folder = workFolder()
    writeScenario(folder, "a.yaml", tinyScenario("a", ["expect:", "  runners.peak: 5"]))
    writeScenario(folder, "b.yaml", tinyScenario("b", ["expect:", '  engine.wallSeconds: "< 5"']))
    writeScenario(folder, "c.yaml", tinyScenario("c"))
    const result = await runCheck(["."], folder)
    const lines = expectInputErrors(result, 2)
    expect(lines[0]).toMatch(/^error: a\.yaml:12: expect\.runners\.peak: expected a condition/)
    expect(lines[1]).toMatch(/^error: b\.yaml:12: expect\.engine\.wallSeconds: .*cannot be tested/)
    expect(result.stdout).toBe("")
  })

  it("missing PATH exits 2", async () => {
    const [line] = expectInputErrors(await runCheck(["no-such-folder"], workFolder()))
    expect(line).toBe("error: scenario path no-such-folder: not found, expected a scenario file or a folder of *.yaml scenarios")
  })

  it("default PATH is scenarios/", async () => {
    const [line] = expectInputErrors(await runCheck([], workFolder()))
    expect(line).toBe("error: scenario path scenarios/: not found, expected a scenario file or a folder of *.yaml scenarios")
  })

  it("missing trace is an error row", async () => {
    const folder = workFolder()
    writeScenario(folder, "replay.yaml", ["name: replay", "horizon: 2h", "workload:", "  - kind: trace", "    name: jobs", "    path: gone.csv"])
    const result = await runCheck(["replay.yaml", "--junit", "j.xml"], folder)
    const [line] = expectInputErrors(result)
    expect(line).toContain("gone.csv: trace file not found")
    expect(result.stdout).toMatch(/^replay\.yaml +1 +ERROR .*invalid input$/m)
    const suite = parseXml(readFileSync(join(folder, "j.xml"), "utf8"))
    expect(suite.attributes["errors"]).toBe("1")
    expect(suite.children[0]!.children[0]!.name).toBe("error")
  })

  it("--jobs 0 exits 2", async () => {
    const [line] = expectInputErrors(await runCheck(["--jobs", "0"], workFolder()))
    expect(line).toBe("error: --jobs 0: expected an integer of 1 or more")
  })

  it("--help lists every option", async () => {
    const result = await runCheck(["--help"], workFolder())
    expect(result.code).toBe(0)
    for (const option of ["PATH", "--junit FILE", "--update-golden", "--seeds N", "--jobs N", "*.yaml"]) {
      expect(result.stdout).toContain(option)
    }
  })
})

describe("check progress line", () => {
  /** Creates a fake terminal that records what is written to it. */
  const terminal = () => {
    const writes: Array<string> = []
    const stream = { isTTY: true, columns: 60, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream
    return { writes, stream }
  }

  it("shows running jobs and done count", () => {
    const { writes, stream } = terminal()
    const progress = makeCheckProgress(2, stream)
    const job = { index: 0, file: "scenarios/burst.yaml", seed: 1 }
    progress.started(job)
    progress.progressed(job, 0.42)
    expect(writes.at(-1)).toBe("\rcheck: 0/2 done, running burst.yaml seed 1 42%\x1b[K")
    progress.finished(job)
    expect(writes.at(-1)).toBe("\rcheck: 1/2 done\x1b[K")
    progress.clear()
    expect(writes.at(-1)).toBe("\r\x1b[K")
  })

  it("stays silent off a terminal", () => {
    const writes: Array<string> = []
    const stream = { isTTY: false, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream
    const progress = makeCheckProgress(1, stream)
    progress.started({ index: 0, file: "a.yaml", seed: 1 })
    progress.clear()
    expect(writes).toEqual([])
  })
})
