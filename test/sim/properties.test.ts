import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { PoolEvent } from "../../core/events.js"
import type { RemovalReason } from "../../core/model.js"
import { defaultPoolSettings } from "../../core/settings.js"
import type { Distribution } from "../../sim/distribution.js"
import type { SimulationHandle } from "../../sim/simulate.js"
import type { CloudModel, RunnerModel } from "../../sim/world/models.js"
import type { World } from "../../sim/world/world.js"
import { workloadFromRuns } from "../../sim/workload/workload.js"
import {
  acquiredAfterTaint,
  eventsOfKind,
  maxInstanceCount,
  maxRotationsInFlight,
  runSimulation,
  taintsOf,
  type SettingsInput
} from "./support.js"

const SECOND = 1_000
const MINUTE = 60 * SECOND

/** Removal reasons whose taints must only ever take Idle runners. */
const IDLE_ONLY: ReadonlySet<RemovalReason> = new Set(["scaleDown", "oldAgent", "age", "idleTimeout"])

/** A timeout in milliseconds between `min` and `max`, or `off`. */
const limit = (min: number, max: number) => fc.oneof(fc.constant("off" as const), fc.integer({ min, max }))

const settingsArbitrary: fc.Arbitrary<SettingsInput> = fc
  .integer({ min: 1, max: 6 })
  .chain((maxPoolSize) =>
    fc.record({
      maxPoolSize: fc.constant(maxPoolSize),
      minPoolSize: fc.integer({ min: 0, max: maxPoolSize }),
      queueDepthThreshold: fc.integer({ min: 1, max: 5 }),
      scaleUpCooldownMs: fc.integer({ min: 0, max: 2 * MINUTE }),
      scaleDownCooldownMs: fc.integer({ min: 0, max: 10 * MINUTE }),
      createTimeout: limit(30 * SECOND, 20 * MINUTE),
      runTimeout: limit(MINUTE, 30 * MINUTE),
      idleTimeout: limit(MINUTE, 20 * MINUTE),
      heartbeatTimeout: limit(MINUTE, 10 * MINUTE),
      maxRunnerAge: limit(10 * MINUTE, 2 * 60 * MINUTE),
      taintGracePeriod: fc.integer({ min: 0, max: 2 * MINUTE }),
      reconcileInterval: fc.integer({ min: 5 * SECOND, max: MINUTE }),
      rotationBudget: fc.integer({ min: 1, max: 3 }),
      policy: fc.constantFrom("queue-depth" as const, "queue-depth-busy" as const)
    })
  )

const delay = (max: number): fc.Arbitrary<Distribution> =>
  fc.oneof(
    fc.integer({ min: 0, max }).map((value): Distribution => ({ kind: "constant", value })),
    fc.integer({ min: 1, max }).map((mean): Distribution => ({ kind: "exponential", mean }))
  )

const cloudArbitrary: fc.Arbitrary<CloudModel> = fc.record({
  provisioningDelay: delay(5 * MINUTE),
  startupScriptDuration: delay(MINUTE),
  deletionDelay: delay(3 * MINUTE),
  bootFailureRate: fc.constantFrom(0, 0, 0.1, 0.3),
  costPerRunnerHour: fc.constant(0)
})

const runnerArbitrary: fc.Arbitrary<RunnerModel> = fc.record({
  pollIntervalMs: fc.constantFrom(0, 0, 5 * SECOND, 30 * SECOND, MINUTE),
  heartbeatIntervalMs: fc.integer({ min: 5 * SECOND, max: MINUTE })
})

/** A fault at a time in ms: an agent stops heartbeating, an instance turns unhealthy, or a new agent version ships. */
type Fault = { readonly at: number; readonly kind: "heartbeat" | "unhealthy" | "upgrade"; readonly pick: number }

const scenarioArbitrary = fc
  .integer({ min: 30 * MINUTE, max: 2 * 60 * MINUTE })
  .chain((horizonMs) =>
    fc.record({
      horizonMs: fc.constant(horizonMs),
      settings: settingsArbitrary,
      cloud: cloudArbitrary,
      runners: runnerArbitrary,
      seed: fc.integer({ min: 0, max: 1_000_000 }),
      // Groups of up to five runs that arrive together, as a push starts several jobs.
      runs: fc
        .array(
          fc.record({
            arrival: fc.integer({ min: 0, max: horizonMs }),
            duration: fc.integer({ min: SECOND, max: 30 * MINUTE }),
            copies: fc.integer({ min: 1, max: 5 })
          }),
          { maxLength: 10 }
        )
        .map((groups) => groups.flatMap(({ copies, ...run }) => Array.from({ length: copies }, () => run))),
      faults: fc.array(
        fc.record({
          at: fc.integer({ min: 0, max: horizonMs }),
          kind: fc.constantFrom("heartbeat" as const, "unhealthy" as const, "upgrade" as const),
          pick: fc.nat()
        }),
        { maxLength: 4 }
      )
    })
  )

type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer S> ? S : never

/** Schedules the faults. A fault aimed at a runner picks one of the instances that exist at that time. */
const injectFaults = (faults: ReadonlyArray<Fault>, simulation: SimulationHandle): void => {
  for (const fault of faults) {
    simulation.kernel.at(fault.at, () => {
      if (fault.kind === "upgrade") {
        simulation.config.settings = { ...simulation.config.settings, agentVersion: `1.${fault.pick % 5 + 1}.0` }
        return
      }
      const ids = [...simulation.world.instances.keys()]
      if (ids.length === 0) return
      const id = ids[fault.pick % ids.length]!
      if (fault.kind === "heartbeat") simulation.world.loseHeartbeat(id)
      else simulation.world.markUnhealthy(id)
    })
  }
}

/** Runs one random scenario and records the rule violations seen while it ran. */
const runScenario = (scenario: Scenario) => {
  const settings = defaultPoolSettings(scenario.settings)
  const scaleDownFromNonIdle: Array<string> = []
  const worldAboveMax: Array<number> = []
  let world: World | undefined

  const onEvent = (event: PoolEvent) => {
    if (world!.instances.size > settings.maxPoolSize) worldAboveMax.push(event.at)
    if (event.kind !== "RunnerStatusChanged" || event.to !== "Tainted" || event.reason !== "scaleDown") return
    const agent = world!.registry.get(event.runnerId)
    const idle = event.from === "Idle" && agent !== undefined && agent.status === "Idle" && agent.currentRun === undefined
    if (!idle) scaleDownFromNonIdle.push(`${event.runnerId} at ${event.at} ms from ${event.from}`)
  }

  const record = runSimulation({
    settings,
    workload: workloadFromRuns(scenario.runs),
    horizonMs: scenario.horizonMs,
    seed: scenario.seed,
    cloud: scenario.cloud,
    runners: scenario.runners,
    onEvent,
    setup: (simulation) => {
      world = simulation.world
      injectFaults(scenario.faults, simulation)
    }
  })
  return { settings, record, scaleDownFromNonIdle, worldAboveMax }
}

describe("random pools and workloads", () => {
  it("keep every pool rule", () => {
    const coverage = { scaleDownTaints: 0, atMaximum: 0, runTimeouts: 0, removedWhileRunning: 0, rotations: 0 }
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const { settings, record, scaleDownFromNonIdle, worldAboveMax } = runScenario(scenario)
        const { events, result } = record

        // Never above the maximum, counting every instance from creation to deletion.
        expect(maxInstanceCount(events)).toBeLessThanOrEqual(settings.maxPoolSize)
        expect(worldAboveMax).toEqual([])

        // Scale-down, rotations and the idle timeout taint Idle runners only, and a Tainted runner acquires no run.
        expect(scaleDownFromNonIdle).toEqual([])
        const idleOnly = taintsOf(events).filter((event) => IDLE_ONLY.has(event.reason as RemovalReason))
        expect(idleOnly.filter((event) => event.from !== "Idle")).toEqual([])
        expect(acquiredAfterTaint(events)).toEqual([])
        expect(maxRotationsInFlight(events)).toBeLessThanOrEqual(settings.rotationBudget)
        const scaleDownTaints = events.filter((event) => event.kind === "RunnerStatusChanged" && event.reason === "scaleDown")
        const scaleDownCount = eventsOfKind(events, "ScaleDown").reduce((sum, event) => sum + event.count, 0)
        expect(scaleDownTaints).toHaveLength(scaleDownCount)

        // Every run that arrived is completed, failed with a reason, or still queued or running.
        const queued = eventsOfKind(events, "RunQueued")
        const completed = eventsOfKind(events, "RunCompleted")
        const failed = eventsOfKind(events, "RunFailed")
        expect(queued).toHaveLength(scenario.runs.filter((run) => run.arrival < scenario.horizonMs).length)
        expect(queued.length).toBe(completed.length + failed.length + result.queuedAtEnd + result.runningAtEnd)
        for (const failure of failed) expect(["runTimeout", "runnerRemoved"]).toContain(failure.reason)
        const ended = [...completed, ...failed].map((event) => event.runId)
        expect(new Set(ended).size).toBe(ended.length)

        coverage.scaleDownTaints += scaleDownTaints.length
        coverage.atMaximum += maxInstanceCount(events) === settings.maxPoolSize ? 1 : 0
        coverage.runTimeouts += failed.filter((failure) => failure.reason === "runTimeout").length
        coverage.removedWhileRunning += failed.filter((failure) => failure.reason === "runnerRemoved").length
        coverage.rotations += taintsOf(events).filter((event) => event.reason === "oldAgent" || event.reason === "age").length
      }),
      // Shrinking a failure can take minutes, so the search stops at 45 s and reports the smallest case found.
      // The 200 runs take about 5 s, and an interrupt before they finish fails the test.
      { numRuns: 200, plugins: [fc.interruptAfterTimeLimit(45_000, { failOnInterrupt: true })] }
    )

    // The random scenarios reach the cases the rules are about.
    // Sums seen in seven runs of 200 scenarios: 56 to 98 scale-down taints, over 150 pools at their
    // maximum, over 250 run timeouts, over 45 runs failed by a removal, over 240 rotations.
    expect(coverage.scaleDownTaints).toBeGreaterThan(25)
    expect(coverage.atMaximum).toBeGreaterThan(50)
    expect(coverage.runTimeouts).toBeGreaterThan(25)
    expect(coverage.removedWhileRunning).toBeGreaterThan(10)
    expect(coverage.rotations).toBeGreaterThan(50)
  })
})
