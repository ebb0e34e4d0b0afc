import { describe, expect, it } from "vitest"
import { capRunDurations, floorRunnerHours } from "../../../sim/reference/floor.js"
import { workloadFromRuns } from "../../../sim/workload/workload.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** Three runs inside a one-hour horizon, the last one cut by it, and one arriving at the horizon. */
const workload = workloadFromRuns([
  { arrival: 0, duration: 30 * MINUTE },
  { arrival: 10 * MINUTE, duration: HOUR },
  { arrival: 50 * MINUTE, duration: 30 * MINUTE },
  { arrival: HOUR, duration: 10 * MINUTE }
])

describe("floorRunnerHours", () => {
  it("sums run time clipped to the horizon", () => {
    // 30 min, then 50 of 60 min, then 10 of 30 min, then nothing.
    expect(floorRunnerHours(workload, HOUR)).toBe(1.5)
  })

  it("counts whole runs inside a long horizon", () => {
    expect(floorRunnerHours(workload, 10 * HOUR)).toBe(130 / 60)
  })

  it("is zero for no runs", () => {
    expect(floorRunnerHours(workloadFromRuns([]), HOUR)).toBe(0)
  })

  it("rejects an invalid horizon", () => {
    expect(() => floorRunnerHours(workload, 0)).toThrow(/Invalid horizonMs 0/)
    expect(() => floorRunnerHours(workload, Number.POSITIVE_INFINITY)).toThrow(/Invalid horizonMs Infinity/)
  })
})

describe("capRunDurations", () => {
  it("caps durations at the run timeout", () => {
    const capped = capRunDurations(workload, 20 * MINUTE)
    expect(Array.from(capped.durations)).toEqual([20 * MINUTE, 20 * MINUTE, 20 * MINUTE, 10 * MINUTE])
    expect(capped.arrivals).toBe(workload.arrivals)
    // 20 + 20 + 10 minutes inside the hour.
    expect(floorRunnerHours(capped, HOUR)).toBe(50 / 60)
  })

  it("returns the workload when nothing exceeds the cap", () => {
    expect(capRunDurations(workload, Number.POSITIVE_INFINITY)).toBe(workload)
    expect(capRunDurations(workload, HOUR)).toBe(workload)
  })

  it("rejects a cap of zero", () => {
    expect(() => capRunDurations(workload, 0)).toThrow(/Invalid maxDurationMs 0/)
  })
})
