/**
 * Simulated `LeaderElection` layers.
 *
 * Known limitations: the lease store answers instantly and shares the
 * simulation's clock exactly, so there is no clock drift between replicas;
 * it fails only during an injected outage of the replica's control plane.
 */
import { Effect, Layer } from "effect"
import { ControlPlaneError } from "../../core/errors.js"
import { LeaderElection, type Lease } from "../../core/ports.js"
import type { LeaseStore } from "../replicas/leaseStore.js"

const soleLease: Lease = { epoch: 1, expiresAt: Infinity }

/** A single replica: it always holds the lease, in epoch 1, and never renews it. */
export const soleLeaderLayer: Layer.Layer<LeaderElection> = Layer.succeed(LeaderElection, {
  acquireOrRenew: Effect.succeed(soleLease)
})

/** One replica's view of a shared lease store. */
export const leaseElectionLayer = (
  store: LeaseStore,
  replica: string,
  leaseTtl: number,
  now: () => number,
  reachable: () => boolean
): Layer.Layer<LeaderElection> =>
  Layer.succeed(LeaderElection, {
    acquireOrRenew: Effect.suspend(() =>
      reachable()
        ? Effect.succeed(store.acquireOrRenew(replica, now(), leaseTtl))
        : Effect.fail(new ControlPlaneError({ operation: "lease", reason: "unavailable", detail: "lease store unreachable (injected outage)" }))
    )
  })
