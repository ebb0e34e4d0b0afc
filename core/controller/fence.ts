import { Clock, Effect } from "effect"
import { LeaseLostError } from "../errors.js"
import type { Lease } from "../ports.js"

/**
 * The lease this replica believes it holds. The replica updates it
 * when it acquires or renews the lease, and clears it when it learns that
 * another replica holds it.
 */
export interface LeaseHolder {
  lease: Lease | undefined
  /** Milliseconds before expiry at which this replica stops acting. */
  readonly safetyMarginMs: number
}

/** Whether the holder may act at `now`: it holds a lease that does not expire within the safety margin. */
export const holdsLease = (holder: LeaseHolder, now: number): boolean =>
  holder.lease !== undefined && now < holder.lease.expiresAt - holder.safetyMarginMs

/**
 * Returns the epoch to act under, checked against the clock right before
 * each runner operation, or fails with `LeaseLostError`. A replica that
 * stalls (a long pause, a slow retry) and resumes after its lease expired
 * therefore stops instead of acting with a stale epoch.
 */
export type Fence = (operation: string) => Effect.Effect<number, LeaseLostError>

export const makeFence =
  (holder: LeaseHolder): Fence =>
  (operation) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      holdsLease(holder, now)
        ? Effect.succeed(holder.lease!.epoch)
        : Effect.fail(new LeaseLostError({ operation, epoch: holder.lease?.epoch ?? 0 }))
    )

/** A fence for a pool with one replica, which always holds the lease in epoch 1. */
export const soleFence: Fence = () => Effect.succeed(1)
