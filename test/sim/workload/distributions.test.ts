import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { mean, sampler, type Distribution } from "../../../sim/distribution.js"
import { makeStream } from "../../../sim/random.js"
import { CountDistribution, DurationDistribution } from "../../../sim/workload/distributionSchema.js"

const decodeDuration = Schema.decodeUnknownSync(DurationDistribution)

/**
 * Sample mean and its standard error over `n` draws. The tests accept a
 * sample mean within 5 standard errors of the exact mean: by the central
 * limit theorem a correct sampler lands outside that band with probability
 * below 1e-6, while a wrong scale or a wrong parameter moves the mean by many
 * standard errors at n = 200,000.
 */
const sampleStats = (distribution: Distribution, n = 200_000) => {
  const draw = sampler(distribution)
  const random = makeStream(7, "workload")
  let sum = 0
  let sumSquares = 0
  for (let i = 0; i < n; i++) {
    const x = draw(random)
    sum += x
    sumSquares += x * x
  }
  const sampleMean = sum / n
  const variance = Math.max(0, sumSquares / n - sampleMean * sampleMean)
  return { sampleMean, standardError: Math.sqrt(variance / n) }
}

describe("duration distribution schema", () => {
  it("decodes durations to milliseconds", () => {
    expect(decodeDuration({ kind: "constant", value: "3m" })).toEqual({ kind: "constant", value: 180_000 })
    expect(decodeDuration({ kind: "exponential", mean: 90_000 })).toEqual({ kind: "exponential", mean: 90_000 })
    expect(decodeDuration({ kind: "lognormal", median: "5m", p95: "20m" })).toEqual({
      kind: "lognormal",
      median: 300_000,
      p95: 1_200_000
    })
    expect(decodeDuration({ kind: "uniform", min: "1m", max: "1h30m" })).toEqual({
      kind: "uniform",
      min: 60_000,
      max: 5_400_000
    })
  })

  it("sorts empirical quantiles by probability", () => {
    const decoded = decodeDuration({ kind: "empirical", quantiles: { p100: "10m", p0: "1m", p50: "2m", "p99.9": "9m" } })
    expect(decoded).toEqual({
      kind: "empirical",
      quantiles: [
        [0, 60_000],
        [0.5, 120_000],
        [0.999, 540_000],
        [1, 600_000]
      ]
    })
  })

  it("accepts equal neighbouring quantile values", () => {
    const decoded = decodeDuration({ kind: "empirical", quantiles: { p0: "1m", p50: "1m", p100: "2m" } })
    expect(decoded.kind).toBe("empirical")
  })

  it("rejects a single empirical quantile", () => {
    const result = Schema.decodeUnknownEither(DurationDistribution)({ kind: "empirical", quantiles: { p50: "1m" } })
    expect(Either.isLeft(result)).toBe(true)
  })

  it("rejects uniform max below min", () => {
    const result = Schema.decodeUnknownEither(DurationDistribution)({ kind: "uniform", min: "2m", max: "1m" })
    expect(Either.isLeft(result)).toBe(true)
  })

  it("rejects a zero lognormal median", () => {
    const result = Schema.decodeUnknownEither(DurationDistribution)({ kind: "lognormal", median: 0, p95: "1m" })
    expect(Either.isLeft(result)).toBe(true)
  })
})

describe("count distribution schema", () => {
  it("keeps plain counts", () => {
    expect(Schema.decodeUnknownSync(CountDistribution)({ kind: "uniform", min: 1, max: 9 })).toEqual({
      kind: "uniform",
      min: 1,
      max: 9
    })
  })

  it("rejects duration text", () => {
    const result = Schema.decodeUnknownEither(CountDistribution)({ kind: "constant", value: "3m" })
    expect(Either.isLeft(result)).toBe(true)
  })

  it("rejects negative counts", () => {
    const result = Schema.decodeUnknownEither(CountDistribution)({ kind: "constant", value: -1 })
    expect(Either.isLeft(result)).toBe(true)
  })
})

describe("sample means", () => {
  const cases: ReadonlyArray<readonly [string, unknown]> = [
    ["exponential", { kind: "exponential", mean: "2m" }],
    ["lognormal", { kind: "lognormal", median: "5m", p95: "20m" }],
    ["uniform", { kind: "uniform", min: "1m", max: "9m" }],
    ["empirical", { kind: "empirical", quantiles: { p0: "1m", p50: "2m", p90: "10m", p100: "1h" } }]
  ]

  for (const [name, input] of cases) {
    it(`${name} mean within 5 standard errors`, () => {
      const distribution = decodeDuration(input)
      const { sampleMean, standardError } = sampleStats(distribution)
      expect(standardError).toBeGreaterThan(0)
      expect(Math.abs(sampleMean - mean(distribution))).toBeLessThan(5 * standardError)
    })
  }

  it("constant always returns its value", () => {
    const { sampleMean, standardError } = sampleStats(decodeDuration({ kind: "constant", value: "90s" }), 1_000)
    expect(sampleMean).toBe(90_000)
    expect(standardError).toBe(0)
  })

  it("empirical samples stay within the outer quantiles", () => {
    const draw = sampler(decodeDuration({ kind: "empirical", quantiles: { p10: "1m", p90: "2m" } }))
    const random = makeStream(3, "workload")
    for (let i = 0; i < 10_000; i++) {
      const x = draw(random)
      expect(x).toBeGreaterThanOrEqual(60_000)
      expect(x).toBeLessThanOrEqual(120_000)
    }
  })
})
