/**
 * Entry point of a `runner-pool check --jobs N` worker thread. It receives
 * jobs from the main thread, one at a time, and sends progress messages and
 * then one `done` message for each (see `WorkerMessage` in checkPool.ts).
 */
import { parentPort } from "node:worker_threads"
import type { CheckJob } from "./checkJob.js"
import { runCheckJob } from "./checkJob.js"
import type { WorkerMessage } from "./checkPool.js"

const port = parentPort
if (port === null) throw new Error("cli/checkWorker is a worker thread entry point; runner-pool check starts it with --jobs N.")

port.on("message", (job: CheckJob) => {
  let lastPercent = -1
  const onProgress = (share: number): void => {
    const percent = Math.floor(share * 100)
    if (percent === lastPercent) return
    lastPercent = percent
    port.postMessage({ type: "progress", index: job.index, share } satisfies WorkerMessage)
  }
  const outcome = runCheckJob(job, onProgress)
  port.postMessage({ type: "done", index: job.index, outcome } satisfies WorkerMessage)
})
