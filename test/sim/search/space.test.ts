import { describe, expect, it } from "vitest"
import { makeStream } from "../../../sim/random.js"
import {
  candidateKey,
  countGrid,
  currentCandidate,
  ENUMERATION_LIMIT,
  neighboursOf,
  sampleCandidates,
  settingsOf,
  type SearchSpace
} from "../../../sim/search/space.js"
import { fakeSpace, knob } from "./support.js"

const twoPolicies = (): SearchSpace => ({
  subspaces: [
    { name: "p", fixed: [["pool.policy", "p"]], knobs: [knob("x", [1, 2, 3], 1), knob("mode", ["a", "b"], 0)] },
    { name: "q", fixed: [["pool.policy", "q"]], knobs: [knob("x", [1, 2, 3], 2)] }
  ],
  isValid: () => true
})

describe("search space", () => {
  it("settings list fixed values then knobs", () => {
    const settings = settingsOf(twoPolicies(), { subspace: 0, indices: [2, 1] })
    expect(settings).toEqual({ "pool.policy": "p", x: 3, mode: "b" })
    expect(Object.keys(settings)).toEqual(["pool.policy", "x", "mode"])
  })

  it("current candidate uses current indices", () => {
    expect(currentCandidate(twoPolicies(), 0)).toEqual({ subspace: 0, indices: [1, 0] })
    expect(currentCandidate(twoPolicies(), 1)).toEqual({ subspace: 1, indices: [2] })
  })

  it("neighbours move one knob one step", () => {
    const neighbours = neighboursOf(twoPolicies(), { subspace: 0, indices: [1, 0] })
    expect(neighbours).toEqual([
      { subspace: 0, indices: [0, 0] },
      { subspace: 0, indices: [2, 0] },
      { subspace: 0, indices: [1, 1] }
    ])
  })

  it("neighbours skip invalid candidates", () => {
    // a = 4 and b = 0 is valid (a <= b + 4); a = 5 is not.
    const neighbours = neighboursOf(fakeSpace(), { subspace: 0, indices: [4, 0, 0] })
    expect(neighbours.map((neighbour) => neighbour.indices)).toEqual([
      [3, 0, 0],
      [4, 1, 0],
      [4, 0, 1]
    ])
  })

  it("grid counts valid combinations", () => {
    expect(countGrid(twoPolicies())).toEqual({ combinations: 9, valid: 9 })
    // 8 x 8 x 6 combinations, minus those with a > b + 4: (a, b) in {(5,0), (6,0), (6,1), (7,0), (7,1), (7,2)}.
    expect(countGrid(fakeSpace())).toEqual({ combinations: 384, valid: 384 - 6 * 6 })
  })

  it("grid beyond the limit is not counted", () => {
    const values = Array.from({ length: 100 }, (_, index) => index)
    const space: SearchSpace = {
      subspaces: [{ name: "big", fixed: [], knobs: [knob("a", values), knob("b", values), knob("c", values)] }],
      isValid: () => true
    }
    expect(100 ** 3).toBeGreaterThan(ENUMERATION_LIMIT)
    expect(countGrid(space)).toEqual({ combinations: 1_000_000, valid: undefined })
  })
})

describe("sampleCandidates", () => {
  it("current settings come first", () => {
    const sample = sampleCandidates(twoPolicies(), 4, makeStream(1, "search"))
    expect(sample[0]).toEqual(currentCandidate(twoPolicies(), 0))
    expect(sample[1]).toEqual(currentCandidate(twoPolicies(), 1))
  })

  it("draws distinct valid candidates", () => {
    const space = fakeSpace()
    const sample = sampleCandidates(space, 100, makeStream(1, "search"))
    expect(sample).toHaveLength(100)
    expect(new Set(sample.map(candidateKey)).size).toBe(100)
    for (const candidate of sample) expect(space.isValid(settingsOf(space, candidate))).toBe(true)
  })

  it("takes subspaces in turn", () => {
    const sample = sampleCandidates(twoPolicies(), 6, makeStream(1, "search"))
    expect(sample.map((candidate) => candidate.subspace)).toEqual([0, 1, 0, 1, 0, 1])
  })

  it("stops when the space is exhausted", () => {
    const sample = sampleCandidates(twoPolicies(), 50, makeStream(1, "search"))
    expect(sample).toHaveLength(9)
    expect(new Set(sample.map(candidateKey)).size).toBe(9)
  })

  it("same stream gives same sample", () => {
    const first = sampleCandidates(fakeSpace(), 30, makeStream(5, "search"))
    const second = sampleCandidates(fakeSpace(), 30, makeStream(5, "search"))
    const other = sampleCandidates(fakeSpace(), 30, makeStream(6, "search"))
    expect(second).toEqual(first)
    expect(other).not.toEqual(first)
  })

  it("samples a space too large to enumerate", () => {
    const values = Array.from({ length: 100 }, (_, index) => index)
    const space: SearchSpace = {
      subspaces: [{ name: "big", fixed: [], knobs: [knob("a", values), knob("b", values), knob("c", values)] }],
      isValid: (settings) => (settings["a"] as number) <= (settings["b"] as number)
    }
    const sample = sampleCandidates(space, 40, makeStream(1, "search"))
    expect(sample).toHaveLength(40)
    expect(new Set(sample.map(candidateKey)).size).toBe(40)
    for (const candidate of sample) expect(space.isValid(settingsOf(space, candidate))).toBe(true)
  })

  it("invalid current settings are not sampled", () => {
    const space: SearchSpace = { ...twoPolicies(), isValid: (settings) => settings["x"] !== 2 }
    const sample = sampleCandidates(space, 50, makeStream(1, "search"))
    expect(sample.map(candidateKey)).not.toContain(candidateKey(currentCandidate(space, 0)))
    expect(sample).toHaveLength(6)
  })
})
