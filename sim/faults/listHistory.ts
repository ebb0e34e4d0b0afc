import type { Instance, InstanceState } from "../../core/model.js"

/** State and health of an instance as the provider reports them from `at` until its next change. */
interface InstanceVersion {
  readonly at: number
  readonly state: InstanceState
  readonly healthy: boolean
}

interface InstanceRecord {
  /** The live instance, of which only the fixed fields (id, client token, creation time) are read. */
  readonly instance: Instance
  /** Versions in time order. The first of an instance that existed before the history started has `at` = -Infinity. */
  readonly versions: Array<InstanceVersion>
  /** Virtual time its deletion completed; Infinity while it exists. */
  deletedAt: number
}

/**
 * Instance changes over a span of virtual time, kept so that the cloud's
 * list can be rebuilt as it was up to `maxLagMs` ago. In such a list,
 * instances created since then are missing, deleted ones are still listed,
 * and state and health are the ones of that time. The world keeps a history
 * only while a list-lag fault may need it. Memory grows with the instances
 * that exist or were deleted within the last `maxLagMs`, a few versions each.
 */
export class InstanceHistory {
  /** Records by instance id, in creation order. */
  private readonly records = new Map<string, InstanceRecord>()

  /** Starts a history with the instances that exist now, in creation order. */
  constructor(current: Iterable<Instance>, private readonly maxLagMs: number) {
    for (const instance of current) {
      this.records.set(instance.id, {
        instance,
        versions: [{ at: -Infinity, state: instance.state, healthy: instance.healthy }],
        deletedAt: Infinity
      })
    }
  }

  /** Records the state and health of an instance after it was created or changed at `now`. */
  noteChange(instance: Instance, now: number): void {
    let record = this.records.get(instance.id)
    if (record === undefined) {
      record = { instance, versions: [], deletedAt: Infinity }
      this.records.set(instance.id, record)
    }
    record.versions.push({ at: now, state: instance.state, healthy: instance.healthy })
  }

  /** Records that the deletion of an instance completed at `now`. */
  noteDeleted(instanceId: string, now: number): void {
    const record = this.records.get(instanceId)
    if (record !== undefined) record.deletedAt = now
  }

  /**
   * Rebuilds the list as the provider returned it at `time`, after every
   * change at that instant, in creation order. `time` must be no earlier
   * than `now - maxLagMs` and no earlier than the start of the history.
   * Forgets instances deleted before `now - maxLagMs`, which no later
   * list can show.
   */
  listAt(time: number, now: number): Array<Instance> {
    const horizon = now - this.maxLagMs
    const list: Array<Instance> = []
    for (const [id, record] of this.records) {
      if (record.deletedAt <= horizon) {
        this.records.delete(id)
        continue
      }
      const { instance, versions, deletedAt } = record
      if (instance.createdAt > time || deletedAt <= time) continue
      let index = versions.length - 1
      while (index > 0 && versions[index]!.at > time) index--
      const version = versions[index]!
      list.push({
        id,
        clientToken: instance.clientToken,
        createdAt: instance.createdAt,
        state: version.state,
        healthy: version.healthy
      })
    }
    return list
  }
}
