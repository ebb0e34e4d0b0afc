import { describe, expect, it } from "vitest"
import { compareScores, isBetter, scoreCandidate, type Measure } from "../../../sim/search/score.js"

const score = (index: number, measures: ReadonlyArray<Measure>) => scoreCandidate({ subspace: 0, indices: [index] }, { x: index }, measures)

describe("scores", () => {
  it("meeting on every seed is required", () => {
    const partly = score(0, [
      { cost: 1, sloExcess: 0 },
      { cost: 1, sloExcess: 0.2 }
    ])
    expect(partly.meetsSlo).toBe(false)
    expect(partly.seedsMeetingSlo).toBe(1)
    expect(partly.seedsRun).toBe(2)
    expect(partly.meanExcess).toBeCloseTo(0.1, 12)
    expect(partly.meanCost).toBe(1)
  })

  it("meeting ranks before cheaper missing", () => {
    const meets = score(0, [{ cost: 100, sloExcess: 0 }])
    const misses = score(1, [{ cost: 1, sloExcess: 0.01 }])
    expect(compareScores(meets, misses)).toBeLessThan(0)
    expect(compareScores(misses, meets)).toBeGreaterThan(0)
  })

  it("meeting ones rank by mean cost", () => {
    const cheap = score(1, [{ cost: 10, sloExcess: 0 }, { cost: 12, sloExcess: 0 }])
    const dear = score(0, [{ cost: 11, sloExcess: 0 }, { cost: 12, sloExcess: 0 }])
    expect([dear, cheap].sort(compareScores)).toEqual([cheap, dear])
  })

  it("missing ones rank by excess then cost", () => {
    const close = score(2, [{ cost: 50, sloExcess: 0.1 }])
    const far = score(0, [{ cost: 1, sloExcess: 0.5 }])
    const closeCheaper = score(3, [{ cost: 40, sloExcess: 0.1 }])
    expect([far, close, closeCheaper].sort(compareScores)).toEqual([closeCheaper, close, far])
  })

  it("failed runs rank last", () => {
    const failed = score(0, [{ cost: Infinity, sloExcess: Infinity }])
    const misses = score(1, [{ cost: 5, sloExcess: 3 }])
    expect([failed, misses].sort(compareScores)).toEqual([misses, failed])
  })

  it("ties break by knob indices", () => {
    const first = score(1, [{ cost: 5, sloExcess: 0 }])
    const second = score(2, [{ cost: 5, sloExcess: 0 }])
    expect(compareScores(first, second)).toBeLessThan(0)
    expect(compareScores(second, first)).toBeGreaterThan(0)
    expect(compareScores(first, first)).toBe(0)
  })

  it("equal measures are not better", () => {
    const first = score(1, [{ cost: 5, sloExcess: 0 }])
    const second = score(2, [{ cost: 5, sloExcess: 0 }])
    expect(isBetter(first, second)).toBe(false)
    expect(isBetter(second, first)).toBe(false)
  })

  it("better means meeting, cheaper or closer", () => {
    const meets = score(0, [{ cost: 9, sloExcess: 0 }])
    const cheaper = score(1, [{ cost: 8, sloExcess: 0 }])
    const close = score(2, [{ cost: 1, sloExcess: 0.1 }])
    const closeCheaper = score(3, [{ cost: 0.5, sloExcess: 0.1 }])
    expect(isBetter(meets, close)).toBe(true)
    expect(isBetter(close, meets)).toBe(false)
    expect(isBetter(cheaper, meets)).toBe(true)
    expect(isBetter(closeCheaper, close)).toBe(true)
    expect(isBetter(close, closeCheaper)).toBe(false)
  })

  it("no measure throws", () => {
    expect(() => score(0, [])).toThrow(RangeError)
  })
})
