import { ceilCount, clampToPool, type ScalingPolicy } from "./policy.js"

/**
 * `gitlab-idle`: the idle capacity of a GitLab Runner autoscaler policy
 * (gitlab-runner `docs/configuration/advanced-configuration.md`, the
 * `[[runners.autoscaler.policy]]` sections), with `capacity_per_instance = 1`:
 * `inUse = running + queueDepth`,
 * `idle = max(idleCount, min(ceil(scaleFactor × inUse), scaleFactorLimit))`
 * and `desired = clamp(inUse + idle, min, max)`.
 *
 * A queued run counts as in use, because GitLab Runner creates a machine on
 * demand for a job it picked up when no idle one is free (gitlab-runner
 * `executors/docker/machine/provider.go`, `canCreateOnDemand`). Without
 * that, `idleCount: 0` would never serve a run.
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
    const inUse = input.running + input.queueDepth
    const idle = Math.max(idleCount, Math.min(ceilCount(scaleFactor * inUse), scaleFactorLimit))
    return clampToPool(inUse + idle, input.settings)
  }
}
