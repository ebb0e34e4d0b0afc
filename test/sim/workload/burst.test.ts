import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { makeStream } from "../../../sim/random.js"
import { generateWorkload } from "../../../sim/workload/generate.js"
import { WorkloadSection } from "../../../sim/workload/schema.js"

const HOUR = 3_600_000
const MINUTE = 60_000

const generate = (section: unknown, horizonMs: number) =>
  generateWorkload(Schema.decodeUnknownSync(WorkloadSection)(section), {
    horizonMs,
    random: makeStream(1, "workload"),
    baseDir: "/nonexistent"
  })

describe("burst source", () => {
  it("places count runs in the spread", () => {
    const workload = generate(
      [{ kind: "burst", at: "2h", count: 300, spread: "10m", duration: { kind: "constant", value: "1m" } }],
      24 * HOUR
    )
    expect(workload.arrivals.length).toBe(300)
    expect(workload.arrivals.every((t) => t >= 2 * HOUR && t < 2 * HOUR + 10 * MINUTE)).toBe(true)
    // Uniform over the spread: each half contains about 150 runs (standard deviation 8.7).
    const firstHalf = workload.arrivals.filter((t) => t < 2 * HOUR + 5 * MINUTE).length
    expect(Math.abs(firstHalf - 150)).toBeLessThan(45)
  })

  it("zero spread puts every run at once", () => {
    const workload = generate([{ kind: "burst", at: "30m", count: 5, duration: { kind: "constant", value: "1m" } }], HOUR)
    expect([...workload.arrivals]).toEqual([30, 30, 30, 30, 30].map((m) => m * MINUTE))
  })

  it("drops runs at or after the horizon", () => {
    const workload = generate(
      [{ kind: "burst", at: "50m", count: 400, spread: "20m", duration: { kind: "constant", value: "1m" } }],
      HOUR
    )
    expect(workload.arrivals.length).toBeGreaterThan(100)
    expect(workload.arrivals.length).toBeLessThan(400)
    expect(workload.arrivals.every((t) => t < HOUR)).toBe(true)
  })

  it("merges with a base load in arrival order", () => {
    const workload = generate(
      [
        { kind: "poisson", ratePerHour: 20, duration: { kind: "constant", value: "5m" } },
        { kind: "burst", at: "6h", count: 300, spread: "5m", duration: { kind: "constant", value: "10m" } },
        { kind: "burst", at: "18h", count: 300, spread: "10m", duration: { kind: "constant", value: "10m" } }
      ],
      24 * HOUR
    )
    for (let i = 1; i < workload.arrivals.length; i++) {
      expect(workload.arrivals[i]!).toBeGreaterThanOrEqual(workload.arrivals[i - 1]!)
    }
    const burstRuns = workload.durations.filter((d) => d === 10 * MINUTE).length
    expect(burstRuns).toBe(600)
    expect(workload.skipped).toEqual({})
  })
})
