/**
 * Simulated `CloudProvider` over the world's instances.
 *
 * Known limitations, compared with AWS CloudFormation and Kubernetes:
 * - Calls take no virtual time and never fail; throttling, server errors
 *   and lagging lists are not modelled here.
 * - Epochs are carried but not checked (no fencing): one replica only.
 * - An instance either boots after its provisioning delay or fails for good;
 *   there are no partial rollbacks, retries by the provider, or quotas.
 */
import { Effect, Layer } from "effect"
import { CloudProvider } from "../../core/ports.js"
import type { World } from "../world/world.js"

export const simCloudProviderLayer = (world: World): Layer.Layer<CloudProvider> =>
  Layer.succeed(CloudProvider, {
    provision: (request) => Effect.sync(() => world.provision(request)),
    terminate: (instanceId) => Effect.sync(() => world.terminate(instanceId)),
    list: Effect.sync(() => world.listInstances())
  })
