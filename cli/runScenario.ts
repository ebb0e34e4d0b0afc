import { dirname } from "node:path"
import type { PoolEvent } from "../core/events.js"
import { createMetricsCollector, type Metrics } from "../reports/metrics.js"
import { buildSummary, type Summary, type SummaryMeta } from "../reports/summary.js"
import { makeStream } from "../sim/random.js"
import { clairvoyantSchedule } from "../sim/reference/clairvoyant.js"
import { capRunDurations, floorRunnerHours } from "../sim/reference/floor.js"
import { cloudModelOf, runnerModelOf, type Scenario } from "../sim/scenario/schema.js"
import { monitored } from "../sim/monitor/monitored.js"
import { InputError } from "../sim/scenario/inputError.js"
import { simulate } from "../sim/simulate.js"
import { generateWorkload } from "../sim/workload/generate.js"
import type { Workload } from "../sim/workload/workload.js"

/** Options of `runScenario`. */
export interface RunScenarioOptions {
  /** Scenario file the scenario came from; relative trace paths resolve against its folder. */
  readonly scenarioFile: string
  /** Replaces the path of every trace source, resolved against the working directory. */
  readonly traceOverride?: string | undefined
  /** Receives every event, for `events.jsonl`. */
  readonly onEvent?: ((event: PoolEvent) => void) | undefined
  /** Called with the share of the horizon simulated so far, from 0 to 1. */
  readonly onProgress?: ((share: number) => void) | undefined
}

/** The outcome of one scenario run. */
export interface ScenarioRun {
  readonly scenario: Scenario
  readonly workload: Workload
  readonly metrics: Metrics
  readonly summary: Summary
}

/**
 * Generates a scenario's workload, simulates it under the invariant monitor
 * and builds its summary, violations and reference costs included.
 * Throws `InputError` for a trace that is missing or cannot be parsed, or
 * for a trace override given to a scenario without a trace source.
 */
export const runScenario = (scenario: Scenario, options: RunScenarioOptions): ScenarioRun => {
  if (options.traceOverride !== undefined && !scenario.workload.some((source) => source.kind === "trace")) {
    throw new InputError({
      message: `--trace ${options.traceOverride}: scenario ${options.scenarioFile} has no trace workload source to replay it in; add a source of kind trace`
    })
  }
  const started = performance.now()
  const workload = generateWorkload(scenario.workload, {
    horizonMs: scenario.horizon,
    random: makeStream(scenario.seed, "workload"),
    baseDir: dirname(options.scenarioFile),
    ...(options.traceOverride === undefined ? {} : { traceOverride: options.traceOverride })
  })
  const collector = createMetricsCollector({ horizonMs: scenario.horizon, costPerRunnerHour: scenario.cloud.costPerRunnerHour })
  const { onEvent, onProgress } = options
  const run = monitored({
    settings: scenario.pool,
    workload,
    horizonMs: scenario.horizon,
    seed: scenario.seed,
    cloud: cloudModelOf(scenario),
    runners: runnerModelOf(scenario),
    replicas: scenario.replicas,
    faults: scenario.faults,
    onEvent: onEvent === undefined ? collector.onEvent : (event) => (collector.onEvent(event), onEvent(event)),
    ...(onProgress === undefined ? {} : { onProgress: (now: number) => onProgress(now / scenario.horizon) })
  })
  const result = simulate(run.options)
  const metrics = collector.finish()
  const summary = buildSummary(metrics, {
    scenario: scenario.name,
    seed: scenario.seed,
    simulatedSeconds: scenario.horizon / 1000,
    reference: referenceCosts(scenario, workload),
    skippedTraceRows: workload.skipped,
    violations: run.violations(),
    engine: { events: result.eventCount, wallSeconds: (performance.now() - started) / 1000 }
  })
  return { scenario, workload, metrics, summary }
}

/**
 * Computes the floor and clairvoyant reference costs of a scenario's
 * workload in runner-hours. Durations are capped at the pool's run timeout
 * first, because the pool fails a run there and serves no more of it.
 * With a boot failure rate of 1 no instance boots, so no zero-wait schedule
 * exists and the clairvoyant cost is given as 0, which makes its ratio 0.
 */
const referenceCosts = (scenario: Scenario, workload: Workload): SummaryMeta["reference"] => {
  const served = capRunDurations(workload, scenario.pool.runTimeout)
  const cloud = cloudModelOf(scenario)
  const clairvoyant = cloud.bootFailureRate >= 1 ? undefined : clairvoyantSchedule(served, cloud, scenario.seed, scenario.horizon)
  return {
    floorRunnerHours: floorRunnerHours(served, scenario.horizon),
    clairvoyantRunnerHours: clairvoyant?.runnerHours ?? 0
  }
}
