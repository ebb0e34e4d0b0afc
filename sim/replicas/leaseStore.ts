import type { Lease } from "../../core/ports.js"

/**
 * The simulated lease store (a Kubernetes Lease object, say) that replicas
 * compete for. It is the source of truth for epochs: the fenced cloud
 * rejects calls whose epoch is older than the current one.
 */
export class LeaseStore {
  holder: string | undefined = undefined
  epoch = 0
  expiresAt = -Infinity

  /**
   * Renews the lease for its holder, or grants it in a new epoch when it is
   * free or expired; returns `undefined` while another replica holds it.
   */
  acquireOrRenew(replica: string, now: number, ttl: number): Lease | undefined {
    if (this.holder === replica && now < this.expiresAt) {
      this.expiresAt = now + ttl
      return { epoch: this.epoch, expiresAt: this.expiresAt }
    }
    if (this.holder !== undefined && now < this.expiresAt) return undefined
    this.holder = replica
    this.epoch++
    this.expiresAt = now + ttl
    return { epoch: this.epoch, expiresAt: this.expiresAt }
  }

  /** Returns the replica holding an unexpired lease at `now`, if any. */
  leaderAt(now: number): string | undefined {
    return now < this.expiresAt ? this.holder : undefined
  }
}
