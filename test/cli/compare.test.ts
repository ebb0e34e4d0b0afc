import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { stringify as stringifyYaml } from "yaml"
import { COMPARE_COLUMNS } from "../../reports/compare/table.js"
import { runCli, withoutProgress } from "./support.js"

const runCompare = (args: ReadonlyArray<string>, cwd: string) => runCli(["compare", ...args], cwd, 120_000)

const TEST_TIMEOUT = 240_000

/** A two-hour scenario that simulates in well under a second. */
const TINY_SCENARIO = {
  name: "tiny",
  seed: 3,
  horizon: "2h",
  pool: { maxPoolSize: 5 },
  workload: [{ kind: "poisson", ratePerHour: 30, duration: { kind: "constant", value: "5m" } }]
}

const workFolder = (): string => {
  const folder = mkdtempSync(join(tmpdir(), "cli-compare-"))
  writeFileSync(join(folder, "tiny.yaml"), stringifyYaml(TINY_SCENARIO))
  return folder
}

/** Returns the rows of the first markdown table in `text`, each as its cells. */
const markdownTable = (text: string): Array<Array<string>> =>
  text
    .split("\n")
    .filter((line) => line.startsWith("| "))
    .map((line) => line.slice(2, -2).split(" | "))

describe.concurrent("compare command", () => {
  it("writes the table, JSON and report", async () => {
    const folder = workFolder()
    const result = await runCompare(["tiny.yaml", "--policies", "queue-depth,queue-depth-busy", "--budget", "4", "--seeds", "2", "--out", "cmp"], folder)
    expect(withoutProgress(result.stderr)).toBe("")
    expect(result.code).toBe(0)

    const markdown = readFileSync(join(folder, "cmp", "compare.md"), "utf8")
    expect(result.stdout).toContain(markdown)
    expect(markdown).toContain("- SLO: waitSeconds.p95 <= 120")
    expect(markdown).toContain("- Seeds: 3, 4")
    expect(markdown).toContain("- Budget: 4 simulation runs per policy")
    expect(markdown).toContain("- Command: `runner-pool compare tiny.yaml --policies queue-depth,queue-depth-busy --budget 4 --seeds 2 --out cmp`")
    const table = markdownTable(markdown)
    expect(table[0]).toEqual([...COMPARE_COLUMNS])
    expect(table.slice(2).map((row) => row[0])).toEqual(["queue-depth", "queue-depth-busy", "clairvoyant", "floor"])
    for (const row of table.slice(2, 4)) {
      expect(row[2]).toMatch(/^[\d.]+ ± [\d.]+$/)
      expect(row[9]).toMatch(/^[0-2]\/2$/)
    }
    expect(table[4]![3]).toBe("1.00")
    expect(table[5]![4]).toBe("1.00")

    const json = JSON.parse(readFileSync(join(folder, "cmp", "compare.json"), "utf8"))
    expect(json.comparison.rows.map((row: { policy: string }) => row.policy)).toEqual(["queue-depth", "queue-depth-busy"])
    expect(json.comparison.references.floor.mean).toBeGreaterThan(0)
    expect(json.comparison.references.clairvoyant.mean).toBeGreaterThanOrEqual(json.comparison.references.floor.mean)
    for (const search of json.searches) expect(search.runs).toBeLessThanOrEqual(4)

    const html = readFileSync(join(folder, "cmp", "report.html"), "utf8")
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(2)
    expect(html).not.toMatch(/(src|href)="(?!data:)/)
    expect(html).toContain('<th scope="row">clairvoyant</th>')
    expect(html).toContain('<th scope="row">floor</th>')
  }, TEST_TIMEOUT)

  it("default folder is out/compare-NAME", async () => {
    const folder = workFolder()
    const result = await runCompare(["tiny.yaml", "--policies", "arc-scale-set", "--budget", "1", "--seeds", "1", "--slo", "runs.completed>=1"], folder)
    expect(result.code).toBe(0)
    for (const file of ["compare.json", "compare.md", "report.html"]) expect(existsSync(join(folder, "out", "compare-tiny", file)), file).toBe(true)
    expect(markdownTable(result.stdout).slice(2).map((row) => row[0])).toEqual(["arc-scale-set", "clairvoyant", "floor"])
  }, TEST_TIMEOUT)

  it("invalid input exits 2", async () => {
    const folder = workFolder()
    const [policy, slo, budget] = await Promise.all([
      runCompare(["tiny.yaml", "--policies", "buildkit"], folder),
      runCompare(["tiny.yaml", "--slo", "wait.p95<=1"], folder),
      runCompare(["tiny.yaml", "--budget", "0"], folder)
    ])
    for (const result of [policy, slo, budget]) {
      expect(result.code).toBe(2)
      expect(result.stderr.trim().split("\n")).toHaveLength(1)
    }
    expect(policy.stderr).toContain('unknown policy "buildkit". Did you mean "buildkite"?')
    expect(slo.stderr).toContain("--slo 'wait.p95<=1': unknown summary path")
    expect(budget.stderr).toContain("--budget 0: expected an integer of 3 or more")
  }, TEST_TIMEOUT)
})
