import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { parseGrid } from "../../cli/sweep/grid.js"
import { parseHeatmapAxes, planSweep } from "../../cli/sweep/plan.js"

const folder = mkdtempSync(join(tmpdir(), "sweep-plan-"))
const synthetic = join(folder, "synthetic.yaml")
writeFileSync(
  synthetic,
  ["name: synthetic", "seed: 7", "horizon: 1h", "workload:", "  - kind: poisson", "    ratePerHour: 10", "    duration: { kind: constant, value: 1m }", ""].join("\n")
)
const replay = join(folder, "replay.yaml")
writeFileSync(replay, ["name: replay", "horizon: 1h", "workload:", "  - kind: trace", "    name: jobs", "    path: jobs.csv", ""].join("\n"))

/** Runs `step` and returns the message of the InputError it throws. */
const errorOf = (step: () => unknown): string => {
  try {
    step()
  } catch (error) {
    expect((error as { _tag?: string })._tag).toBe("InputError")
    return (error as Error).message
  }
  throw new Error("expected an InputError, but nothing was thrown")
}

describe("planSweep", () => {
  it("one job per configuration and seed", () => {
    const plan = planSweep({ file: synthetic, grid: ["pool.maxPoolSize=2,4", "pool.idleTimeout=1m,5m,10m"], seedCount: 2 })
    expect(plan.scenario.name).toBe("synthetic")
    expect(plan.seeds).toEqual([7, 8])
    expect(plan.configurations).toHaveLength(6)
    expect(plan.jobs).toHaveLength(12)
    expect(plan.jobs.map((job) => job.index)).toEqual([...Array(12).keys()])
    expect(plan.jobs[3]).toEqual({
      index: 3,
      file: synthetic,
      seed: 8,
      sets: ["pool.maxPoolSize=2", "pool.idleTimeout=5m"],
      traceOverride: undefined
    })
  })

  it("first invalid configuration is named", () => {
    const message = errorOf(() => planSweep({ file: synthetic, grid: ["pool.maxPoolSize=1,2", "pool.queueDepthThreshold=1,0"], seedCount: 1 }))
    expect(message).toMatch(/^configuration #1 of 4 \(--set pool\.maxPoolSize=1 --set pool\.queueDepthThreshold=0\) is invalid: /)
    expect(message).toContain("pool.queueDepthThreshold: expected a number greater than or equal to 1, got 0")
  })

  it("missing scenario file is an input error", () => {
    expect(errorOf(() => planSweep({ file: join(folder, "gone.yaml"), grid: ["pool.maxPoolSize=2"], seedCount: 1 }))).toContain("not found")
  })

  it("--trace needs a trace source", () => {
    const message = errorOf(() => planSweep({ file: synthetic, grid: ["pool.maxPoolSize=2"], seedCount: 1, traceOverride: replay }))
    expect(message).toBe(`--trace ${replay}: scenario ${synthetic} has no trace workload source to replay it in; add a source of kind trace`)
  })

  it("--trace file must exist", () => {
    const gone = join(folder, "gone.csv")
    expect(errorOf(() => planSweep({ file: replay, grid: ["pool.maxPoolSize=2"], seedCount: 1, traceOverride: gone }))).toBe(`--trace ${gone}: trace file not found`)
    const subfolder = join(folder, "traces")
    mkdirSync(subfolder, { recursive: true })
    expect(errorOf(() => planSweep({ file: replay, grid: ["pool.maxPoolSize=2"], seedCount: 1, traceOverride: subfolder }))).toContain("is a folder")
  })

  it("--trace is passed to every job", () => {
    const trace = join(import.meta.dirname, "../fixtures/traces/jobs.csv")
    const plan = planSweep({ file: replay, grid: ["pool.maxPoolSize=2,3"], seedCount: 1, traceOverride: trace })
    expect(plan.jobs.map((job) => job.traceOverride)).toEqual([trace, trace])
  })

  it("rejects an unparseable trace before any run", () => {
    const trace = join(folder, "other.csv")
    writeFileSync(trace, "submit,duration\n0,60\n")
    const message = errorOf(() => planSweep({ file: replay, grid: ["pool.maxPoolSize=2,3"], seedCount: 1, traceOverride: trace }))
    expect(message).toContain(`${trace}:1: column "submit_ts": column not found in the header`)
  })
})

describe("parseHeatmapAxes", () => {
  const axes = parseGrid(["a.x=1,2", "a.y=1,2", "a.z=1,2"])

  it("accepts two swept paths in either order", () => {
    expect(parseHeatmapAxes("a.z,a.x", axes)).toEqual(["a.z", "a.x"])
    expect(parseHeatmapAxes(" a.y , a.z ", axes)).toEqual(["a.y", "a.z"])
  })

  it("rejects malformed and unswept paths", () => {
    expect(errorOf(() => parseHeatmapAxes("a.x", axes))).toBe("--heatmap a.x: expected PATH_X,PATH_Y, two swept paths such as a.x,a.y")
    expect(errorOf(() => parseHeatmapAxes("a.x,a.w", axes))).toBe("--heatmap a.x,a.w: a.w is not swept, expected one of the --grid paths: a.x, a.y, a.z")
    expect(errorOf(() => parseHeatmapAxes("a.x,a.x", axes))).toBe("--heatmap a.x,a.x: PATH_X and PATH_Y are the same, expected two different swept paths")
  })

  it("needs two swept paths", () => {
    expect(errorOf(() => parseHeatmapAxes("a.x,a.y", parseGrid(["a.x=1,2"])))).toBe(
      "--heatmap a.x,a.y: a heatmap needs two swept paths, but only a.x is swept; add another --grid"
    )
  })
})
