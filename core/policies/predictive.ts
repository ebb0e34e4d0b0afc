import type { ArrivalWindow } from "./arrivals.js"
import { ceilCount, clampToPool, type PolicyInput, type ScalingPolicy } from "./policy.js"

const DAY_MS = 86_400_000

/** Forecast of `predictive` from the arrival history. */
export interface PredictiveForecast {
  /** Arrivals per millisecond over the recent window, 0 before any history. */
  readonly recentRate: number
  /**
   * Mean over past days of the arrivals per millisecond in the window
   * `[now, now + leadTime)` shifted back by whole days. `undefined` until one
   * such day is covered in full.
   */
  readonly seasonalRate: number | undefined
  /** `max(recentRate, seasonalRate)`, per millisecond. */
  readonly rate: number
  /**
   * Mean run time in milliseconds by Little's law: Running runner time over
   * the arrivals of the run-time window. `undefined` with no arrival in it.
   */
  readonly meanRunMs: number | undefined
  /** Busy runners the forecast expects, `rate × meanRunMs`, before headroom. */
  readonly busyRunners: number
}

/** Mean arrival rate of the lead window `[now, now + leadTime)` shifted back by each whole day the history covers. */
const seasonalRate = (arrivals: ArrivalWindow, now: number, leadTime: number, historyMs: number): number | undefined => {
  const coveredFrom = arrivals.coveredFrom
  const coveredTo = arrivals.coveredTo
  if (coveredFrom === undefined || coveredTo === undefined) return undefined
  let total = 0
  let days = 0
  for (let day = 1; day * DAY_MS <= historyMs; day++) {
    const from = now - day * DAY_MS
    const to = from + leadTime
    if (from < coveredFrom || to > coveredTo) continue
    total += arrivals.sum(from, to).arrivals / leadTime
    days++
  }
  return days === 0 ? undefined : total / days
}

/** Computes the forecast of `predictive` from the input's arrival history. */
export const forecastArrivals = (input: PolicyInput): PredictiveForecast => {
  const { leadTime, history, recentWindow, runTimeWindow } = input.settings.predictive
  const { arrivals, now } = input

  const recent = arrivals.sum(now - recentWindow, now)
  const recentRate = recent.coveredMs > 0 ? recent.arrivals / recent.coveredMs : 0
  const seasonal = seasonalRate(arrivals, now, leadTime, history)
  const rate = Math.max(recentRate, seasonal ?? 0)

  const runTime = arrivals.sum(now - runTimeWindow, now)
  const meanRunMs = runTime.arrivals >= 1 ? runTime.runningMs / runTime.arrivals : undefined
  return { recentRate, seasonalRate: seasonal, rate, meanRunMs, busyRunners: rate * (meanRunMs ?? 0) }
}

/**
 * `predictive`: provisions ahead of daily ramps from the arrivals this
 * controller has seen, a design of this project rather than an upstream one.
 *
 * It forecasts the arrival rate λ as the higher of the recent rate (last
 * `recentWindow`) and the seasonal rate (the mean, over the past days that
 * `history` keeps, of the rate in the window `[now, now + leadTime)` one,
 * two, ... days earlier). By Little's law the busy runners are λ × W, with W
 * the mean run time over `runTimeWindow`. Then
 * `desired = clamp(max(running + ceil(q / queueDepthThreshold), ceil(λ × W × (1 + headroom))), min, max)`.
 * Before a whole day of history it behaves like `queue-depth-busy` plus the
 * recent rate.
 *
 * NOTE: every past day counts the same, so weekdays and weekends mix in the
 * seasonal mean, and a day is 24 h with no daylight-saving shift.
 */
export const predictive: ScalingPolicy = {
  name: "predictive",
  desired: (input) => {
    const { settings } = input
    const backlog = input.running + Math.ceil(input.queueDepth / settings.queueDepthThreshold)
    const forecast = forecastArrivals(input)
    const ahead = ceilCount(forecast.busyRunners * (1 + settings.predictive.headroom))
    return clampToPool(Math.max(backlog, ahead), settings)
  }
}
