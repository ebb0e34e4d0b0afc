import { describe, expect, it } from "vitest"
import { POLICY_NAMES } from "../../../core/policies/names.js"
import { defaultPoolSettings } from "../../../core/settings.js"
import { buildSearchSpace, COOLDOWN_VALUES_MS, applySettings, POLICY_KNOBS, poolValueAt } from "../../../sim/search/knobs.js"
import { countGrid, currentCandidate, settingsOf } from "../../../sim/search/space.js"

const steadyPool = () =>
  defaultPoolSettings({ minPoolSize: 2, maxPoolSize: 60, queueDepthThreshold: 2, scaleUpCooldownMs: 30_000, scaleDownCooldownMs: 300_000 })

const knobsOf = (policy: string) => buildSearchSpace(steadyPool(), [policy]).subspaces[0]!.knobs

describe("buildSearchSpace", () => {
  it("queue-depth varies shared knobs and threshold", () => {
    expect(knobsOf("queue-depth").map((knob) => knob.path)).toEqual([
      "pool.minPoolSize",
      "pool.maxPoolSize",
      "pool.scaleUpCooldownMs",
      "pool.scaleDownCooldownMs",
      "pool.queueDepthThreshold"
    ])
  })

  it("value lists follow the scenario", () => {
    const [min, max, up, down, threshold] = knobsOf("queue-depth")
    expect(min!.values).toEqual([0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48])
    expect(max!.values).toEqual([30, 45, 60, 75, 90, 120])
    expect(up!.values).toEqual(COOLDOWN_VALUES_MS)
    expect(down!.values).toEqual(COOLDOWN_VALUES_MS)
    expect(threshold!.values).toEqual([1, 2, 3, 4, 6, 8])
  })

  it("current values are in every list", () => {
    const pool = defaultPoolSettings({ minPoolSize: 3, maxPoolSize: 7, scaleUpCooldownMs: 45_000, queueDepthThreshold: 5 })
    const space = buildSearchSpace(pool, ["queue-depth"])
    const current = settingsOf(space, currentCandidate(space, 0))
    expect(current).toEqual({
      "pool.policy": "queue-depth",
      "pool.minPoolSize": 3,
      "pool.maxPoolSize": 7,
      "pool.scaleUpCooldownMs": 45_000,
      "pool.scaleDownCooldownMs": 300_000,
      "pool.queueDepthThreshold": 5
    })
    expect(space.subspaces[0]!.knobs[0]!.values).toEqual([0, 1, 2, 3, 4, 6])
    expect(space.subspaces[0]!.knobs[2]!.values).toContain(45_000)
  })

  it("every policy has a subspace", () => {
    const space = buildSearchSpace(steadyPool(), POLICY_NAMES)
    expect(space.subspaces.map((subspace) => subspace.name)).toEqual([...POLICY_NAMES])
    for (const [index, subspace] of space.subspaces.entries()) {
      expect(subspace.fixed).toEqual([["pool.policy", POLICY_NAMES[index]]])
      const paths = subspace.knobs.map((knob) => knob.path)
      expect(paths.slice(0, 4)).toEqual(["pool.minPoolSize", "pool.maxPoolSize", "pool.scaleUpCooldownMs", "pool.scaleDownCooldownMs"])
      // Each policy's own knobs exist in the decoded pool settings, so none is dropped.
      expect(paths.slice(4)).toEqual(POLICY_KNOBS[subspace.name]!.map((template) => template.path))
    }
  })

  it("policy knobs read their current value", () => {
    const pool = defaultPoolSettings({ targetUtilization: { target: 0.65 } })
    const knobs = buildSearchSpace(pool, ["target-utilization"]).subspaces[0]!.knobs
    const target = knobs.find((knob) => knob.path === "pool.targetUtilization.target")!
    expect(target.values[target.current]).toBe(0.65)
    expect(target.values).toEqual([0.5, 0.6, 0.65, 0.7, 0.8, 0.9, 1])
    const strategy = buildSearchSpace(pool, ["keda-scaledjob"]).subspaces[0]!.knobs.find((knob) => knob.path === "pool.kedaScaledJob.strategy")!
    expect(strategy.values).toEqual(["default", "accurate"])
    expect(strategy.current).toBe(0)
  })

  it("minimum above maximum is invalid", () => {
    const space = buildSearchSpace(steadyPool(), ["queue-depth"])
    const valid = space.isValid({ "pool.policy": "queue-depth", "pool.minPoolSize": 16, "pool.maxPoolSize": 30 })
    const invalid = space.isValid({ "pool.policy": "queue-depth", "pool.minPoolSize": 16, "pool.maxPoolSize": 8 })
    expect(valid).toBe(true)
    expect(invalid).toBe(false)
    const grid = countGrid(space)
    expect(grid.combinations).toBe(12 * 6 * 9 * 9 * 6)
    // Minimum 32 or 48 with maximum 30, and 48 with 45, are the invalid pairs.
    expect(grid.valid).toBe(grid.combinations - 3 * 9 * 9 * 6)
  })

  it("grid excludes minimum above maximum", () => {
    const pool = defaultPoolSettings({ maxPoolSize: 4 })
    const space = buildSearchSpace(pool, ["queue-depth"], [
      { path: "pool.minPoolSize", values: [0, 2, 4] },
      { path: "pool.maxPoolSize", values: [2, 4] }
    ])
    // min 4 with max 2 is the only invalid pair of 3 x 2.
    expect(countGrid(space)).toEqual({ combinations: 6, valid: 5 })
  })

  it("overrides replace the default knobs", () => {
    const space = buildSearchSpace(steadyPool(), ["queue-depth", "arc-scale-set"], [{ path: "pool.maxPoolSize", values: [10, 20] }])
    for (const subspace of space.subspaces) {
      expect(subspace.knobs).toEqual([{ path: "pool.maxPoolSize", values: [10, 20, 60], current: 2 }])
    }
  })

  it("applying settings decodes or describes", () => {
    const applied = applySettings(steadyPool(), { "pool.idleTimeout": "5m", "pool.maxPoolSize": 50 })
    if (!("pool" in applied)) throw new Error(`expected valid settings, got: ${applied.problem}`)
    expect(applied.pool.idleTimeout).toBe(300_000)
    expect(applied.pool.maxPoolSize).toBe(50)
    const problem = (settings: Record<string, number | string>) => {
      const result = applySettings(steadyPool(), settings)
      return "problem" in result ? result.problem : undefined
    }
    expect(problem({ "pool.maxPoolSize": 0 })).toContain("maxPoolSize")
    expect(problem({ "pool.targetUtilization.target": 1.5 })).toContain("a utilization greater than 0 and at most 1")
    expect(problem({ "pool.noSuchKey": 1 })).toContain("noSuchKey")
    expect(problem({ "pool.minPoolSize": 61 })).toContain("must not exceed maxPoolSize")
  })

  it("pool values are read by path", () => {
    expect(poolValueAt(steadyPool(), "pool.maxPoolSize")).toBe(60)
    expect(poolValueAt(steadyPool(), "pool.targetUtilization.target")).toBe(0.7)
    expect(poolValueAt(steadyPool(), "pool.nothing")).toBeUndefined()
    expect(poolValueAt(steadyPool(), "runners.pollInterval")).toBeUndefined()
  })
})
