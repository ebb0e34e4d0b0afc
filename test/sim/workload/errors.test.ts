import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { stringify } from "yaml"
import { makeStream } from "../../../sim/random.js"
import { InputError, nearestKey } from "../../../sim/scenario/inputError.js"
import { parseScenario } from "../../../sim/scenario/load.js"
import { WorkloadError } from "../../../sim/workload/errors.js"
import { generateWorkload } from "../../../sim/workload/generate.js"
import { WorkloadSection } from "../../../sim/workload/schema.js"

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/traces")

/** Replays a trace source and returns the WorkloadError it throws. */
const traceFailure = (source: Record<string, unknown>, baseDir = FIXTURES): WorkloadError => {
  const sources = Schema.decodeUnknownSync(WorkloadSection)([{ kind: "trace", name: "t", ...source }])
  try {
    generateWorkload(sources, { horizonMs: 86_400_000, random: makeStream(1, "workload"), baseDir })
  } catch (error) {
    expect(error).toBeInstanceOf(WorkloadError)
    return error as WorkloadError
  }
  throw new Error("expected generateWorkload to throw")
}

/**
 * Loads a scenario with this workload section, which must fail, and returns
 * the message without its `file:line: ` prefix (test/sim/scenario checks lines).
 */
const issue = (section: unknown): string => {
  try {
    parseScenario(stringify({ name: "t", horizon: "1d", workload: section }), "scenario.yaml")
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    const message = (error as InputError).message
    expect(message).toMatch(/^scenario\.yaml:\d+: /)
    return message.replace(/^scenario\.yaml:\d+: /, "")
  }
  throw new Error("expected the workload section to be rejected")
}

const constant = { kind: "constant", value: "5m" }

describe("trace errors", () => {
  it("missing file names the resolved path", () => {
    const error = traceFailure({ path: "nope/missing.csv" })
    const resolved = join(FIXTURES, "nope/missing.csv")
    expect(error.file).toBe(resolved)
    expect(error.message).toContain("trace file not found")
    expect(error.message).toContain(resolved)
    expect(error.message).toContain('workload source "t"')
  })

  it("non-numeric time names line and column", () => {
    const error = traceFailure({ path: "bad-time.csv" })
    expect(error.line).toBe(3)
    expect(error.column).toBe("submit_ts")
    expect(error.value).toBe("soon")
    expect(error.message).toBe(
      `${join(FIXTURES, "bad-time.csv")}:3: column "submit_ts": invalid value "soon", expected a number of seconds (workload source "t")`
    )
  })

  it("wrong cell count names the line", () => {
    const error = traceFailure({ path: "bad-cells.csv" })
    expect(error.line).toBe(4)
    expect(error.value).toBe("3,1020")
    expect(error.message).toContain("bad-cells.csv:4: record has 2 cells")
    expect(error.message).toContain("expected 3 cells as in the header")
  })

  it("missing column lists the header", () => {
    const error = traceFailure({ path: "jobs.csv", columns: { submit: "submitted", duration: "duration_s" } })
    expect(error.line).toBe(1)
    expect(error.column).toBe("submitted")
    expect(error.message).toContain('jobs.csv:1: column "submitted": column not found in the header')
    expect(error.message).toContain("job_id, submit_ts, start_ts, end_ts, duration_s, status, queue")
  })

  it("missing filter column is an error", () => {
    const error = traceFailure({ path: "jobs.csv", filter: { team: "a" } })
    expect(error.column).toBe("team")
  })

  it("unclosed quote names its line", () => {
    const dir = mkdtempSync(join(tmpdir(), "workload-errors-"))
    writeFileSync(join(dir, "open.csv"), 'submit_ts,duration_s\n1,2\n"3,4\n')
    const error = traceFailure({ path: "open.csv" }, dir)
    expect(error.line).toBe(3)
    expect(error.message).toContain("quoted cell is not closed")
  })

  it("empty file is an error", () => {
    const dir = mkdtempSync(join(tmpdir(), "workload-errors-"))
    writeFileSync(join(dir, "empty.csv"), "\n")
    expect(traceFailure({ path: "empty.csv" }, dir).message).toContain("trace file is empty")
  })

  it("corrupt gzip is an error", () => {
    const dir = mkdtempSync(join(tmpdir(), "workload-errors-"))
    writeFileSync(join(dir, "broken.gz"), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]))
    expect(traceFailure({ path: "broken.gz" }, dir).message).toContain("gzip data is corrupt")
  })

  it("short SWF record names the line", () => {
    const error = traceFailure({ path: "bad.swf", format: "swf" })
    expect(error.line).toBe(3)
    expect(error.message).toContain("bad.swf:3: record has 17 fields")
    expect(error.message).toContain("expected 18 whitespace-separated fields")
  })

  it("unknown SWF filter field lists the fields", () => {
    const error = traceFailure({ path: "jobs.swf", format: "swf", filter: { team: 1 } })
    expect(error.column).toBe("team")
    expect(error.message).toContain("job_number, submit_time")
  })
})

describe("schema errors", () => {
  it("unknown key suggests the nearest", () => {
    const message = issue([{ kind: "poisson", ratePerHour: 3, duration: constant, fanout: constant }])
    expect(message).toBe(
      'workload.0.fanout: unknown key "fanout". Did you mean "fanOut"? Valid keys: kind, name, ratePerHour, duration, fanOut, profile, start, end'
    )
  })

  it("unknown key in a distribution", () => {
    const message = issue([{ kind: "burst", at: "1h", count: 3, duration: { kind: "lognormal", median: "1m", p59: "2m" } }])
    expect(message).toContain('workload.0.duration.p59: unknown key "p59". Did you mean "p95"?')
  })

  it("wrong type names key and value", () => {
    const message = issue([{ kind: "poisson", ratePerHour: "fast", duration: constant }])
    expect(message).toBe('workload.0.ratePerHour: expected a number, got "fast"')
  })

  it("negative rate names key and value", () => {
    const message = issue([{ kind: "poisson", ratePerHour: -3, duration: constant }])
    expect(message).toBe("workload.0.ratePerHour: expected a number greater than zero, got -3")
  })

  it("p95 below median names both", () => {
    const message = issue([{ kind: "poisson", ratePerHour: 3, duration: { kind: "lognormal", median: "5m", p95: "1m" } }])
    expect(message).toBe("workload.0.duration.p95: expected p95 at least the median (5m), got 1m")
  })

  it("malformed duration names the text", () => {
    const message = issue([{ kind: "burst", at: "1 hour", count: 3, duration: constant }])
    expect(message).toBe('workload.0.at: expected a duration such as 90s, 5m, 1h30m, 48h or 7d, got "1 hour"')
  })

  it("decreasing quantiles name the key", () => {
    const message = issue([
      { kind: "burst", at: "1h", count: 3, duration: { kind: "empirical", quantiles: { p0: "2m", p50: "1m", p100: "3m" } } }
    ])
    expect(message).toBe(
      "workload.0.duration.quantiles.p50: expected values that do not decrease, but p50 (1m) is below p0 (2m)"
    )
  })

  it("bad quantile key is rejected", () => {
    const message = issue([
      { kind: "burst", at: "1h", count: 3, duration: { kind: "empirical", quantiles: { p0: "1m", p101: "3m" } } }
    ])
    expect(message).toContain('workload.0.duration.quantiles.p101: invalid quantile key "p101"')
  })

  it("missing key is named", () => {
    expect(issue([{ kind: "burst", at: "1h", duration: constant }])).toBe('workload.0.count: missing required key "count"')
  })

  it("unknown kind lists the kinds", () => {
    expect(issue([{ kind: "bursty" }])).toBe('workload.0.kind: expected "poisson" | "burst" | "trace", got "bursty"')
  })

  it("profile needs 24 hours", () => {
    const message = issue([{ kind: "poisson", ratePerHour: 3, duration: constant, profile: { hourOfDay: [1, 2] } }])
    expect(message).toBe("workload.0.profile.hourOfDay: expected an array of exactly 24 item(s), got [1,2]")
  })

  it("negative profile factor is rejected", () => {
    const dayOfWeek = [1, 1, 1, 1, 1, -1, 0]
    const message = issue([{ kind: "poisson", ratePerHour: 3, duration: constant, profile: { dayOfWeek } }])
    expect(message).toBe("workload.0.profile.dayOfWeek.5: expected a factor of zero or more, got -1")
  })

  it("incomplete columns are rejected", () => {
    const message = issue([{ kind: "trace", path: "x.csv", columns: { submit: "a", end: "b" } }])
    expect(message).toContain("workload.0.columns: expected columns {submit, duration}, {submit, start, end} or {start, end}")
    expect(message).toContain("got {end, submit}")
  })

  it("columns on SWF are rejected", () => {
    const message = issue([{ kind: "trace", path: "x.swf", format: "swf", columns: { start: "a", end: "b" } }])
    expect(message).toBe(
      'workload.0.columns: expected no columns for an SWF trace, whose fields are fixed by the format, got {"start":"a","end":"b"}'
    )
  })

  it("impossible startAt date is rejected", () => {
    const message = issue([{ kind: "trace", path: "x.csv", startAt: "2011-02-30" }])
    expect(message).toContain('workload.0.startAt: expected epoch seconds or an ISO-8601 date')
    expect(message).toContain('got "2011-02-30"')
  })

  it("zero timeScale is rejected", () => {
    expect(issue([{ kind: "trace", path: "x.csv", timeScale: 0 }])).toBe("workload.0.timeScale: expected a number greater than zero, got 0")
  })

  it("duplicate names are rejected", () => {
    const burst = { kind: "burst", name: "b", at: "1h", count: 3, duration: constant }
    expect(issue([burst, burst])).toBe('workload.1.name: expected a unique source name, but "b" is also source 0')
  })

  it("end before start is rejected", () => {
    expect(issue([{ kind: "poisson", ratePerHour: 3, duration: constant, start: "2h", end: "1h" }])).toBe(
      "workload.0.end: expected end after start (2h), got 1h"
    )
  })
})

describe("key suggestions", () => {
  it("default names use kind and index", () => {
    const decoded = Schema.decodeUnknownSync(WorkloadSection)([
      { kind: "burst", at: "1h", count: 1, duration: constant },
      { kind: "burst", name: "second", at: "1h", count: 1, duration: constant },
      { kind: "trace", path: "x.csv" }
    ])
    expect(decoded.map((source) => source.name)).toEqual(["burst-0", "second", "trace-2"])
  })

  it("valid keys depend on the kind", () => {
    const trace = issue([{ kind: "trace", path: "x", timescale: 2 }])
    expect(trace).toContain('unknown key "timescale". Did you mean "timeScale"?')
    expect(trace).toContain("Valid keys: kind, name, path, format, columns, filter, timeScale, durationScale, startAt")

    const columns = issue([{ kind: "trace", path: "x", columns: { sumbit: "a" } }])
    expect(columns).toContain("workload.0.columns.sumbit")
    expect(columns).toContain("Valid keys: submit, duration, start, end")

    const uniform = issue([{ kind: "burst", at: "1h", count: 1, duration: { kind: "uniform", minimum: "1m", max: "2m" } }])
    expect(uniform).toContain("workload.0.duration.minimum")
    expect(uniform).toContain("Valid keys: kind, min, max")
  })

  it("unknown key far from all keys gets no suggestion", () => {
    const message = issue([{ kind: "burst", at: "1h", count: 1, duration: constant, zzz: 1 }])
    expect(message).toBe('workload.0.zzz: unknown key "zzz". Valid keys: kind, name, at, count, spread, duration')
  })

  it("nearest key prefers a unique prefix", () => {
    expect(nearestKey("rate", ["name", "ratePerHour"])).toBe("ratePerHour")
    expect(nearestKey("durration", ["duration", "start"])).toBe("duration")
    expect(nearestKey("zzz", ["duration", "start"])).toBeUndefined()
  })
})
