import { ROTATIONS, type ControlPlaneSnapshot, type Instance, type RunnerStatus, type RunnerView, type Taint } from "../model.js"
import type { ControllerState } from "./state.js"

/** One observation of the pool: runner views and their counts by status. */
export interface Observation {
  readonly now: number
  readonly queueDepth: number
  readonly oldestWaitMs: number
  /** Runners whose instance is not being deleted, by the provider or by this controller. */
  readonly runners: ReadonlyArray<RunnerView>
  /**
   * Every instance the provider lists, terminating ones included, plus those
   * this controller provisioned that the list does not show yet.
   */
  readonly instances: number
  /** Runners this controller tainted for an old agent or age whose instance is still listed, terminating ones included. */
  readonly rotationsInFlight: number
  readonly counts: Readonly<Record<RunnerStatus, number>>
}

/**
 * Joins cloud instances with registry entries into runner views. A runner is
 * Tainted when this controller or the registry marked it; Provisioning until
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
  const remembers = state.taints.size > 0 || state.removing.size > 0
  const listed = remembers ? new Set<string>() : undefined
  const expected = state.expectedCreations
  for (const instance of instances) {
    const id = instance.id
    if (expected.size > 0) expected.delete(id)
    const known = remembers ? state.taints.get(id) : undefined
    const removing = remembers && state.removing.has(id)
    if (listed !== undefined && (known !== undefined || removing)) listed.add(id)
    if (known !== undefined && ROTATIONS.has(known.reason)) rotationsInFlight++
    // A runner whose deletion this controller started is gone from its point of
    // view, even while a lagging list still shows the instance as it was.
    if (instance.state === "terminating" || removing) continue
    const registration = snapshot.runners.get(id)
    const taint = known ?? (registration?.tainted === true ? adoptTaint(id, state, now) : undefined)
    let status: RunnerStatus = "Provisioning"
    if (taint !== undefined) status = "Tainted"
    else if (registration !== undefined) status = registration.status
    counts[status]++
    runners.push({ id, status, instance, registration, taint })
  }
  if (listed !== undefined) forgetDeletedRunners(listed, state)
  const unlisted = countUnlistedCreations(expected, now)
  counts.Provisioning += unlisted
  return {
    now,
    queueDepth: snapshot.queueDepth,
    oldestWaitMs: snapshot.oldestWaitMs,
    runners,
    instances: instances.length + unlisted,
    rotationsInFlight,
    counts
  }
}

/**
 * Records the taint of a runner that the registry reports Tainted but this
 * controller has no record of (a previous leader tainted it). It is adopted
 * as tainted now for scale-down, so it is removed after a full grace period.
 */
const adoptTaint = (id: string, state: ControllerState, now: number): Taint => {
  const adopted: Taint = { reason: "scaleDown", at: now }
  state.taints.set(id, adopted)
  return adopted
}

/**
 * How long an instance this controller provisioned is expected to show up in
 * the provider's list, in milliseconds. Past it, the expectation is dropped:
 * the instance was lost, or the list will show it when it catches up.
 */
export const EXPECTATION_TIMEOUT_MS = 5 * 60_000

/** Counts expected instances still unlisted and drops those past the expectation timeout. */
const countUnlistedCreations = (expected: Map<string, number>, now: number): number => {
  for (const [id, provisionedAt] of expected) {
    if (now - provisionedAt >= EXPECTATION_TIMEOUT_MS) expected.delete(id)
  }
  return expected.size
}

/** Forgets taints and removals of runners whose instance the provider no longer lists. */
const forgetDeletedRunners = (listed: ReadonlySet<string>, state: ControllerState): void => {
  for (const id of state.taints.keys()) if (!listed.has(id)) state.taints.delete(id)
  for (const id of state.removing) if (!listed.has(id)) state.removing.delete(id)
}
