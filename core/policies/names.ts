/** Names of the built-in scaling policies, selectable by `pool.policy`. docs/policies.md describes each. */
export const POLICY_NAMES = [
  "queue-depth",
  "queue-depth-busy",
  "target-utilization",
  "keda-scaledjob",
  "arc-scale-set",
  "gitlab-idle",
  "buildkite",
  "predictive"
] as const

export type PolicyName = (typeof POLICY_NAMES)[number]
