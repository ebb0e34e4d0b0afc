import { ceilCount, clampToPool, type ScalingPolicy } from "./policy.js"

/**
 * `gitlab-idle`: the idle capacity of a GitLab Runner autoscaler policy
 * (gitlab-runner `docs/configuration/advanced-configuration.md`, the
 * `[[runners.autoscaler.policy]]` sections), with `capacity_per_instance = 1`:
 * `idle = max(idleCount, min(ceil(scaleFactor × running), scaleFactorLimit))`
 * and `desired = clamp(running + idle, min, max)`.
 *
 * GitLab does not look at the queue: queued runs take idle runners, and
 * each runner that turns busy raises the count by one.
 *
 * NOTE: the docs call `scale_factor_limit` the maximum the factor can
 * yield, so a limit of 0 (the default) cancels the factor here. Whether
 * GitLab's taskscaler reads 0 as "no limit", and whether it rounds the
 * product up, is not checked against its source.
 */
export const gitlabIdle: ScalingPolicy = {
  name: "gitlab-idle",
  desired: (input) => {
    const { idleCount, scaleFactor, scaleFactorLimit } = input.settings.gitlabIdle
    const idle = Math.max(idleCount, Math.min(ceilCount(scaleFactor * input.running), scaleFactorLimit))
    return clampToPool(input.running + idle, input.settings)
  }
}
