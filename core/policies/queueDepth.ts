import { clampToPool, type ScalingPolicy } from "./policy.js"

/**
 * `queue-depth`, the reference policy: one runner per `queueDepthThreshold`
 * queued runs, `desired = clamp(ceil(q / threshold), min, max)`. Read
 * literally it tolerates a backlog while every runner is busy.
 */
export const queueDepth: ScalingPolicy = {
  name: "queue-depth",
  desired: (input) => clampToPool(Math.ceil(input.queueDepth / input.settings.queueDepthThreshold), input.settings)
}

/**
 * `queue-depth-busy`: counts busy runners apart, so a queue behind busy
 * runners adds capacity: `desired = clamp(running + ceil(q / threshold), min, max)`.
 */
export const queueDepthBusy: ScalingPolicy = {
  name: "queue-depth-busy",
  desired: (input) =>
    clampToPool(input.running + Math.ceil(input.queueDepth / input.settings.queueDepthThreshold), input.settings)
}
