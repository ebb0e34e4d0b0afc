import { existsSync } from "node:fs"
import { resolve } from "node:path"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { makeStream } from "../../../sim/random.js"
import { generateWorkload } from "../../../sim/workload/generate.js"
import { WorkloadSection } from "../../../sim/workload/schema.js"

/** The real traces live beside the repository and are absent from some checkouts. */
const TRACES = resolve(import.meta.dirname, "../../../../shared/traces")
const BORG_WEEK = resolve(TRACES, "borg-google-2011/jobs_week1.csv.gz")

describe("borg week trace", () => {
  it.skipIf(!existsSync(BORG_WEEK))("replays 7 days of rows", () => {
    const sources = Schema.decodeUnknownSync(WorkloadSection)([{ kind: "trace", name: "borg", path: BORG_WEEK }])
    const workload = generateWorkload(sources, {
      horizonMs: 7 * 86_400_000,
      random: makeStream(1, "workload"),
      baseDir: TRACES
    })
    // The file has 154,082 jobs: 2,483 without a duration (still running at
    // the end of the trace) and 60 submitted 7 days or more after the first.
    expect(workload.arrivals.length).toBe(151_539)
    expect(workload.skipped).toEqual({ borg: 2_483 })
    expect(workload.arrivals[0]).toBe(0)
    expect(workload.arrivals[workload.arrivals.length - 1]!).toBeLessThan(7 * 86_400_000)
    expect(workload.durations.every((d) => d >= 0)).toBe(true)
  })
})
