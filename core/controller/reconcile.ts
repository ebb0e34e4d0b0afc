import { Clock, Effect } from "effect"
import type { RunnerView } from "../model.js"
import { HEALTH_FAILURES } from "../model.js"
import { decide, type PolicyInput } from "../policies/policy.js"
import { policyByName } from "../policies/registry.js"
import { CloudProvider, ControlPlane, PoolConfig } from "../ports.js"
import type { PoolSettings } from "../settings.js"
import { providerCallRetry } from "../schedules.js"
import { removeRunner, scaleDown, scaleUp, taintRunner } from "./actions.js"
import type { Fence } from "./fence.js"
import { checkHealth } from "./health.js"
import { observePool, type Observation } from "./observe.js"
import type { ControllerState } from "./state.js"

/**
 * One reconcile pass: observe the cloud and the registry, taint runners that
 * fail a health check or time out, remove Tainted runners whose grace period
 * is over, then apply the scaling policy. Returns how long to wait before
 * the next pass, in milliseconds: the reconcile interval, or less when a
 * grace period ends sooner, so removals are not late by a whole interval.
 */
export const reconcile = (state: ControllerState, fence: Fence) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const settings = yield* (yield* PoolConfig).current
    const instances = yield* Effect.retry((yield* CloudProvider).list, providerCallRetry)
    const snapshot = yield* Effect.retry((yield* ControlPlane).snapshot, providerCallRetry)

    let observation = observePool(now, instances, snapshot, state)
    const taints = checkHealth(observation, settings)
    for (const action of taints) yield* taintRunner(action, state, fence)
    if (taints.length > 0) observation = observePool(now, instances, snapshot, state)

    for (const runner of observation.runners) {
      if (isRemovable(runner, state, settings, now)) yield* removeRunner(runner, state, fence)
    }

    // Recorded whatever the policy, so that a switch to `predictive` finds the history it needs.
    const predictive = settings.predictive
    state.arrivals.record(now, snapshot.queuedTotal, observation.counts.Running, predictive.bucket, predictive.history)
    yield* applyPolicy(observation, settings, state, fence)
    return requeueAfter(state, settings, now)
  })

/**
 * A Tainted runner is removed once its grace period is over, unless it still
 * executes a run and was tainted for a reason other than a health failure:
 * that runner waits for its run to end.
 */
const isRemovable = (runner: RunnerView, state: ControllerState, settings: PoolSettings, now: number): boolean => {
  const taint = runner.taint
  if (taint === undefined || state.removing.has(runner.id)) return false
  if (now - taint.at < settings.taintGracePeriod) return false
  return runner.registration?.currentRun === undefined || HEALTH_FAILURES.has(taint.reason)
}

const applyPolicy = (observation: Observation, settings: PoolSettings, state: ControllerState, fence: Fence) =>
  Effect.gen(function* () {
    const input: PolicyInput = {
      now: observation.now,
      settings,
      queueDepth: observation.queueDepth,
      oldestWaitMs: observation.oldestWaitMs,
      provisioning: observation.counts.Provisioning,
      idle: observation.counts.Idle,
      running: observation.counts.Running,
      tainted: observation.counts.Tainted,
      instances: observation.instances,
      lastScaleUpAt: state.lastScaleUpAt,
      lastScaleDownAt: state.lastScaleDownAt,
      recommendations: state.recommendations,
      arrivals: state.arrivals
    }
    const policy = policyByName(settings.policy)
    const decision = decide(input, policy.desired(input))
    const stabilization = policy.stabilization
    if (stabilization !== undefined) {
      const keepSince = input.now - stabilization.windowMs(settings)
      state.recommendations.record(input.now, stabilization.recommend(input), keepSince)
    }
    if (decision.kind === "scaleUp") yield* scaleUp(decision, input, state, fence)
    else if (decision.kind === "scaleDown") {
      const idle = observation.runners.filter((runner) => runner.status === "Idle")
      yield* scaleDown(decision, input, idle, state, fence)
    }
  })

/** Returns the wait until the next pass: the reconcile interval, cut short by the earliest grace period to end. */
const requeueAfter = (state: ControllerState, settings: PoolSettings, now: number): number => {
  let wait = settings.reconcileInterval
  for (const [id, taint] of state.taints) {
    if (state.removing.has(id)) continue
    const remaining = taint.at + settings.taintGracePeriod - now
    if (remaining > 0 && remaining < wait) wait = remaining
  }
  return wait
}
