/** Read access to the raw recommendations a controller recorded, as policies get it. */
export interface RecommendationWindow {
  /**
   * Returns the highest recommendation recorded at or after `from`
   * (milliseconds on the controller's clock), or `undefined` when none is
   * kept from then on.
   */
  readonly maxSince: (from: number) => number | undefined
}

/**
 * Raw scaling recommendations with their times, kept for a stabilisation
 * window. It stores a monotonic queue: a recommendation is dropped as soon
 * as a later one is at least as high, because a window that ends now and
 * contains the older one also contains the later one. So the kept values fall from
 * oldest to newest, the oldest kept value in a window is its maximum, and
 * recording costs O(1) amortised with no allocation per call beyond the
 * arrays' occasional growth.
 */
export class RecommendationHistory implements RecommendationWindow {
  private readonly times: Array<number> = []
  private readonly values: Array<number> = []
  /** Index of the oldest kept entry. Entries before it are evicted and wait for compaction. */
  private head = 0

  /**
   * Records `value` at `at` and evicts every entry older than `keepSince`.
   * Times must not decrease from one call to the next.
   */
  record(at: number, value: number, keepSince: number): void {
    while (this.values.length > this.head && this.values[this.values.length - 1]! <= value) {
      this.values.pop()
      this.times.pop()
    }
    this.times.push(at)
    this.values.push(value)
    while (this.head < this.times.length && this.times[this.head]! < keepSince) this.head++
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head)
      this.values.splice(0, this.head)
      this.head = 0
    }
  }

  maxSince(from: number): number | undefined {
    let low = this.head
    let high = this.times.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (this.times[middle]! < from) low = middle + 1
      else high = middle
    }
    return low < this.times.length ? this.values[low] : undefined
  }

  /** Entries kept, for tests of the memory bound. */
  get size(): number {
    return this.times.length - this.head
  }
}
