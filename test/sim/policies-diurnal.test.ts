import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { makeStream } from "../../sim/random.js"
import { loadScenario } from "../../sim/scenario/load.js"
import { cloudModelOf, runnerModelOf } from "../../sim/scenario/schema.js"
import { simulate } from "../../sim/simulate.js"
import { generateWorkload } from "../../sim/workload/generate.js"

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios")
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Instance counts over time and run waits of the diurnal scenario, shortened to two days, under one policy. */
const runDiurnal = (policy: string) => {
  const scenario = loadScenario(resolve(SCENARIOS, "diurnal.yaml"), { sets: [`pool.policy=${policy}`, "horizon=2d"] })
  const workload = generateWorkload(scenario.workload, {
    horizonMs: scenario.horizon,
    random: makeStream(scenario.seed, "workload"),
    baseDir: SCENARIOS
  })
  const counts: Array<{ at: number; count: number }> = []
  const waits: Array<number> = []
  let count = 0
  simulate({
    settings: scenario.pool,
    workload,
    horizonMs: scenario.horizon,
    seed: scenario.seed,
    cloud: cloudModelOf(scenario),
    runners: runnerModelOf(scenario),
    onEvent: (event) => {
      if (event.kind === "RunAcquired") waits.push(event.waitMs)
      else if (event.kind === "RunnerStatusChanged" && event.from === undefined) counts.push({ at: event.at, count: ++count })
      else if (event.kind === "InstanceDeleted") counts.push({ at: event.at, count: --count })
    }
  })
  return { counts, waits }
}

/** Time-weighted mean instance count over `[from, to)`. */
const meanCount = (counts: ReadonlyArray<{ at: number; count: number }>, from: number, to: number): number => {
  let current = 0
  let area = 0
  let since = from
  for (const point of counts) {
    if (point.at >= to) break
    if (point.at > from) {
      area += current * (point.at - since)
      since = point.at
    }
    current = point.count
  }
  area += current * (to - since)
  return area / (to - from)
}

const p95 = (values: ReadonlyArray<number>): number => [...values].sort((a, b) => a - b)[Math.floor(0.95 * (values.length - 1))]!

describe("predictive on the diurnal scenario", () => {
  const busy = runDiurnal("queue-depth-busy")
  const ahead = runDiurnal("predictive")

  it("has more runners before the second morning ramp", () => {
    // The rate doubles at 08:00 (hour factor 0.4 to 0.8). Compare the ten minutes before it on day two.
    const from = DAY + 7 * HOUR + 50 * MINUTE
    const to = DAY + 8 * HOUR
    expect(meanCount(ahead.counts, from, to)).toBeGreaterThan(meanCount(busy.counts, from, to) + 3)
  })

  it("has no such lead on the first morning", () => {
    // Without a day of history the forecast is the recent rate, so both pools are about the same size.
    const from = 7 * HOUR + 50 * MINUTE
    const to = 8 * HOUR
    expect(meanCount(ahead.counts, from, to)).toBeLessThan(meanCount(busy.counts, from, to) + 3)
  })

  it("cuts the p95 wait", () => {
    expect(ahead.waits.length).toBe(busy.waits.length)
    expect(p95(ahead.waits)).toBeLessThan(0.8 * p95(busy.waits))
  })
})
