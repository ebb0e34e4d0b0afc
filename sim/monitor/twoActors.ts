import type { PoolEvent } from "../../core/events.js"
import type { CloudCallRecord } from "../providers/cloud.js"
import type { RecordViolation } from "./violation.js"

/**
 * Checks `twoActors`: two replicas acted on the cloud in overlapping time.
 *
 * An epoch is one leader's term. So in a correct pool the provision and
 * terminate calls, in time order, come in runs of calls from one replica at
 * a time, under epochs that only grow. No epoch is used by two replicas
 * that both still run. A cloud call breaks this when:
 *
 * - its epoch is stale: older than the newest epoch seen so far in a cloud
 *   call or in a `ReplicaStatusChanged` to Active, or the fenced cloud
 *   rejected it as stale; rejected or not, it is the call of a replica
 *   that acted without the lease;
 * - or its epoch is the newest one but another replica owns it (made a
 *   call or became Active under it first) and that replica has not been
 *   reported gone, that is Tainted by a crash or the error threshold. A
 *   single-replica pool without a lease runs every replica in epoch 1, and
 *   its replacement after a crash starts only once the crash was reported,
 *   so it is no breach.
 *
 * Any interleaving A, B, A of two replicas' calls breaks one of the rules:
 * the second call of A is stale when B's epoch is newer, or B shared A's
 * epoch. Each replica and epoch pair is recorded once, at its first breach.
 * The lease time to live plays no part: the lease store grants a new epoch
 * only after the old lease expired, so the order of calls is enough.
 */
export class TwoActorsCheck {
  private newestEpoch = 0
  /** The replica that first used each epoch, in a call or in becoming Active, or its successor once it is gone. */
  private readonly owners = new Map<number, string>()
  private readonly gone = new Set<string>()
  private readonly recorded = new Set<string>()

  constructor(private readonly record: RecordViolation) {}

  onEvent(event: PoolEvent): void {
    if (event.kind !== "ReplicaStatusChanged") return
    if (event.to === "Tainted") this.gone.add(event.replica)
    if (event.to === "Active" && event.epoch !== undefined) this.claim(event.replica, event.epoch)
  }

  onCloudCall(call: CloudCallRecord): void {
    const stale = call.rejected || call.epoch < this.newestEpoch
    if (stale) this.report(call, this.staleDetail(call))
    else {
      const owner = this.owners.get(call.epoch)
      if (owner !== undefined && owner !== call.replica && !this.gone.has(owner)) {
        this.report(call, `${call.replica} called ${call.operation} under epoch ${call.epoch}, which ${owner} still acts under`, owner)
      }
    }
    this.claim(call.replica, call.epoch)
  }

  private staleDetail(call: CloudCallRecord): string {
    const newest = this.owners.get(this.newestEpoch)
    const rejected = call.rejected ? ", and the cloud rejected it" : ""
    return call.epoch < this.newestEpoch
      ? `${call.replica} called ${call.operation} under epoch ${call.epoch}, older than epoch ${this.newestEpoch} of ${newest}${rejected}`
      : `${call.replica} called ${call.operation} under stale epoch ${call.epoch}${rejected}`
  }

  private report(call: CloudCallRecord, detail: string, other = this.owners.get(this.newestEpoch)): void {
    const key = `${call.replica}/${call.epoch}`
    if (this.recorded.has(key)) return
    this.recorded.add(key)
    const ids = other === undefined || other === call.replica ? [call.replica] : [call.replica, other]
    this.record({ invariant: "twoActors", at: call.at, ids, detail })
  }

  /** Records `replica` as the owner of `epoch` unless a replica that still runs owns it already. */
  private claim(replica: string, epoch: number): void {
    const owner = this.owners.get(epoch)
    if (owner === undefined || this.gone.has(owner)) this.owners.set(epoch, replica)
    if (epoch > this.newestEpoch) this.newestEpoch = epoch
  }
}
