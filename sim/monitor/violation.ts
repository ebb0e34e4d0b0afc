/**
 * A broken pool invariant, as the invariant monitor records it. The shape is
 * the one of `Violation` in `reports/summary.ts`, which `sim/` may not
 * import, so a monitor's result goes into a summary unchanged.
 */
export interface Violation {
  /** Name of the invariant, one of `INVARIANT_NAMES`. */
  readonly invariant: InvariantName
  /** Virtual time of the breach in milliseconds since simulation start; the horizon for checks of the final state. */
  readonly at: number
  /** Runner, instance and run ids involved (runner ids are instance ids), or replica ids for `twoActors`. */
  readonly ids: ReadonlyArray<string>
  /** One sentence that describes the breach, with the values involved. */
  readonly detail: string
}

/** Invariants the monitor checks, in the order its results list them for one instant. */
export const INVARIANT_NAMES = [
  "maxPoolSize",
  "busyRunnerRemoved",
  "provisioningRemovedByScaleDown",
  "taintedAcquired",
  "twoActors",
  "orphanInstance",
  "runLost"
] as const

export type InvariantName = (typeof INVARIANT_NAMES)[number]

const rank = new Map<string, number>(INVARIANT_NAMES.map((name, index) => [name, index]))

/** Orders violations by time, then invariant, then ids, then detail, so a run always lists them the same way. */
export const compareViolations = (a: Violation, b: Violation): number => {
  if (a.at !== b.at) return a.at - b.at
  const byInvariant = rank.get(a.invariant)! - rank.get(b.invariant)!
  if (byInvariant !== 0) return byInvariant
  const aIds = a.ids.join(",")
  const bIds = b.ids.join(",")
  if (aIds !== bIds) return aIds < bIds ? -1 : 1
  if (a.detail === b.detail) return 0
  return a.detail < b.detail ? -1 : 1
}

/** The sink a check records each violation in. */
export type RecordViolation = (violation: Violation) => void
