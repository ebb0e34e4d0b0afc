import { Context, type Effect } from "effect"
import type { CloudError, ControlPlaneError } from "./errors.js"
import type { PoolEvent } from "./events.js"
import type { ControlPlaneSnapshot, Instance, RemovalReason, RunFailureReason } from "./model.js"
import type { PoolSettings } from "./settings.js"

/** A request to create one runner instance. */
export interface ProvisionRequest {
  /** Idempotency token: provisioning twice with the same token creates one instance. */
  readonly clientToken: string
  readonly agentVersion: string
  /** Fencing token of the leader's term; the provider rejects a stale epoch. */
  readonly epoch: number
}

/**
 * Creates, deletes and lists the pool's VMs or containers. Every instance
 * carries the pool id as a tag or label, so `list` returns exactly the pool's
 * instances, including those a previous leader created.
 */
export class CloudProvider extends Context.Tag("runner-pool/CloudProvider")<
  CloudProvider,
  {
    /** Starts creating an instance and returns its id; the instance lists as `pending` until it boots. */
    readonly provision: (request: ProvisionRequest) => Effect.Effect<Instance, CloudError>
    /** Starts deleting an instance. Deleting one that is already gone succeeds. */
    readonly terminate: (instanceId: string, epoch: number) => Effect.Effect<void, CloudError>
    readonly list: Effect.Effect<ReadonlyArray<Instance>, CloudError>
  }
>() {}

/** The CI service: the run queue and the runner registry. */
export class ControlPlane extends Context.Tag("runner-pool/ControlPlane")<
  ControlPlane,
  {
    /** Authenticates this replica with the control plane; a replica in Bootup does this first. */
    readonly authenticate: Effect.Effect<void, ControlPlaneError>
    readonly snapshot: Effect.Effect<ControlPlaneSnapshot, ControlPlaneError>
    /** Marks a runner so that it acquires no new run; works before the runner registers. */
    readonly taintRunner: (runnerId: string, reason: RemovalReason) => Effect.Effect<void, ControlPlaneError>
    /** Fails a running run with a reason; the runner executing it stops it. A run that is not running is left as it is. */
    readonly failRun: (runId: number, reason: RunFailureReason) => Effect.Effect<void, ControlPlaneError>
    /** Removes a runner from the registry. Deregistering an unknown runner succeeds. */
    readonly deregister: (runnerId: string) => Effect.Effect<void, ControlPlaneError>
  }
>() {}

/** A leader's term: valid until `expiresAt` unless renewed. */
export interface Lease {
  readonly epoch: number
  readonly expiresAt: number
}

/** Leadership among pool replicas: a lease with a time to live and an epoch per term. */
export class LeaderElection extends Context.Tag("runner-pool/LeaderElection")<
  LeaderElection,
  {
    /**
     * Acquires the lease if it is free or expired, or renews it if this
     * replica holds it; `undefined` when another replica holds it. A new term
     * (a new epoch) starts whenever the lease changes hands or is taken again
     * after it expired. Fails when the lease store cannot be reached.
     */
    readonly acquireOrRenew: Effect.Effect<Lease | undefined, ControlPlaneError>
  }
>() {}

/** Receives the pool's typed events. */
export class EventSink extends Context.Tag("runner-pool/EventSink")<
  EventSink,
  {
    readonly emit: (event: PoolEvent) => Effect.Effect<void>
  }
>() {}

/** The pool settings in force; they can change while the controller runs (a new agent version, say). */
export class PoolConfig extends Context.Tag("runner-pool/PoolConfig")<
  PoolConfig,
  {
    readonly current: Effect.Effect<PoolSettings>
  }
>() {}
