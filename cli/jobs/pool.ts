import { Worker } from "node:worker_threads"
import { runSimulationJob, type SimulationJob, type JobOutcome } from "./job.js"

/** A message from a job worker thread to the main thread. */
export type WorkerMessage =
  | { readonly type: "progress"; readonly index: number; readonly share: number }
  | { readonly type: "done"; readonly index: number; readonly outcome: JobOutcome }

/** Callbacks and parallelism of `runJobs`. */
export interface RunJobsOptions {
  /** Jobs run at once, 1 or more. With 1, jobs run one after another on the main thread. */
  readonly parallel: number
  /** Called when a job starts. */
  readonly onStart?: (job: SimulationJob) => void
  /** Called with the share of a job's horizon simulated so far, from 0 to 1. */
  readonly onProgress?: (job: SimulationJob, share: number) => void
  /** Called when a job ends, in the order jobs end. */
  readonly onDone?: (job: SimulationJob, outcome: JobOutcome) => void
  /**
   * Once aborted, no job starts or ends any more, even one whose `onStart` or
   * `onDone` aborted it: running worker threads are terminated and the
   * promise rejects with the signal's reason.
   */
  readonly signal?: AbortSignal
}

/**
 * Runs every job and resolves with their outcomes in the order of `jobs`,
 * whatever order they finish in. With `parallel` above 1, up to `parallel`
 * worker threads run jobs, each taking the next job when it finishes one. A
 * worker thread that dies takes down only its current job, which becomes a
 * `crashed` outcome, and a new worker takes over the remaining jobs.
 */
export const runJobs = async (jobs: ReadonlyArray<SimulationJob>, options: RunJobsOptions): Promise<ReadonlyArray<JobOutcome>> => {
  if (options.parallel <= 1 || jobs.length <= 1) return runOnMainThread(jobs, options)
  return runOnWorkers(jobs, options)
}

const runOnMainThread = async (jobs: ReadonlyArray<SimulationJob>, options: RunJobsOptions): Promise<ReadonlyArray<JobOutcome>> => {
  const outcomes: Array<JobOutcome> = []
  for (const job of jobs) {
    options.signal?.throwIfAborted()
    options.onStart?.(job)
    options.signal?.throwIfAborted()
    const outcome = runSimulationJob(job, (share) => options.onProgress?.(job, share))
    outcomes.push(outcome)
    options.onDone?.(job, outcome)
    options.signal?.throwIfAborted()
    // Lets pending writes to a piped stdout and stderr go out between two long synchronous runs.
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return outcomes
}

const runOnWorkers = (jobs: ReadonlyArray<SimulationJob>, options: RunJobsOptions): Promise<ReadonlyArray<JobOutcome>> =>
  new Promise((resolve, reject) => {
    const outcomes: Array<JobOutcome> = new Array(jobs.length)
    const running = new Set<Worker>()
    let nextJob = 0
    let finished = 0
    const { signal } = options
    const aborted = (): boolean => signal?.aborted === true
    if (aborted()) {
      reject(signal!.reason)
      return
    }

    signal?.addEventListener("abort", () => {
      for (const worker of running) void worker.terminate()
      reject(signal.reason)
    }, { once: true })

    const complete = (position: number, job: SimulationJob, outcome: JobOutcome): void => {
      if (aborted()) return
      outcomes[position] = outcome
      finished += 1
      options.onDone?.(job, outcome)
      if (finished === jobs.length) resolve(outcomes)
    }

    const startWorker = (): void => {
      if (nextJob >= jobs.length || aborted()) return
      const worker = spawnJobWorker()
      running.add(worker)
      let current: { readonly position: number; readonly job: SimulationJob; readonly started: number } | undefined
      let died = false

      const assignNext = (): void => {
        const job = jobs[nextJob]
        current = undefined
        if (job === undefined || aborted()) {
          void worker.terminate()
          return
        }
        current = { position: nextJob, job, started: performance.now() }
        nextJob += 1
        options.onStart?.(job)
        if (aborted()) return
        worker.postMessage(job)
      }

      const crashCurrent = (reason: string): void => {
        if (current === undefined) return
        const wallSeconds = (performance.now() - current.started) / 1000
        complete(current.position, current.job, { kind: "crashed", message: `the worker thread failed: ${reason}`, wallSeconds })
        current = undefined
      }

      worker.on("message", (message: WorkerMessage) => {
        if (current === undefined || message.index !== current.job.index) return
        if (message.type === "progress") {
          options.onProgress?.(current.job, message.share)
        } else {
          complete(current.position, current.job, message.outcome)
          assignNext()
        }
      })
      worker.on("error", (error) => {
        died = true
        crashCurrent(error.stack ?? String(error))
      })
      worker.on("exit", (code) => {
        running.delete(worker)
        if (aborted()) return
        if (current !== undefined) {
          died = true
          crashCurrent(`it exited with code ${code} while running the job`)
        }
        if (died) startWorker()
      })
      assignNext()
    }

    const workers = Math.min(options.parallel, jobs.length)
    for (let started = 0; started < workers; started++) startWorker()
  })

/**
 * Starts a worker thread running `worker.ts`. From the compiled `dist/`, the
 * entry is worker.js. Run from source under tsx, Node 20.20 passes
 * tsx's `--import` flags to the worker (its `execArgv` defaults to the
 * parent's), but tsx 4.23's hooks do not apply to the worker's entry module,
 * which fails with ERR_UNKNOWN_FILE_EXTENSION. So a source run starts the
 * worker from a script that registers tsx's loader first.
 */
const spawnJobWorker = (): Worker => {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./worker.js", import.meta.url))
  const entry = new URL("./worker.ts", import.meta.url).href
  const tsxApi = import.meta.resolve("tsx/esm/api")
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(bootstrap, { eval: true })
}
