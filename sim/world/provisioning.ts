import { sampler } from "../distribution.js"
import type { RandomStream } from "../random.js"
import type { CloudModel } from "./models.js"

/** The random parts of one instance's boot. Durations are in milliseconds. */
export interface ProvisioningDraw {
  /** Time from the provision call until the VM or container runs, before faults. */
  readonly provisioningDelayMs: number
  /** Time the startup script takes after that. */
  readonly startupScriptMs: number
  /** Whether the instance fails to boot by the model's `bootFailureRate`, before faults. */
  readonly bootFails: boolean
}

/**
 * Compiles the cloud model into the sampler of one instance's boot: the
 * provisioning delay, then the startup script duration, then one uniform
 * draw compared with `bootFailureRate`, in that order. The world and the
 * clairvoyant reference schedule both use it, so that they read the same
 * values from a `provisioning` stream of the same seed.
 */
export const provisioningSampler = (cloud: CloudModel): ((stream: RandomStream) => ProvisioningDraw) => {
  const provisioningDelay = sampler(cloud.provisioningDelay)
  const startupScript = sampler(cloud.startupScriptDuration)
  const bootFailureRate = cloud.bootFailureRate
  return (stream) => {
    const provisioningDelayMs = provisioningDelay(stream)
    const startupScriptMs = startupScript(stream)
    const bootFails = stream.next() < bootFailureRate
    return { provisioningDelayMs, startupScriptMs, bootFails }
  }
}
