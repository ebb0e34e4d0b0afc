/** Names of the built-in scaling policies, selectable by `pool.policy`. */
export const POLICY_NAMES = ["queue-depth", "queue-depth-busy"] as const

export type PolicyName = (typeof POLICY_NAMES)[number]
