/**
 * Building blocks of the metrics collector: a growable array of doubles, an
 * evenly thinned list, and fixed time grids that integrate piecewise-constant
 * values into buckets.
 */

/** An append-only list of doubles in one Float64Array that doubles its capacity when full. */
export class GrowableFloat64Array {
  private data: Float64Array
  private size = 0

  constructor(initialCapacity = 1024) {
    this.data = new Float64Array(Math.max(1, initialCapacity))
  }

  get length(): number {
    return this.size
  }

  push(value: number): void {
    if (this.size === this.data.length) {
      const grown = new Float64Array(this.data.length * 2)
      grown.set(this.data)
      this.data = grown
    }
    this.data[this.size] = value
    this.size += 1
  }

  /** Returns a copy of the values sorted in ascending order. */
  sortedCopy(): Float64Array {
    return this.data.slice(0, this.size).sort()
  }
}

/**
 * Values sampled on a fixed grid of `points` buckets of `bucketMs` each.
 * Bucket `i` covers `[i * bucketMs, (i + 1) * bucketMs)` of simulated time.
 */
export interface TimeSeries {
  readonly points: number
  /** Width of one bucket in milliseconds. */
  readonly bucketMs: number
  /** Time-weighted mean number of runners in each status over each bucket. */
  readonly provisioning: Float64Array
  readonly idle: Float64Array
  readonly running: Float64Array
  readonly tainted: Float64Array
  /** Time-weighted mean queue depth (runs waiting) over each bucket. */
  readonly queueMean: Float64Array
  /** Maximum queue depth held for a positive time in each bucket. */
  readonly queueMax: Float64Array
  /** Cumulative cost of all instances at the end of each bucket, in the unit of `costPerRunnerHour`. */
  readonly costCumulative: Float64Array
}

/**
 * Returns the end of bucket `index` of a grid of `points` buckets over
 * `[0, horizonMs]`, in milliseconds. It is computed from the index, not
 * summed, so rounding errors do not accumulate, and the last bucket ends
 * exactly at `horizonMs`.
 */
export const bucketEndMs = (horizonMs: number, points: number, index: number): number =>
  index === points - 1 ? horizonMs : (horizonMs * (index + 1)) / points

/** Number of values the grid integrates: the four runner statuses, then the queue depth. */
const CHANNELS = 5
/** Index of the queue depth in `TimeGrid.values`. Indexes 0 to 3 are the runner statuses. */
export const QUEUE_CHANNEL = 4
const MS_PER_HOUR = 3_600_000

/**
 * Advances simulated time over a grid of `points` buckets that cover
 * `[0, horizonMs]`, with the bucket bounds of `bucketEndMs`. `advance` calls
 * `integrate` once per piece of time between bucket ends, and `closeBucket`
 * at each bucket end it reaches. Time past `horizonMs` is not integrated.
 * The subclasses hold the values and what each bucket stores.
 */
abstract class BucketGrid {
  /** Simulated time, in milliseconds, up to which the values are integrated. */
  now = 0

  /** Index of the bucket being filled, and `points` once every bucket is closed. */
  private bucket = 0

  constructor(
    protected readonly horizonMs: number,
    protected readonly points: number
  ) {}

  /** Integrates the current values up to `atMs`, closing every bucket that ends at or before it. */
  advance(atMs: number): void {
    const target = Math.min(atMs, this.horizonMs)
    while (this.bucket < this.points) {
      const index = this.bucket
      const end = bucketEndMs(this.horizonMs, this.points, index)
      if (end > target) break
      this.integrate(end - this.now)
      this.now = end
      this.closeBucket(index, end - (index === 0 ? 0 : bucketEndMs(this.horizonMs, this.points, index - 1)))
      this.bucket = index + 1
    }
    if (target > this.now) {
      this.integrate(target - this.now)
      this.now = target
    }
  }

  /** Adds the current values times `durationMs` to the running integrals. `advance` may pass 0, which adds nothing. */
  protected abstract integrate(durationMs: number): void

  /** Stores bucket `index`, which is `widthMs` milliseconds wide, and resets the per-bucket state. */
  protected abstract closeBucket(index: number, widthMs: number): void
}

/**
 * Integrates piecewise-constant values over a grid of buckets that cover
 * `[0, horizonMs]`. The caller advances time in nondecreasing steps and sets new
 * values between steps. Time past `horizonMs` is not integrated.
 */
export class TimeGrid extends BucketGrid {
  readonly bucketMs: number
  /** Integral of each value since time 0, in value-milliseconds. */
  readonly totals = new Float64Array(CHANNELS)
  /** Current values: runners Provisioning, Idle, Running, Tainted, then the queue depth. */
  readonly values = new Float64Array(CHANNELS)
  /** Maximum number of runners in any status, over the time integrated so far. */
  runnerPeak = 0
  /** Maximum queue depth over the time integrated so far. */
  queuePeak = 0

  private readonly inBucket = new Float64Array(CHANNELS)
  private bucketQueueMax = 0
  private readonly series: TimeSeries

  constructor(
    horizonMs: number,
    points: number,
    private readonly costPerRunnerHour: number
  ) {
    super(horizonMs, points)
    this.bucketMs = horizonMs / points
    const column = () => new Float64Array(points)
    this.series = {
      points,
      bucketMs: this.bucketMs,
      provisioning: column(),
      idle: column(),
      running: column(),
      tainted: column(),
      queueMean: column(),
      queueMax: column(),
      costCumulative: column()
    }
  }

  /** Returns the series. Call it after `advance(horizonMs)`, which closes every bucket. */
  result(): TimeSeries {
    return this.series
  }

  /** Instance-milliseconds: the integral of all runners that exist, whatever their status. */
  existenceMs(): number {
    return this.totals[0]! + this.totals[1]! + this.totals[2]! + this.totals[3]!
  }

  // Maxima count only values held for some time: a run queued and acquired in
  // the same millisecond never raises the queue maximum.
  protected override integrate(durationMs: number): void {
    if (durationMs <= 0) return
    const queue = this.values[QUEUE_CHANNEL]!
    this.queuePeak = Math.max(this.queuePeak, queue)
    this.bucketQueueMax = Math.max(this.bucketQueueMax, queue)
    this.runnerPeak = Math.max(this.runnerPeak, this.values[0]! + this.values[1]! + this.values[2]! + this.values[3]!)
    for (let channel = 0; channel < CHANNELS; channel++) {
      const area = this.values[channel]! * durationMs
      this.totals[channel] = this.totals[channel]! + area
      this.inBucket[channel] = this.inBucket[channel]! + area
    }
  }

  protected override closeBucket(index: number, widthMs: number): void {
    const s = this.series
    s.provisioning[index] = this.inBucket[0]! / widthMs
    s.idle[index] = this.inBucket[1]! / widthMs
    s.running[index] = this.inBucket[2]! / widthMs
    s.tainted[index] = this.inBucket[3]! / widthMs
    s.queueMean[index] = this.inBucket[QUEUE_CHANNEL]! / widthMs
    s.queueMax[index] = this.bucketQueueMax
    s.costCumulative[index] = (this.existenceMs() / MS_PER_HOUR) * this.costPerRunnerHour

    this.inBucket.fill(0)
    this.bucketQueueMax = 0
  }
}

/**
 * Integrates `channels` piecewise-constant values into the time-weighted mean
 * of each value over each bucket of the grid that `TimeGrid` uses, so both
 * grids share bucket bounds. The caller advances time in nondecreasing steps
 * and sets `values` between steps. Time past `horizonMs` is not integrated.
 */
export class MeanGrid extends BucketGrid {
  /** Current values, one per channel. */
  readonly values: Float64Array
  /** Integral of each value since time 0, in value-milliseconds. */
  readonly totals: Float64Array
  /** Mean of each channel over each bucket: `means[channel][bucket]`. Complete after `advance(horizonMs)`. */
  readonly means: ReadonlyArray<Float64Array>

  private readonly inBucket: Float64Array

  constructor(horizonMs: number, points: number, channels: number) {
    super(horizonMs, points)
    this.values = new Float64Array(channels)
    this.totals = new Float64Array(channels)
    this.inBucket = new Float64Array(channels)
    this.means = Array.from({ length: channels }, () => new Float64Array(points))
  }

  protected override integrate(durationMs: number): void {
    if (durationMs <= 0) return
    for (let channel = 0; channel < this.values.length; channel++) {
      const area = this.values[channel]! * durationMs
      this.totals[channel] = this.totals[channel]! + area
      this.inBucket[channel] = this.inBucket[channel]! + area
    }
  }

  protected override closeBucket(index: number, widthMs: number): void {
    for (let channel = 0; channel < this.values.length; channel++) {
      this.means[channel]![index] = this.inBucket[channel]! / widthMs
    }
    this.inBucket.fill(0)
  }
}

/**
 * Keeps every `stride`-th item offered, in arrival order, and at most
 * `capacity` of them. When the list reaches `capacity` it drops every second
 * item and doubles `stride`, so the kept items stay evenly spread over the
 * whole stream and memory stays bounded.
 */
export class StridedSample<T> {
  private readonly kept: Array<T> = []
  private offered = 0
  /** 1 while the list contains every item offered. */
  stride = 1

  constructor(private readonly capacity: number) {}

  offer(item: T): void {
    const index = this.offered
    this.offered += 1
    if (index % this.stride !== 0) return
    this.kept.push(item)
    if (this.kept.length >= this.capacity) {
      let retained = 0
      for (let i = 0; i < this.kept.length; i += 2) this.kept[retained++] = this.kept[i]!
      this.kept.length = retained
      this.stride *= 2
    }
  }

  /** Returns a copy of the kept items. */
  items(): Array<T> {
    return [...this.kept]
  }
}
