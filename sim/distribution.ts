import type { RandomStream } from "./random.js"

/**
 * A distribution of non-negative durations or counts. Values are in the unit
 * of the quantity they describe: milliseconds for every duration in the
 * simulator.
 */
export type Distribution =
  | { readonly kind: "constant"; readonly value: number }
  | { readonly kind: "exponential"; readonly mean: number }
  | { readonly kind: "lognormal"; readonly median: number; readonly p95: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  /** Piecewise-linear inverse CDF through the given quantiles, keyed by probability in [0, 1]. */
  | { readonly kind: "empirical"; readonly quantiles: ReadonlyArray<readonly [number, number]> }

/** z-score of the 95th percentile of the standard normal distribution. */
const Z95 = 1.6448536269514722

/** A sampler: one draw of the distribution from the given stream. */
export type Sampler = (random: RandomStream) => number

/**
 * Compiles a distribution into a sampler. Every sampler consumes a fixed
 * number of draws per sample (one, or two for lognormal), so streams stay
 * aligned between runs that sample the same count.
 */
export const sampler = (distribution: Distribution): Sampler => {
  switch (distribution.kind) {
    case "constant": {
      const value = distribution.value
      return () => value
    }
    case "exponential": {
      const mean = distribution.mean
      return (random) => -mean * Math.log(1 - random.next())
    }
    case "lognormal": {
      const mu = Math.log(distribution.median)
      const sigma = Math.max(0, Math.log(distribution.p95 / distribution.median) / Z95)
      return (random) => Math.exp(mu + sigma * standardNormal(random))
    }
    case "uniform": {
      const { min, max } = distribution
      return (random) => min + (max - min) * random.next()
    }
    case "empirical":
      return empiricalSampler(distribution.quantiles)
  }
}

/** Mean of the distribution, used for sizing and reports. */
export const mean = (distribution: Distribution): number => {
  switch (distribution.kind) {
    case "constant":
      return distribution.value
    case "exponential":
      return distribution.mean
    case "lognormal": {
      const sigma = Math.log(distribution.p95 / distribution.median) / Z95
      return distribution.median * Math.exp((sigma * sigma) / 2)
    }
    case "uniform":
      return (distribution.min + distribution.max) / 2
    case "empirical": {
      const points = distribution.quantiles
      let area = 0
      for (let i = 1; i < points.length; i++) {
        const [p0, v0] = points[i - 1]!
        const [p1, v1] = points[i]!
        area += ((p1 - p0) * (v0 + v1)) / 2
      }
      return area
    }
  }
}

/** Box-Muller transform: two uniform draws give one standard normal draw. */
const standardNormal = (random: RandomStream): number => {
  const u1 = 1 - random.next()
  const u2 = random.next()
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
}

const empiricalSampler = (quantiles: ReadonlyArray<readonly [number, number]>): Sampler => {
  const probabilities = quantiles.map(([p]) => p)
  const values = quantiles.map(([, v]) => v)
  const last = probabilities.length - 1
  return (random) => {
    const u = probabilities[0]! + random.next() * (probabilities[last]! - probabilities[0]!)
    let hi = 1
    while (hi < last && probabilities[hi]! < u) hi++
    const p0 = probabilities[hi - 1]!
    const p1 = probabilities[hi]!
    const share = p1 === p0 ? 0 : (u - p0) / (p1 - p0)
    return values[hi - 1]! + share * (values[hi]! - values[hi - 1]!)
  }
}
