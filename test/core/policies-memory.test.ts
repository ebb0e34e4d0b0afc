import { describe, expect, it } from "vitest"
import { ArrivalHistory } from "../../core/policies/arrivals.js"
import { forecastArrivals, predictive } from "../../core/policies/predictive.js"
import { RecommendationHistory } from "../../core/policies/recommendations.js"
import { policyInput as input } from "./policies.support.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

describe("RecommendationHistory", () => {
  it("returns the maximum since a time", () => {
    const history = new RecommendationHistory()
    history.record(0, 5, -Infinity)
    history.record(10, 3, -Infinity)
    history.record(20, 4, -Infinity)

    expect(history.maxSince(0)).toBe(5)
    expect(history.maxSince(5)).toBe(4)
    expect(history.maxSince(20)).toBe(4)
    expect(history.maxSince(21)).toBeUndefined()
  })

  it("evicts entries before keepSince", () => {
    const history = new RecommendationHistory()
    history.record(0, 9, 0)
    history.record(100, 2, 50)

    expect(history.maxSince(-Infinity)).toBe(2)
  })

  it("stays bounded by the window", () => {
    const history = new RecommendationHistory()
    for (let at = 0; at < 100_000; at++) history.record(at, 100_000 - at, at - 100)

    expect(history.size).toBeLessThanOrEqual(101)
    expect(history.maxSince(99_999 - 100)).toBe(101)
  })

  it("drops entries a later higher one dominates", () => {
    const history = new RecommendationHistory()
    for (let at = 0; at < 1000; at++) history.record(at, at, -Infinity)

    expect(history.size).toBe(1)
    expect(history.maxSince(0)).toBe(999)
  })
})

/** Records one observation per minute from `from` to `to`, with `perMinute(t)` arrivals in the minute before t. */
const recordMinutes = (
  history: ArrivalHistory,
  from: number,
  to: number,
  perMinute: (at: number) => number,
  running: number,
  total = { queued: 0 },
  options = { bucket: 5 * MINUTE, history: 7 * DAY }
) => {
  for (let at = from; at <= to; at += MINUTE) {
    if (at > from) total.queued += perMinute(at)
    history.record(at, total.queued, running, options.bucket, options.history)
  }
  return total
}

describe("ArrivalHistory", () => {
  it("spreads arrivals over the time between records", () => {
    const history = new ArrivalHistory()
    history.record(0, 0, 0, MINUTE, HOUR)
    history.record(MINUTE, 6, 2, MINUTE, HOUR)
    history.record(2 * MINUTE, 12, 4, MINUTE, HOUR)

    expect(history.sum(0, MINUTE).arrivals).toBeCloseTo(6)
    expect(history.sum(0, 2 * MINUTE).arrivals).toBeCloseTo(12)
    expect(history.sum(30_000, 90_000).arrivals).toBeCloseTo(6)
    expect(history.sum(0, 2 * MINUTE).coveredMs).toBe(2 * MINUTE)
  })

  it("integrates the Running count of the previous record", () => {
    const history = new ArrivalHistory()
    history.record(0, 0, 3, MINUTE, HOUR)
    history.record(MINUTE, 0, 5, MINUTE, HOUR)
    history.record(2 * MINUTE, 0, 0, MINUTE, HOUR)

    expect(history.sum(0, MINUTE).runningMs).toBeCloseTo(3 * MINUTE)
    expect(history.sum(MINUTE, 2 * MINUTE).runningMs).toBeCloseTo(5 * MINUTE)
  })

  it("clips sums to the covered span", () => {
    const history = new ArrivalHistory()
    recordMinutes(history, 10 * MINUTE, 20 * MINUTE, () => 2, 0)

    expect(history.coveredFrom).toBe(10 * MINUTE)
    expect(history.coveredTo).toBe(20 * MINUTE)
    const sums = history.sum(0, HOUR)
    expect(sums.coveredMs).toBe(10 * MINUTE)
    expect(sums.arrivals).toBeCloseTo(20)
  })

  it("forgets buckets past the history", () => {
    const history = new ArrivalHistory()
    const options = { bucket: MINUTE, history: 10 * MINUTE }
    recordMinutes(history, 0, 60 * MINUTE, () => 1, 0, { queued: 0 }, options)

    expect(history.coveredFrom).toBe(50 * MINUTE)
    expect(history.sum(0, 60 * MINUTE).arrivals).toBeCloseTo(10)
  })

  it("records no arrivals when the counter goes down", () => {
    const history = new ArrivalHistory()
    history.record(0, 100, 0, MINUTE, HOUR)
    history.record(MINUTE, 3, 0, MINUTE, HOUR)
    history.record(2 * MINUTE, 5, 0, MINUTE, HOUR)

    expect(history.sum(0, MINUTE).arrivals).toBe(0)
    expect(history.sum(MINUTE, 2 * MINUTE).arrivals).toBeCloseTo(2)
  })

  it("records no arrivals without a counter", () => {
    const history = new ArrivalHistory()
    history.record(0, undefined, 1, MINUTE, HOUR)
    history.record(MINUTE, undefined, 1, MINUTE, HOUR)

    expect(history.sum(0, MINUTE).arrivals).toBe(0)
    expect(history.sum(0, MINUTE).runningMs).toBeCloseTo(MINUTE)
  })

  it("starts over when the bucket width changes", () => {
    const history = new ArrivalHistory()
    recordMinutes(history, 0, 10 * MINUTE, () => 1, 0)
    history.record(11 * MINUTE, 11, 0, MINUTE, HOUR)

    expect(history.coveredFrom).toBe(11 * MINUTE)
    expect(history.sum(0, HOUR).arrivals).toBe(0)
  })
})

describe("predictive", () => {
  // One run a minute around the clock, six a minute from 08:00 to 10:00, five runners always busy.
  const rampAtEight = (at: number) => {
    const hour = (at % DAY) / HOUR
    return hour > 8 && hour <= 10 ? 6 : 1
  }
  const pool = { minPoolSize: 0, maxPoolSize: 100, predictive: { headroom: 0.1 } }

  /** A policy input at `now` whose history contains the ramp workload from t = 0. */
  const after = (now: number, overrides: Parameters<typeof input>[0] = {}) => {
    const arrivals = new ArrivalHistory()
    recordMinutes(arrivals, 0, now, rampAtEight, 5)
    return input({ now, running: 5, instances: 5, arrivals, ...overrides }, pool)
  }

  it("follows the recent rate before a day of history", () => {
    const forecast = forecastArrivals(after(7 * HOUR + 55 * MINUTE))

    expect(forecast.seasonalRate).toBeUndefined()
    expect(forecast.recentRate * MINUTE).toBeCloseTo(1)
    expect(forecast.meanRunMs! / MINUTE).toBeCloseTo(5)
  })

  it("forecasts yesterday's ramp", () => {
    // Window 07:55 to 08:05 one day earlier: 5 min at 1 a minute and 5 min at 6 a minute.
    const forecast = forecastArrivals(after(DAY + 7 * HOUR + 55 * MINUTE))

    expect(forecast.seasonalRate! * MINUTE).toBeCloseTo(3.5)
    expect(forecast.rate * MINUTE).toBeCloseTo(3.5)
    expect(forecast.busyRunners).toBeCloseTo(17.5)
  })

  it("provisions ahead of the ramp", () => {
    // ceil(17.5 × 1.1) = 20 runners before the ramp, against 5 + ceil(1.1 × 5) before a day of history.
    expect(predictive.desired(after(DAY + 7 * HOUR + 55 * MINUTE))).toBe(20)
    expect(predictive.desired(after(7 * HOUR + 55 * MINUTE))).toBe(6)
  })

  it("averages the past days", () => {
    // Two earlier days hold the same ramp, so the mean is the same 3.5 a minute.
    const forecast = forecastArrivals(after(2 * DAY + 7 * HOUR + 55 * MINUTE))
    expect(forecast.seasonalRate! * MINUTE).toBeCloseTo(3.5)
  })

  it("serves a backlog like queue-depth-busy", () => {
    const backlog = after(3 * HOUR, { queueDepth: 40, running: 5 })
    expect(predictive.desired(backlog)).toBe(45)
  })

  it("wants only the minimum with no history", () => {
    expect(predictive.desired(input({}, { minPoolSize: 2, maxPoolSize: 10 }))).toBe(2)
  })
})
