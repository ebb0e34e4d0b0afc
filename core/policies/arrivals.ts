/** Sums of the arrival history over a time span. */
export interface ArrivalSums {
  /** Runs queued in the span. */
  readonly arrivals: number
  /** Integral of the Running runner count over the span, in runner-milliseconds. */
  readonly runningMs: number
  /** Part of the span that the history covers, in milliseconds. Rates divide by it. */
  readonly coveredMs: number
}

/** Read access to the arrival history a controller recorded, as policies get it. */
export interface ArrivalWindow {
  /** Start of the span the history covers, in milliseconds, or `undefined` before the first record. */
  readonly coveredFrom: number | undefined
  /** End of the span the history covers: the time of the last record. */
  readonly coveredTo: number | undefined
  /**
   * Sums arrivals and busy-runner time over `[from, to)`, clipped to the
   * covered span. Within a bucket, both are taken as spread evenly over the
   * part of the bucket that was observed.
   */
  readonly sum: (from: number, to: number) => ArrivalSums
}

const NO_SUMS: ArrivalSums = { arrivals: 0, runningMs: 0, coveredMs: 0 }

/**
 * Arrival counts and busy-runner time in fixed-width time buckets, over a
 * bounded history. Buckets are aligned to multiples of the bucket width on
 * the controller's clock and stored in a ring of two `Float64Array`s, so
 * recording costs O(1) amortised and allocates nothing once configured.
 *
 * Arrivals come from a cumulative counter of queued runs that the control
 * plane reports. Each record spreads the runs queued since the previous
 * record, and the Running count of the previous record times the elapsed
 * time, evenly over the time between the two records.
 */
export class ArrivalHistory implements ArrivalWindow {
  private bucketMs = 0
  private capacity = 0
  private arrivals = new Float64Array(0)
  private runningMs = new Float64Array(0)
  /** Absolute index, `floor(time / bucketMs)`, of the newest bucket. */
  private newest = 0
  private startedAt: number | undefined = undefined
  private recordedUpTo: number | undefined = undefined
  private lastQueuedTotal: number | undefined = undefined
  private lastRunning = 0

  get coveredFrom(): number | undefined {
    if (this.startedAt === undefined) return undefined
    return Math.max(this.startedAt, this.oldestBucketStart())
  }

  get coveredTo(): number | undefined {
    return this.recordedUpTo
  }

  /**
   * Records one observation at `now`: the control plane's cumulative count
   * of queued runs (`undefined` when it reports none, which records no
   * arrivals) and the Running runner count. A different bucket width or
   * history length than the previous call starts an empty history. A counter
   * that went down, as after a control-plane restart, records no arrivals
   * for that step and counts on from its new value. A time before the last
   * record adds nothing.
   */
  record(now: number, queuedTotal: number | undefined, running: number, bucketMs: number, historyMs: number): void {
    const capacity = Math.ceil(historyMs / bucketMs) + 1
    if (bucketMs !== this.bucketMs || capacity !== this.capacity) this.reset(bucketMs, capacity)

    const previous = this.recordedUpTo
    if (previous === undefined) {
      this.startedAt = now
      this.newest = Math.floor(now / bucketMs)
      this.recordedUpTo = now
    } else if (now >= previous) {
      const last = this.lastQueuedTotal
      const arrived = queuedTotal !== undefined && last !== undefined && queuedTotal >= last ? queuedTotal - last : 0
      this.spread(previous, now, arrived, this.lastRunning * (now - previous))
      this.recordedUpTo = now
    }
    this.lastQueuedTotal = queuedTotal
    this.lastRunning = running
  }

  sum(from: number, to: number): ArrivalSums {
    const coveredFrom = this.coveredFrom
    const startedAt = this.startedAt
    const recordedUpTo = this.recordedUpTo
    if (coveredFrom === undefined || startedAt === undefined || recordedUpTo === undefined) return NO_SUMS
    const low = Math.max(from, coveredFrom)
    const high = Math.min(to, recordedUpTo)
    if (high <= low) return NO_SUMS

    const width = this.bucketMs
    let arrivals = 0
    let runningMs = 0
    for (let k = Math.floor(low / width); k * width < high; k++) {
      // The part of bucket k that was observed: the history may start or end inside it.
      const spanStart = Math.max(k * width, startedAt)
      const spanEnd = Math.min((k + 1) * width, recordedUpTo)
      const overlap = Math.min(high, spanEnd) - Math.max(low, spanStart)
      if (overlap <= 0) continue
      const share = overlap / (spanEnd - spanStart)
      arrivals += this.arrivals[this.slot(k)]! * share
      runningMs += this.runningMs[this.slot(k)]! * share
    }
    return { arrivals, runningMs, coveredMs: high - low }
  }

  private reset(bucketMs: number, capacity: number): void {
    this.bucketMs = bucketMs
    this.capacity = capacity
    this.arrivals = new Float64Array(capacity)
    this.runningMs = new Float64Array(capacity)
    this.newest = 0
    this.startedAt = undefined
    this.recordedUpTo = undefined
    this.lastQueuedTotal = undefined
    this.lastRunning = 0
  }

  private oldestBucketStart(): number {
    return (this.newest - this.capacity + 1) * this.bucketMs
  }

  private slot(bucket: number): number {
    return ((bucket % this.capacity) + this.capacity) % this.capacity
  }

  /** Clears the buckets after the newest one up to `bucket`, which becomes the newest. */
  private advanceTo(bucket: number): void {
    if (bucket <= this.newest) return
    const cleared = Math.min(bucket - this.newest, this.capacity)
    for (let k = bucket - cleared + 1; k <= bucket; k++) {
      this.arrivals[this.slot(k)] = 0
      this.runningMs[this.slot(k)] = 0
    }
    this.newest = bucket
  }

  /** Adds `arrived` runs and `busyMs` runner-milliseconds, spread evenly over `(from, to]`. */
  private spread(from: number, to: number, arrived: number, busyMs: number): void {
    const width = this.bucketMs
    this.advanceTo(Math.floor(to / width))
    if (to === from) {
      this.arrivals[this.slot(this.newest)]! += arrived
      return
    }
    // Time before the ring's oldest bucket is dropped along with its share.
    const first = Math.max(Math.floor(from / width), this.newest - this.capacity + 1)
    for (let k = first; k <= this.newest; k++) {
      const overlap = Math.min(to, (k + 1) * width) - Math.max(from, k * width)
      if (overlap <= 0) continue
      const share = overlap / (to - from)
      this.arrivals[this.slot(k)]! += arrived * share
      this.runningMs[this.slot(k)]! += busyMs * share
    }
  }
}
