import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { parse as parseYaml, stringify as stringifyYaml } from "yaml"
import { makeEvaluator, measureWith } from "../../cli/tune/evaluate.js"
import { parseKnobs } from "../../cli/tune/options.js"
import { parseSlos } from "../../cli/tune/slo.js"
import { buildSearchSpace } from "../../sim/search/knobs.js"
import { compareScores, scoreCandidate, type CandidateScore } from "../../sim/search/score.js"
import { settingsOf, type Candidate } from "../../sim/search/space.js"
import { loadScenario } from "../../sim/scenario/load.js"
import { expectInputError, runCli, withoutProgress } from "./support.js"

const runTune = (args: ReadonlyArray<string>, cwd: string) => runCli(["tune", ...args], cwd, 120_000)

const TEST_TIMEOUT = 240_000

const workFolder = (): string => mkdtempSync(join(tmpdir(), "cli-tune-"))

/**
 * A six-hour scenario with 24 runs of 10 minutes an hour, about 4 at once.
 * With the knobs of `GRID_KNOBS`, the cheapest configuration meeting
 * `GRID_SLO` on seeds 11 and 12 is neither the scenario's own nor the
 * cheapest overall (the test checks both).
 */
const GRID_SCENARIO = {
  name: "grid",
  seed: 11,
  horizon: "6h",
  pool: { minPoolSize: 0, maxPoolSize: 4, idleTimeout: "5m" },
  workload: [{ kind: "poisson", ratePerHour: 24, duration: { kind: "constant", value: "10m" } }]
}
const GRID_KNOBS = ["pool.idleTimeout=1m,5m,20m", "pool.maxPoolSize=4,5,6,8"]
const GRID_SLO = "waitSeconds.p95<=560"

/** A two-hour scenario that simulates in well under a second. */
const TINY_SCENARIO = {
  name: "tiny",
  seed: 3,
  horizon: "2h",
  pool: { maxPoolSize: 5 },
  workload: [{ kind: "poisson", ratePerHour: 30, duration: { kind: "constant", value: "5m" } }]
}

const writeScenario = (folder: string, content: object, file = "scenario.yaml"): string => {
  const path = join(folder, file)
  writeFileSync(path, stringifyYaml(content))
  return path
}

/** Returns the YAML `pool:` block that tune prints, from its line to the next blank line. */
const printedPoolBlock = (stdout: string): string => {
  const lines = stdout.split("\n")
  const start = lines.indexOf("pool:")
  expect(start, stdout).toBeGreaterThan(0)
  const end = lines.indexOf("", start)
  return lines.slice(start, end).join("\n")
}

/** Runs every configuration of the grid on both seeds through the evaluator tune uses, and ranks them best first. */
const rankGrid = async (file: string): Promise<Array<CandidateScore>> => {
  const scenario = loadScenario(file)
  const space = buildSearchSpace(scenario.pool, ["queue-depth"], parseKnobs(GRID_KNOBS, scenario.pool))
  const knobs = space.subspaces[0]!.knobs
  const candidates: Array<Candidate> = []
  for (const first of knobs[0]!.values.keys()) for (const second of knobs[1]!.values.keys()) candidates.push({ subspace: 0, indices: [first, second] })
  const seeds = [11, 12]
  const evaluator = makeEvaluator({ file, parallel: 1, label: "grid", budget: candidates.length * seeds.length })
  const batch = candidates.flatMap((candidate) => seeds.map((seed) => ({ candidate, settings: settingsOf(space, candidate), seed })))
  const outcomes = await evaluator.evaluate(batch)
  const measure = measureWith(parseSlos([GRID_SLO]))
  return candidates
    .map((candidate, index) => scoreCandidate(candidate, settingsOf(space, candidate), [measure(outcomes[2 * index]!), measure(outcomes[2 * index + 1]!)]))
    .sort(compareScores)
}

describe.concurrent("tune command", () => {
  it("finds the grid optimum of a small case", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, GRID_SCENARIO)
    const [ranking, result] = await Promise.all([
      rankGrid(file),
      runTune([file, "--slo", GRID_SLO, "--seeds", "2", "--budget", "20", ...GRID_KNOBS.flatMap((knob) => ["--knob", knob]), "--out", "out"], folder)
    ])

    const optimum = ranking[0]!
    expect(ranking).toHaveLength(12)
    expect(optimum.meetsSlo).toBe(true)
    const cheapest = [...ranking].sort((a, b) => a.meanCost - b.meanCost)[0]!
    expect(cheapest.meetsSlo, "the cheapest configuration overall must miss the SLO").toBe(false)
    expect(optimum.settings).not.toEqual({ "pool.policy": "queue-depth", "pool.idleTimeout": 300_000, "pool.maxPoolSize": 4 })

    expect(withoutProgress(result.stderr)).toBe("")
    expect(result.code).toBe(0)
    const report = JSON.parse(readFileSync(join(folder, "out", "tune.json"), "utf8"))
    expect(report.best.settings).toEqual(optimum.settings)
    expect(report.best.meanRunnerHours).toBeCloseTo(optimum.meanCost, 9)
    expect(report.runs).toBeLessThanOrEqual(20)
    expect(report.runs).toBeLessThan(24)
    expect(report.grid).toEqual({ combinations: 12, valid: 12 })
    expect(report.evaluations).toHaveLength(report.runs)
    expect(result.stdout).toContain("Cheapest configuration meeting waitSeconds.p95 <= 560 on both seeds (11, 12):")
    expect(result.stdout).toContain("A full grid search would run 12 valid configurations × 2 seeds = 24 simulations.")
    expect(result.stdout).toMatch(/^cost\.runnerHours +[\d.]+ ± [\d.]+ +[\d.]+\.\.[\d.]+$/m)
  }, TEST_TIMEOUT)

  it("prints a pool block that loads", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, GRID_SCENARIO)
    const result = await runTune([file, "--slo", GRID_SLO, "--seeds", "2", "--budget", "20", ...GRID_KNOBS.flatMap((knob) => ["--knob", knob]), "--out", "out"], folder)
    expect(result.code).toBe(0)
    const block = parseYaml(printedPoolBlock(result.stdout)) as { pool: Record<string, unknown> }
    expect(block.pool["policy"]).toBe("queue-depth")
    // Only settings that differ from the scenario's pool are printed, besides the policy.
    expect(block.pool["minPoolSize"]).toBeUndefined()

    const tuned = writeScenario(folder, { ...GRID_SCENARIO, pool: { ...GRID_SCENARIO.pool, ...block.pool } }, "tuned.yaml")
    const scenario = loadScenario(tuned)
    const best = JSON.parse(readFileSync(join(folder, "out", "tune.json"), "utf8")).best.settings
    expect(scenario.pool.policy).toBe(best["pool.policy"])
    expect(scenario.pool.idleTimeout).toBe(best["pool.idleTimeout"])
    expect(scenario.pool.maxPoolSize).toBe(best["pool.maxPoolSize"])
  }, TEST_TIMEOUT)

  it("writes off knob values as off", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, { ...TINY_SCENARIO, pool: { maxPoolSize: 5, idleTimeout: "off" } })
    const result = await runTune([file, "--slo", "waitSeconds.p95<=3600", "--seeds", "1", "--budget", "4", "--knob", "pool.idleTimeout=1m", "--out", "out"], folder)
    expect(withoutProgress(result.stderr)).toBe("")
    expect(result.code).toBe(0)
    const report = JSON.parse(readFileSync(join(folder, "out", "tune.json"), "utf8"))
    expect(report.space[0].knobs).toEqual([{ path: "pool.idleTimeout", values: [60_000, "off"], current: "off" }])
    const settings = report.evaluations.map((evaluation: { settings: Record<string, unknown> }) => evaluation.settings["pool.idleTimeout"])
    expect(new Set(settings)).toEqual(new Set([60_000, "off"]))
  }, TEST_TIMEOUT)

  it("nothing meeting the SLO exits 1", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, TINY_SCENARIO)
    const result = await runTune([file, "--slo", "waitSeconds.max<0", "--seeds", "1", "--budget", "4", "--knob", "pool.maxPoolSize=3,5"], folder)
    expect(withoutProgress(result.stderr)).toBe("")
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("No configuration met waitSeconds.max < 0 on seed 3. The closest, which met it on 0 of 1:")
    expect(result.stdout).toMatch(/^ {2}seed 3: waitSeconds\.max: expected < 0, got [\d.]+$/m)
    expect(parseYaml(printedPoolBlock(result.stdout)).pool.policy).toBe("queue-depth")
  }, TEST_TIMEOUT)

  it("several policies are searched together", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, TINY_SCENARIO)
    const result = await runTune([file, "--slo", "waitSeconds.p95<=600", "--seeds", "1", "--budget", "8", "--policies", "queue-depth,arc-scale-set", "--out", "out"], folder)
    expect(result.code).toBe(0)
    const report = JSON.parse(readFileSync(join(folder, "out", "tune.json"), "utf8"))
    expect(report.space.map((subspace: { policy: string }) => subspace.policy)).toEqual(["queue-depth", "arc-scale-set"])
    const policies = new Set(report.evaluations.map((evaluation: { settings: Record<string, unknown> }) => evaluation.settings["pool.policy"]))
    expect(policies).toEqual(new Set(["queue-depth", "arc-scale-set"]))
    expect(report.evaluations.length).toBeLessThanOrEqual(8)
  }, TEST_TIMEOUT)

  it("invalid --slo exits 2", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, TINY_SCENARIO)
    const [typo, noOperator, missing] = await Promise.all([
      runTune([file, "--slo", "waitSeconds.p59<=120"], folder),
      runTune([file, "--slo", "waitSeconds.p95 120"], folder),
      runTune([file], folder)
    ])
    const typoLine = expectInputError(typo)
    expect(typoLine).toContain("--slo 'waitSeconds.p59<=120': unknown summary path")
    expect(typoLine).toContain('Did you mean "waitSeconds.p95"')
    expect(typoLine).toContain("Expected PATH OP NUMBER")
    expect(expectInputError(noOperator)).toContain("no comparison operator found")
    expect(expectInputError(missing)).toBe("error: missing --slo: give at least one, such as --slo 'waitSeconds.p95<=120'")
  }, TEST_TIMEOUT)

  it("invalid numbers and names exit 2", async () => {
    const folder = workFolder()
    const file = writeScenario(folder, TINY_SCENARIO)
    const slo = ["--slo", "waitSeconds.p95<=120"]
    const [budget, seeds, policy, knobPath, knobValue] = await Promise.all([
      runTune([file, ...slo, "--budget", "0"], folder),
      runTune([file, ...slo, "--seeds", "0"], folder),
      runTune([file, ...slo, "--policies", "queue-dept"], folder),
      runTune([file, ...slo, "--knob", "pool.maxPool=3,4"], folder),
      runTune([file, ...slo, "--knob", "pool.maxPoolSize=3,0"], folder)
    ])
    expect(expectInputError(budget)).toBe(
      "error: --budget 0: expected an integer of 3 or more, the number of seeds (--seeds 3), so that one configuration can run on every seed"
    )
    expect(expectInputError(seeds)).toBe("error: --seeds 0: expected an integer of 1 or more")
    expect(expectInputError(policy)).toContain('unknown policy "queue-dept". Did you mean "queue-depth"?')
    expect(expectInputError(knobPath)).toContain('"pool.maxPool" is not a pool setting. Did you mean "pool.maxPoolSize"?')
    expect(expectInputError(knobValue)).toContain("--knob 'pool.maxPoolSize=3,0': pool.maxPoolSize=0 is invalid")
  }, TEST_TIMEOUT)
})
