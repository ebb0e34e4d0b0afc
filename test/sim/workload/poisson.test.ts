import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { makeStream } from "../../../sim/random.js"
import { generateWorkload } from "../../../sim/workload/generate.js"
import { WorkloadSection } from "../../../sim/workload/schema.js"

const HOUR = 3_600_000
const DAY = 24 * HOUR

const generate = (section: unknown, horizonMs: number, seed = 1) =>
  generateWorkload(Schema.decodeUnknownSync(WorkloadSection)(section), {
    horizonMs,
    random: makeStream(seed, "workload"),
    baseDir: "/nonexistent"
  })

const fiveMinutes = { kind: "constant", value: "5m" }

/** Counts runs per hour of the day (0 to 23) or per day of the week (0 = Monday). */
const histogram = (arrivals: Float64Array, bucketMs: number, buckets: number) => {
  const counts = new Array<number>(buckets).fill(0)
  for (const arrival of arrivals) counts[Math.floor(arrival / bucketMs) % buckets]!++
  return counts
}

describe("poisson source", () => {
  it("count close to rate times hours", () => {
    const workload = generate([{ kind: "poisson", ratePerHour: 60, duration: fiveMinutes }], 1_000 * HOUR)
    // Expected 60,000 arrivals with standard deviation sqrt(60,000) = 245; allow 5 deviations.
    expect(Math.abs(workload.arrivals.length - 60_000)).toBeLessThan(5 * 245)
  })

  it("arrivals sorted and inside the horizon", () => {
    const workload = generate([{ kind: "poisson", ratePerHour: 500, duration: fiveMinutes }], 10 * HOUR)
    for (let i = 1; i < workload.arrivals.length; i++) {
      expect(workload.arrivals[i]!).toBeGreaterThanOrEqual(workload.arrivals[i - 1]!)
    }
    expect(workload.arrivals[0]!).toBeGreaterThanOrEqual(0)
    expect(workload.arrivals[workload.arrivals.length - 1]!).toBeLessThan(10 * HOUR)
    expect(workload.durations.every((d) => d === 300_000)).toBe(true)
  })

  it("zero hour factor gives no arrivals", () => {
    const hourOfDay = [...new Array<number>(8).fill(0), ...new Array<number>(8).fill(2), ...new Array<number>(8).fill(1)]
    const workload = generate(
      [{ kind: "poisson", ratePerHour: 100, duration: fiveMinutes, profile: { hourOfDay } }],
      28 * DAY
    )
    const counts = histogram(workload.arrivals, HOUR, 24)
    for (let hour = 0; hour < 8; hour++) expect(counts[hour]).toBe(0)

    // Hours 8-15 have factor 2, hours 16-23 factor 1: expected 44,800 and 22,400 arrivals.
    const doubled = counts.slice(8, 16).reduce((a, b) => a + b, 0)
    const single = counts.slice(16).reduce((a, b) => a + b, 0)
    expect(Math.abs(doubled - 44_800)).toBeLessThan(5 * Math.sqrt(44_800))
    expect(Math.abs(single - 22_400)).toBeLessThan(5 * Math.sqrt(22_400))
  })

  it("day factors shape the week from Monday", () => {
    const dayOfWeek = [1, 1, 1, 1, 1, 0.5, 0]
    const workload = generate(
      [{ kind: "poisson", ratePerHour: 50, duration: fiveMinutes, profile: { dayOfWeek } }],
      14 * DAY
    )
    const counts = histogram(workload.arrivals, DAY, 7)
    expect(counts[6]).toBe(0)
    // Two Saturdays at half rate: expected 1,200 arrivals; a full weekday gets 2,400.
    expect(Math.abs(counts[5]! - 1_200)).toBeLessThan(5 * Math.sqrt(1_200))
    expect(Math.abs(counts[0]! - 2_400)).toBeLessThan(5 * Math.sqrt(2_400))
  })

  it("all-zero profile generates nothing", () => {
    const workload = generate(
      [{ kind: "poisson", ratePerHour: 50, duration: fiveMinutes, profile: { dayOfWeek: [0, 0, 0, 0, 0, 0, 0] } }],
      7 * DAY
    )
    expect(workload.arrivals.length).toBe(0)
  })

  it("fanOut starts runs together", () => {
    const workload = generate(
      [{ kind: "poisson", ratePerHour: 10, duration: { kind: "uniform", min: "1m", max: "9m" }, fanOut: { kind: "constant", value: 3 } }],
      100 * HOUR
    )
    expect(workload.arrivals.length % 3).toBe(0)
    expect(workload.arrivals.length).toBeGreaterThan(0)
    for (let i = 0; i < workload.arrivals.length; i += 3) {
      expect(workload.arrivals[i + 1]).toBe(workload.arrivals[i])
      expect(workload.arrivals[i + 2]).toBe(workload.arrivals[i])
    }
    // Each run of a push draws its own duration.
    expect(new Set(workload.durations).size).toBeGreaterThan(workload.arrivals.length / 2)
  })

  it("fanOut rounds and keeps at least one run", () => {
    const small = generate(
      [{ kind: "poisson", ratePerHour: 10, duration: fiveMinutes, fanOut: { kind: "constant", value: 0.2 } }],
      100 * HOUR
    )
    const plain = generate([{ kind: "poisson", ratePerHour: 10, duration: fiveMinutes }], 100 * HOUR)
    expect(small.arrivals).toEqual(plain.arrivals)

    const rounded = generate(
      [{ kind: "poisson", ratePerHour: 10, duration: fiveMinutes, fanOut: { kind: "constant", value: 2.6 } }],
      100 * HOUR
    )
    expect(rounded.arrivals.length).toBe(3 * plain.arrivals.length)
  })

  it("start and end bound arrivals", () => {
    const workload = generate(
      [{ kind: "poisson", ratePerHour: 200, duration: fiveMinutes, start: "2h", end: "5h" }],
      10 * HOUR
    )
    expect(workload.arrivals.length).toBeGreaterThan(0)
    expect(workload.arrivals.every((t) => t >= 2 * HOUR && t < 5 * HOUR)).toBe(true)
  })

  it("horizon cuts an end beyond it", () => {
    const workload = generate([{ kind: "poisson", ratePerHour: 200, duration: fiveMinutes, end: "5h" }], 3 * HOUR)
    expect(workload.arrivals.every((t) => t < 3 * HOUR)).toBe(true)
  })
})

describe("workload determinism", () => {
  const section = [
    { kind: "poisson", ratePerHour: 30, duration: { kind: "lognormal", median: "5m", p95: "20m" }, fanOut: { kind: "uniform", min: 1, max: 6 } },
    { kind: "burst", at: "3h", count: 50, spread: "10m", duration: { kind: "exponential", mean: "4m" } }
  ]

  it("same seed gives the same arrays", () => {
    const first = generate(section, DAY, 42)
    const second = generate(section, DAY, 42)
    expect(first.arrivals.length).toBeGreaterThan(50)
    expect(second.arrivals).toEqual(first.arrivals)
    expect(second.durations).toEqual(first.durations)
  })

  it("different seed gives different arrays", () => {
    const first = generate(section, DAY, 42)
    const other = generate(section, DAY, 43)
    expect(other.arrivals).not.toEqual(first.arrivals)
    expect(other.durations).not.toEqual(first.durations)
  })

  it("sources draw in list order", () => {
    const burstFirst = generate([section[1], section[0]], DAY, 42)
    const poissonFirst = generate(section, DAY, 42)
    expect(burstFirst.arrivals).not.toEqual(poissonFirst.arrivals)
  })
})
