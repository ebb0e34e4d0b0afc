/**
 * Simulated `ControlPlane` over the world's run queue and runner registry.
 *
 * Known limitations, compared with a real CI service:
 * - Calls take no virtual time and never fail.
 * - The snapshot is live: the registry map it returns is the world's own,
 *   so it is exact at the instant of the call, with no listing lag.
 * - Runs are dispatched first in, first out, with no labels or priorities.
 */
import { Effect, Layer } from "effect"
import { ControlPlane } from "../../core/ports.js"
import type { World } from "../world/world.js"

export const simControlPlaneLayer = (world: World): Layer.Layer<ControlPlane> =>
  Layer.succeed(ControlPlane, {
    snapshot: Effect.sync(() => world.snapshot()),
    taintRunner: (runnerId) => Effect.sync(() => world.taint(runnerId)),
    failRun: (runId, reason) => Effect.sync(() => world.failRun(runId, reason)),
    deregister: (runnerId) => Effect.sync(() => world.deregister(runnerId))
  })
