import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import type { SimulationJob } from "../../cli/jobs/job.js"
import { runJobs } from "../../cli/jobs/pool.js"

/** A one-hour scenario that simulates in a few milliseconds. */
const TINY = `name: tiny
seed: 3
horizon: 1h
pool:
  maxPoolSize: 3
workload:
  - kind: poisson
    ratePerHour: 20
    duration: { kind: constant, value: 5m }
`

const tinyJobs = (count: number): Array<SimulationJob> => {
  const file = join(mkdtempSync(join(tmpdir(), "jobs-pool-")), "tiny.yaml")
  writeFileSync(file, TINY)
  return Array.from({ length: count }, (_, index) => ({ index, file, seed: index + 1 }))
}

// Worker threads need the compiled or tsx-loaded worker, which vitest cannot start, so the
// sweep tests cover an abort with --jobs 2 through the command line.
describe("runJobs abort", () => {
  it("stops after the abort on the main thread", async () => {
    const controller = new AbortController()
    const reason = new Error("stop")
    const ended: Array<number> = []
    const run = runJobs(tinyJobs(6), {
      parallel: 1,
      signal: controller.signal,
      onDone: (job) => {
        ended.push(job.index)
        if (ended.length === 2) controller.abort(reason)
      }
    })
    await expect(run).rejects.toBe(reason)
    expect(ended).toEqual([0, 1])
  })

  it("runs no job aborted in onStart", async () => {
    const controller = new AbortController()
    const ended: Array<number> = []
    const run = runJobs(tinyJobs(3), {
      parallel: 1,
      signal: controller.signal,
      onStart: (job) => {
        if (job.index === 1) controller.abort(new Error("changed"))
      },
      onDone: (job) => ended.push(job.index)
    })
    await expect(run).rejects.toThrow("changed")
    expect(ended).toEqual([0])
  })

  it("rejects at once when already aborted", async () => {
    const controller = new AbortController()
    controller.abort(new Error("early"))
    for (const parallel of [1, 2]) {
      let started = 0
      const run = runJobs(tinyJobs(2), { parallel, signal: controller.signal, onStart: () => (started += 1) })
      await expect(run).rejects.toThrow("early")
      expect(started).toBe(0)
    }
  })
})
