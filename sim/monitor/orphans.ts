import type { InstanceState } from "../../core/model.js"
import type { PoolSettings } from "../../core/settings.js"
import type { RegisteredRunner } from "./runners.js"
import type { RecordViolation } from "./violation.js"

/** A cloud instance as the final-state checks read it. */
export interface MonitoredInstance {
  readonly state: InstanceState
  /** Virtual time of the provision call, in milliseconds. */
  readonly createdAt: number
}

/**
 * Time the controller needs, in milliseconds, to remove a runner once a
 * rule takes it: one reconcile interval until the pass that taints it, two
 * taint grace periods, and one more reconcile interval for a pass that
 * failed and was retried. It takes two grace periods because a health
 * failure (an instance that fails to boot, say) taints a runner again after
 * a softer taint such as the create timeout, and the grace period restarts.
 * It assumes that the pool had a working leader throughout that time: a
 * crash, pause or outage just before the horizon can leave an instance in
 * place longer without any bug.
 */
export const defaultSettleMs = (settings: PoolSettings): number => 2 * settings.taintGracePeriod + 2 * settings.reconcileInterval

/**
 * Checks `orphanInstance` on the final state, at the horizon:
 *
 * - an instance that is not being deleted, has no registry entry and is
 *   older than the create timeout plus `settleMs`, so the create-timeout
 *   rule should have removed it. When the create timeout is off, the pool
 *   waits for a pending instance forever by configuration. Then only an
 *   instance that booted (`running`) without a registry entry counts, once
 *   older than `settleMs`, because its agent was deregistered and no rule
 *   reclaims it. A `failed` instance does not count then, because the final
 *   state does not tell when it failed.
 * - a registry entry whose instance does not exist.
 */
export const checkOrphans = (
  instances: ReadonlyMap<string, MonitoredInstance>,
  registry: ReadonlyMap<string, RegisteredRunner>,
  settings: PoolSettings,
  settleMs: number,
  horizonMs: number,
  record: RecordViolation
): void => {
  const timeoutOff = !Number.isFinite(settings.createTimeout)
  const limit = timeoutOff ? settleMs : settings.createTimeout + settleMs

  for (const [id, instance] of instances) {
    if (instance.state === "terminating" || registry.has(id)) continue
    // NOTE: age counts from the provision call, because the final state does not tell when an instance booted or lost its registration.
    const age = horizonMs - instance.createdAt
    if (age < limit) continue
    if (timeoutOff && instance.state !== "running") continue
    const rule = timeoutOff
      ? `booted but has no registry entry, with the create timeout off`
      : `has no registry entry past the create timeout of ${settings.createTimeout} ms plus ${settleMs} ms to settle`
    record({
      invariant: "orphanInstance",
      at: horizonMs,
      ids: [id],
      detail: `instance ${id} (${instance.state}, created at ${instance.createdAt} ms) ${rule}`
    })
  }

  for (const id of registry.keys()) {
    if (instances.has(id)) continue
    record({
      invariant: "orphanInstance",
      at: horizonMs,
      ids: [id],
      detail: `runner ${id} is in the registry, but its instance does not exist`
    })
  }
}
