/**
 * Simulated `LeaderElection` for a single replica: it always holds the lease,
 * in epoch 1.
 *
 * Known limitations: no competing replicas, no expiry, no fencing.
 */
import { Effect, Layer } from "effect"
import { LeaderElection, type Lease } from "../../core/ports.js"

const soleLease: Lease = { epoch: 1, expiresAt: Infinity }

export const soleLeaderLayer: Layer.Layer<LeaderElection> = Layer.succeed(LeaderElection, {
  acquireOrRenew: Effect.succeed(soleLease)
})
