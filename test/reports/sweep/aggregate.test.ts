import { describe, expect, it } from "vitest"
import { aggregate } from "../../../reports/sweep/aggregate.js"

describe("aggregate", () => {
  it("known values give exact statistics", () => {
    // Mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, sample variance 32/7.
    const statistics = aggregate([2, 4, 4, 4, 5, 5, 7, 9])
    expect(statistics.mean).toBe(5)
    expect(statistics.sd).toBeCloseTo(Math.sqrt(32 / 7), 14)
    expect(statistics.min).toBe(2)
    expect(statistics.max).toBe(9)
  })

  it("uses the sample divisor n - 1", () => {
    expect(aggregate([1, 3]).sd).toBe(Math.SQRT2)
    expect(aggregate([10, 10, 10]).sd).toBe(0)
  })

  it("single value has sd 0", () => {
    expect(aggregate([42.5])).toEqual({ mean: 42.5, sd: 0, min: 42.5, max: 42.5 })
  })

  it("negative values keep min and max", () => {
    const statistics = aggregate([-3, 0, 3])
    expect(statistics.mean).toBe(0)
    expect(statistics.sd).toBe(3)
    expect(statistics.min).toBe(-3)
    expect(statistics.max).toBe(3)
  })

  it("large close values keep precision", () => {
    const statistics = aggregate([1e9 + 1, 1e9 + 2, 1e9 + 3])
    expect(statistics.mean).toBe(1e9 + 2)
    expect(statistics.sd).toBe(1)
  })

  it("empty list throws", () => {
    expect(() => aggregate([])).toThrow("Cannot aggregate an empty list of values")
  })

  it("non-finite value throws with its index", () => {
    expect(() => aggregate([1, Number.NaN])).toThrow("Cannot aggregate value NaN at index 1")
    expect(() => aggregate([Infinity])).toThrow("Cannot aggregate value Infinity at index 0")
  })
})
