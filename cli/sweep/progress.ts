import type { SimulationJob } from "../jobs/job.js"
import { makeProgressBar } from "../progress.js"

/**
 * The progress bar of `runner-pool sweep` on standard error, such as
 * `sweep [#####-----] 16% 4/27 runs ETA 41s`. The share counts finished runs
 * plus the simulated share of running ones. Off a terminal it prints a plain
 * line every 10 percent instead, because a sweep can run for an hour.
 */
export interface SweepProgress {
  readonly started: (job: SimulationJob) => void
  readonly progressed: (job: SimulationJob, share: number) => void
  readonly finished: (job: SimulationJob) => void
  /** Erases the bar. */
  readonly clear: () => void
}

/** Creates the bar for `total` runs on `stream`. */
export const makeSweepProgress = (total: number, stream: NodeJS.WriteStream = process.stderr): SweepProgress => {
  const bar = makeProgressBar("sweep", stream, { plainLines: true })
  const running = new Map<number, number>()
  let done = 0

  const draw = (): void => {
    let share = done
    for (const runningShare of running.values()) share += runningShare
    bar.update(share / total, `${done}/${total} runs`)
  }

  return {
    started: (job) => {
      running.set(job.index, 0)
      draw()
    },
    progressed: (job, share) => {
      if (!running.has(job.index)) return
      running.set(job.index, Math.min(1, Math.max(0, share)))
      draw()
    },
    finished: (job) => {
      running.delete(job.index)
      done += 1
      draw()
    },
    clear: bar.done
  }
}
