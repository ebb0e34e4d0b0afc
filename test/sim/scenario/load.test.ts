import { mkdtempSync, readdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, join, resolve } from "node:path"
import { describe, expect, it, vi } from "vitest"
import { POLICY_NAMES } from "../../../core/policies/names.js"
import { defaultPoolSettings } from "../../../core/settings.js"
import { InputError } from "../../../sim/scenario/inputError.js"
import { loadScenario, type ScenarioOverrides } from "../../../sim/scenario/load.js"

const SCENARIOS = resolve(import.meta.dirname, "../../../scenarios")
const folder = mkdtempSync(join(tmpdir(), "scenario-load-"))

/** Writes `lines` as a scenario file and returns its path. */
const scenarioFile = (name: string, lines: ReadonlyArray<string>): string => {
  const file = join(folder, `${name}.yaml`)
  writeFileSync(file, lines.map((line) => `${line}\n`).join(""))
  return file
}

/** Loads a scenario that must be rejected and returns the InputError message. */
const rejection = (file: string, overrides: ScenarioOverrides = {}): string => {
  try {
    loadScenario(file, overrides)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error(`expected ${file} to be rejected`)
}

/** A valid scenario whose line 3 onwards are `middle`, followed by a one-source workload. */
const withLines = (name: string, middle: ReadonlyArray<string>): string =>
  scenarioFile(name, [
    "name: test",
    "horizon: 1h",
    ...middle,
    "workload:",
    "  - kind: poisson",
    "    ratePerHour: 3",
    "    duration: { kind: constant, value: 5m }"
  ])

const VALID = withLines("valid", [])

const POOL_KEYS =
  "minPoolSize, maxPoolSize, queueDepthThreshold, scaleUpCooldownMs, scaleDownCooldownMs, createTimeout, runTimeout, " +
  "idleTimeout, heartbeatTimeout, maxRunnerAge, taintGracePeriod, agentVersion, reconcileInterval, rotationBudget, policy, " +
  "targetUtilization, kedaScaledJob, gitlabIdle, buildkite, predictive"

describe("scenario file errors", () => {
  it("fault after the horizon is rejected", () => {
    const file = withLines("late-fault", ["faults:", "  - { kind: replicaCrash, at: 2h, replica: leader }"])
    expect(rejection(file)).toBe(`${file}:4: faults.0.at: expected a fault time before the horizon (1h), got 2h`)
  })

  it("fault on a missing replica is rejected", () => {
    const file = withLines("missing-replica", ["replicas: { count: 2 }", "faults:", "  - { kind: replicaCrash, at: 10m, replica: 5 }"])
    expect(rejection(file)).toBe(`${file}:5: faults.0.replica: expected leader or a replica index below replicas.count (2), got 5`)
  })

  it("invalid YAML names line and column", () => {
    const file = scenarioFile("bad-indent", ["name: test", "horizon: 1h", "pool:", "  maxPoolSize: 5", " minPoolSize: 1"])
    expect(rejection(file)).toBe(`${file}:5:1: invalid YAML: All mapping items must start at the same column`)
  })

  it("duplicate key is invalid YAML", () => {
    const file = scenarioFile("duplicate", ["name: test", "horizon: 1h", "horizon: 2h"])
    expect(rejection(file)).toBe(`${file}:3:1: invalid YAML: Map keys must be unique`)
  })

  it("unknown top-level key is suggested", () => {
    const file = withLines("top-key", ["horizn: 2h"])
    expect(rejection(file)).toBe(
      `${file}:3: horizn: unknown key "horizn". Did you mean "horizon"? ` +
        "Valid keys: name, description, seed, horizon, pool, cloud, runners, workload, replicas, faults, expect"
    )
  })

  it("unknown pool key is suggested", () => {
    const file = withLines("pool-key", ["pool:", "  maxPoolSzie: 3"])
    expect(rejection(file)).toBe(
      `${file}:4: pool.maxPoolSzie: unknown key "maxPoolSzie". Did you mean "maxPoolSize"? Valid keys: ${POOL_KEYS}`
    )
  })

  it("unknown cloud key is suggested", () => {
    const file = withLines("cloud-key", ["cloud:", "  costPerRunnerHour: 0.1", "  bootFailurRate: 0.01"])
    expect(rejection(file)).toBe(
      `${file}:5: cloud.bootFailurRate: unknown key "bootFailurRate". Did you mean "bootFailureRate"? ` +
        "Valid keys: provisioningDelay, startupScriptDuration, deletionDelay, bootFailureRate, costPerRunnerHour"
    )
  })

  it("unknown runners key is suggested", () => {
    const file = withLines("runners-key", ["runners:", "  pollIntervall: 5s"])
    expect(rejection(file)).toBe(
      `${file}:4: runners.pollIntervall: unknown key "pollIntervall". Did you mean "pollInterval"? Valid keys: pollInterval, heartbeatInterval`
    )
  })

  it("unknown workload source key is suggested", () => {
    const file = scenarioFile("source-key", [
      "name: test",
      "horizon: 1h",
      "workload:",
      "  - kind: burst",
      "    at: 30m",
      "    count: 10",
      "    sprad: 5m",
      "    duration: { kind: constant, value: 5m }"
    ])
    expect(rejection(file)).toBe(
      `${file}:7: workload.0.sprad: unknown key "sprad". Did you mean "spread"? Valid keys: kind, name, at, count, spread, duration`
    )
  })

  it("unknown distribution key is suggested", () => {
    const file = withLines("distribution-key", ["cloud:", "  provisioningDelay:", "    kind: lognormal", "    median: 60s", "    p59: 150s"])
    expect(rejection(file)).toBe(
      `${file}:7: cloud.provisioningDelay.p59: unknown key "p59". Did you mean "p95"? Valid keys: kind, median, p95`
    )
  })

  it("string for a number names the value", () => {
    const file = withLines("wrong-type", ["pool:", "  maxPoolSize: many"])
    expect(rejection(file)).toBe(`${file}:4: pool.maxPoolSize: expected a number, got "many"`)
  })

  it("zero maxPoolSize is rejected", () => {
    const file = withLines("max-zero", ["pool:", "  maxPoolSize: 0"])
    expect(rejection(file)).toBe(`${file}:4: pool.maxPoolSize: expected a number greater than or equal to 1, got 0`)
  })

  it("negative ratePerHour is rejected", () => {
    const file = scenarioFile("rate-negative", [
      "name: test",
      "horizon: 1h",
      "workload:",
      "  - kind: poisson",
      "    ratePerHour: -1",
      "    duration: { kind: constant, value: 5m }"
    ])
    expect(rejection(file)).toBe(`${file}:5: workload.0.ratePerHour: expected a number greater than zero, got -1`)
  })

  it("zero heartbeatTimeout is rejected", () => {
    const file = withLines("heartbeat-zero", ["pool:", "  heartbeatTimeout: 0s"])
    expect(rejection(file)).toBe(`${file}:4: pool.heartbeatTimeout: expected a duration greater than zero, got "0s"`)
  })

  it("minPoolSize above maxPoolSize names both", () => {
    const file = withLines("min-above-max", ["pool:", "  minPoolSize: 5", "  maxPoolSize: 3"])
    expect(rejection(file)).toBe(`${file}:4: pool.minPoolSize: minPoolSize (5) must not exceed maxPoolSize (3)`)
  })

  it("duration with unknown unit is rejected", () => {
    const file = withLines("duration-unit", ["pool:", "  idleTimeout: 5x"])
    expect(rejection(file)).toBe(
      `${file}:4: pool.idleTimeout: expected a duration such as 90s, 5m, 1h30m, 48h or 7d, or off, got "5x"`
    )
  })

  it("infinite duration names .inf", () => {
    const file = withLines("duration-inf", ["pool:", "  idleTimeout: .inf"])
    expect(rejection(file)).toBe(`${file}:4: pool.idleTimeout: expected a duration such as 90s, 5m, 1h30m, 48h or 7d, or off, got Infinity`)
  })

  it("duration in words is rejected", () => {
    const file = withLines("duration-words", ["cloud:", "  deletionDelay: { kind: constant, value: 10 minutes }"])
    expect(rejection(file)).toBe(
      `${file}:4: cloud.deletionDelay.value: expected a duration such as 90s, 5m, 1h30m, 48h or 7d, got "10 minutes"`
    )
  })

  it("off disables runTimeout", () => {
    const scenario = loadScenario(withLines("run-timeout-off", ["pool:", "  runTimeout: off"]))
    expect(scenario.pool.runTimeout).toBe(Infinity)
  })

  it("off is rejected for horizon", () => {
    const file = scenarioFile("horizon-off", [
      "name: test",
      "horizon: off",
      "workload:",
      "  - kind: poisson",
      "    ratePerHour: 3",
      "    duration: { kind: constant, value: 5m }"
    ])
    expect(rejection(file)).toBe(`${file}:2: horizon: expected a duration such as 90s, 5m, 1h30m, 48h or 7d, got "off"`)
  })

  it("unknown policy lists the policies", () => {
    const file = withLines("policy", ["pool:", "  policy: fastest"])
    expect(rejection(file)).toBe(`${file}:4: pool.policy: expected ${POLICY_NAMES.map((name) => `"${name}"`).join(" or ")}, got "fastest"`)
  })

  it("missing horizon is named", () => {
    const file = scenarioFile("no-horizon", [
      "# no horizon",
      "name: test",
      "workload:",
      "  - kind: poisson",
      "    ratePerHour: 3",
      "    duration: { kind: constant, value: 5m }"
    ])
    expect(rejection(file)).toBe(`${file}:2: horizon: missing required key "horizon"`)
  })

  it("missing workload is named", () => {
    const file = scenarioFile("no-workload", ["name: test", "horizon: 1h"])
    expect(rejection(file)).toBe(`${file}:1: workload: missing required key "workload"`)
  })

  it("empty workload is rejected", () => {
    const file = scenarioFile("empty-workload", ["name: test", "horizon: 1h", "workload: []"])
    expect(rejection(file)).toBe(`${file}:3: workload: expected at least one workload source, got []`)
  })

  it("empty file is rejected", () => {
    const file = scenarioFile("empty", [])
    expect(rejection(file)).toBe(`${file}: expected a mapping of scenario keys (name, horizon, workload, ...), got an empty file`)
  })

  it("list file is rejected", () => {
    const file = scenarioFile("list", ["- name: test", "- horizon: 1h"])
    expect(rejection(file)).toBe(`${file}: expected a mapping of scenario keys (name, horizon, workload, ...), got a list`)
  })

  it("missing file is named", () => {
    const file = join(folder, "does-not-exist.yaml")
    expect(rejection(file)).toBe(`scenario file ${file}: not found`)
  })

  it("folder as scenario is rejected", () => {
    expect(rejection(folder)).toBe(`scenario file ${folder}: is a folder, expected a YAML file`)
  })

  it("heartbeat interval must undercut the timeout", () => {
    const file = withLines("heartbeat-interval", ["pool:", "  heartbeatTimeout: 2m", "runners:", "  heartbeatInterval: 2m"])
    expect(rejection(file)).toBe(
      `${file}:6: runners.heartbeatInterval: expected a heartbeat interval shorter than pool.heartbeatTimeout (2m) ` +
        "so that runners are not removed for a lost heartbeat, got 2m"
    )
  })
})

describe("command-line overrides", () => {
  it("--set without = is rejected", () => {
    expect(rejection(VALID, { sets: ["pool.maxPoolSize"] })).toBe(
      "--set pool.maxPoolSize: expected PATH=VALUE, such as pool.maxPoolSize=50 or workload.0.ratePerHour=30"
    )
  })

  it("--set with an empty path segment is rejected", () => {
    expect(rejection(VALID, { sets: ["pool..maxPoolSize=3"] })).toContain("--set pool..maxPoolSize=3: expected PATH=VALUE")
  })

  it("--set of an unknown path is suggested", () => {
    expect(rejection(VALID, { sets: ["pool.maxPoolSzie=3"] })).toBe(
      `${VALID} (--set pool.maxPoolSzie=3): pool.maxPoolSzie: unknown key "maxPoolSzie". Did you mean "maxPoolSize"? Valid keys: ${POOL_KEYS}`
    )
  })

  it("--set of a new unknown section names --set", () => {
    const start = `${VALID} (--set pol.maxPoolSize=3): pol: unknown key "pol". Did you mean "pool"?`
    expect(rejection(VALID, { sets: ["pol.maxPoolSize=3"] }).slice(0, start.length)).toBe(start)
  })

  it("--set with a bad value names --set", () => {
    expect(rejection(VALID, { sets: ["pool.maxPoolSize=abc"] })).toBe(
      `${VALID} (--set pool.maxPoolSize=abc): pool.maxPoolSize: expected a number, got "abc"`
    )
  })

  it("--set with an unresolved tag warns nothing", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {})
    try {
      expect(rejection(VALID, { sets: ["pool.maxPoolSize=!!int x"] })).toBe(`${VALID} (--set pool.maxPoolSize=!!int x): pool.maxPoolSize: expected a number, got "x"`)
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })

  it("--set of .inf shows Infinity", () => {
    expect(rejection(VALID, { sets: ["expect.violations=.inf"] })).toMatch(/^.* \(--set expect\.violations=\.inf\): expect\.violations: expected a condition .*, got Infinity$/)
  })

  it("--set with invalid YAML is rejected", () => {
    expect(rejection(VALID, { sets: ["pool.policy=[queue"] })).toMatch(/^--set pool\.policy=\[queue: the value is not valid YAML \(/)
  })

  it("--set through a single value is rejected", () => {
    expect(rejection(VALID, { sets: ["horizon.hours=2"] })).toBe(
      '--set horizon.hours=2: horizon is "1h", not a mapping, so it has no key "hours"'
    )
  })

  it("--set past the end of a list is rejected", () => {
    expect(rejection(VALID, { sets: ["workload.3.ratePerHour=5"] })).toBe(
      "--set workload.3.ratePerHour=5: workload has 1 item, expected an index from 0 to 1"
    )
  })

  it("--set with a name as list index is rejected", () => {
    expect(rejection(VALID, { sets: ["workload.first.ratePerHour=5"] })).toBe(
      "--set workload.first.ratePerHour=5: workload is a list, expected an index such as workload.0"
    )
  })

  it("--set replaces values and appends sources", () => {
    const scenario = loadScenario(VALID, {
      sets: [
        "workload.0.ratePerHour=30",
        "pool.idleTimeout=10m",
        "workload.1={kind: burst, at: 30m, count: 5, duration: {kind: constant, value: 1m}}"
      ]
    })
    expect(scenario.workload.map((source) => source.kind)).toEqual(["poisson", "burst"])
    expect(scenario.workload[0]).toMatchObject({ kind: "poisson", ratePerHour: 30 })
    expect(scenario.pool.idleTimeout).toBe(600_000)
  })

  it("--seed replaces the seed", () => {
    expect(loadScenario(VALID).seed).toBe(1)
    expect(loadScenario(VALID, { seed: 42 }).seed).toBe(42)
  })

  it("negative --seed names --seed", () => {
    expect(rejection(VALID, { seed: -1 })).toBe(`${VALID} (--seed -1): seed: expected a non-negative number, got -1`)
  })
})

describe("valid scenarios", () => {
  it("defaults are filled in", () => {
    const scenario = loadScenario(VALID)
    expect(scenario.seed).toBe(1)
    expect(scenario.horizon).toBe(3_600_000)
    expect(scenario.pool).toEqual(defaultPoolSettings())
    expect(scenario.cloud).toEqual({
      provisioningDelay: { kind: "constant", value: 60_000 },
      startupScriptDuration: { kind: "constant", value: 0 },
      deletionDelay: { kind: "constant", value: 30_000 },
      bootFailureRate: 0,
      costPerRunnerHour: 0
    })
    expect(scenario.runners).toEqual({ pollInterval: 0, heartbeatInterval: 30_000 })
    expect(scenario.workload[0]?.name).toBe("poisson-0")
  })

  it("trace source defaults are filled in", () => {
    const file = scenarioFile("trace-defaults", ["name: test", "horizon: 1h", "workload:", "  - kind: trace", "    path: jobs.csv"])
    expect(loadScenario(file).workload[0]).toEqual({
      kind: "trace",
      name: "trace-0",
      path: "jobs.csv",
      format: "csv",
      timeScale: 1,
      durationScale: 1
    })
  })

  const bundled = readdirSync(SCENARIOS).filter((name) => name.endsWith(".yaml"))

  it("scenarios folder is not empty", () => {
    expect(bundled.length).toBeGreaterThanOrEqual(6)
  })

  it.each(bundled)("bundled %s decodes", (name) => {
    const scenario = loadScenario(join(SCENARIOS, name))
    expect(scenario.name).toBe(basename(name, ".yaml"))
    expect(scenario.workload.length).toBeGreaterThan(0)
  })
})
