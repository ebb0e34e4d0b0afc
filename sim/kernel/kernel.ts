import { Clock, Duration, Effect } from "effect"
import { EventHeap, type HeapEntry } from "./heap.js"
import { SynchronousScheduler } from "./scheduler.js"

/** A simulation failed because a fiber resumed outside virtual time. */
export class OutsideVirtualTimeError extends Error {
  constructor(readonly resumes: number) {
    super(
      `${resumes} fiber resumption(s) happened outside virtual time: something inside the simulation waited on a real Promise or timer`
    )
    this.name = "OutsideVirtualTimeError"
  }
}

/**
 * The discrete-event kernel: one heap of (time, sequence) entries drives
 * both the plain-data world and the Effect fibers. Fibers sleep through the
 * kernel's `clock`, and their tasks run on the kernel's `scheduler`, drained
 * synchronously after each entry, so virtual time never advances while a
 * fiber still has work at the current instant.
 */
export class Kernel {
  private readonly heap = new EventHeap()
  readonly scheduler = new SynchronousScheduler()
  /** Current virtual time in milliseconds. */
  now = 0
  /** Heap entries run so far (wake-ups of fibers and world actions). */
  steps = 0

  /** Schedules an action at an absolute virtual time, never earlier than now. */
  at(time: number, action: () => void): HeapEntry {
    return this.heap.push(time < this.now ? this.now : time, action)
  }

  /** Schedules an action `delay` milliseconds from now. */
  after(delay: number, action: () => void): HeapEntry {
    return this.heap.push(this.now + (delay > 0 ? delay : 0), action)
  }

  cancel(entry: HeapEntry): void {
    entry.cancelled = true
  }

  /** Runs `action` as a step at the current time: Effect tasks it starts are drained before this returns. */
  step(action: () => void): void {
    const scheduler = this.scheduler
    scheduler.inStep = true
    try {
      action()
      scheduler.drain()
    } finally {
      scheduler.inStep = false
    }
    this.assertInsideVirtualTime()
  }

  /**
   * Runs every entry due before `horizon`, in order, then leaves the clock at
   * the horizon. Calls `onProgress` with the virtual time about every
   * `progressEvery` steps. Throws `OutsideVirtualTimeError` if a fiber resumed
   * outside a step.
   */
  runUntil(horizon: number, onProgress?: (now: number) => void, progressEvery = 65_536): void {
    const heap = this.heap
    const scheduler = this.scheduler
    scheduler.inStep = true
    try {
      while (true) {
        const entry = heap.peek()
        if (entry === undefined || entry.time >= horizon) break
        heap.pop()
        if (entry.cancelled) continue
        this.now = entry.time
        this.steps++
        entry.action()
        scheduler.drain()
        if (onProgress !== undefined && (this.steps & (progressEvery - 1)) === 0) onProgress(this.now)
      }
    } finally {
      scheduler.inStep = false
    }
    this.now = Math.max(this.now, horizon)
    this.assertInsideVirtualTime()
  }

  /** Throws when any fiber resumed outside a kernel step. */
  assertInsideVirtualTime(): void {
    if (this.scheduler.strayResumes > 0) throw new OutsideVirtualTimeError(this.scheduler.strayResumes)
  }

  /** A `Clock` that reads and sleeps in this kernel's virtual time. */
  readonly clock: Clock.Clock = makeVirtualClock(this)
}

/**
 * The virtual time at which a sleep of `durationMs` started at `now` ends:
 * rounded up to a whole millisecond, the resolution of real timers, and
 * always later than `now` for a positive duration. Without the rounding, a
 * loop that sleeps until a computed instant could sleep a fraction of a
 * millisecond too short to move a large clock value, and never advance.
 */
export const wakeUpTime = (now: number, durationMs: number): number => {
  if (!(durationMs > 0)) return now
  const time = Math.ceil(now + durationMs)
  return time > now ? time : Math.floor(now) + 1
}

const makeVirtualClock = (kernel: Kernel): Clock.Clock => {
  const currentTimeMillis = Effect.sync(() => kernel.now)
  const currentTimeNanos = Effect.sync(() => BigInt(Math.round(kernel.now * 1_000_000)))
  return {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => kernel.now,
    currentTimeMillis,
    unsafeCurrentTimeNanos: () => BigInt(Math.round(kernel.now * 1_000_000)),
    currentTimeNanos,
    sleep: (duration) =>
      Effect.async<void>((resume) => {
        const entry = kernel.at(wakeUpTime(kernel.now, Duration.toMillis(duration)), () => resume(Effect.void))
        return Effect.sync(() => kernel.cancel(entry))
      })
  }
}
