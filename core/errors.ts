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
  operation: Schema.Literal("authenticate", "snapshot", "failRun", "taintRunner", "deregister", "lease"),
  reason: ProviderErrorReason,
  detail: Schema.String
}) {
  get retryable(): boolean {
    return isRetryableReason(this.reason)
  }
}

/**
 * This replica's lease expired, or was never held, when it was about to act.
 * The replica stops issuing runner operations until it holds the lease again;
 * retrying the call cannot help.
 */
export class LeaseLostError extends Schema.TaggedError<LeaseLostError>()("LeaseLostError", {
  operation: Schema.String,
  epoch: Schema.Number
}) {
  get retryable(): boolean {
    return false
  }
}

export type ProviderError = CloudError | ControlPlaneError

/** Why a runner operation did not happen: a provider failed, or this replica is no longer the leader. */
export type ActionError = ProviderError | LeaseLostError
