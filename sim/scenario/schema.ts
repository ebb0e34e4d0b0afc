import { Schema } from "effect"
import { DurationMs, formatDurationMs } from "../../core/duration.js"
import { defaultReplicaSettings, ReplicaSettings } from "../../core/replicaSettings.js"
import { PoolSettings, defaultPoolSettings } from "../../core/settings.js"
import type { CloudModel, RunnerModel } from "../world/models.js"
import { DurationDistribution } from "../workload/distributionSchema.js"
import { WorkloadSection } from "../workload/schema.js"
import { Faults } from "../faults/schema.js"
import { ExpectSection } from "./expect.js"

const Probability = Schema.Number.pipe(
  Schema.filter((p) => (p >= 0 && p <= 1) || `expected a probability from 0 to 1, got ${p}`)
)
const NonNegative = Schema.Number.pipe(
  Schema.filter((x) => (Number.isFinite(x) && x >= 0) || `expected a number at least 0, got ${x}`)
)

/** The `cloud` block: how the simulated cloud provisions and deletes instances. */
export const CloudSection = Schema.Struct({
  provisioningDelay: Schema.optionalWith(DurationDistribution, { default: () => ({ kind: "constant" as const, value: 60_000 }) }),
  startupScriptDuration: Schema.optionalWith(DurationDistribution, { default: () => ({ kind: "constant" as const, value: 0 }) }),
  deletionDelay: Schema.optionalWith(DurationDistribution, { default: () => ({ kind: "constant" as const, value: 30_000 }) }),
  bootFailureRate: Schema.optionalWith(Probability, { default: () => 0 }),
  costPerRunnerHour: Schema.optionalWith(NonNegative, { default: () => 0 })
})

/** The `runners` block: how the simulated runner agents poll and heartbeat. */
export const RunnersSection = Schema.Struct({
  pollInterval: Schema.optionalWith(DurationMs, { default: () => 0 }),
  heartbeatInterval: Schema.optionalWith(
    DurationMs.pipe(Schema.filter((ms) => ms > 0 || "expected a duration greater than zero")),
    { default: () => 30_000 }
  )
})

const ScenarioName = Schema.String.pipe(
  Schema.filter(
    (name) =>
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) ||
      `expected a name of letters, digits, dots, dashes and underscores (it names the output folder), got "${name}"`
  )
)

const Horizon = DurationMs.pipe(Schema.filter((ms) => ms > 0 || "expected a horizon greater than zero"))

const ScenarioFields = Schema.Struct({
  name: ScenarioName,
  description: Schema.optional(Schema.String),
  seed: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { default: () => 1 }),
  horizon: Horizon,
  pool: Schema.optionalWith(PoolSettings, { default: () => defaultPoolSettings() }),
  cloud: Schema.optionalWith(CloudSection, { default: () => Schema.decodeSync(CloudSection)({}) }),
  runners: Schema.optionalWith(RunnersSection, { default: () => Schema.decodeSync(RunnersSection)({}) }),
  workload: WorkloadSection.pipe(Schema.filter((sources) => sources.length > 0 || "expected at least one workload source")),
  replicas: Schema.optionalWith(ReplicaSettings, { default: () => defaultReplicaSettings() }),
  faults: Schema.optionalWith(Faults, { default: () => [] }),
  expect: Schema.optional(ExpectSection)
})

/** Top-level keys of a scenario file. */
export const SCENARIO_KEYS: ReadonlyArray<string> = Object.keys(ScenarioFields.fields)

/**
 * A scenario file: the pool settings, the simulated cloud and runners, and
 * the workload, run for `horizon` from `seed`. `expect` lists conditions on
 * the summary that `runner-pool check` tests. `replicas` runs the pool as
 * several replicas with leader election; `faults` injects failures.
 */
export const Scenario = ScenarioFields.pipe(
  Schema.filter((scenario) => {
    const missing = scenario.faults.findIndex(
      (fault) => "replica" in fault && fault.replica !== "leader" && fault.replica >= scenario.replicas.count
    )
    const fault = scenario.faults[missing]
    return fault === undefined || !("replica" in fault) || {
      path: ["faults", missing, "replica"],
      message: `expected leader or a replica index below replicas.count (${scenario.replicas.count}), got ${fault.replica}`
    }
  }),
  Schema.filter((scenario) => {
    const late = scenario.faults.findIndex((fault) => fault.at >= scenario.horizon)
    return late < 0 || {
      path: ["faults", late, "at"],
      message: `expected a fault time before the horizon (${formatDurationMs(scenario.horizon)}), got ${formatDurationMs(scenario.faults[late]!.at)}`
    }
  }),
  Schema.filter((scenario) =>
    scenario.runners.heartbeatInterval < scenario.pool.heartbeatTimeout || {
      path: ["runners", "heartbeatInterval"],
      message:
        `expected a heartbeat interval shorter than pool.heartbeatTimeout (${formatDurationMs(scenario.pool.heartbeatTimeout)}) ` +
        `so that runners are not removed for a lost heartbeat, got ${formatDurationMs(scenario.runners.heartbeatInterval)}`
    }
  )
)

export type Scenario = typeof Scenario.Type

/** The cloud model of a decoded scenario. */
export const cloudModelOf = (scenario: Scenario): CloudModel => scenario.cloud

/** The runner model of a decoded scenario. */
export const runnerModelOf = (scenario: Scenario): RunnerModel => ({
  pollIntervalMs: scenario.runners.pollInterval,
  heartbeatIntervalMs: scenario.runners.heartbeatInterval
})
