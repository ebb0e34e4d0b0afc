import type { PoolEvent } from "../../core/events.js"
import type { RecordViolation } from "./violation.js"

/** The instances that exist now, by id in creation order, terminating ones included. */
export type InstancesNow = () => ReadonlyMap<string, unknown>

/**
 * Checks `maxPoolSize`: an instance was created while the instances that
 * exist, whatever their status, outnumber the maximum pool size in force.
 *
 * The count is read after every event, from `instances` when given and
 * otherwise from the events (+1 on a status change from `undefined`, -1 on
 * `InstanceDeleted`). The world emits `InstanceDeleted` for every deletion,
 * so a count that rose between two reads means an instance was created,
 * even one created without an event. An excursion above the maximum is
 * recorded once, at its first read, and ends when the count is back at or
 * below the maximum. A count above a maximum that was lowered while the
 * pool ran is not a breach until another instance is created.
 */
export class PoolSizeCheck {
  /** Instances by id from the events, used when no live view is given. */
  private readonly replayed = new Map<string, true>()
  private previousCount = 0
  private inExcursion = false

  constructor(
    private readonly maxPoolSize: () => number,
    private readonly record: RecordViolation,
    private readonly instances: InstancesNow | undefined
  ) {}

  onEvent(event: PoolEvent): void {
    if (event.kind === "RunnerStatusChanged" && event.from === undefined) this.replayed.set(event.runnerId, true)
    else if (event.kind === "InstanceDeleted") this.replayed.delete(event.runnerId)
    this.check(event.at)
  }

  /** Checks the count once more at the horizon, for instances created after the last event. */
  finish(horizonMs: number, instances: ReadonlyMap<string, unknown>): void {
    this.check(horizonMs, instances)
  }

  private check(at: number, instances = this.instances?.() ?? this.replayed): void {
    const count = instances.size
    const max = this.maxPoolSize()
    if (count <= max) this.inExcursion = false
    else if (!this.inExcursion && count > this.previousCount) {
      this.inExcursion = true
      // The instances past the maximum in creation order: the ones the pool should not have created.
      const excess = [...instances.keys()].slice(max)
      this.record({
        invariant: "maxPoolSize",
        at,
        ids: excess,
        detail: `${count} instances exist, more than the maximum pool size of ${max}; instances past the maximum: ${excess.join(", ")}`
      })
    }
    this.previousCount = count
  }
}
