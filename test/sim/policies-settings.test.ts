import { describe, expect, it } from "vitest"
import { defaultPoolSettings } from "../../core/settings.js"
import { InputError } from "../../sim/scenario/inputError.js"
import { parseScenario, type ScenarioOverrides } from "../../sim/scenario/load.js"

const FILE = "policies.yaml"

/** A valid scenario with `poolLines` under `pool:`, which starts on line 3. */
const scenarioText = (poolLines: ReadonlyArray<string>): string =>
  [
    "name: policies",
    "horizon: 1h",
    "pool:",
    ...poolLines.map((line) => `  ${line}`),
    "workload:",
    "  - kind: poisson",
    "    ratePerHour: 3",
    "    duration: { kind: constant, value: 5m }"
  ].join("\n")

/** Parses a scenario that must be rejected and returns the InputError message. */
const rejection = (poolLines: ReadonlyArray<string>, overrides: ScenarioOverrides = {}): string => {
  try {
    parseScenario(scenarioText(poolLines), FILE, overrides)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error(`expected pool ${poolLines.join("; ")} to be rejected`)
}

describe("policy option defaults", () => {
  const defaults = defaultPoolSettings()

  it("targetUtilization defaults", () => {
    expect(defaults.targetUtilization).toEqual({ target: 0.7, tolerance: 0.1, stabilizationWindow: 300_000 })
  })

  it("kedaScaledJob defaults", () => {
    expect(defaults.kedaScaledJob).toEqual({ targetQueueLength: 1, strategy: "default" })
  })

  it("gitlabIdle defaults", () => {
    expect(defaults.gitlabIdle).toEqual({ idleCount: 1, scaleFactor: 0, scaleFactorLimit: 0 })
  })

  it("buildkite defaults", () => {
    expect(defaults.buildkite).toEqual({ agentsPerInstance: 1, scaleOutFactor: 1, scaleInFactor: 1, instanceBuffer: 0 })
  })

  it("predictive defaults", () => {
    expect(defaults.predictive).toEqual({
      leadTime: 600_000,
      headroom: 0.2,
      history: 604_800_000,
      recentWindow: 900_000,
      runTimeWindow: 3_600_000,
      bucket: 300_000
    })
  })

  it("one key keeps the other defaults", () => {
    const settings = defaultPoolSettings({ targetUtilization: { target: 0.5 } })
    expect(settings.targetUtilization).toEqual({ target: 0.5, tolerance: 0.1, stabilizationWindow: 300_000 })
  })
})

describe("policy options in a scenario", () => {
  it("decodes durations and names", () => {
    const scenario = parseScenario(
      scenarioText([
        "policy: predictive",
        "predictive: { leadTime: 20m, history: 2d }",
        "targetUtilization: { stabilizationWindow: 90s }",
        "kedaScaledJob: { strategy: accurate }"
      ]),
      FILE
    )
    expect(scenario.pool.policy).toBe("predictive")
    expect(scenario.pool.predictive.leadTime).toBe(1_200_000)
    expect(scenario.pool.predictive.history).toBe(172_800_000)
    expect(scenario.pool.targetUtilization.stabilizationWindow).toBe(90_000)
    expect(scenario.pool.kedaScaledJob.strategy).toBe("accurate")
  })

  it("accepts --set on a nested key", () => {
    const scenario = parseScenario(scenarioText(["policy: buildkite"]), FILE, { sets: ["pool.buildkite.instanceBuffer=3"] })
    expect(scenario.pool.buildkite.instanceBuffer).toBe(3)
    expect(scenario.pool.buildkite.agentsPerInstance).toBe(1)
  })
})

describe("policy option errors", () => {
  it("target above 1 names path and range", () => {
    expect(rejection(["targetUtilization:", "  target: 1.5"])).toBe(
      `${FILE}:5: pool.targetUtilization.target: expected a utilization greater than 0 and at most 1, got 1.5`
    )
  })

  it("zero target is rejected", () => {
    expect(rejection(["targetUtilization: { target: 0 }"])).toBe(
      `${FILE}:4: pool.targetUtilization.target: expected a utilization greater than 0 and at most 1, got 0`
    )
  })

  it("negative tolerance is rejected", () => {
    expect(rejection(["targetUtilization: { tolerance: -0.1 }"])).toBe(
      `${FILE}:4: pool.targetUtilization.tolerance: expected a number greater than or equal to 0, got -0.1`
    )
  })

  it("unknown strategy lists the strategies", () => {
    expect(rejection(["kedaScaledJob: { strategy: custom }"])).toBe(
      `${FILE}:4: pool.kedaScaledJob.strategy: expected "default" or "accurate", got "custom"`
    )
  })

  it("zero targetQueueLength is rejected", () => {
    expect(rejection(["kedaScaledJob: { targetQueueLength: 0 }"])).toBe(
      `${FILE}:4: pool.kedaScaledJob.targetQueueLength: expected a number greater than 0, got 0`
    )
  })

  it("fractional idleCount is rejected", () => {
    expect(rejection(["gitlabIdle: { idleCount: 1.5 }"])).toBe(`${FILE}:4: pool.gitlabIdle.idleCount: expected an integer, got 1.5`)
  })

  it("zero agentsPerInstance is rejected", () => {
    expect(rejection(["buildkite: { agentsPerInstance: 0 }"])).toBe(
      `${FILE}:4: pool.buildkite.agentsPerInstance: expected a number greater than or equal to 1, got 0`
    )
  })

  it("bucket must divide a day", () => {
    expect(rejection(["predictive: { bucket: 7m }"])).toBe(
      `${FILE}:4: pool.predictive.bucket: expected a bucket of at least 1m that divides 1d evenly, such as 1m, 5m, 10m or 1h, got "7m"`
    )
  })

  it("history must cover the windows", () => {
    expect(rejection(["predictive: { history: 30m }"])).toBe(
      `${FILE}:4: pool.predictive.history: expected a history at least as long as recentWindow and runTimeWindow (60m), got "30m"`
    )
  })

  it("unknown option key is suggested", () => {
    expect(rejection(["gitlabIdle: { idle_count: 2 }"])).toBe(
      `${FILE}:4: pool.gitlabIdle.idle_count: unknown key "idle_count". Did you mean "idleCount"? Valid keys: idleCount, scaleFactor, scaleFactorLimit`
    )
  })

  it("--set names the option", () => {
    expect(rejection(["policy: target-utilization"], { sets: ["pool.targetUtilization.target=2"] })).toBe(
      `${FILE} (--set pool.targetUtilization.target=2): pool.targetUtilization.target: expected a utilization greater than 0 and at most 1, got 2`
    )
  })
})
