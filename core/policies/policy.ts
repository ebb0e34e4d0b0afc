import type { PoolSettings } from "../settings.js"
import type { ArrivalWindow } from "./arrivals.js"
import type { RecommendationWindow } from "./recommendations.js"

/**
 * What a scaling policy sees in one reconcile pass. Counts exclude
 * instances that are being deleted, except `instances`.
 */
export interface PolicyInput {
  /** Milliseconds on the controller's clock. */
  readonly now: number
  readonly settings: PoolSettings
  /** Runs waiting to be acquired. */
  readonly queueDepth: number
  /** Wait of the oldest queued run, in milliseconds. */
  readonly oldestWaitMs: number
  readonly provisioning: number
  readonly idle: number
  readonly running: number
  readonly tainted: number
  /** Every instance that exists, Tainted and terminating ones included: what the maximum caps. */
  readonly instances: number
  /** Time of the last scale-up event, `undefined` before the first. */
  readonly lastScaleUpAt: number | undefined
  readonly lastScaleDownAt: number | undefined
  /**
   * Raw recommendations that this controller recorded in earlier passes for
   * a policy with `stabilization`. Empty for a new leader.
   */
  readonly recommendations: RecommendationWindow
  /** Arrivals and busy-runner time that this controller observed. Empty for a new leader. */
  readonly arrivals: ArrivalWindow
}

/** Runners not Tainted: Provisioning, Idle and Running ones. */
export const healthyRunners = (input: PolicyInput): number => input.provisioning + input.idle + input.running

/** A scaling policy: a pure function from what the pool observes to the runner count it wants. */
export interface ScalingPolicy {
  readonly name: string
  /** Desired healthy runners, before cooldowns and the maximum apply. */
  readonly desired: (input: PolicyInput) => number
  /**
   * Stabilisation over the policy's own past recommendations, for a policy
   * that has one. After `desired`, the controller records
   * `recommend(input)` in `recommendations` and evicts entries older than
   * `windowMs(settings)`.
   */
  readonly stabilization?: {
    /** Raw recommendation of this pass, in runners. */
    readonly recommend: (input: PolicyInput) => number
    /** How long recorded recommendations matter, in milliseconds. */
    readonly windowMs: (settings: PoolSettings) => number
  }
}

/** What the controller does this pass: provision `count` runners, taint `count` Idle ones, or nothing. */
export type ScalingDecision =
  | { readonly kind: "scaleUp"; readonly desired: number; readonly count: number }
  | { readonly kind: "scaleDown"; readonly desired: number; readonly count: number }
  | { readonly kind: "hold"; readonly desired: number }

/** Clamps a runner count to the pool's minimum and maximum size. */
export const clampToPool = (count: number, settings: PoolSettings): number =>
  Math.min(settings.maxPoolSize, Math.max(settings.minPoolSize, count))

/**
 * Rounds up, ignoring a floating-point excess of up to 1e-9, so that
 * `ceilCount(7 / 0.7)` is 10 and not 11. Zero stays +0, not -0.
 */
export const ceilCount = (value: number): number => {
  const rounded = Math.ceil(value - 1e-9)
  return rounded === 0 ? 0 : rounded
}

/**
 * Turns a desired runner count into an action. Scale-up provisions the
 * difference, capped so that existing instances of every status stay within
 * the maximum. Scale-down taints Idle runners only. Each direction waits for
 * its own cooldown since its own last event.
 */
export const decide = (input: PolicyInput, desired: number): ScalingDecision => {
  const healthy = healthyRunners(input)
  const { settings, now } = input
  if (desired > healthy) {
    if (input.lastScaleUpAt !== undefined && now - input.lastScaleUpAt < settings.scaleUpCooldownMs) {
      return { kind: "hold", desired }
    }
    const count = Math.min(desired - healthy, settings.maxPoolSize - input.instances)
    return count > 0 ? { kind: "scaleUp", desired, count } : { kind: "hold", desired }
  }
  if (desired < healthy) {
    if (input.lastScaleDownAt !== undefined && now - input.lastScaleDownAt < settings.scaleDownCooldownMs) {
      return { kind: "hold", desired }
    }
    const count = Math.min(healthy - desired, input.idle)
    return count > 0 ? { kind: "scaleDown", desired, count } : { kind: "hold", desired }
  }
  return { kind: "hold", desired }
}
