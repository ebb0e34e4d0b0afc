import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative, resolve } from "node:path"
import { gzipSync } from "node:zlib"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { makeStream } from "../../../sim/random.js"
import { generateWorkload } from "../../../sim/workload/generate.js"
import { WorkloadSection } from "../../../sim/workload/schema.js"

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/traces")
const HOUR = 3_600_000

const replay = (source: Record<string, unknown>, options: { horizonMs?: number; baseDir?: string; traceOverride?: string } = {}) =>
  generateWorkload(Schema.decodeUnknownSync(WorkloadSection)([{ kind: "trace", name: "t", ...source }]), {
    horizonMs: options.horizonMs ?? 24 * HOUR,
    random: makeStream(1, "workload"),
    baseDir: options.baseDir ?? FIXTURES,
    ...(options.traceOverride === undefined ? {} : { traceOverride: options.traceOverride })
  })

const seconds = (values: Float64Array) => [...values].map((ms) => ms / 1000)

const tempDir = () => mkdtempSync(join(tmpdir(), "workload-trace-"))

describe("csv trace", () => {
  it("reads submit and duration columns", () => {
    const workload = replay({ path: "jobs.csv" })
    expect(seconds(workload.arrivals)).toEqual([0, 60, 300])
    expect(seconds(workload.durations)).toEqual([60, 120, 300])
    expect(workload.skipped).toEqual({ t: 2 })
  })

  it("computes duration from start and end", () => {
    const workload = replay({ path: "jobs.csv", columns: { submit: "submit_ts", start: "start_ts", end: "end_ts" } })
    expect(seconds(workload.arrivals)).toEqual([0, 30, 60, 120, 300])
    expect(seconds(workload.durations)).toEqual([60, 0, 120, 10, 300])
    expect(workload.skipped).toEqual({ t: 0 })
  })

  it("arrives at start without submit", () => {
    const workload = replay({ path: "start-end.csv", columns: { start: "begin", end: "finish" } })
    expect(seconds(workload.arrivals)).toEqual([0, 200])
    expect(seconds(workload.durations)).toEqual([30, 90])
    // Row b has no end and row c ends before it starts.
    expect(workload.skipped).toEqual({ t: 2 })
  })

  it("filter keeps matching rows", () => {
    const workload = replay({ path: "jobs.csv", filter: { queue: "batch" } })
    // startAt stays the first arrival of the whole file (1000 s).
    expect(seconds(workload.arrivals)).toEqual([60, 300])
    expect(workload.skipped).toEqual({ t: 0 })
  })

  it("filter accepts a list and numbers", () => {
    const workload = replay({ path: "jobs.csv", filter: { job_id: [1, 5], status: ["done", "running"] } })
    expect(seconds(workload.arrivals)).toEqual([0, 300])
  })

  it("filter matches a quoted cell", () => {
    const workload = replay({ path: "jobs.csv", filter: { status: "done, with warnings" } })
    expect(seconds(workload.durations)).toEqual([120])
  })

  it("timeScale compresses arrivals only", () => {
    const workload = replay({ path: "jobs.csv", timeScale: 0.5 })
    expect(seconds(workload.arrivals)).toEqual([0, 30, 150])
    expect(seconds(workload.durations)).toEqual([60, 120, 300])
  })

  it("durationScale stretches durations only", () => {
    const workload = replay({ path: "jobs.csv", durationScale: 2 })
    expect(seconds(workload.arrivals)).toEqual([0, 60, 300])
    expect(seconds(workload.durations)).toEqual([120, 240, 600])
  })

  it("startAt drops earlier rows", () => {
    const workload = replay({ path: "jobs.csv", startAt: 1050 })
    expect(seconds(workload.arrivals)).toEqual([10, 250])
    // Row 4 (no duration) is inside the window, row 2 is before it.
    expect(workload.skipped).toEqual({ t: 1 })
  })

  it("startAt accepts an ISO date", () => {
    const workload = replay({ path: "jobs.csv", startAt: "1970-01-01T00:17:30Z" })
    expect(seconds(workload.arrivals)).toEqual([10, 250])
  })

  it("horizon drops late rows", () => {
    const workload = replay({ path: "jobs.csv" }, { horizonMs: 100_000 })
    expect(seconds(workload.arrivals)).toEqual([0, 60])
    expect(workload.skipped).toEqual({ t: 1 })
  })

  it("reads gzip by magic bytes", () => {
    const dir = tempDir()
    writeFileSync(join(dir, "jobs.data"), gzipSync(readFileSync(join(FIXTURES, "jobs.csv"))))
    const workload = replay({ path: "jobs.data" }, { baseDir: dir })
    expect(seconds(workload.arrivals)).toEqual([0, 60, 300])
    expect(workload.skipped).toEqual({ t: 2 })
  })

  it("reads CRLF line endings", () => {
    const dir = tempDir()
    const text = readFileSync(join(FIXTURES, "jobs.csv"), "utf8").replace(/\n/g, "\r\n")
    writeFileSync(join(dir, "jobs.csv"), text)
    const workload = replay({ path: "jobs.csv", filter: { queue: "batch" } }, { baseDir: dir })
    expect(seconds(workload.durations)).toEqual([120, 300])
  })

  it("reads quoted cells with line breaks", () => {
    const dir = tempDir()
    writeFileSync(
      join(dir, "multi.csv"),
      'id,note,submit_ts,duration_s\n1,"two\nlines, ""quoted""",100,5\n2,plain,110,7\n'
    )
    const workload = replay({ path: "multi.csv" }, { baseDir: dir })
    expect(seconds(workload.arrivals)).toEqual([0, 10])
    expect(seconds(workload.durations)).toEqual([5, 7])
  })

  it("traceOverride replaces the path", () => {
    const workload = replay({ path: "does-not-exist.csv" }, { traceOverride: join(FIXTURES, "jobs.csv"), baseDir: "/" })
    expect(workload.arrivals.length).toBe(3)
  })

  it("traceOverride is relative to the working directory", () => {
    const override = relative(process.cwd(), join(FIXTURES, "jobs.swf"))
    const workload = replay({ path: "jobs.csv", format: "swf" }, { traceOverride: override, baseDir: "/" })
    expect(seconds(workload.durations)).toEqual([30, 90, 1800])
  })

  it("sorts unsorted rows", () => {
    const dir = tempDir()
    writeFileSync(join(dir, "unsorted.csv"), "submit_ts,duration_s\n30,1\n10,2\n20,3\n10,4\n")
    const workload = replay({ path: "unsorted.csv" }, { baseDir: dir })
    expect(seconds(workload.arrivals)).toEqual([0, 0, 10, 20])
    expect(seconds(workload.durations)).toEqual([2, 4, 3, 1])
  })
})

describe("swf trace", () => {
  it("reads submit and run time", () => {
    const workload = replay({ path: "jobs.swf", format: "swf" })
    expect(seconds(workload.arrivals)).toEqual([0, 120, 3600])
    expect(seconds(workload.durations)).toEqual([30, 90, 1800])
    expect(workload.skipped).toEqual({ t: 1 })
  })

  it("filters by SWF field name", () => {
    const workload = replay({ path: "jobs.swf", format: "swf", filter: { queue: 1 } })
    expect(seconds(workload.arrivals)).toEqual([120])
    expect(workload.skipped).toEqual({ t: 1 })
  })

  it("startAt counts from UnixStartTime", () => {
    const workload = replay({ path: "jobs.swf", format: "swf", startAt: 1_000_100 })
    expect(seconds(workload.arrivals)).toEqual([20, 3500])
  })

  it("reads gzip SWF", () => {
    const dir = tempDir()
    writeFileSync(join(dir, "jobs.swf.gz"), gzipSync(readFileSync(join(FIXTURES, "jobs.swf"))))
    const workload = replay({ path: "jobs.swf.gz", format: "swf" }, { baseDir: dir })
    expect(seconds(workload.durations)).toEqual([30, 90, 1800])
  })
})
