/**
 * Programmatic entry point of runner-pool: run a simulation from pool
 * settings and a workload, get the event stream and the metrics, load and
 * run a whole scenario file as the `simulate` command does, compute the
 * floor and clairvoyant reference costs, or drive the tuning search with
 * your own evaluation.
 */
export { defaultPoolSettings, PoolSettings } from "./core/settings.js"
export type { PoolEvent } from "./core/events.js"
export { POLICY_NAMES, type PolicyName } from "./core/policies/names.js"
export { policyByName } from "./core/policies/registry.js"
export type { PolicyInput, ScalingPolicy } from "./core/policies/policy.js"
export { simulate, type SimulationHandle, type SimulationOptions, type SimulationResult } from "./sim/simulate.js"
export { defaultCloudModel, defaultRunnerModel, type CloudModel, type RunnerModel } from "./sim/world/models.js"
export { workloadFromRuns, type Workload } from "./sim/workload/workload.js"
export { loadScenario } from "./sim/scenario/load.js"
export { Scenario } from "./sim/scenario/schema.js"
export { InputError } from "./sim/scenario/inputError.js"
export { createMetricsCollector, type Metrics } from "./reports/metrics.js"
export { buildSummary, type Summary } from "./reports/summary.js"
export { runScenario, type ScenarioRun } from "./cli/runScenario.js"
export { floorRunnerHours, capRunDurations } from "./sim/reference/floor.js"
export { clairvoyantSchedule, type ClairvoyantSchedule } from "./sim/reference/clairvoyant.js"
export { searchConfigurations, type SearchOptions, type SearchResult } from "./sim/search/halving.js"
