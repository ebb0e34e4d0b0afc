import { Schema } from "effect"

/** Closed list of reasons a provider call fails, shared by every adapter. */
export const ProviderErrorReason = Schema.Literal(
  "throttled",
  "server",
  "timeout",
  "notFound",
  "conflict",
  "staleEpoch",
  "unavailable"
)
export type ProviderErrorReason = typeof ProviderErrorReason.Type

/** Reasons worth retrying: the same call may succeed later. */
const RETRYABLE: ReadonlySet<ProviderErrorReason> = new Set(["throttled", "server", "timeout", "unavailable"])

/** Whether a failure with this reason is worth retrying. */
export const isRetryableReason = (reason: ProviderErrorReason): boolean => RETRYABLE.has(reason)

/**
 * A cloud provider call failed. Adapters map SDK errors to a reason; raw SDK
 * errors never reach the controller.
 */
export class CloudError extends Schema.TaggedError<CloudError>()("CloudError", {
  operation: Schema.Literal("provision", "terminate", "list"),
  reason: ProviderErrorReason,
  detail: Schema.String
}) {
  get retryable(): boolean {
    return isRetryableReason(this.reason)
  }
}

/** A control-plane call failed. */
export class ControlPlaneError extends Schema.TaggedError<ControlPlaneError>()("ControlPlaneError", {
  operation: Schema.Literal("snapshot", "failRun", "taintRunner", "deregister"),
  reason: ProviderErrorReason,
  detail: Schema.String
}) {
  get retryable(): boolean {
    return isRetryableReason(this.reason)
  }
}

export type ProviderError = CloudError | ControlPlaneError
