import type { ScalingPolicy } from "./policy.js"

/**
 * `arc-scale-set`: the target runner count of an Actions Runner Controller
 * runner scale set (actions/actions-runner-controller
 * `cmd/ghalistener/worker/worker.go`, `setDesiredWorkerState`):
 * `min(minPoolSize + assigned, maxPoolSize)`, where assigned = queued +
 * running runs, the jobs GitHub assigned to the scale set. `decide` removes
 * a surplus from Idle runners only.
 *
 * ARC keeps `max(lastTarget, target)` on an empty batch of listener
 * messages. That rule exists because the listener receives statistics in
 * batches, and this controller observes the queue on every pass, so it is
 * left out.
 */
export const arcScaleSet: ScalingPolicy = {
  name: "arc-scale-set",
  desired: (input) => {
    const assigned = input.queueDepth + input.running
    return Math.min(input.settings.minPoolSize + assigned, input.settings.maxPoolSize)
  }
}
