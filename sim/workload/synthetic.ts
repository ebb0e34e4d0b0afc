import { sampler } from "../distribution.js"
import type { RandomStream } from "../random.js"
import type { BurstSource, PoissonSource, RateProfile } from "./schema.js"

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** Runs of one synthetic source, in generation order, in milliseconds. */
export interface SyntheticRuns {
  readonly arrivals: number[]
  readonly durations: number[]
}

/**
 * Returns the rate factor of a profile at simulation time `timeMs`, where
 * time 0 is Monday 00:00: `hourOfDay[hour] * dayOfWeek[day]`, a missing list
 * counting as ones.
 */
export const profileFactor = (profile: RateProfile, timeMs: number): number => {
  const hour = Math.floor(timeMs / HOUR_MS) % 24
  const day = Math.floor(timeMs / DAY_MS) % 7
  return (profile.hourOfDay?.[hour] ?? 1) * (profile.dayOfWeek?.[day] ?? 1)
}

const maxFactor = (profile: RateProfile): number =>
  Math.max(0, ...(profile.hourOfDay ?? [1])) * Math.max(0, ...(profile.dayOfWeek ?? [1]))

/**
 * Generates the runs of a Poisson source over [start, min(end, horizon)).
 *
 * With a profile, arrivals form a non-homogeneous Poisson process built by
 * thinning: candidates arrive at the peak rate
 * `ratePerHour * maxFactor`, and each is kept with probability
 * `factor(t) / maxFactor`. Draws happen in a fixed order: one per
 * inter-arrival gap, one per acceptance test when there is a profile, then
 * the fan-out draws and one duration sample per run.
 */
export const generatePoisson = (source: PoissonSource, horizonMs: number, random: RandomStream): SyntheticRuns => {
  const runs: SyntheticRuns = { arrivals: [], durations: [] }
  const from = source.start ?? 0
  const to = Math.min(source.end ?? horizonMs, horizonMs)
  const peak = source.profile === undefined ? 1 : maxFactor(source.profile)
  if (peak <= 0 || to <= from) return runs

  const ratePerMs = (source.ratePerHour * peak) / HOUR_MS
  const sampleDuration = sampler(source.duration)
  const sampleFanOut = source.fanOut === undefined ? undefined : sampler(source.fanOut)
  let time = from

  for (;;) {
    time += -Math.log(1 - random.next()) / ratePerMs
    if (time >= to) break
    if (source.profile !== undefined && random.next() * peak >= profileFactor(source.profile, time)) continue

    const fanOut = sampleFanOut === undefined ? 1 : Math.max(1, Math.round(sampleFanOut(random)))
    for (let i = 0; i < fanOut; i++) {
      runs.arrivals.push(time)
      runs.durations.push(sampleDuration(random))
    }
  }
  return runs
}

/**
 * Generates the runs of a burst: `count` arrivals uniform over
 * [at, at + spread), each drawing its arrival and then its duration.
 * Runs at or after the horizon are dropped after their draws, so a burst
 * consumes the same draws whatever the horizon.
 */
export const generateBurst = (source: BurstSource, horizonMs: number, random: RandomStream): SyntheticRuns => {
  const runs: SyntheticRuns = { arrivals: [], durations: [] }
  const sampleDuration = sampler(source.duration)
  for (let i = 0; i < source.count; i++) {
    const arrival = source.at + source.spread * random.next()
    const duration = sampleDuration(random)
    if (arrival < horizonMs) {
      runs.arrivals.push(arrival)
      runs.durations.push(duration)
    }
  }
  return runs
}
