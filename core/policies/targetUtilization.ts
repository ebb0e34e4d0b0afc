import { ceilCount, clampToPool, healthyRunners, type PolicyInput, type ScalingPolicy } from "./policy.js"

/**
 * Raw recommendation of `target-utilization`, before stabilisation and the
 * pool's bounds. The metric is utilisation = demand / healthy, with
 * demand = running + queueDepth, the runs that want a runner. Busy runners
 * alone cannot exceed one per runner, so a queue would never show in it.
 * HPA's `ceil(current × currentMetric / targetMetric)` then reduces to
 * `ceil(demand / target)`. Within the tolerance, when
 * `|demand / (healthy × target) − 1| <= tolerance`, it keeps `healthy`.
 */
export const recommendTargetUtilization = (input: PolicyInput): number => {
  const { target, tolerance } = input.settings.targetUtilization
  const healthy = healthyRunners(input)
  const demand = input.running + input.queueDepth
  if (healthy > 0 && Math.abs(demand / (healthy * target) - 1) <= tolerance) return healthy
  return ceilCount(demand / target)
}

/**
 * `target-utilization`: the Kubernetes Horizontal Pod Autoscaler algorithm
 * (kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/) on
 * the utilisation of `recommendTargetUtilization`. The tolerance follows the
 * HPA configurable tolerance (kubernetes.io blog, 2025-04-28, "Kubernetes
 * v1.33: HorizontalPodAutoscaler Configurable Tolerance"). Scale-up takes
 * the raw recommendation at once. Scale-down goes no lower than the highest
 * raw recommendation of the last `stabilizationWindow`, as autoscaling/v2
 * `HPAScalingRules` does by default with a 300 s window for scale-down and
 * none for scale-up. The result is clamped to the pool's bounds.
 */
export const targetUtilization: ScalingPolicy = {
  name: "target-utilization",
  desired: (input) => {
    const raw = recommendTargetUtilization(input)
    const healthy = healthyRunners(input)
    if (raw >= healthy) return clampToPool(raw, input.settings)
    const windowStart = input.now - input.settings.targetUtilization.stabilizationWindow
    const highest = Math.max(raw, input.recommendations.maxSince(windowStart) ?? raw)
    // Like HPA's scale-down stabilisation, an old higher recommendation keeps the count but never raises it.
    return clampToPool(Math.min(healthy, highest), input.settings)
  },
  stabilization: {
    recommend: recommendTargetUtilization,
    windowMs: (settings) => settings.targetUtilization.stabilizationWindow
  }
}
