import { EventHeap } from "../sim/kernel/heap.js"
import type { Workload } from "../sim/workload/workload.js"

/** Measurements of one floor-model run. */
export interface FloorResult {
  readonly completed: number
  readonly meanWaitMs: number
  readonly events: number
}

/**
 * The floor model: a fixed pool of `runners`, a first-in, first-out queue and
 * the same workload, in plain TypeScript with no Effect, no controller and no
 * provisioning. It is the fastest a simulator of this workload can be, and
 * the baseline the full simulation is measured against. Runs longer than
 * `runTimeoutMs` end at the timeout, as the controller fails them.
 */
export const runFloorModel = (workload: Workload, runners: number, horizonMs: number, runTimeoutMs = Infinity): FloorResult => {
  const heap = new EventHeap()
  const { arrivals, durations } = workload
  const queue: Array<number> = []
  let head = 0
  let free = runners
  let completed = 0
  let waitTotal = 0
  let started = 0
  let events = 0
  let now = 0

  const start = (run: number): void => {
    free--
    started++
    waitTotal += now - arrivals[run]!
    heap.push(now + Math.min(durations[run]!, runTimeoutMs), finish)
  }
  const finish = (): void => {
    completed++
    free++
    if (head < queue.length) start(queue[head++]!)
  }
  const arrive = (run: number): void => {
    if (run + 1 < arrivals.length) heap.push(arrivals[run + 1]!, () => arrive(run + 1))
    if (free > 0) start(run)
    else queue.push(run)
  }

  if (arrivals.length > 0) heap.push(arrivals[0]!, () => arrive(0))
  while (heap.size > 0) {
    const entry = heap.pop()!
    if (entry.time >= horizonMs) break
    now = entry.time
    events++
    entry.action()
  }
  return { completed, meanWaitMs: started === 0 ? 0 : waitTotal / started, events }
}
