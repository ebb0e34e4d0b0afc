import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runScenario } from "../../cli/runScenario.js"
import { gridConfigurations, parseGrid } from "../../cli/sweep/grid.js"
import type { PoolEvent } from "../../core/events.js"
import { loadScenario } from "../../sim/scenario/load.js"

/**
 * A scenario whose cloud draws boot failures and provisioning delays, so
 * that configurations which provision differently consume the cloud stream
 * differently.
 */
const SCENARIO = [
  "name: crn",
  "seed: 11",
  "horizon: 3h",
  "pool:",
  "  maxPoolSize: 6",
  "  queueDepthThreshold: 1",
  "cloud:",
  "  provisioningDelay: { kind: lognormal, median: 60s, p95: 150s }",
  "  bootFailureRate: 0.2",
  "workload:",
  "  - kind: poisson",
  "    name: steady",
  "    ratePerHour: 40",
  "    duration: { kind: lognormal, median: 4m, p95: 15m }",
  "  - kind: burst",
  "    name: spike",
  "    at: 1h",
  "    count: 15",
  "    duration: { kind: constant, value: 2m }"
].join("\n")

/** Runs the scenario with `sets` and `seed` and returns the times of its RunQueued events and its summary. */
const queuedTimes = (file: string, sets: ReadonlyArray<string>, seed: number) => {
  const times: Array<number> = []
  const onEvent = (event: PoolEvent) => {
    if (event.kind === "RunQueued") times.push(event.at)
  }
  const run = runScenario(loadScenario(file, { seed, sets }), { scenarioFile: file, onEvent })
  return { times, summary: run.summary }
}

describe("sweep common random numbers", () => {
  const folder = mkdtempSync(join(tmpdir(), "sweep-crn-"))
  const file = join(folder, "crn.yaml")
  writeFileSync(file, `${SCENARIO}\n`)
  const [low, high] = [
    gridConfigurations(parseGrid(["pool.queueDepthThreshold=1", "pool.maxPoolSize=2", "pool.idleTimeout=1m"]))[0]!,
    gridConfigurations(parseGrid(["pool.queueDepthThreshold=5", "pool.maxPoolSize=20", "pool.idleTimeout=30m"]))[0]!
  ]

  it("same seed gives identical arrivals", () => {
    const first = queuedTimes(file, low.sets, 11)
    const second = queuedTimes(file, high.sets, 11)
    expect(first.times.length).toBeGreaterThan(50)
    expect(second.times).toEqual(first.times)
    // The configurations really differ, so equal arrivals are not a sign of equal runs.
    expect(second.summary.runners.peak).not.toBe(first.summary.runners.peak)
    expect(second.summary.waitSeconds.p95).not.toBe(first.summary.waitSeconds.p95)
  })

  it("other seed gives other arrivals", () => {
    const first = queuedTimes(file, low.sets, 11)
    const other = queuedTimes(file, low.sets, 12)
    expect(other.times).not.toEqual(first.times)
  })
})
