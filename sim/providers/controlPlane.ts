/**
 * Simulated `ControlPlane` over the world's run queue and runner registry,
 * one layer per replica.
 *
 * Known limitations, compared with a real CI service:
 * - Calls take no virtual time; they fail only while an injected outage
 *   cuts this replica off (`reachable` returns false).
 * - The snapshot is live: the registry map it returns is the world's own,
 *   so it is exact at the instant of the call, with no listing lag.
 * - Runs are dispatched first in, first out, with no labels or priorities.
 * - `queuedTotal` counts the runs that arrived so far, exactly, as a CI
 *   service's count of queued-job events would.
 */
import { Effect, Layer } from "effect"
import { ControlPlaneError } from "../../core/errors.js"
import { ControlPlane } from "../../core/ports.js"
import type { World } from "../world/world.js"

type Operation = ControlPlaneError["operation"]

export const simControlPlaneLayer = (world: World, reachable: () => boolean = () => true): Layer.Layer<ControlPlane> => {
  const call = <A>(operation: Operation, action: () => A): Effect.Effect<A, ControlPlaneError> =>
    Effect.suspend(() =>
      reachable()
        ? Effect.succeed(action())
        : Effect.fail(new ControlPlaneError({ operation, reason: "unavailable", detail: "control plane unreachable (injected outage)" }))
    )
  return Layer.succeed(ControlPlane, {
    authenticate: call("authenticate", () => undefined),
    snapshot: call("snapshot", () => world.snapshot()),
    taintRunner: (runnerId) => call("taintRunner", () => world.taint(runnerId)),
    failRun: (runId, reason) => call("failRun", () => world.failRun(runId, reason)),
    deregister: (runnerId) => call("deregister", () => world.deregister(runnerId))
  })
}
