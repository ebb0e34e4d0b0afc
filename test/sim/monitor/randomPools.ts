/**
 * Random pools, replicas, workloads and fault schedules for the monitor's
 * property test, and the monitored run of one of them.
 */
import fc from "fast-check"
import { defaultReplicaSettings, type ReplicaSettings } from "../../../core/replicaSettings.js"
import { defaultPoolSettings } from "../../../core/settings.js"
import type { Distribution } from "../../../sim/distribution.js"
import { defaultSettleMs } from "../../../sim/monitor/orphans.js"
import type { ReplicaProgram, ReplicaTarget } from "../../../sim/replicas/supervisor.js"
import type { SimulationHandle } from "../../../sim/simulate.js"
import type { CloudModel } from "../../../sim/world/models.js"
import { workloadFromRuns } from "../../../sim/workload/workload.js"
import type { SettingsInput } from "../support.js"
import { MINUTE, runMonitored, SECOND, type MonitoredRun } from "./support.js"

const limit = (min: number, max: number) => fc.oneof(fc.constant("off" as const), fc.integer({ min, max }))

const settingsArbitrary: fc.Arbitrary<SettingsInput> = fc.integer({ min: 1, max: 5 }).chain((maxPoolSize) =>
  fc.record({
    maxPoolSize: fc.constant(maxPoolSize),
    minPoolSize: fc.integer({ min: 0, max: maxPoolSize }),
    queueDepthThreshold: fc.integer({ min: 1, max: 3 }),
    scaleUpCooldownMs: fc.integer({ min: 0, max: MINUTE }),
    scaleDownCooldownMs: fc.integer({ min: 0, max: 5 * MINUTE }),
    createTimeout: limit(30 * SECOND, 10 * MINUTE),
    runTimeout: limit(MINUTE, 20 * MINUTE),
    idleTimeout: limit(MINUTE, 10 * MINUTE),
    heartbeatTimeout: limit(MINUTE, 5 * MINUTE),
    maxRunnerAge: limit(10 * MINUTE, 60 * MINUTE),
    taintGracePeriod: fc.integer({ min: 0, max: MINUTE }),
    reconcileInterval: fc.integer({ min: 5 * SECOND, max: 30 * SECOND }),
    policy: fc.constantFrom("queue-depth" as const, "queue-depth-busy" as const)
  })
)

const replicaArbitrary = fc
  .record({
    count: fc.integer({ min: 1, max: 3 }),
    leaseTtl: fc.integer({ min: 3 * SECOND, max: 30 * SECOND }),
    renewShare: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
    errorThreshold: fc.integer({ min: 1, max: 5 }),
    // NOTE: at least 1 s, because with a replace delay of 0 a replica that reaches its error threshold in Bootup
    // (during a control-plane outage) is replaced at the same instant, again and again, and virtual time stops.
    replaceDelay: fc.integer({ min: SECOND, max: MINUTE }),
    leaseElection: fc.boolean()
  })
  .map(({ renewShare, leaseElection, ...settings }) => ({
    replicas: defaultReplicaSettings({ ...settings, renewInterval: Math.max(1, Math.floor(settings.leaseTtl * renewShare)) }),
    leaseElection
  }))

const delay = (max: number): fc.Arbitrary<Distribution> =>
  fc.oneof(
    fc.integer({ min: 0, max }).map((value): Distribution => ({ kind: "constant", value })),
    fc.integer({ min: 1, max }).map((mean): Distribution => ({ kind: "exponential", mean }))
  )

const cloudArbitrary: fc.Arbitrary<CloudModel> = fc.record({
  provisioningDelay: delay(3 * MINUTE),
  startupScriptDuration: delay(30 * SECOND),
  deletionDelay: delay(MINUTE),
  bootFailureRate: fc.constantFrom(0, 0, 0.1),
  costPerRunnerHour: fc.constant(0)
})

/**
 * A fault at `share` of the fault window: a replica crash, pause or
 * control-plane outage, or a runner's heartbeat loss or unhealthy instance.
 * `leases` is the length of a pause or outage as a multiple of the lease
 * time to live; `pick` chooses the runner.
 */
const faultArbitrary = fc.record({
  share: fc.double({ min: 0, max: 1, noNaN: true }),
  kind: fc.constantFrom("crash" as const, "pause" as const, "outage" as const, "heartbeat" as const, "unhealthy" as const),
  target: fc.oneof(fc.constant("leader" as const), fc.integer({ min: 0, max: 2 })),
  leases: fc.double({ min: 0.1, max: 4, noNaN: true }),
  pick: fc.nat()
})

type FaultCase = typeof faultArbitrary extends fc.Arbitrary<infer F> ? F : never

/** Groups of runs, each at `share` of the horizon. */
const runsArbitrary = fc.array(
  fc.record({
    share: fc.double({ min: 0, max: 1, noNaN: true }),
    duration: fc.integer({ min: SECOND, max: 15 * MINUTE }),
    copies: fc.integer({ min: 1, max: 4 })
  }),
  { maxLength: 10 }
)

/** One random pool: settings, replicas, cloud, workload and faults. */
export const scenarioArbitrary = fc.record({
  horizonMs: fc.integer({ min: 30 * MINUTE, max: 60 * MINUTE }),
  settings: settingsArbitrary,
  replicas: replicaArbitrary,
  cloud: cloudArbitrary,
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  runs: runsArbitrary,
  faults: fc.array(faultArbitrary, { maxLength: 6 })
})

export type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer S> ? S : never

/**
 * Time before the horizon that stays free of faults, in milliseconds, so a
 * pool that lost its leader recovers before the orphan check's settle
 * period: twice a replacement delay, a lease expiry and a renewal for a new
 * leader, then the settle period, and 30 s for retries.
 */
export const quietTailMs = (settleMs: number, replicas: ReplicaSettings): number =>
  2 * (replicas.replaceDelay + replicas.leaseTtl + replicas.renewInterval) + settleMs + 30 * SECOND

/** Schedules the faults inside the window before the quiet tail, so that pauses and outages also end inside it. */
const injectFaults = (faults: ReadonlyArray<FaultCase>, windowMs: number, replicas: ReplicaSettings, handle: SimulationHandle): void => {
  for (const fault of faults) {
    const duration = fault.leases * replicas.leaseTtl
    const at = fault.share * Math.max(0, windowMs - duration)
    const target: ReplicaTarget = fault.target === "leader" ? "leader" : fault.target % replicas.count
    if (fault.kind === "crash") handle.kernel.at(at, () => handle.replicas.crash(target))
    else if (fault.kind === "pause") handle.kernel.at(at, () => handle.replicas.pause(target, duration))
    else if (fault.kind === "outage") handle.kernel.at(at, () => handle.replicas.cutOffControlPlane(target, duration))
    else handle.kernel.at(at, () => hitRunner(fault, windowMs, handle))
  }
}

/**
 * Makes a registered runner lose its heartbeat or its instance unhealthy.
 * An even pick aims at a Running runner when there is one, so busy runners
 * fail health checks too. With no runner registered yet, it tries again a
 * minute later, until the fault window ends.
 */
const hitRunner = (fault: FaultCase, windowMs: number, handle: SimulationHandle): void => {
  const registered = [...handle.world.registry.values()]
  const running = registered.filter((agent) => agent.status === "Running")
  const candidates = fault.pick % 2 === 0 && running.length > 0 ? running : registered
  if (candidates.length === 0) {
    if (handle.kernel.now + MINUTE <= windowMs) handle.kernel.after(MINUTE, () => hitRunner(fault, windowMs, handle))
    return
  }
  const id = candidates[Math.floor(fault.pick / 2) % candidates.length]!.runnerId
  if (fault.kind === "heartbeat") handle.world.loseHeartbeat(id)
  else handle.world.markUnhealthy(id)
}

/** Events at one virtual instant after which a run counts as stuck: far more than any pool here emits at once. */
const MAX_EVENTS_AT_ONE_INSTANT = 10_000

/**
 * Runs one scenario under the invariant monitor, with the real controller
 * unless `replicaProgram` replaces it (to try a candidate fix). Throws when
 * virtual time stops advancing (a livelock of the simulation), so the
 * property fails with a counterexample instead of hanging.
 */
export const runScenario = (scenario: Scenario, replicaProgram?: ReplicaProgram): MonitoredRun => {
  const settings = defaultPoolSettings(scenario.settings)
  const { replicas, leaseElection } = scenario.replicas
  const windowMs = Math.max(0, scenario.horizonMs - quietTailMs(defaultSettleMs(settings), replicas))
  const runs = scenario.runs.flatMap(({ share, duration, copies }) =>
    Array.from({ length: copies }, () => ({ arrival: Math.floor(share * scenario.horizonMs), duration }))
  )
  let handle: SimulationHandle | undefined
  let stuck: string | undefined
  let eventInstant = -1
  let eventsAtInstant = 0
  let progressInstant = -1
  let progressAtInstant = 0
  const run = runMonitored({
    settings,
    workload: workloadFromRuns(runs),
    horizonMs: scenario.horizonMs,
    seed: scenario.seed,
    cloud: scenario.cloud,
    replicas,
    leaseElection,
    ...(replicaProgram === undefined ? {} : { replicaProgram }),
    onEvent: (event) => {
      if (event.at !== eventInstant) {
        eventInstant = event.at
        eventsAtInstant = 0
      }
      if (++eventsAtInstant <= MAX_EVENTS_AT_ONE_INSTANT || stuck !== undefined) return
      stuck = `virtual time stopped at ${event.at} ms: over ${MAX_EVENTS_AT_ONE_INSTANT} events at that instant`
      // Inside a replica a throw only ends that replica, and the supervisor starts another one, so the replicas
      // are stopped first. The throw ends a loop of the world; otherwise the check after the run reports it.
      handle?.replicas.stop()
      throw new Error(stuck)
    },
    onProgress: (virtualMs) => {
      // simulate reports progress every 65,536 kernel steps, from outside any replica, so this throw ends the run.
      progressAtInstant = virtualMs === progressInstant ? progressAtInstant + 1 : 0
      progressInstant = virtualMs
      if (progressAtInstant >= 4) throw new Error(`virtual time stopped at ${virtualMs} ms: over 260,000 kernel steps at that instant`)
    },
    setup: (simulation) => {
      handle = simulation
      injectFaults(scenario.faults, windowMs, replicas, simulation)
    }
  })
  if (stuck !== undefined) throw new Error(stuck)
  return run
}
