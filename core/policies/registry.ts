import { arcScaleSet } from "./arcScaleSet.js"
import { buildkite } from "./buildkite.js"
import { gitlabIdle } from "./gitlabIdle.js"
import { kedaScaledJob } from "./kedaScaledJob.js"
import type { PolicyName } from "./names.js"
import type { ScalingPolicy } from "./policy.js"
import { predictive } from "./predictive.js"
import { queueDepth, queueDepthBusy } from "./queueDepth.js"
import { targetUtilization } from "./targetUtilization.js"

const POLICIES: Record<PolicyName, ScalingPolicy> = {
  "queue-depth": queueDepth,
  "queue-depth-busy": queueDepthBusy,
  "target-utilization": targetUtilization,
  "keda-scaledjob": kedaScaledJob,
  "arc-scale-set": arcScaleSet,
  "gitlab-idle": gitlabIdle,
  buildkite,
  predictive
}

/** Looks up a built-in policy by the name `pool.policy` gives. */
export const policyByName = (name: PolicyName): ScalingPolicy => POLICIES[name]
