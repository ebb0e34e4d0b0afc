import { Clock, Effect } from "effect"
import { EventSink, LeaderElection, PoolConfig } from "../ports.js"
import { reconcileRetry } from "../schedules.js"
import { reconcile } from "./reconcile.js"
import { makeControllerState } from "./state.js"

/**
 * The pool controller: while this replica holds the lease, reconcile the
 * pool, then wait for the next pass. A pass that fails is retried by
 * `reconcileRetry`; one that still fails is recorded as a
 * `ReconcileFailed` event and the controller goes on at the next interval.
 * Runs until interrupted.
 */
export const runController = Effect.gen(function* () {
  const election = yield* LeaderElection
  const config = yield* PoolConfig
  const sink = yield* EventSink
  const state = makeControllerState()

  while (true) {
    const settings = yield* config.current
    const lease = yield* election.acquireOrRenew
    let wait = settings.reconcileInterval
    if (lease !== undefined) {
      wait = yield* reconcile(state, lease.epoch).pipe(
        Effect.retry(reconcileRetry),
        Effect.catchAll((error) =>
          Effect.gen(function* () {
            const at = yield* Clock.currentTimeMillis
            yield* Effect.logWarning("reconcile failed").pipe(
              Effect.annotateLogs({ operation: error.operation, reason: error.reason, epoch: lease.epoch })
            )
            yield* sink.emit({ kind: "ReconcileFailed", at, error: `${error._tag}: ${error.operation} ${error.reason}`, retryable: error.retryable })
            return settings.reconcileInterval
          })
        )
      )
    }
    yield* Effect.sleep(wait)
  }
})
