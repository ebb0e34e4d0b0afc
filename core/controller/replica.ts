import { Clock, Effect, Either } from "effect"
import type { ActionError } from "../errors.js"
import type { ReplicaStatus } from "../model.js"
import { ControlPlane, EventSink, LeaderElection, PoolConfig } from "../ports.js"
import { leaseSafetyMarginMs, type ReplicaSettings } from "../replicaSettings.js"
import { reconcileRetry } from "../schedules.js"
import { holdsLease, makeFence, type LeaseHolder } from "./fence.js"
import { reconcile } from "./reconcile.js"
import { makeControllerState } from "./state.js"

/**
 * One pool replica. It starts in Bootup and authenticates with the control
 * plane; then, every renew interval, it acquires or renews the lease. While
 * it holds the lease it is Active and reconciles the pool; otherwise it is
 * Inactive and performs no runner operation. A failed operation moves it to
 * Error until the next success. When consecutive errors reach the error
 * threshold it becomes Tainted and the program returns, so whatever runs
 * the replica replaces it.
 */
export const runReplica = (replica: string, settings: ReplicaSettings) =>
  Effect.gen(function* () {
    const election = yield* LeaderElection
    const controlPlane = yield* ControlPlane
    const config = yield* PoolConfig
    const status = yield* makeStatusTracker(replica)
    const holder: LeaseHolder = { lease: undefined, safetyMarginMs: leaseSafetyMarginMs(settings.leaseTtl) }
    const fence = makeFence(holder)
    const state = makeControllerState(replica)
    let errors = 0

    yield* status.set("Bootup", "started")
    while (Either.isLeft(yield* Effect.either(controlPlane.authenticate))) {
      if (++errors >= settings.errorThreshold) return yield* status.set("Tainted", "errorThreshold")
      yield* Effect.sleep(settings.renewInterval)
    }
    errors = 0

    let nextRenew = yield* Clock.currentTimeMillis
    let nextReconcile = nextRenew
    while (true) {
      const now = yield* Clock.currentTimeMillis
      if (now >= nextRenew) {
        const renewed = yield* Effect.either(election.acquireOrRenew)
        if (Either.isRight(renewed)) {
          holder.lease = renewed.right
          errors = 0
        } else {
          errors++
          yield* status.set("Error", "leaseRenewFailed")
        }
        nextRenew = holder.lease?.expiresAt === Infinity ? Infinity : now + settings.renewInterval
      }

      if (!holdsLease(holder, now)) {
        if (errors === 0) yield* status.set("Inactive", holder.lease === undefined ? "follower" : "leaseExpiring")
        nextReconcile = now
      } else {
        if (errors === 0 && status.current !== "Active") yield* status.set("Active", "leaseAcquired", holder.lease!.epoch)
        if (now >= nextReconcile) {
          const outcome = yield* Effect.either(reconcile(state, fence).pipe(Effect.retry(reconcileRetry)))
          const after = yield* Clock.currentTimeMillis
          if (Either.isRight(outcome)) {
            errors = 0
            if (status.current !== "Active") yield* status.set("Active", "recovered", holder.lease!.epoch)
            nextReconcile = after + outcome.right
          } else if (outcome.left._tag === "LeaseLostError") {
            yield* status.set("Inactive", "leaseLost")
            nextReconcile = after
          } else {
            errors++
            yield* reportFailure(outcome.left, replica, holder.lease!.epoch, after)
            yield* status.set("Error", "reconcileFailed")
            nextReconcile = after + (yield* config.current).reconcileInterval
          }
        }
      }

      if (errors >= settings.errorThreshold) return yield* status.set("Tainted", "errorThreshold")
      const after = yield* Clock.currentTimeMillis
      const wakeAt = holdsLease(holder, after) ? Math.min(nextRenew, nextReconcile) : nextRenew
      // At least a millisecond: a shorter sleep can be too small to move the clock, and the loop would spin.
      if (wakeAt > after) yield* Effect.sleep(Math.max(1, wakeAt - after))
    }
  })

/** Tracks a replica's status and emits an event on every change. */
const makeStatusTracker = (replica: string) =>
  Effect.gen(function* () {
    const sink = yield* EventSink
    const tracker = {
      current: undefined as ReplicaStatus | undefined,
      set: (to: ReplicaStatus, reason: string, epoch?: number) =>
        Effect.gen(function* () {
          if (tracker.current === to) return
          const at = yield* Clock.currentTimeMillis
          yield* sink.emit({ kind: "ReplicaStatusChanged", at, replica, from: tracker.current, to, reason, epoch })
          tracker.current = to
        })
    }
    return tracker
  })

const reportFailure = (error: Exclude<ActionError, { _tag: "LeaseLostError" }>, replica: string, epoch: number, at: number) =>
  Effect.gen(function* () {
    const sink = yield* EventSink
    yield* Effect.logWarning("reconcile failed").pipe(
      Effect.annotateLogs({ replica, epoch, operation: error.operation, reason: error.reason })
    )
    yield* sink.emit({
      kind: "ReconcileFailed",
      at,
      error: `${error._tag}: ${error.operation} ${error.reason}`,
      retryable: error.retryable
    })
  })
