import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { parseDurationMs } from "../../core/duration.js"
import { runScenario } from "../../cli/runScenario.js"
import { faultUntil } from "../../sim/faults/schema.js"
import { loadScenario } from "../../sim/scenario/load.js"
import type { Scenario } from "../../sim/scenario/schema.js"

const FOLDER = "scenarios/faults"

/** Waits of the runs, in seconds, by arrival time in milliseconds. */
const runWithWaits = (scenario: Scenario, file: string) => {
  const arrivals = new Map<number, number>()
  const waits: Array<{ arrival: number; waitSeconds: number }> = []
  const run = runScenario(scenario, {
    scenarioFile: file,
    onEvent: (event) => {
      if (event.kind === "RunQueued") arrivals.set(event.runId, event.at)
      if (event.kind === "RunAcquired") waits.push({ arrival: arrivals.get(event.runId)!, waitSeconds: event.waitMs / 1000 })
    }
  })
  return { summary: run.summary, waits }
}

/** Nearest-rank 95th percentile; 0 for no values. */
const p95 = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length === 0 ? 0 : sorted[Math.ceil(0.95 * sorted.length) - 1]!
}

/** The recovery time the scenario's header comment states: "runs arriving 30m after the fault ends". */
const statedRecoveryMs = (file: string): number => {
  const match = /runs arriving (\S+) after the fault ends/.exec(readFileSync(file, "utf8").replace(/\n#\s*/g, " "))
  expect(match, `${file} states its recovery time`).not.toBeNull()
  return parseDurationMs(match![1]!)!
}

describe("fault scenarios", () => {
  const files = readdirSync(FOLDER).filter((name) => name.endsWith(".yaml")).sort()

  it("cover every fault kind", () => {
    const kinds = new Set(files.flatMap((name) => loadScenario(join(FOLDER, name)).faults.map((fault) => fault.kind)))
    expect([...kinds].sort()).toEqual([
      "agentVersionBump",
      "bootFailures",
      "cloudErrors",
      "controlPlaneOutage",
      "hangingRuns",
      "heartbeatLoss",
      "instanceUnhealthy",
      "listLag",
      "replicaCrash",
      "replicaPause",
      "slowProvisioning"
    ])
  })

  it.each(files)("%s recovers, loses nothing and violates nothing", (name) => {
    const file = join(FOLDER, name)
    const scenario = loadScenario(file)
    const faulty = runWithWaits(scenario, file)
    const baseline = runWithWaits({ ...scenario, faults: [] }, file)

    expect(faulty.summary.violations).toEqual([])
    const { runs } = faulty.summary
    expect(runs.completed + runs.failed + runs.queuedAtEnd + runs.runningAtEnd).toBe(runs.arrived)

    // Runs arriving after the stated recovery time wait no longer than without the fault,
    // within a quarter or 30 s, whichever is larger: the two runs differ in cloud draws.
    const recoveredFrom = Math.max(...scenario.faults.map(faultUntil)) + statedRecoveryMs(file)
    const after = (waits: ReadonlyArray<{ arrival: number; waitSeconds: number }>) =>
      waits.filter((wait) => wait.arrival >= recoveredFrom).map((wait) => wait.waitSeconds)
    const recovered = p95(after(faulty.waits))
    const normal = p95(after(baseline.waits))
    expect(after(faulty.waits).length).toBeGreaterThan(100)
    expect(recovered).toBeLessThanOrEqual(Math.max(normal * 1.25, normal + 30))
  })
})
