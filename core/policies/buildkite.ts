import { ceilCount, clampToPool, healthyRunners, type ScalingPolicy } from "./policy.js"

/**
 * `buildkite`: the instance count of buildkite-agent-scaler
 * (buildkite/buildkite-agent-scaler `scaler/scaling_calculator.go`,
 * `DesiredCount`, and `scaler/scaler.go`, `Run`, `scaleOut`, `scaleIn`).
 *
 * With need = queued (Buildkite's scheduled jobs) + running runs and
 * n = ceil(need / agentsPerInstance):
 * `target = clamp(n + (need > 0 ? min(instanceBuffer, n) : 0), min, max)`.
 * From cur = healthy runners, a scale-out moves by
 * `ceil((target − cur) × scaleOutFactor)` and a scale-in by
 * `floor((target − cur) × scaleInFactor)`, which rounds away from zero. The
 * result is clamped again. The scaler's own cooldowns are
 * `scaleUpCooldownMs` and `scaleDownCooldownMs`, which `decide` applies.
 *
 * The simulator runs one agent per instance, so `agentsPerInstance > 1`
 * changes only the arithmetic: the pool gets fewer runners than runs.
 */
export const buildkite: ScalingPolicy = {
  name: "buildkite",
  desired: (input) => {
    const { settings } = input
    const { agentsPerInstance, scaleOutFactor, scaleInFactor, instanceBuffer } = settings.buildkite
    const need = input.queueDepth + input.running
    const instances = ceilCount(need / agentsPerInstance)
    const buffer = need > 0 ? Math.min(instanceBuffer, instances) : 0
    const target = clampToPool(instances + buffer, settings)

    const current = healthyRunners(input)
    let desired = current
    if (target > current) desired = current + ceilCount((target - current) * scaleOutFactor)
    else if (target < current) desired = current + Math.floor((target - current) * scaleInFactor + 1e-9)
    return clampToPool(desired, settings)
  }
}
