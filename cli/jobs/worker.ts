/**
 * Entry point of a job worker thread (`--jobs N` of check, sweep, tune and compare). It receives
 * jobs from the main thread, one at a time, and sends progress messages and
 * then one `done` message for each (see `WorkerMessage` in pool.ts).
 */
import { parentPort } from "node:worker_threads"
import type { SimulationJob } from "./job.js"
import { runSimulationJob } from "./job.js"
import type { WorkerMessage } from "./pool.js"

const port = parentPort
if (port === null) throw new Error("cli/jobs/worker is a worker thread entry point; runner-pool check, sweep, tune and compare start it with --jobs N.")

port.on("message", (job: SimulationJob) => {
  let lastPercent = -1
  const onProgress = (share: number): void => {
    const percent = Math.floor(share * 100)
    if (percent === lastPercent) return
    lastPercent = percent
    port.postMessage({ type: "progress", index: job.index, share } satisfies WorkerMessage)
  }
  const outcome = runSimulationJob(job, onProgress)
  port.postMessage({ type: "done", index: job.index, outcome } satisfies WorkerMessage)
})
