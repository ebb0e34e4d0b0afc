/**
 * Simulated `CloudProvider` over the world's instances, one layer per
 * replica.
 *
 * Known limitations, compared with AWS CloudFormation and Kubernetes:
 * - Calls take no virtual time. Failures come only from injected faults
 *   (`failure`), as throttling, server errors or timeouts, never from quotas.
 * - Fencing is exact: a provision or terminate call whose epoch is older
 *   than the lease store's is rejected. Real providers have no such check
 *   unless the adapter adds one (a tag condition, a resource version).
 * - An instance either boots after its provisioning delay or fails for good;
 *   there are no partial rollbacks or retries by the provider.
 */
import { Effect, Layer } from "effect"
import { CloudError, type ProviderErrorReason } from "../../core/errors.js"
import { CloudProvider } from "../../core/ports.js"
import type { LeaseStore } from "../replicas/leaseStore.js"
import type { World } from "../world/world.js"

/** A runner operation the cloud received, for the invariant monitor. */
export interface CloudCallRecord {
  readonly at: number
  readonly replica: string
  readonly epoch: number
  readonly operation: "provision" | "terminate"
  /** True when fencing rejected the call because its epoch was stale. */
  readonly rejected: boolean
}

export interface SimCloudOptions {
  /** The replica this layer serves; recorded with each call. */
  readonly replica: string
  /** Current virtual time in milliseconds. */
  readonly now: () => number
  /** Enables fencing against this store's current epoch. Without it, epochs are not checked. */
  readonly leases?: LeaseStore | undefined
  /** Receives every provision and terminate call. */
  readonly onCall?: ((record: CloudCallRecord) => void) | undefined
  /** An injected failure for a call at `now`, if any. */
  readonly failure?: ((operation: "provision" | "terminate" | "list", now: number) => ProviderErrorReason | undefined) | undefined
}

export const simCloudProviderLayer = (world: World, options: SimCloudOptions): Layer.Layer<CloudProvider> => {
  const { replica, now, leases, onCall, failure } = options

  /** Records a runner operation and returns the error to fail it with, when fencing rejects it or a fault is injected. */
  const admit = (operation: "provision" | "terminate", epoch: number): CloudError | undefined => {
    const rejected = leases !== undefined && epoch < leases.epoch
    onCall?.({ at: now(), replica, epoch, operation, rejected })
    if (rejected) return new CloudError({ operation, reason: "staleEpoch", detail: `epoch ${epoch} is older than ${leases!.epoch}` })
    return injected(operation)
  }
  const injected = (operation: "provision" | "terminate" | "list"): CloudError | undefined => {
    const reason = failure?.(operation, now())
    return reason === undefined ? undefined : new CloudError({ operation, reason, detail: "injected fault" })
  }

  return Layer.succeed(CloudProvider, {
    provision: (request) =>
      Effect.suspend(() => {
        const error = admit("provision", request.epoch)
        return error === undefined ? Effect.succeed(world.provision(request)) : Effect.fail(error)
      }),
    terminate: (instanceId, epoch) =>
      Effect.suspend(() => {
        const error = admit("terminate", epoch)
        return error === undefined ? Effect.sync(() => world.terminate(instanceId)) : Effect.fail(error)
      }),
    list: Effect.suspend(() => {
      const error = injected("list")
      return error === undefined ? Effect.succeed(world.listInstances()) : Effect.fail(error)
    })
  })
}
