import type { Workload } from "../workload/workload.js"

/** Status of a run in the simulated control plane. */
export const enum RunState {
  Pending = 0,
  Queued = 1,
  Running = 2,
  Completed = 3,
  Failed = 4
}

/**
 * The runs of a workload and the control plane's run queue. The queue is a
 * first-in, first-out array of run indexes with a moving head, so a
 * dequeue is O(1) and skipped entries (runs failed while queued) cost
 * nothing until they reach the head.
 */
export class RunTable {
  readonly states: Uint8Array
  private readonly queue: Array<number> = []
  private head = 0
  /** Runs in state Queued. */
  queued = 0
  /** Runs ever enqueued, a counter that never decreases. */
  enqueued = 0
  running = 0

  constructor(readonly workload: Workload) {
    this.states = new Uint8Array(workload.arrivals.length)
  }

  get count(): number {
    return this.states.length
  }

  enqueue(run: number): void {
    this.states[run] = RunState.Queued
    this.queue.push(run)
    this.queued++
    this.enqueued++
  }

  /** Returns the oldest queued run, or -1 when none is queued. */
  peek(): number {
    while (this.head < this.queue.length && this.states[this.queue[this.head]!] !== RunState.Queued) this.head++
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head)
      this.head = 0
    }
    return this.head < this.queue.length ? this.queue[this.head]! : -1
  }

  /** Moves the oldest queued run to Running and returns it; -1 when the queue is empty. */
  start(): number {
    const run = this.peek()
    if (run < 0) return run
    this.head++
    this.states[run] = RunState.Running
    this.queued--
    this.running++
    return run
  }

  finish(run: number, state: RunState.Completed | RunState.Failed): void {
    if (this.states[run] === RunState.Running) this.running--
    else if (this.states[run] === RunState.Queued) this.queued--
    this.states[run] = state
  }
}
