import type { PolicyName } from "./names.js"
import type { ScalingPolicy } from "./policy.js"
import { queueDepth, queueDepthBusy } from "./queueDepth.js"

const POLICIES: Record<PolicyName, ScalingPolicy> = {
  "queue-depth": queueDepth,
  "queue-depth-busy": queueDepthBusy
}

/** Looks up a built-in policy by the name `pool.policy` gives. */
export const policyByName = (name: PolicyName): ScalingPolicy => POLICIES[name]
