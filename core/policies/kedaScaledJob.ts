import { ceilCount, clampToPool, healthyRunners, type ScalingPolicy } from "./policy.js"

/**
 * `keda-scaledjob`: the job count of a KEDA ScaledJob
 * (kedacore/keda `pkg/scaling/executor/scale_jobs.go`, `getScalingDecision`
 * and the scaling strategies, and keda-docs `scaledjob-spec.md`).
 *
 * With q queued runs, `maxScale = min(maxPoolSize, ceil(q / targetQueueLength))`.
 * KEDA's running jobs (Jobs not finished) are the healthy runners and its
 * pending jobs (pod not running) the Provisioning ones. Below `minPoolSize`
 * healthy runners, `created = minPoolSize − healthy`. Otherwise, with
 * `r = healthy − minPoolSize` because KEDA subtracts the minimum first:
 * - `default`: `created = maxScale − r`.
 * - `accurate`: `created = maxPoolSize − r` when `maxScale + r > maxPoolSize`,
 *   else `created = maxScale − provisioning`.
 *
 * Then `desired = clamp(healthy + max(0, created), min, max)`.
 *
 * KEDA never deletes a Job, which ends with its one run. Runners here are
 * reused, so the policy never requests fewer runners than exist (unless above
 * the maximum), and runners leave only by `idleTimeout` and the other
 * health and age rules.
 */
export const kedaScaledJob: ScalingPolicy = {
  name: "keda-scaledjob",
  desired: (input) => {
    const { settings } = input
    const { targetQueueLength, strategy } = settings.kedaScaledJob
    const healthy = healthyRunners(input)
    const maxScale = Math.min(settings.maxPoolSize, ceilCount(input.queueDepth / targetQueueLength))

    let created: number
    if (healthy < settings.minPoolSize) created = settings.minPoolSize - healthy
    else {
      const running = healthy - settings.minPoolSize
      if (strategy === "default") created = maxScale - running
      else if (maxScale + running > settings.maxPoolSize) created = settings.maxPoolSize - running
      else created = maxScale - input.provisioning
    }
    return clampToPool(healthy + Math.max(0, created), settings)
  }
}
