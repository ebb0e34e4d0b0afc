import type { SimulationJob } from "./jobs/job.js"

/**
 * One status line of `runner-pool check` on standard error, such as
 * `check: 2/6 done, running burst.yaml seed 1 40%, steady.yaml seed 1 5%`.
 * It is drawn only when standard error is a terminal, so logs and CI output
 * stay clean.
 */
export interface CheckProgress {
  readonly started: (job: SimulationJob) => void
  readonly progressed: (job: SimulationJob, share: number) => void
  readonly finished: (job: SimulationJob) => void
  /** Erases the line, runs `write` (which prints other output to the same terminal) and draws the line again. */
  readonly printAbove: (write: () => void) => void
  /** Erases the line for good. */
  readonly clear: () => void
}

/** Creates the status line for `total` jobs on `stream`, or a silent one when `stream` is not a terminal. */
export const makeCheckProgress = (total: number, stream: NodeJS.WriteStream = process.stderr): CheckProgress => {
  const silent = () => {}
  if (!stream.isTTY) return { started: silent, progressed: silent, finished: silent, printAbove: (write) => write(), clear: silent }

  const running = new Map<number, { readonly label: string; percent: number }>()
  let done = 0
  let drawn = ""

  const draw = (): void => {
    const jobs = [...running.values()].map((entry) => `${entry.label} ${entry.percent}%`).join(", ")
    const text = `check: ${done}/${total} done${jobs === "" ? "" : `, running ${jobs}`}`
    const width = Math.max(20, (stream.columns ?? 80) - 1)
    const line = text.length <= width ? text : `${text.slice(0, width - 3)}...`
    if (line === drawn) return
    drawn = line
    stream.write(`\r${line}\x1b[K`)
  }

  const erase = (): void => {
    if (drawn === "") return
    stream.write("\r\x1b[K")
    drawn = ""
  }

  return {
    started: (job) => {
      running.set(job.index, { label: `${shortName(job.file)} seed ${job.seed}`, percent: 0 })
      draw()
    },
    progressed: (job, share) => {
      const entry = running.get(job.index)
      if (entry === undefined) return
      entry.percent = Math.min(100, Math.floor(share * 100))
      draw()
    },
    finished: (job) => {
      running.delete(job.index)
      done += 1
      draw()
    },
    printAbove: (write) => {
      erase()
      write()
      draw()
    },
    clear: erase
  }
}

const shortName = (file: string): string => file.split(/[\\/]/).pop() ?? file
