import { ROTATIONS, type ControlPlaneSnapshot, type Instance, type RunnerStatus, type RunnerView, type Taint } from "../model.js"
import type { ControllerState } from "./state.js"

/** One observation of the pool: runner views and their counts by status. */
export interface Observation {
  readonly now: number
  readonly queueDepth: number
  readonly oldestWaitMs: number
  /** Runners whose instance is not being deleted. */
  readonly runners: ReadonlyArray<RunnerView>
  /** Every instance the provider lists, terminating ones included. */
  readonly instances: number
  /** Runners this controller tainted for an old agent or age whose instance is still listed, terminating ones included. */
  readonly rotationsInFlight: number
  readonly counts: Readonly<Record<RunnerStatus, number>>
}

/**
 * Joins cloud instances with registry entries into runner views. A runner is
 * Tainted when this controller or the registry says so; Provisioning until
 * its agent registers; then Idle or Running as the registry reports.
 */
export const observePool = (
  now: number,
  instances: ReadonlyArray<Instance>,
  snapshot: ControlPlaneSnapshot,
  state: ControllerState
): Observation => {
  const counts = { Provisioning: 0, Idle: 0, Running: 0, Tainted: 0 }
  const runners: Array<RunnerView> = []
  let rotationsInFlight = 0
  const remembered = state.taints.size > 0 || state.removing.size > 0 ? new Set<string>() : undefined
  for (const instance of instances) {
    if (remembered !== undefined && (state.taints.has(instance.id) || state.removing.has(instance.id))) {
      remembered.add(instance.id)
    }
    const known = remembered === undefined ? undefined : state.taints.get(instance.id)
    if (known !== undefined && ROTATIONS.has(known.reason)) rotationsInFlight++
    if (instance.state === "terminating") continue
    const registration = snapshot.runners.get(instance.id)
    const taint = taintOf(instance.id, registration?.tainted === true, state, now)
    const status: RunnerStatus =
      taint !== undefined ? "Tainted" : registration === undefined ? "Provisioning" : registration.status
    counts[status]++
    runners.push({ id: instance.id, status, instance, registration, taint })
  }
  if (remembered !== undefined) forgetDeletedRunners(remembered, state)
  return {
    now,
    queueDepth: snapshot.queueDepth,
    oldestWaitMs: snapshot.oldestWaitMs,
    runners,
    instances: instances.length,
    rotationsInFlight,
    counts
  }
}

/**
 * The taint of a runner. A runner the registry reports Tainted but this
 * controller has no record of (a previous leader tainted it) is adopted as
 * tainted now for scale-down, so it is removed after a full grace period.
 */
const taintOf = (id: string, taintedInRegistry: boolean, state: ControllerState, now: number): Taint | undefined => {
  const known = state.taints.get(id)
  if (known !== undefined || !taintedInRegistry) return known
  const adopted: Taint = { reason: "scaleDown", at: now }
  state.taints.set(id, adopted)
  return adopted
}

/** Forgets taints and removals of runners whose instance the provider no longer lists. */
const forgetDeletedRunners = (listed: ReadonlySet<string>, state: ControllerState): void => {
  for (const id of state.taints.keys()) if (!listed.has(id)) state.taints.delete(id)
  for (const id of state.removing) if (!listed.has(id)) state.removing.delete(id)
}
