import { ArrivalHistory } from "../../core/policies/arrivals.js"
import type { PolicyInput } from "../../core/policies/policy.js"
import { RecommendationHistory } from "../../core/policies/recommendations.js"
import { defaultPoolSettings } from "../../core/settings.js"

/** Encoded pool settings, as `defaultPoolSettings` takes them. */
export type PoolInput = Parameters<typeof defaultPoolSettings>[0]

/**
 * A policy input with no runners, an empty queue, no earlier scaling event
 * and empty memories, at t = 1 h, with `overrides` applied.
 */
export const policyInput = (overrides: Partial<PolicyInput> = {}, settings: PoolInput = {}): PolicyInput => ({
  now: 3_600_000,
  settings: defaultPoolSettings(settings),
  queueDepth: 0,
  oldestWaitMs: 0,
  provisioning: 0,
  idle: 0,
  running: 0,
  tainted: 0,
  instances: 0,
  lastScaleUpAt: undefined,
  lastScaleDownAt: undefined,
  recommendations: new RecommendationHistory(),
  arrivals: new ArrivalHistory(),
  ...overrides
})
