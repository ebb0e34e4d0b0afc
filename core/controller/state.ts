import type { Taint } from "../model.js"
import { ArrivalHistory } from "../policies/arrivals.js"
import { RecommendationHistory } from "../policies/recommendations.js"

/**
 * Memory of the controller between reconcile passes. Everything else
 * it observes anew each pass, so a new leader rebuilds it from the cloud and
 * the registry.
 */
export interface ControllerState {
  /** Runners this controller marked Tainted, by runner id, until their instance is gone. */
  readonly taints: Map<string, Taint>
  /** Runners whose deletion this controller started. */
  readonly removing: Set<string>
  /**
   * Instances this controller provisioned that the provider's list has not
   * shown yet, with the time of the provision call. Lists can lag behind
   * writes. Until an instance is listed, it still counts against the maximum
   * and as Provisioning, so the controller does not provision it again.
   */
  readonly expectedCreations: Map<string, number>
  lastScaleUpAt: number | undefined
  lastScaleDownAt: number | undefined
  /** Provision calls made so far; numbers the client tokens. */
  provisionCount: number
  /**
   * Start of every client token this controller issues: its replica id. A
   * retried provision call reuses its token, so the provider creates one
   * instance. A replacement replica must not reuse the tokens of the one it
   * replaces, even in the same lease epoch.
   */
  readonly tokenPrefix: string
  /**
   * Raw recommendations of a policy that stabilises over them, for its
   * stabilisation window. A new leader starts with none, so its first
   * scale-down is not held by recommendations of the previous leader.
   */
  readonly recommendations: RecommendationHistory
  /**
   * Arrivals and busy-runner time seen on every pass, for policies that
   * forecast. A new leader starts with none and has no seasonal forecast
   * until it has observed a whole day.
   */
  readonly arrivals: ArrivalHistory
}

export const makeControllerState = (tokenPrefix: string): ControllerState => ({
  taints: new Map(),
  removing: new Set(),
  expectedCreations: new Map(),
  lastScaleUpAt: undefined,
  lastScaleDownAt: undefined,
  provisionCount: 0,
  tokenPrefix,
  recommendations: new RecommendationHistory(),
  arrivals: new ArrivalHistory()
})
